import Foundation
@testable import Frasario

/// Paths and helpers shared by the tests.
enum TestSupport {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let samples = repositoryRoot.appendingPathComponent("Samples").path
    static let lexicons = repositoryRoot.appendingPathComponent("Lexicons/es").path
    static let sharedData = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/data").path

    /// True when the real ASR output of ../shared/data is beside the repository: tests that
    /// need it are enabled by it (`.enabled(if: TestSupport.hasRealASRData, …)`).
    static let hasRealASRData = FileManager.default.fileExists(atPath: sharedData + "/fisher_dev.asr.es")

    /// The folder of real ASR output (../shared/data).
    static var realASRData: URL { URL(fileURLWithPath: sharedData) }

    /// The debug binary the command-line tests run (`swift build` makes it).
    static let binary = repositoryRoot.appendingPathComponent(".build/debug/frasario").path
    static let hasBinary = FileManager.default.isExecutableFile(atPath: binary)

    /// The folder that holds every test's temporary folders in this test process; removed
    /// when the process exits, so a test run leaves nothing in the system temporary directory.
    private static let temporaryRoot: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("frasario-tests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: TestSupport.temporaryRoot) }
        return url
    }()

    /// A fresh empty folder under the test process's temporary root.
    static func temporaryDirectory(_ name: String = #function) -> URL {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        let url = temporaryRoot.appendingPathComponent("\(safe)-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes `contents` to `name` inside `directory` and returns the path.
    @discardableResult
    static func write(_ contents: String, to name: String, in directory: URL) -> String {
        let url = directory.appendingPathComponent(name)
        try! FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try! Data(contents.utf8).write(to: url)
        return url.path
    }

    @discardableResult
    static func write(bytes: [UInt8], to name: String, in directory: URL) -> String {
        let url = directory.appendingPathComponent(name)
        try! Data(bytes).write(to: url)
        return url.path
    }

    /// Parses every piece the reader cuts from `files`, as the pipeline does, and accounts for it.
    static func ingest(
        _ paths: [String], chunkBytes: Int = 4 << 20,
        limit: CallSizeLimit = .standard
    ) throws -> (calls: [Call], accounting: IngestAccounting) {
        let discovery = try InputDiscovery.discover(paths)
        let reader = InputReader(files: discovery.files, chunkBytes: chunkBytes, limit: limit)
        var accounting = IngestAccounting()
        accounting.limit = limit
        var calls: [Call] = []
        while let piece = try reader.next() {
            calls += accounting.accept([RecordParser.parse(piece)])
        }
        return (calls, accounting)
    }

    /// Runs the whole pipeline with small thresholds, into a temporary folder.
    static func run(
        _ inputs: [String], threads: Int = 2, minCount: Int = 1, minCalls: Int = 1, top: Int = 1000,
        lexicons: String? = nil, out: URL? = nil
    ) throws -> (outcome: RunOutcome, out: URL) {
        let directory = out ?? temporaryDirectory()
        let configuration = PipelineConfiguration(
            inputs: inputs, outputDirectory: directory.path, threads: threads,
            rank: RankOptions(minCount: minCount, minCalls: minCalls, top: top),
            lexiconDirectory: lexicons)
        return (try Pipeline.run(configuration), directory)
    }
}

extension RunResult {
    /// The row of `text` in a ranking, if ranked.
    func row(_ kind: RankingKind, _ text: String) -> PhraseRow? {
        phrases.first { $0.ranking == kind && $0.text == text }
    }
}

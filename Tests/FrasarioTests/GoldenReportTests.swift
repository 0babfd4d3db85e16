import Foundation
import Testing
@testable import Frasario

/// The reports of `Samples/` and of the last night of `Examples/semana` (with its six earlier
/// nights in the history), checked byte for byte against `Tests/Golden/`. A change that moves
/// any figure, row or sentence shows up here and in the diff of the golden files, where it is
/// reviewed. `make golden` rewrites them (FRASARIO_UPDATE_GOLDEN=1).
@Suite("Golden reports: Samples and a week of Examples, byte for byte")
struct GoldenReportTests {
    static let golden = TestSupport.repositoryRoot.appendingPathComponent("Tests/Golden")
    static let updating = ProcessInfo.processInfo.environment["FRASARIO_UPDATE_GOLDEN"] == "1"
    static let files = ReportWriter.fileNames.filter { $0 != "timings.json" }

    /// The report with the repository's location taken out of the paths it names, so the
    /// golden files hold on any checkout.
    static func portable(_ data: Data) -> Data {
        let root = TestSupport.repositoryRoot.path + "/"
        let escaped = root.replacingOccurrences(of: "/", with: "\\/")
        let text = String(decoding: data, as: UTF8.self)
            .replacingOccurrences(of: root, with: "")
            .replacingOccurrences(of: escaped, with: "")
        return Data(text.utf8)
    }

    static func check(_ out: URL, against name: String) throws {
        let folder = golden.appendingPathComponent(name)
        if updating {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        for file in files {
            let actual = portable(try Data(contentsOf: out.appendingPathComponent(file)))
            let expectedURL = folder.appendingPathComponent(file)
            if updating {
                try actual.write(to: expectedURL)
                continue
            }
            let expected = try Data(contentsOf: expectedURL)
            #expect(actual == expected, "\(name)/\(file) differs from Tests/Golden (make golden rewrites it; review the diff)")
        }
    }

    @Test("Samples/ gives exactly the golden reports")
    func samples() throws {
        let out = TestSupport.temporaryDirectory()
        var configuration = PipelineConfiguration(
            inputs: [TestSupport.samples], outputDirectory: out.path, threads: 2,
            lexiconDirectory: TestSupport.lexicons)
        configuration.runDate = "2026-11-21"
        _ = try Pipeline.run(configuration)
        try Self.check(out, against: "samples")
    }

    @Test("the seventh night of Examples/semana, with six nights of history, gives exactly the golden reports")
    func week() throws {
        let root = TestSupport.temporaryDirectory()
        let history = root.appendingPathComponent("frasario.sqlite").path
        let nights = try FileManager.default.contentsOfDirectory(atPath: HistoryTests.week.path).filter { $0.hasPrefix("20") }.sorted()
        #expect(nights.count == 7)
        var out = root
        for night in nights {
            out = root.appendingPathComponent(night)
            _ = try HistoryTests.run(night: night, history: history, out: out)
        }
        try Self.check(out, against: "semana")
    }
}

import Foundation
import Testing
@testable import Frasario

/// `Benchmarks/quality.py` at small scale (~250 calls of real Fisher ASR with phrases planted
/// at known call counts), run with the debug binary: the ranking must surface what was planted
/// and nothing that is only everyday Spanish or the agents' script.
@Suite("Phrase quality on real speech (Benchmarks/quality.py --scale small)")
struct QualityBenchmarkTests {
    static let script = TestSupport.repositoryRoot.appendingPathComponent("Benchmarks/quality.py").path
    static let dataPresent = FileManager.default.fileExists(atPath: TestSupport.sharedData + "/fisher_dev.asr.es")

    @Test(
        "planted phrases (share >= 2%) in the customer top 20; no junk in the top 20; no agent script in the top 50",
        .enabled(if: dataPresent, "../shared/data is absent"), .enabled(if: TestSupport.hasBinary, "the debug binary is not built (swift build)"))
    func plantedPhrasesRankAndJunkDoesNot() throws {
        let binary = TestSupport.binary
        let figuresURL = TestSupport.temporaryDirectory().appendingPathComponent("quality.json")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", Self.script, "--scale", "small", "--skip-week",
            "--binary", binary, "--json", figuresURL.path,
        ]
        process.currentDirectoryURL = TestSupport.repositoryRoot
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let printed = String(decoding: outputData, as: UTF8.self)
        try #require(process.terminationStatus == 0, "quality.py failed: \(String(decoding: errorData, as: UTF8.self))")

        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: figuresURL))
        let figures = try #require(json as? [String: Any])
        let recall = try #require(figures["recall_major"] as? [String: Any])
        let missing = figures["missing_major"] as? [String] ?? []
        #expect((recall["total"] as? Int ?? 0) > 0)
        #expect(
            missing.isEmpty && recall["found"] as? Int == recall["total"] as? Int,
            "planted phrases (share >= 2%) missing from the customer top 20: \(missing)\n\(printed)")
        #expect(
            figures["junk_at_20"] as? Int == 0,
            "junk rows in the customer top 20: \(figures["junk_rows"] as? [String] ?? [])")
        #expect(
            figures["script_leaks"] as? Int == 0,
            "agent script rows in the customer top 50: \(figures["leak_rows"] as? [String] ?? [])")
        // The greeting is one agent row (its name a slot or masked), and no agent row names an agent.
        let greeting = try #require(figures["greeting"] as? [String: Any])
        #expect(greeting["greeting_rows"] as? Int == 1 && greeting["named_rows_top20"] as? Int == 0, "\(greeting)")
        // No keyword is among the 300 most frequent words of Spanish.
        #expect((figures["keywords_common"] as? [Any] ?? []).isEmpty, "\(figures["keywords_common"] ?? "")")
    }
}

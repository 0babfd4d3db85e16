import Foundation
import Testing
@testable import Frasario

@Suite("Normalize: the gold file of real speech and chat styles")
struct GoldNormalizationTests {
    static let gold = TestSupport.repositoryRoot.appendingPathComponent("Tests/FrasarioTests/Fixtures/normalization-gold.tsv")

    /// (line number, input, expected display text), comments and blank lines skipped.
    static func cases() throws -> [(Int, String, String)] {
        let text = try String(contentsOf: gold, encoding: .utf8)
        var cases: [(Int, String, String)] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard !line.hasPrefix("#"), !line.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            let fields = line.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
            cases.append((index + 1, String(fields[0]), fields.count > 1 ? String(fields[1]) : ""))
        }
        return cases
    }

    @Test("every gold input normalizes to its expected text")
    func goldFile() throws {
        let cases = try Self.cases()
        #expect(cases.count >= 250)
        var failures: [String] = []
        for (line, input, expected) in cases {
            let got = Normalizer.normalize(input).displayText
            if got != expected { failures.append("line \(line): «\(input)» → «\(got)», expected «\(expected)»") }
        }
        #expect(failures.isEmpty, "\(failures.count) gold cases differ:\n\(failures.prefix(40).joined(separator: "\n"))")
    }

    @Test("no digit run of 4 or more, e-mail or URL survives normalization in the gold inputs")
    func goldPIIDoesNotSurvive() throws {
        for (line, input, _) in try Self.cases() {
            let got = Normalizer.normalize(input).displayText
            #expect(got.range(of: "[0-9]{4,}", options: .regularExpression) == nil, "line \(line): \(got)")
            #expect(!got.contains("@") && !got.contains("http") && !got.contains("www"), "line \(line): \(got)")
        }
    }
}

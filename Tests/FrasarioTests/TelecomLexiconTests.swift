import Foundation
import Testing
@testable import Frasario

/// The telecom scenario of the second lexicon issue: ten rules, every operator (shared macros,
/// unless per sentence, near, not_in, number folding, min_hits, patterns, all: with a speaker per
/// step, never:, windows), each with examples that must and must not match.
@Suite("Telecom lexicon: every operator, tested, linted, sampled and evaluated")
struct TelecomLexiconTests {
    static let directory = TestSupport.repositoryRoot.appendingPathComponent("Tests/FrasarioTests/Fixtures/telecom").path

    @Test("every example of the telecom scenario passes, and lint finds nothing to fix")
    func examplesAndLint() throws {
        let lexicon = try LexiconLoader.load(directory: Self.directory)
        #expect(lexicon.rules.count == 10)
        let tested = LexiconTester.run(lexicon)
        #expect(tested.failures.isEmpty, "\(tested.failures)")
        #expect(tested.examples >= 30)
        let findings = try Workbench.lint(directory: Self.directory)
        #expect(findings.isEmpty, "\(findings.map(\.description))")
        // The fast path leaves out no operator: every rule has the literals it needs.
        #expect(LexiconPrefilter(lexicon).slowRules.isEmpty)
    }

    @Test("sample then eval finds every rule again, whatever its kind")
    func sampleEvalRoundTrip() throws {
        let lexicon = try LexiconLoader.load(directory: Self.directory)
        let directory = TestSupport.temporaryDirectory()
        // One call per «match» example, as a night's transcripts would hold it.
        var lines: [String] = []
        for rule in lexicon.rules {
            for (index, example) in rule.examples.enumerated() where example.mustMatch {
                let turns = example.turns.map { turn in
                    "{\"speaker\": \"\(turn.speaker == .agent ? "agente" : "cliente")\", \"text\": \(Self.quoted(turn.text))}"
                }
                lines.append("{\"call_id\": \"\(rule.id)-\(index)\", \"turns\": [\(turns.joined(separator: ", "))]}")
            }
        }
        let calls = TestSupport.write(lines.joined(separator: "\n") + "\n", to: "llamadas.jsonl", in: directory)
        var rows: [String] = []
        for rule in lexicon.rules {
            let sample = try Workbench.sample(rule: rule.id, count: 50, seed: 1, lexiconDirectory: Self.directory, inputs: [calls])
            #expect(sample.sampled > 0, "\(rule.id) sampled nothing")
            rows += sample.csv.split(separator: "\n", omittingEmptySubsequences: true).dropFirst().map(String.init)
        }
        let labels = TestSupport.write(
            (["id,text,expected,rule,matched,source"] + rows).joined(separator: "\n") + "\n", to: "muestra.csv", in: directory)
        let report = try Workbench.evaluate(labels: labels, lexiconDirectory: Self.directory)
        for score in report.rules {
            #expect(score.falseNegatives.isEmpty, "\(score.name) misses its own sample: \(score.falseNegatives.map(\.text))")
            #expect(score.truePositives > 0, "\(score.name)")
        }
        #expect(report.rules.count == lexicon.rules.count)
    }

    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

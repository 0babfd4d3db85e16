import ArgumentParser
import Foundation
import Frasario

struct LexiconLint: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Finds broken, slow, overlapping and dead rules.",
        discussion: """
            Errors: failing examples, patterns that cannot match normalized text, catastrophic backtracking
            (measured on crafted worst-case turns under the night's PCRE2 limits). Warnings: duplicate and
            shadowed rules (on every rule's examples, plus --corpus calls), rules without examples of one kind,
            slow patterns, rules without a literal word, rules that matched nothing in the history's last run.
            Exit status: 0 without errors, 1 with errors.
            """
    )

    @Argument(help: "Folder of YAML lexicon files.")
    var directory: String = "Lexicons/es"

    @Option(name: .long, help: "Transcripts to measure overlaps on, besides the rules' examples; repeatable.")
    var corpus: [String] = []

    @Option(name: .long, help: "A run history; rules that matched nothing in its latest run are reported.")
    var history: String?

    @Flag(name: .long, help: "Print errors only.")
    var quiet = false

    func run() throws {
        if let history { _ = try HistoryOptions.open(history) }
        let findings = try Workbench.lint(directory: directory, corpus: corpus, historyPath: history)
        for finding in findings where !quiet || finding.severity == .error { print(finding.description) }
        let errors = findings.filter { $0.severity == .error }.count
        print("lint: \(errors) error(s), \(findings.count - errors) warning(s) in \(directory)")
        if errors > 0 { throw ExitCode.failure }
    }
}

import ArgumentParser
import Foundation
import Frasario

struct LexiconTest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Runs every rule's match/no_match examples and prints each failure.",
        discussion: "Exit status: 0 when every example behaves, 1 when one fails or the lexicon does not load."
    )

    @Argument(help: "Folder of YAML lexicon files.")
    var directory: String = "Lexicons/es"

    @Flag(name: .long, help: "Print only failures.")
    var quiet = false

    func run() throws {
        let lexicon = try LexiconLoader.load(directory: directory)
        let report = LexiconTester.run(lexicon)
        for failure in report.failures { print(failure.description) }
        if !quiet {
            if !report.rulesWithoutNoMatchExamples.isEmpty {
                print(
                    "note: \(report.rulesWithoutNoMatchExamples.count) rule(s) have no no_match example: \(report.rulesWithoutNoMatchExamples.prefix(10).joined(separator: ", "))\(report.rulesWithoutNoMatchExamples.count > 10 ? ", …" : "")"
                )
            }
            if !report.rulesWithoutMatchExamples.isEmpty {
                print(
                    "note: \(report.rulesWithoutMatchExamples.count) rule(s) have no match example: \(report.rulesWithoutMatchExamples.prefix(10).joined(separator: ", "))\(report.rulesWithoutMatchExamples.count > 10 ? ", …" : "")"
                )
            }
        }
        print(
            "lexicon: \(report.examples - report.failures.count) passed, \(report.failures.count) failed (\(report.examples) examples of \(report.rules) rules in \(lexicon.categories.count) files)"
        )
        if !report.failures.isEmpty { throw ExitCode.failure }
    }
}

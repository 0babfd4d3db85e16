import ArgumentParser
import Foundation
import Frasario

struct LexiconDiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Backtests a lexicon change: per rule and category, the calls it gains and loses on past transcripts.",
        discussion: "Only what changes is printed, with up to --show calls gained and lost each; --csv lists them all."
    )

    @Argument(help: "The lexicon folder before the change.")
    var old: String

    @Argument(help: "The lexicon folder after the change.")
    var new: String

    @Argument(help: "Past transcripts: files or folders.")
    var inputs: [String]

    @Option(name: .long, help: "Write every gained and lost call as CSV here.")
    var csv: String?

    @Option(name: .customLong("show"), help: "Calls shown per rule for gains and for losses.")
    var examplesShown: Int = 3

    func run() throws {
        let result = try Workbench.diff(old: old, new: new, inputs: inputs)
        let moved = result.changes.filter { $0.status != .unchanged || $0.limitTurnsBefore + $0.limitTurnsAfter > 0 }
        print("\(result.calls) calls read; \(moved.count) rule(s) or categories change, \(result.changes.count - moved.count) stay the same.")
        for change in moved {
            let delta = change.callsAfter - change.callsBefore
            print("")
            print(
                "\(change.level.rawValue) \(change.name) (\(change.status.rawValue)): \(change.callsBefore) → \(change.callsAfter) calls (\(delta >= 0 ? "+" : "")\(delta)), \(change.gained.count) gained, \(change.lost.count) lost"
            )
            if change.limitTurnsBefore + change.limitTurnsAfter > 0 {
                print(
                    "  ! the PCRE2 limit stopped this rule on \(change.limitTurnsBefore) turn(s) before and \(change.limitTurnsAfter) after: those turns were not matched, so the calls above are too low; see frasario lexicon lint."
                )
            }
            for example in change.gained.prefix(examplesShown) { print("  + \(example.callID): «\(example.text)»") }
            for example in change.lost.prefix(examplesShown) { print("  - \(example.callID): «\(example.text)»") }
        }
        if let csv { try emit(result.csv, to: csv) }
    }
}

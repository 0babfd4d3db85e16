import ArgumentParser
import Foundation
import Frasario

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Merges partials from frasario count and writes the reports, as one run over every shard would.",
        discussion: """
            The partials must come from the same frasario, lexicon and counting options; a corrupt or
            mismatched partial is refused with a sentence naming it. A partial names its lexicon by
            digest: give the folder with --lexicons (checked against the digest). Ranking, history
            and reports work as in frasario run.
            """
    )

    @Argument(help: "Partial files.")
    var partials: [String] = []

    @Option(name: .long, help: "Worker threads for quoting examples (default: all cores).")
    var threads: Int?

    @Option(
        name: .customLong("listing-warning"), help: "A warning printed by frasario inputs when the shards were listed; repeatable. Reported as a run over the same folders would.")
    var listingWarnings: [String] = []

    @Option(
        name: .long,
        help: "The lexicon folder the partials were counted with: a partial names it by digest, and the merge checks it (default: as for run).")
    var lexicons: String?

    @OptionGroup var reporting: ReportingOptions

    func validate() throws {
        if partials.isEmpty { throw ValidationError("Give the partial files to merge.") }
    }

    func run() throws {
        var configuration = PipelineConfiguration(
            inputs: partials, outputDirectory: reporting.out,
            threads: threads ?? ProcessInfo.processInfo.activeProcessorCount)
        configuration.listingWarnings = listingWarnings
        reporting.apply(to: &configuration)
        // Used only when the partials were counted with a lexicon.
        configuration.lexiconDirectory = lexicons ?? DefaultLexicons.directory
        let outcome: RunOutcome
        do {
            outcome = try Pipeline.merge(partials, configuration: configuration)
        } catch let error as PipelineError {
            if case .invalidOption(let message) = error { throw ValidationError(message) }
            throw error
        }
        reporting.printSummary(outcome, historyPath: configuration.historyPath)
    }
}

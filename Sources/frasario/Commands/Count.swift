import ArgumentParser
import Foundation
import Frasario

struct Count: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Counts a shard of the inputs into a partial file, for frasario merge (distributed mode).",
        discussion: """
            Reads, normalizes, counts and matches INPUT exactly as frasario run does, and writes a partial:
            a versioned, checksummed binary file of count tables, lexicon tallies, quoted turns and the
            run accounting, sorted by n-gram. Count every shard with the same frasario, lexicon and options.
            """
    )

    @Argument(help: "Transcript files or directories of this shard.")
    var inputs: [String] = []

    @Option(name: .long, help: "The partial file to write (atomically).")
    var partial: String

    @OptionGroup var counting: CountingOptions

    @Flag(name: .long, help: "Print nothing but errors.")
    var quiet = false

    func run() throws {
        var configuration = PipelineConfiguration(inputs: inputs, outputDirectory: "")
        counting.apply(to: &configuration)
        let outcome: PartialOutcome
        do {
            outcome = try Pipeline.countPartial(configuration, to: partial)
        } catch let error as PipelineError {
            if case .invalidOption(let message) = error { throw ValidationError(message) }
            throw error
        }
        guard !quiet else { return }
        StandardError.write(
            String(
                format: "frasario: %d calls read (%d rejected), %d n-grams, %.1f MB in, partial %@ of %.1f MB, %.2f s.\n",
                outcome.callsRead, outcome.callsRejected, outcome.ngrams, Double(outcome.bytesRead) / 1e6,
                partial, Double(outcome.partialBytes) / 1e6, outcome.seconds))
    }
}

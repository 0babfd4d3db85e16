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

    @Option(
        name: .long,
        help: "Split the partial's n-grams into N buckets, so N tasks can merge the partials side by side (frasario merge --bucket); every shard needs the same N.")
    var buckets: Int = 1

    func validate() throws {
        if !(1...65_536).contains(buckets) { throw ValidationError("--buckets must be between 1 and 65536, not \(buckets).") }
    }

    @Flag(name: .long, help: "Print nothing but errors.")
    var quiet = false

    func run() throws {
        var configuration = PipelineConfiguration(inputs: inputs, outputDirectory: "")
        counting.apply(to: &configuration)
        configuration.partialBuckets = buckets
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

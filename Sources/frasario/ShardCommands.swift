import ArgumentParser
import Foundation
import Frasario

// `count`, `inputs` and `merge`: the distributed mode's commands.

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
        StandardError.write(String(format: "frasario: %d calls read (%d rejected), %d n-grams, %.1f MB in, partial %@ of %.1f MB, %.2f s.\n",
                                                   outcome.callsRead, outcome.callsRejected, outcome.ngrams, Double(outcome.bytesRead) / 1e6,
                                                   partial, Double(outcome.partialBytes) / 1e6, outcome.seconds))
    }
}

struct Inputs: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Lists the transcript files a run would read, in reading order (for splitting work into shards).",
        discussion: "Prints one path per line with its size in bytes, tab-separated; skipped files are warned about on stderr."
    )

    @Argument(help: "Transcript files or directories.")
    var inputs: [String] = []

    @Option(name: .long, help: "Force an input format: text, jsonl, vtt, srt, whisper, transcribe, contact-lens or ccai.", completion: .list(InputFormat.allCases.map(\.rawValue)))
    var format: String?

    func run() throws {
        let listing = try Workbench.inputFiles(inputs, format: format.flatMap(InputFormat.init(rawValue:)))
        for file in listing.files { print("\(file.path)\t\(file.bytes)") }
        for warning in listing.warnings { StandardError.write("frasario: warning: \(warning)\n") }
    }
}

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Merges partials from frasario count and writes the reports, as one run over every shard would.",
        discussion: """
        The partials must come from the same frasario, lexicon and counting options; a corrupt or
        mismatched partial is refused with a sentence naming it. Ranking, history and reports work
        as in frasario run.
        """
    )

    @Argument(help: "Partial files.")
    var partials: [String] = []

    @Option(name: .long, help: "Worker threads for quoting examples (default: all cores).")
    var threads: Int?

    @Option(name: .customLong("listing-warning"), help: "A warning printed by frasario inputs when the shards were listed; repeatable. Reported as a run over the same folders would.")
    var listingWarnings: [String] = []

    @OptionGroup var reporting: ReportingOptions

    func validate() throws {
        if partials.isEmpty { throw ValidationError("Give the partial files to merge.") }
    }

    func run() throws {
        var configuration = PipelineConfiguration(inputs: partials, outputDirectory: reporting.out,
                                                  threads: threads ?? ProcessInfo.processInfo.activeProcessorCount)
        configuration.listingWarnings = listingWarnings
        reporting.apply(to: &configuration)
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

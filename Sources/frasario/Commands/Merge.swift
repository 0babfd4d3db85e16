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

    @Option(
        name: .long,
        help: "Merge only this bucket of the partials' n-grams into --bucket-out, and write no report: one merge task of a cluster (see count --buckets).")
    var bucket: Int?

    @Option(name: .customLong("bucket-out"), help: "The bucket result to write with --bucket.")
    var bucketOut: String?

    @Option(
        name: .customLong("bucket-result"),
        help: "A bucket result written by merge --bucket; repeat for every bucket. The n-grams are read from them instead of the partials.")
    var bucketResults: [String] = []

    @Option(
        name: .customLong("quote-plan"),
        help:
            "Rank as the final merge will, write what the quote tasks must look for into this file, and write no report: the first half of a cluster's final merge.")
    var quotePlan: String?

    @Flag(
        name: .customLong("await-quote-results"),
        help: """
            With --quote-plan: once the plan is written (a line «quote plan written» on stdout), read the quote results' \
            paths from stdin, one per line, until it closes, then finish as the final merge with them: the merged table is \
            built once.
            """)
    var awaitQuoteResults = false

    @Option(
        name: .customLong("quote"),
        help: "Scan the given partials' quoted turns for this quote plan into --quote-out, and write no report: one quote task of a cluster.")
    var quoteTaskPlan: String?

    @Option(name: .customLong("quote-out"), help: "The quote result to write with --quote.")
    var quoteOut: String?

    @Option(
        name: .customLong("quote-result"),
        help:
            "A quote result written by merge --quote; repeat for every task, and give the plan with --quote-from. The examples are taken from them instead of a pass over the partials."
    )
    var quoteResults: [String] = []

    @Option(name: .customLong("quote-from"), help: "The quote plan the --quote-result files were made for.")
    var quoteFrom: String?

    @OptionGroup var reporting: ReportingOptions

    func validate() throws {
        if partials.isEmpty { throw ValidationError("Give the partial files to merge.") }
        if (bucket == nil) != (bucketOut == nil) { throw ValidationError("--bucket and --bucket-out go together: the bucket to merge, and where to write it.") }
        if bucket != nil && !bucketResults.isEmpty {
            throw ValidationError("--bucket writes one bucket result; --bucket-result reads them for the final merge: give one or the other.")
        }
        if (quoteTaskPlan == nil) != (quoteOut == nil) {
            throw ValidationError("--quote and --quote-out go together: the quote plan to scan for, and where to write the result.")
        }
        if quoteResults.isEmpty != (quoteFrom == nil) {
            throw ValidationError("--quote-result and --quote-from go together: the quote tasks' results, and the plan they were made for.")
        }
        if awaitQuoteResults && quotePlan == nil {
            throw ValidationError("--await-quote-results goes with --quote-plan: it finishes the merge the plan began.")
        }
        let modes = [bucket != nil, quotePlan != nil, quoteTaskPlan != nil, !quoteResults.isEmpty].filter { $0 }.count
        if modes > 1 {
            throw ValidationError("Give one of --bucket (a merge task), --quote-plan (plan the quotes), --quote (a quote task) or --quote-result (the final merge).")
        }
    }

    func run() throws {
        var configuration = PipelineConfiguration(
            inputs: partials, outputDirectory: reporting.out,
            threads: threads ?? ProcessInfo.processInfo.activeProcessorCount)
        configuration.listingWarnings = listingWarnings
        reporting.apply(to: &configuration)
        // Used only when the partials were counted with a lexicon.
        configuration.lexiconDirectory = lexicons ?? DefaultLexicons.directory
        if let bucket, let bucketOut {
            let written = try Pipeline.mergeBucket(partials, bucket: bucket, configuration: configuration, to: bucketOut)
            if !reporting.quiet { StandardError.write("frasario: bucket \(bucket) of \(partials.count) partial(s): \(written) n-grams in \(bucketOut).\n") }
            return
        }
        if let quotePlan, awaitQuoteResults {
            let outcome = try Pipeline.planThenMerge(
                partials, bucketResults: bucketResults.isEmpty ? nil : bucketResults, configuration: configuration, plan: quotePlan
            ) { phrases in
                sayPlanned(phrases, in: quotePlan)
                do {
                    try FileHandle.standardOutput.write(contentsOf: Data("quote plan written\n".utf8))
                } catch {
                    throw MergeAwaitError.standardOutputClosed
                }
                var results: [String] = []
                while let line = readLine() {
                    if !line.isEmpty { results.append(line) }
                }
                if results.isEmpty { throw MergeAwaitError.noQuoteResults }
                return results
            }
            reporting.printSummary(outcome, historyPath: configuration.historyPath)
            return
        }
        if let quotePlan {
            let phrases = try Pipeline.planQuotes(
                partials, bucketResults: bucketResults.isEmpty ? nil : bucketResults, configuration: configuration, to: quotePlan)
            sayPlanned(phrases, in: quotePlan)
            return
        }
        if let quoteTaskPlan, let quoteOut {
            let scanned = try Pipeline.quoteTask(partials, plan: quoteTaskPlan, configuration: configuration, to: quoteOut)
            if !reporting.quiet { StandardError.write("frasario: quoted turns of \(scanned) partial(s) scanned into \(quoteOut).\n") }
            return
        }
        let outcome: RunOutcome
        do {
            outcome = try Pipeline.merge(
                partials, bucketResults: bucketResults.isEmpty ? nil : bucketResults,
                quotes: quoteFrom.map { QuoteFiles(plan: $0, results: quoteResults) }, configuration: configuration)
        } catch let error as PipelineError {
            if case .invalidOption(let message) = error { throw ValidationError(message) }
            throw error
        }
        reporting.printSummary(outcome, historyPath: configuration.historyPath)
    }

    /// The quote plan's line on stderr (none with --quiet).
    private func sayPlanned(_ phrases: Int, in plan: String) {
        if !reporting.quiet { StandardError.write("frasario: quote plan of \(phrases) phrase(s) over \(partials.count) partial(s) in \(plan).\n") }
    }
}

/// What stops a merge that awaits its quote results: standard input closed before it named a
/// result (the quote tasks did not finish), or standard output closed before the plan could be
/// announced (nobody is waiting for it).
enum MergeAwaitError: FrasarioFailure {
    case noQuoteResults
    case standardOutputClosed

    var description: String {
        switch self {
        case .noQuoteResults:
            return "No quote result was given on standard input after the quote plan was written: the quote tasks did not finish, so no report is written."
        case .standardOutputClosed:
            return "Standard output is closed, so no one can be told the quote plan is written: no quote task will run, so no report is written."
        }
    }
}

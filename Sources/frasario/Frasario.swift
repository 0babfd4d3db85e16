import ArgumentParser
import Foundation
import Frasario

@main
struct FrasarioCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "frasario",
        abstract: "Turns Spanish contact-center transcripts into ranked phrase reports.",
        version: Pipeline.version,
        subcommands: [Run.self, Count.self, Merge.self, Inputs.self, HistoryCommand.self, ReportCommand.self, Explain.self, LexiconCommand.self]
    )

    /// Exit codes: 0 success, 1 a fatal error (one sentence on stderr), 2 a usage error.
    static func main() {
        if let word = CommandLine.arguments.dropFirst().first, let message = unknownCommand(word) {
            StandardError.write("frasario: \(message)\n")
            Foundation.exit(2)
        }
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as CleanExit {
            exit(withError: error)
        } catch let error as ExitCode {
            exit(withError: error)
        } catch let error as any FrasarioFailure {
            StandardError.write("frasario: \(error.description)\n")
            // A history file that is not there was named wrongly: a usage error, without the usage.
            if case HistoryError.missing = error { Foundation.exit(2) }
            Foundation.exit(1)
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure || code.rawValue == 64 {
                StandardError.write((fullMessage(for: error) + "\n"))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }

    /// A first word that is no subcommand, said plainly with the nearest one («reprot»:
    /// did you mean «report»?), instead of a complaint about the options after it.
    static func unknownCommand(_ word: String) -> String? {
        guard !word.hasPrefix("-") else { return nil }
        let names = configuration.subcommands.map { $0._commandName } + ["help"]
        guard !names.contains(word) else { return nil }
        let nearest = names.map { ($0, distance($0, word)) }.min { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }
        let suggestion = nearest.flatMap { $0.1 <= 2 ? " Did you mean «\($0.0)»?" : nil } ?? ""
        return "«\(word)» is not a command (commands: \(names.dropLast().joined(separator: ", ")))." + suggestion
    }

    /// Edit distance (insertions, deletions, substitutions, adjacent swaps).
    static func distance(_ left: String, _ right: String) -> Int {
        let a = Array(left), b = Array(right)
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in stride(from: 1, through: a.count, by: 1) {
            for j in stride(from: 1, through: b.count, by: 1) {
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1) }
            }
        }
        return table[a.count][b.count]
    }
}

/// How calls are read, counted and matched: shared by `run` and `count`, so shards are
/// counted exactly as a run counts.
struct CountingOptions: ParsableArguments {
    @Option(name: .long, help: "Worker threads (default: all cores).")
    var threads: Int?

    @Option(name: .customLong("max-n"), help: "Longest phrase counted, in words (1-8).")
    var maxN: Int = 5

    @Option(name: .customLong("max-memory"), help: "Memory for the count tables, e.g. 8G or 512M (default: half of RAM). Past it, rare phrases are pruned and the report states the error bound.")
    var maxMemory: String?

    @Option(name: .long, help: "Folder of YAML lexicon files (default: Lexicons/es here, else the lexicons installed beside the binary).")
    var lexicons: String?

    @Flag(name: .customLong("no-lexicons"), help: "Skip lexicon matching.")
    var noLexicons = false

    @Option(name: .customLong("agent-speaker"), help: "Speaker label of the agent in diarized exports (spk_0, SPEAKER_00…); repeat for several. Without it, the speaker who greets with the company's opening is the agent.")
    var agentSpeakers: [String] = []

    @Option(name: .long, help: "Force an input format instead of detecting it: text, jsonl, vtt or srt.")
    var format: String?

    func validate() throws {
        if let maxMemory, Self.bytes(maxMemory) == nil {
            throw ValidationError("--max-memory must be a size such as 8G, 512M or 1048576, not \(maxMemory).")
        }
        if noLexicons && lexicons != nil {
            throw ValidationError("--no-lexicons and --lexicons contradict each other; give one of them.")
        }
        if let format, InputFormat(rawValue: format) == nil {
            throw ValidationError("--format must be one of: \(InputFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
    }

    /// "8G", "512m", "1048576" → bytes.
    static func bytes(_ text: String) -> Int? {
        let units: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40]
        var digits = text.uppercased()
        if digits.hasSuffix("B") { digits.removeLast() }
        var multiplier = 1
        if let last = digits.last, let unit = units[last] { multiplier = unit; digits.removeLast() }
        guard let value = Double(digits), value > 0 else { return nil }
        return Int(value * Double(multiplier))
    }

    func apply(to configuration: inout PipelineConfiguration) {
        var lexiconDirectory = lexicons
        if lexiconDirectory == nil && !noLexicons {
            lexiconDirectory = DefaultLexicons.directory
            if lexiconDirectory == nil {
                configuration.setupWarnings.append("No lexicon folder was found (Lexicons/es here, or share/frasario/lexicons/es beside the binary): calls are counted without categories; pass --lexicons DIR, or --no-lexicons to say so.")
            }
        }
        configuration.threads = threads ?? ProcessInfo.processInfo.activeProcessorCount
        configuration.maxN = maxN
        configuration.lexiconDirectory = noLexicons ? nil : lexiconDirectory
        configuration.format = format.flatMap(InputFormat.init(rawValue:))
        configuration.maxMemory = maxMemory.flatMap(Self.bytes)
        configuration.agentSpeakers = agentSpeakers
    }
}

/// Ranking, history and output: shared by `run` and `merge`, so merged reports are a run's.
struct ReportingOptions: ParsableArguments {
    @Option(name: .long, help: "Folder for the reports (created if missing).")
    var out: String = "out"

    @Option(name: .customLong("min-count"), help: "Minimum occurrences for a phrase to be ranked.")
    var minCount: Int = 3

    @Option(name: .customLong("min-calls"), help: "Minimum number of different calls for a phrase to be ranked.")
    var minCalls: Int = 2

    @Option(name: .long, help: "Phrases kept per ranking in report.json and phrases.csv.")
    var top: Int = 50

    @Option(name: .long, help: "The night this run stands for, YYYY-MM-DD (default: the latest call date, else today).")
    var date: String?

    @Option(name: .long, help: "SQLite history to record the run in and compare it with (default: frasario.sqlite in the folder above --out).")
    var history: String?

    @Flag(name: .customLong("no-history"), help: "Neither record the run nor compute trends.")
    var noHistory = false

    @Flag(name: .long, help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
        if noHistory && history != nil { throw ValidationError("Give either --history or --no-history, not both.") }
    }

    func apply(to configuration: inout PipelineConfiguration) {
        configuration.outputDirectory = out
        configuration.rank = RankOptions(minCount: minCount, minCalls: minCalls, top: top)
        configuration.runDate = date
        configuration.historyPath = noHistory ? nil : (history ?? HistoryOptions.defaultPath(out: out))
    }

    /// The run's summary on stderr: accounting, timings, lexicon, history, warnings, files.
    func printSummary(_ outcome: RunOutcome, historyPath: String?) {
        guard !quiet else { return }
        let summary = outcome.result.summary
        let timings = outcome.timings
        var lines = [
            "frasario: \(summary.callsRead) calls read = \(summary.callsProcessed) processed + \(summary.callsRejected) rejected; \(summary.turns) turns, \(summary.tokens) words.",
            String(format: "frasario: %.2f s (read+count %.2f, merge %.2f, rank %.2f, report %.2f), %.1f MB/s, %.0f calls/s on %d threads.",
                   timings.totalSeconds, timings.readCountMatchSeconds, timings.mergeSeconds, timings.rankSeconds,
                   timings.reportSeconds, timings.megabytesPerSecond, timings.callsPerSecond, timings.threads),
        ]
        let categories = outcome.result.categories
        if !categories.isEmpty {
            let matched = categories.filter { $0.calls > 0 }.map { "\($0.category) \($0.calls)" }.joined(separator: ", ")
            lines.append("frasario: lexicon: \(categories.count) categories, \(categories.reduce(0) { $0 + $1.rules.count }) rules; calls per category: \(matched.isEmpty ? "none" : matched).")
        }
        for error in outcome.result.ruleErrors {
            lines.append("frasario: warning: rule \(error.category)/\(error.rule) hit the PCRE2 limit on \(error.turns) turn(s) (\(error.message)); simplify the pattern.")
        }
        if summary.callsRejected > 0 { lines.append("frasario: rejected records are listed in \(out)/rejects.csv.") }
        for warning in summary.warnings { lines.append("frasario: warning: \(warning)") }
        if let path = historyPath {
            let emerging = outcome.result.emerging.prefix(3).map { "«\($0.text)»" }.joined(separator: ", ")
            let compared = outcome.result.history?.previousDate.map { "compared with \(outcome.result.history!.baselineDates.count) earlier run(s), the last on \($0)" }
                ?? "the first run in it, so no trends yet"
            lines.append("frasario: run of \(summary.runDate) recorded in \(path); \(compared)\(emerging.isEmpty ? "" : "; emerging: \(emerging)").")
            if outcome.replacedNight {
                lines.append("frasario: note: the history already held \(summary.runDate); this run's figures replaced the earlier run's.")
            }
        }
        lines.append("frasario: reports in \(out)/: \(outcome.writtenFiles.map { ($0 as NSString).lastPathComponent }.joined(separator: ", ")).")
        StandardError.write((lines.joined(separator: "\n") + "\n"))
    }
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reads transcripts, counts phrases, matches lexicons and writes reports.",
        discussion: """
        INPUT is a file, a directory (read recursively: .txt, .jsonl, .ndjson, .json, .vtt, .srt) or - for standard input.
        Reports (report.json, phrases.csv, categories.csv, rejects.csv, report.md, report.html, digest.md,
        suggestions.yaml, timings.json) are written atomically to --out. The run is recorded in the history
        (default: frasario.sqlite in the folder above --out) and compared with earlier runs for trends.
        Exit status: 0 success, 1 fatal error, 2 usage error.
        """
    )

    @Argument(help: "Transcript files, directories, or - for standard input.")
    var inputs: [String] = []

    @OptionGroup var counting: CountingOptions
    @OptionGroup var reporting: ReportingOptions

    func validate() throws {
        if inputs.isEmpty { throw ValidationError("Give at least one input: a file, a directory, or - for standard input.") }
        do { try makeConfiguration().validate() } catch let error as PipelineError { throw ValidationError(error.description) }
    }

    func makeConfiguration() -> PipelineConfiguration {
        let showProgress = !reporting.quiet && isatty(STDERR_FILENO) == 1
        var configuration = PipelineConfiguration(inputs: inputs, outputDirectory: reporting.out,
                                                  progress: showProgress ? Self.progressLine : nil)
        counting.apply(to: &configuration)
        reporting.apply(to: &configuration)
        return configuration
    }

    static let progressLine: @Sendable (RunProgress) -> Void = { progress in
        let megabytes = Double(progress.bytesRead) / 1_000_000
        let line = String(format: "\r  %d llamadas leídas, %.1f MB, %.1f s", progress.callsRead, megabytes, progress.elapsedSeconds)
        StandardError.write(line)
    }

    func run() throws {
        let configuration = makeConfiguration()
        let outcome = try Pipeline.run(configuration)
        if configuration.progress != nil { StandardError.write("\r\u{1B}[K") }
        reporting.printSummary(outcome, historyPath: configuration.historyPath)
    }
}

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

    @Option(name: .long, help: "Force an input format: text, jsonl, vtt or srt.")
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

enum HistoryOptions {
    /// `frasario.sqlite` in the folder above `out`, so nightly folders (reports/2026-11-21/)
    /// share one history.
    static func defaultPath(out: String) -> String {
        let parent = (((out as NSString).standardizingPath) as NSString).deletingLastPathComponent
        return ((parent.isEmpty ? "." : parent) as NSString).appendingPathComponent("frasario.sqlite")
    }

    /// Opens an existing history; a missing file is an error, not a new empty history.
    static func open(_ path: String) throws -> HistoryStore {
        guard FileManager.default.fileExists(atPath: path) else {
            throw HistoryError.missing(path: path)
        }
        return try HistoryStore(path: path)
    }
}

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Lists the runs recorded in a history file, oldest first."
    )

    @Option(name: .long, help: "The SQLite history (default: frasario.sqlite in the folder above --out).")
    var history: String?

    @Option(name: .long, help: "The reports folder whose history to list.")
    var out: String = "out"

    func run() throws {
        let path = history ?? HistoryOptions.defaultPath(out: out)
        let runs = try HistoryOptions.open(path).recordedRuns()
        print("\(runs.count) run(s) in \(path)")
        guard !runs.isEmpty else { return }
        let header = ["date", "calls read", "processed", "rejected", "words", "phrases kept", "recorded at", "generator"]
        let rows = runs.map { [$0.date, "\($0.callsRead)", "\($0.callsProcessed)", "\($0.callsRejected)", "\($0.words)", "\($0.phrases)", $0.recordedAt, $0.generator] }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max()! }
        for row in [header] + rows {
            print(row.enumerated().map { index, cell in
                index == 0 || index >= 6 ? cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[index] - cell.count) + cell
            }.joined(separator: "  "))
        }
    }
}

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Writes a past night's reports again from the history, without the transcripts.",
        discussion: "Every report but timings.json is written as the run recorded it, atomically, into --out."
    )

    @Option(name: .long, help: "The SQLite history holding the night.")
    var history: String?

    @Option(name: .long, help: "The night to render, YYYY-MM-DD (see frasario history).")
    var date: String

    @Option(name: .long, help: "Folder for the reports (default: out/DATE).")
    var out: String?

    func validate() throws {
        if !RunDate.isValid(date) { throw ValidationError(RunDate.invalidMessage(date)) }
    }

    func run() throws {
        let out = self.out ?? "out/\(date)"
        let path = history ?? HistoryOptions.defaultPath(out: out)
        let stored = try HistoryOptions.open(path).storedReport(date: date)
        let written = try ReportWriter.rewrite(stored, to: out)
        StandardError.write("frasario: reports of \(date) from \(path) written to \(out)/: \(written.map { ($0 as NSString).lastPathComponent }.joined(separator: ", ")).\n")
    }
}

struct LexiconCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lexicon",
        abstract: "Tools for the QA analysts who write lexicon rules.",
        subcommands: [LexiconTest.self, LexiconLint.self, LexiconEval.self, LexiconSample.self, LexiconDiffCommand.self]
    )
}

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
                print("note: \(report.rulesWithoutNoMatchExamples.count) rule(s) have no no_match example: \(report.rulesWithoutNoMatchExamples.prefix(10).joined(separator: ", "))\(report.rulesWithoutNoMatchExamples.count > 10 ? ", …" : "")")
            }
            if !report.rulesWithoutMatchExamples.isEmpty {
                print("note: \(report.rulesWithoutMatchExamples.count) rule(s) have no match example: \(report.rulesWithoutMatchExamples.prefix(10).joined(separator: ", "))\(report.rulesWithoutMatchExamples.count > 10 ? ", …" : "")")
            }
        }
        print("lexicon: \(report.examples - report.failures.count) passed, \(report.failures.count) failed (\(report.examples) examples of \(report.rules) rules in \(lexicon.categories.count) files)")
        if !report.failures.isEmpty { throw ExitCode.failure }
    }
}

/// The lexicon folder QA tools use: --lexicons, else the default lexicons.
struct LexiconOption: ParsableArguments {
    @Option(name: .long, help: "Folder of YAML lexicon files (default: Lexicons/es here, else the lexicons installed beside the binary).")
    var lexicons: String = DefaultLexicons.directory ?? "Lexicons/es"
}

/// Writes `text` to `path` atomically, or to standard output when `path` is nil.
func emit(_ text: String, to path: String?) throws {
    guard let path else { print(text, terminator: ""); return }
    let url = URL(fileURLWithPath: path)
    try Data(text.utf8).write(to: url, options: .atomic)
}

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Shows one call as the pipeline sees it: each turn read, normalized, tokenized, and the rules it matched.",
        discussion: """
        Matched words are highlighted (in colour on a terminal, ⟦between marks⟧ otherwise). Rules whose
        pattern matched but whose unless: (or window:) vetoed the turn are listed as "almost".
        """
    )

    @Argument(help: "A transcript file (any format frasario run reads).")
    var file: String

    @Option(name: .long, help: "The call to explain (default: the first in the file).")
    var call: String?

    @OptionGroup var lexicon: LexiconOption

    @Option(name: .customLong("agent-speaker"), help: "Speaker label of the agent in diarized exports; repeatable.")
    var agentSpeakers: [String] = []

    @Option(name: .long, help: "Highlight matches: auto (colour on a terminal), always or never.")
    var color: String = "auto"

    func validate() throws {
        guard ["auto", "always", "never"].contains(color) else { throw ValidationError("--color must be auto, always or never, not \(color).") }
    }

    func run() throws {
        let result = try Workbench.explain(file: file, callID: call, lexiconDirectory: lexicon.lexicons, agentSpeakers: agentSpeakers)
        let useColor = color == "always" || (color == "auto" && isatty(STDOUT_FILENO) == 1)
        print(result.explanation.render(color: useColor), terminator: "")
        if call == nil && result.calls > 1 {
            print("(\(file) holds \(result.calls) calls; choose one with --call ID)")
        }
    }
}

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

struct LexiconEval: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Precision, recall and F1 of each rule and category against calls labelled by QA.",
        discussion: """
        LABELS.csv has the columns id, text and expected. text is one turn, or turns separated by " | ",
        each optionally "agente: …" or "cliente: …". expected lists the rule ids or categories the text
        should trigger, separated by ";" (empty: none). Only the rules and categories named in the file
        are scored, unless --all says the labels are exhaustive.
        """
    )

    @Argument(help: "The label file (CSV).")
    var labels: String

    @OptionGroup var lexicon: LexiconOption

    @Flag(name: .long, help: "Score every rule and category: an unlabelled match is a false positive.")
    var all = false

    @Option(name: .long, help: "Also write the scores as CSV to this file.")
    var csv: String?

    @Option(name: .customLong("show"), help: "False positives and negatives listed per rule or category.")
    var examplesShown: Int = 5

    func run() throws {
        let report = try Workbench.evaluate(labels: labels, lexiconDirectory: lexicon.lexicons, everything: all)
        func figure(_ value: Double?) -> String { value.map { String(format: "%.2f", $0) } ?? "  — " }
        print("\(report.rows) labelled calls; \(report.rules.count) rules and \(report.categories.count) categories scored.")
        print("")
        let width = max(24, (report.rules + report.categories).map(\.name.count).max() ?? 0)
        print("\("".padding(toLength: width, withPad: " ", startingAt: 0))    TP   FP   FN  precision  recall    F1")
        for score in report.categories + report.rules {
            let name = (score.level == .category ? score.name.uppercased() : score.name).padding(toLength: width, withPad: " ", startingAt: 0)
            print(String(format: "%@  %4d %4d %4d       %@    %@  %@", name, score.truePositives, score.falsePositives.count,
                         score.falseNegatives.count, figure(score.precision), figure(score.recall), figure(score.f1)))
        }
        for score in report.categories + report.rules where !score.falsePositives.isEmpty || !score.falseNegatives.isEmpty {
            print("")
            print("\(score.level.rawValue) \(score.name):")
            for miss in score.falsePositives.prefix(examplesShown) { print("  false positive \(miss.id): «\(miss.text)»") }
            for miss in score.falseNegatives.prefix(examplesShown) { print("  false negative \(miss.id): «\(miss.text)»") }
        }
        if let csv {
            var text = "level,name,true_positives,false_positives,false_negatives,precision,recall,f1\n"
            for score in report.categories + report.rules {
                text += "\(score.level.rawValue),\(score.name),\(score.truePositives),\(score.falsePositives.count),\(score.falseNegatives.count),\(score.precision.map { String($0) } ?? ""),\(score.recall.map { String($0) } ?? ""),\(score.f1.map { String($0) } ?? "")\n"
            }
            try emit(text, to: csv)
        }
    }
}

struct LexiconSample: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "A seeded random sample of a rule's matches, as a CSV to label and give to lexicon eval.",
        discussion: "The expected column is pre-filled with the rule: delete it where the match is wrong."
    )

    @Option(name: .long, help: "The rule id.")
    var rule: String

    @Option(name: .long, help: "How many matches to draw.")
    var n: Int = 50

    @Option(name: .long, help: "Seed of the draw: the same seed and inputs give the same sample.")
    var seed: UInt64 = 1

    @Option(name: .long, help: "Write the CSV here instead of standard output.")
    var out: String?

    @OptionGroup var lexicon: LexiconOption

    @Argument(help: "Transcript files or folders to draw from.")
    var inputs: [String]

    func validate() throws {
        if n < 1 { throw ValidationError("--n must be at least 1, not \(n).") }
        if inputs.isEmpty { throw ValidationError("Give the transcripts to draw from.") }
    }

    func run() throws {
        let result = try Workbench.sample(rule: rule, count: n, seed: seed, lexiconDirectory: lexicon.lexicons, inputs: inputs)
        try emit(result.csv, to: out)
        StandardError.write("frasario: \(result.sampled) of \(result.matches) matching calls sampled (of \(result.calls) calls read)\(out.map { " into \($0)" } ?? "").\n")
    }
}

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
        let moved = result.changes.filter { $0.status != .unchanged }
        print("\(result.calls) calls read; \(moved.count) rule(s) or categories change, \(result.changes.count - moved.count) stay the same.")
        for change in moved {
            let delta = change.callsAfter - change.callsBefore
            print("")
            print("\(change.level.rawValue) \(change.name) (\(change.status.rawValue)): \(change.callsBefore) → \(change.callsAfter) calls (\(delta >= 0 ? "+" : "")\(delta)), \(change.gained.count) gained, \(change.lost.count) lost")
            for example in change.gained.prefix(examplesShown) { print("  + \(example.callID): «\(example.text)»") }
            for example in change.lost.prefix(examplesShown) { print("  - \(example.callID): «\(example.text)»") }
        }
        if let csv { try emit(result.csv, to: csv) }
    }
}

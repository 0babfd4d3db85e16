import ArgumentParser
import Foundation
import Frasario

@main
struct FrasarioCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "frasario",
        abstract: "Turns Spanish contact-center transcripts into ranked phrase reports.",
        version: Pipeline.version,
        subcommands: [Run.self, HistoryCommand.self, ReportCommand.self, LexiconCommand.self]
    )

    /// Exit codes: 0 success, 1 a fatal error (one sentence on stderr), 2 a usage error.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as CleanExit {
            exit(withError: error)
        } catch let error as ExitCode {
            exit(withError: error)
        } catch let error as any FrasarioFailure {
            FileHandle.standardError.write(Data("frasario: \(error.description)\n".utf8))
            Foundation.exit(1)
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure || code.rawValue == 64 {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reads transcripts, counts phrases, matches lexicons and writes reports.",
        discussion: """
        INPUT is a file, a directory (read recursively: .txt, .jsonl, .ndjson, .json, .vtt, .srt) or - for standard input.
        Reports (report.json, phrases.csv, categories.csv, rejects.csv, report.md, report.html, digest.md,
        timings.json) are written atomically to --out. The run is recorded in the history (default:
        frasario.sqlite in the folder above --out) and compared with earlier runs for trends.
        Exit status: 0 success, 1 fatal error, 2 usage error.
        """
    )

    @Argument(help: "Transcript files, directories, or - for standard input.")
    var inputs: [String] = []

    @Option(name: .long, help: "Folder for the reports (created if missing).")
    var out: String = "out"

    @Option(name: .long, help: "Worker threads (default: all cores).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .customLong("max-n"), help: "Longest phrase counted, in words (1-8).")
    var maxN: Int = 5

    @Option(name: .customLong("min-count"), help: "Minimum occurrences for a phrase to be ranked.")
    var minCount: Int = 3

    @Option(name: .customLong("min-calls"), help: "Minimum number of different calls for a phrase to be ranked.")
    var minCalls: Int = 2

    @Option(name: .customLong("max-memory"), help: "Memory for the count tables, e.g. 8G or 512M (default: half of RAM). Past it, rare phrases are pruned and the report states the error bound.")
    var maxMemory: String?

    @Option(name: .long, help: "Phrases kept per ranking in report.json and phrases.csv.")
    var top: Int = 50

    @Option(name: .long, help: "Folder of YAML lexicon files (default: Lexicons/es when it exists).")
    var lexicons: String?

    @Flag(name: .customLong("no-lexicons"), help: "Skip lexicon matching.")
    var noLexicons = false

    @Option(name: .customLong("agent-speaker"), help: "Speaker label of the agent in diarized exports (spk_0, SPEAKER_00…); repeat for several. Without it, the speaker who greets with the company's opening is the agent.")
    var agentSpeakers: [String] = []

    @Option(name: .long, help: "Force an input format instead of detecting it: text, jsonl, vtt or srt.")
    var format: String?

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
        if inputs.isEmpty { throw ValidationError("Give at least one input: a file, a directory, or - for standard input.") }
        if let maxMemory, Self.bytes(maxMemory) == nil {
            throw ValidationError("--max-memory must be a size such as 8G, 512M or 1048576, not \(maxMemory).")
        }
        if let format, InputFormat(rawValue: format) == nil {
            throw ValidationError("--format must be one of: \(InputFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        do { try makeConfiguration().validate() } catch let error as PipelineError { throw ValidationError(error.description) }
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

    func makeConfiguration() -> PipelineConfiguration {
        let showProgress = !quiet && isatty(STDERR_FILENO) == 1
        let progress: @Sendable (RunProgress) -> Void = { progress in
            let megabytes = Double(progress.bytesRead) / 1_000_000
            let line = String(format: "\r  %d llamadas leídas, %.1f MB, %.1f s", progress.callsRead, megabytes, progress.elapsedSeconds)
            FileHandle.standardError.write(Data(line.utf8))
        }
        var lexiconDirectory = lexicons
        if lexiconDirectory == nil && FileManager.default.fileExists(atPath: "Lexicons/es") { lexiconDirectory = "Lexicons/es" }
        var configuration = PipelineConfiguration(
            inputs: inputs, outputDirectory: out, threads: threads, maxN: maxN,
            rank: RankOptions(minCount: minCount, minCalls: minCalls, top: top),
            lexiconDirectory: noLexicons ? nil : lexiconDirectory,
            format: format.flatMap(InputFormat.init(rawValue:)),
            progress: showProgress ? progress : nil)
        configuration.maxMemory = maxMemory.flatMap(Self.bytes)
        configuration.agentSpeakers = agentSpeakers
        configuration.runDate = date
        configuration.historyPath = noHistory ? nil : (history ?? HistoryOptions.defaultPath(out: out))
        return configuration
    }

    func run() throws {
        let configuration = makeConfiguration()
        let outcome = try Pipeline.run(configuration)
        if configuration.progress != nil { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
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
        if let path = configuration.historyPath {
            let emerging = outcome.result.emerging.prefix(3).map { "«\($0.text)»" }.joined(separator: ", ")
            let compared = outcome.result.history?.previousDate.map { "compared with \(outcome.result.history!.baselineDates.count) earlier run(s), the last on \($0)" }
                ?? "the first run in it, so no trends yet"
            lines.append("frasario: run of \(summary.runDate) recorded in \(path); \(compared)\(emerging.isEmpty ? "" : "; emerging: \(emerging)").")
        }
        lines.append("frasario: reports in \(out)/: \(outcome.writtenFiles.map { ($0 as NSString).lastPathComponent }.joined(separator: ", ")).")
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
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
            throw ValidationError("There is no history at \(path); give the file a run recorded with --history FILE.")
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
        if !RunDate.isValid(date) { throw ValidationError("--date must be a date such as 2026-11-21 (YYYY-MM-DD), not \(date).") }
    }

    func run() throws {
        let out = self.out ?? "out/\(date)"
        let path = history ?? HistoryOptions.defaultPath(out: out)
        let stored = try HistoryOptions.open(path).storedReport(date: date)
        let written = try ReportWriter.rewrite(stored, to: out)
        FileHandle.standardError.write(Data("frasario: reports of \(date) from \(path) written to \(out)/: \(written.map { ($0 as NSString).lastPathComponent }.joined(separator: ", ")).\n".utf8))
    }
}

struct LexiconCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lexicon",
        abstract: "Tools for the QA analysts who write lexicon rules.",
        subcommands: [LexiconTest.self]
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

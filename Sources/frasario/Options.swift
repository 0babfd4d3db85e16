import ArgumentParser
import Foundation
import Frasario

// The options `run`, `count` and `merge` share, so shards count and report as a run does.

/// How calls are read, counted and matched: shared by `run` and `count`, so shards are
/// counted exactly as a run counts.
struct CountingOptions: ParsableArguments {
    @Option(name: .long, help: "Worker threads (default: all cores).")
    var threads: Int?

    @Option(name: .customLong("max-n"), help: "Longest phrase counted, in words (1-8).")
    var maxN: Int = 5

    @Option(
        name: .customLong("max-memory"),
        help: "Memory for the count tables, e.g. 8G or 512M (default: half of RAM). Past it, rare phrases are pruned and the report states the error bound.")
    var maxMemory: String?

    @Option(
        name: .customLong("max-call-size"),
        help: "Most transcript text one call may hold, e.g. 2M or 500K (default: 2M, some 30 hours of speech). Larger calls are rejected with their size in rejects.csv.")
    var maxCallSize: String?

    @Option(name: .long, help: "Folder of YAML lexicon files (default: Lexicons/es here, else the lexicons installed beside the binary).")
    var lexicons: String?

    @Flag(name: .customLong("no-lexicons"), help: "Skip lexicon matching.")
    var noLexicons = false

    @Option(
        name: .customLong("agent-speaker"),
        help: "Speaker label of the agent in diarized exports (spk_0, SPEAKER_00…); repeat for several. Without it, the speaker who greets with the company's opening is the agent."
    )
    var agentSpeakers: [String] = []

    @Option(
        name: .long, help: "Force an input format instead of detecting it: text, jsonl, vtt, srt, or one engine's JSON documents: whisper, transcribe, contact-lens, ccai.",
        completion: .list(InputFormat.allCases.map(\.rawValue)))
    var format: String?

    func validate() throws {
        if let maxMemory, Self.bytes(maxMemory) == nil {
            throw ValidationError("--max-memory must be a size such as 8G, 512M or 1048576, not \(maxMemory).")
        }
        if let maxCallSize, Self.bytes(maxCallSize) == nil {
            throw ValidationError("--max-call-size must be a size such as 2M, 500K or 1048576, not \(maxCallSize).")
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
        guard let value = Double(digits), value > 0, value * Double(multiplier) < Double(1 << 62) else { return nil }
        return Int(value * Double(multiplier))
    }

    func apply(to configuration: inout PipelineConfiguration) {
        var lexiconDirectory = lexicons
        if lexiconDirectory == nil && !noLexicons {
            lexiconDirectory = DefaultLexicons.directory
            if lexiconDirectory == nil {
                configuration.setupWarnings.append(
                    "No lexicon folder was found (Lexicons/es here, or share/frasario/lexicons/es beside the binary): calls are counted without categories; pass --lexicons DIR, or --no-lexicons to say so."
                )
            }
        }
        configuration.threads = threads ?? ProcessInfo.processInfo.activeProcessorCount
        configuration.maxN = maxN
        configuration.lexiconDirectory = noLexicons ? nil : lexiconDirectory
        configuration.format = format.flatMap(InputFormat.init(rawValue:))
        configuration.maxMemory = maxMemory.flatMap(Self.bytes)
        if let size = maxCallSize.flatMap(Self.bytes) { configuration.callSizeLimit = CallSizeLimit(textBytes: size) }
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

    @Option(name: .long, help: "The night this run stands for, YYYY-MM-DD (default: the day with the most calls, else today).")
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
            String(
                format:
                    "frasario: %.2f s (read+count %.2f, longer phrases %.2f, merge %.2f, rank %.2f, report %.2f), %.1f MB/s, %.0f calls/s on %d threads.",
                timings.totalSeconds, timings.readCountMatchSeconds, timings.levelCountSeconds, timings.mergeSeconds, timings.rankSeconds,
                timings.reportSeconds, timings.megabytesPerSecond, timings.callsPerSecond, timings.threads),
        ]
        let categories = outcome.result.categories
        if !categories.isEmpty {
            let matched = categories.filter { $0.calls > 0 }.map { "\($0.category) \($0.calls)" }.joined(separator: ", ")
            lines.append(
                "frasario: lexicon: \(categories.count) categories, \(categories.reduce(0) { $0 + $1.rules.count }) rules; calls per category: \(matched.isEmpty ? "none" : matched)."
            )
        }
        for error in outcome.result.ruleErrors {
            lines.append("frasario: warning: rule \(error.category)/\(error.rule) hit the PCRE2 limit on \(error.turns) turn(s) (\(error.message)); simplify the pattern.")
        }
        if summary.callsRejected > 0 { lines.append("frasario: rejected records are listed in \(out)/rejects.csv.") }
        for warning in summary.warnings { lines.append("frasario: warning: \(warning)") }
        if let path = historyPath {
            let emerging = outcome.result.emerging.prefix(3).map { "«\($0.text)»" }.joined(separator: ", ")
            let compared =
                outcome.result.history?.previousDate.map { "compared with \(outcome.result.history!.baselineDates.count) earlier run(s), the last on \($0)" }
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

import ArgumentParser
import Foundation
import Frasario

@main
struct FrasarioCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "frasario",
        abstract: "Turns Spanish contact-center transcripts into ranked phrase reports.",
        version: Pipeline.version,
        subcommands: [Run.self, LexiconCommand.self]
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
        Reports (report.json, phrases.csv, categories.csv, rejects.csv, report.md, timings.json) are written
        atomically to --out. Exit status: 0 success, 1 fatal error, 2 usage error.
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

    @Flag(name: .long, help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
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
        lines.append("frasario: reports in \(out)/: \(outcome.writtenFiles.map { ($0 as NSString).lastPathComponent }.joined(separator: ", ")).")
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
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

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

    /// «  12345 llamadas leídas, 45.2 de 120.0 MB (37 %), 3.1 s, quedan ~5 s», rewritten in place.
    static let progressLine: @Sendable (RunProgress) -> Void = { progress in
        var line = String(format: "\r\u{1B}[K  %d llamadas leídas, %.1f", progress.callsRead, Double(progress.bytesRead) / 1_000_000)
        if let total = progress.totalBytes, let fraction = progress.fractionRead {
            line += String(format: " de %.1f MB (%.0f %%)", Double(total) / 1_000_000, fraction * 100)
        } else {
            line += " MB"
        }
        line += String(format: ", %.1f s", progress.elapsedSeconds)
        if let left = progress.secondsLeft { line += String(format: ", quedan ~%.0f s", left) }
        StandardError.write(line)
    }

    func run() throws {
        let configuration = makeConfiguration()
        let outcome = try Pipeline.run(configuration)
        if configuration.progress != nil { StandardError.write("\r\u{1B}[K") }
        reporting.printSummary(outcome, historyPath: configuration.historyPath)
    }
}

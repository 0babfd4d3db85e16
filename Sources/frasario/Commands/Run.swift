import ArgumentParser
import Foundation
import Frasario

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
        var configuration = PipelineConfiguration(
            inputs: inputs, outputDirectory: reporting.out,
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

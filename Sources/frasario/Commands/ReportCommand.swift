import ArgumentParser
import Foundation
import Frasario

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

import ArgumentParser
import Foundation
import Frasario

// `history` and `report`: the nights a history holds.

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

import ArgumentParser
import Foundation
import Frasario

enum HistoryOptions {
    /// `frasario.sqlite` in the folder above `out`, so nightly folders (reports/2026-11-21/)
    /// share one history.
    static func defaultPath(out: String) -> String {
        let parent = PathText.parent((out as NSString).standardizingPath)
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
            print(
                row.enumerated().map { index, cell in
                    index == 0 || index >= 6
                        ? cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
                        : String(repeating: " ", count: widths[index] - cell.count) + cell
                }.joined(separator: "  "))
        }
    }
}

import Foundation

/// Renders a `RunResult` into the report files and writes them atomically.
/// Every file but `timings.json` depends only on the result, so reruns are byte-identical.
public enum ReportWriter {
    /// Names of the files a run writes, in writing order.
    public static let fileNames = [
        "report.json", "phrases.csv", "categories.csv", "rejects.csv", "report.md", "report.html",
        "digest.md", "suggestions.yaml", "timings.json",
    ]

    /// Every report of `result`, as written by a run (all but `timings.json`).
    static func reports(_ result: RunResult, rejectsCSV: String) throws -> [(name: String, contents: Data)] {
        [
            ("report.json", try result.json()),
            ("phrases.csv", Data(phrasesCSV(result).utf8)),
            ("categories.csv", Data(CategoryReport.csv(result).utf8)),
            ("rejects.csv", Data(rejectsCSV.utf8)),
            ("report.md", Data(MarkdownReport.render(result).utf8)),
            ("report.html", Data(HTMLReport.render(result).utf8)),
            ("digest.md", Data(DigestReport.render(result).utf8)),
            ("suggestions.yaml", Data(SuggestionsFile.render(result).utf8)),
        ]
    }

    /// Writes a stored night's reports again, atomically; returns the files written.
    public static func rewrite(_ stored: StoredReport, to directory: String) throws -> [String] {
        try AtomicFiles.write(reports(stored.result, rejectsCSV: stored.rejectsCSV), to: directory)
    }

    /// - Parameter beforePublishing: runs once the reports are written and synced, before they
    ///   replace the previous ones (see `AtomicFiles.write`).
    static func write(
        _ result: RunResult, rejectsCSV: String, timings: inout RunTimings, to directory: String,
        finishing elapsed: () -> Double, beforePublishing: () throws -> Void = {}
    ) throws -> [String] {
        var files = try reports(result, rejectsCSV: rejectsCSV)
        timings.totalSeconds = elapsed()
        timings.reportSeconds = max(
            0, timings.totalSeconds - timings.readCountMatchSeconds - timings.levelCountSeconds - timings.mergeSeconds - timings.rankSeconds)
        let seconds = max(timings.totalSeconds, 1e-9)
        timings.megabytesPerSecond = (Double(timings.bytesRead) / 1_000_000 / seconds * 100).rounded() / 100
        timings.callsPerSecond = (Double(result.summary.callsRead) / seconds).rounded()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        files.append(("timings.json", try encoder.encode(timings)))
        return try AtomicFiles.write(files, to: directory, beforePublishing: beforePublishing)
    }

    /// Every ranking's rows, then the emerging phrases (ranking `emerging`, ranked by evidence).
    static func phrasesCSV(_ result: RunResult) -> String {
        var csv = CSV(
            header: [
                "ranking", "rank", "text", "n", "count", "calls", "share_of_calls",
                "customer_count", "customer_calls", "agent_count", "agent_calls", "unknown_count", "unknown_calls",
                "score", "cohesion", "keyness", "slot", "example_call_id", "example",
            ] + trendHeader)
        for (ranking, row) in result.phrases.map({ ($0.ranking.rawValue, $0) }) + result.emerging.map({ ("emerging", $0) }) {
            csv.append(
                [
                    ranking, "\(row.rank)", row.text, "\(row.n)", "\(row.count)", "\(row.calls)",
                    CSV.number(row.shareOfCalls),
                    "\(row.speakers.customer.count)", "\(row.speakers.customer.calls)",
                    "\(row.speakers.agent.count)", "\(row.speakers.agent.calls)",
                    "\(row.speakers.unknown.count)", "\(row.speakers.unknown.calls)",
                    CSV.number(row.score), row.cohesion.map(CSV.number) ?? "", row.keyness.map(CSV.number) ?? "",
                    row.slotSummary ?? "", row.examples.first?.callId ?? "", row.examples.first?.text ?? "",
                ] + trendFields(row.trend))
        }
        return csv.text
    }

    /// Trend columns shared by phrases.csv and categories.csv; empty without history.
    static let trendHeader = [
        "trend", "previous_calls", "change_vs_previous", "baseline_mean_calls", "baseline_share",
        "change_vs_baseline", "p_value", "steady_from_share", "steady_nights", "steady_p_value",
    ]

    static func trendFields(_ trend: Trend?) -> [String] {
        guard let trend else { return Array(repeating: "", count: trendHeader.count) }
        // An unknown figure is an empty cell, never 0.
        return [
            trend.direction.rawValue, trend.previousCalls.map(String.init) ?? "", trend.changeVsPrevious.map(CSV.number) ?? "",
            trend.baselineMeanCalls.map(CSV.number) ?? "", CSV.number(trend.baselineShare), CSV.number(trend.changeVsBaseline),
            CSV.number(trend.pValue), trend.steady.map { CSV.number($0.fromShare) } ?? "", trend.steady.map { "\($0.nights)" } ?? "",
            trend.steady.map { CSV.number($0.pValue) } ?? "",
        ]
    }

    static func rejectsCSV(_ rejects: [Reject]) -> String {
        var csv = CSV(header: ["source", "line", "reason"])
        for reject in rejects.sorted(by: { SourceLocation(file: $0.source, line: $0.line) < SourceLocation(file: $1.source, line: $1.line) }) {
            csv.append([reject.source, "\(reject.line)", reject.reason])
        }
        return csv.text
    }
}

/// RFC 4180 CSV: comma-separated, CRLF-free, fields quoted when they hold commas, quotes or newlines.
struct CSV {
    private(set) var text = ""

    init(header: [String]) { append(header) }

    mutating func append(_ fields: [String]) {
        text += fields.map(Self.escape).joined(separator: ",")
        text += "\n"
    }

    static func escape(_ field: String) -> String {
        let field = neutralized(field)
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A text field a spreadsheet would run as a formula (it starts with =, +, -, @, a tab or
    /// a carriage return: a call id, a file name, a transcript) gets a leading apostrophe, the
    /// OWASP rule; numbers («-0.05») stay numbers.
    static func neutralized(_ field: String) -> String {
        guard let first = field.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first), Double(field) == nil else { return field }
        return "'" + field
    }

    /// Numbers as JSON prints them, without a trailing `.0` on whole values.
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}

import Foundation
import GRDB

/// The run history: one SQLite file that every night's run adds its figures to, so trends
/// can be measured and past reports re-rendered without the transcripts.
///
/// Each run date is one row of `run` plus its phrase, category and rule figures. Recording a
/// date replaces that date's figures in a single transaction: re-running a night is
/// idempotent, and a run killed mid-way leaves the file as it was.
public final class HistoryStore {
    public let path: String
    private let database: DatabaseQueue

    /// Opens (creating when missing) and migrates the history at `path`.
    /// - Throws: `HistoryError` when the file cannot be opened, is not a history, or was
    ///   written by a newer frasario.
    public init(path: String) throws(HistoryError) {
        self.path = path
        do {
            let folder = PathText.parent(path)
            if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            var configuration = Configuration()
            // Two nightly jobs sharing one history wait for each other instead of failing.
            configuration.busyMode = .timeout(30)
            database = try DatabaseQueue(path: path, configuration: configuration)
            let migrator = Self.migrator
            if try database.read({ try migrator.hasBeenSuperseded($0) }) { throw HistoryError.newerSchema(path: path) }
            try migrator.migrate(database)
        } catch let error as HistoryError {
            throw error
        } catch {
            throw HistoryError.cannotOpen(path: path, reason: Self.reason(error))
        }
    }

    /// Schema versions, applied in order; a released migration is never edited, only followed.
    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: runs with phrase, category and rule figures") { db in
            try db.create(table: "run") { table in
                table.primaryKey("date", .text)
                table.column("recordedAt", .text).notNull()
                table.column("generator", .text).notNull()
                table.column("callsRead", .integer).notNull()
                table.column("callsProcessed", .integer).notNull()
                table.column("callsRejected", .integer).notNull()
                table.column("turns", .integer).notNull()
                table.column("words", .integer).notNull()
                /// The run's --min-calls: below it, a phrase was not kept.
                table.column("minCalls", .integer).notNull()
                /// The night's report.json, so `frasario report` re-renders it as it was.
                table.column("report", .blob).notNull()
                table.column("rejects", .text).notNull()
            }
            try db.create(table: "phrase") { table in
                table.column("date", .text).notNull().references("run", onDelete: .cascade)
                table.column("ranking", .text).notNull()
                /// The phrase as counted (lowercase, accents folded): its identity across runs.
                table.column("phrase", .text).notNull()
                table.column("display", .text).notNull()
                table.column("n", .integer).notNull()
                table.column("count", .integer).notNull()
                table.column("calls", .integer).notNull()
                table.primaryKey(["date", "ranking", "phrase"])
            }
            try db.create(table: "category") { table in
                table.column("date", .text).notNull().references("run", onDelete: .cascade)
                table.column("category", .text).notNull()
                table.column("calls", .integer).notNull()
                table.column("turns", .integer).notNull()
                table.primaryKey(["date", "category"])
            }
            try db.create(table: "rule") { table in
                table.column("date", .text).notNull().references("run", onDelete: .cascade)
                table.column("category", .text).notNull()
                table.column("rule", .text).notNull()
                table.column("calls", .integer).notNull()
                table.column("turns", .integer).notNull()
                table.primaryKey(["date", "category", "rule"])
            }
        }
        migrator.registerMigration("v2: every phrase's calls per night, exactly") { db in
            try db.create(table: "phraseCalls") { table in
                table.primaryKey("date", .text).references("run", onDelete: .cascade)
                /// Phrases said in fewer calls are not listed (1: every phrase is).
                table.column("floor", .integer).notNull()
                table.column("entries", .integer).notNull()
                table.column("rawLength", .integer).notNull()
                /// `NightPhraseCalls.encoded()`.
                table.column("figures", .blob).notNull()
            }
        }
        return migrator
    }

    /// Replaces the figures of `night.date` with `night`'s, in one transaction.
    /// - Returns: true when the history already held that date (its figures were replaced).
    @discardableResult
    func record(_ night: NightRecord) throws(HistoryError) -> Bool {
        do {
            return try database.write { db in
                let existed = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM run WHERE date = ?)", arguments: [night.date]) ?? false
                try db.execute(sql: "DELETE FROM run WHERE date = ?", arguments: [night.date])
                let summary = night.summary
                try db.execute(
                    sql: """
                        INSERT INTO run (date, recordedAt, generator, callsRead, callsProcessed, callsRejected, turns, words, minCalls, report, rejects)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        night.date, ISO8601DateFormatter().string(from: Date()), night.generator,
                        summary.callsRead, summary.callsProcessed, summary.callsRejected, summary.turns,
                        summary.tokens, night.minCalls, night.report, night.rejects,
                    ])
                let phrase = try db.makeStatement(sql: "INSERT INTO phrase VALUES (?, ?, ?, ?, ?, ?, ?)")
                for figure in night.phrases {
                    try phrase.execute(arguments: [
                        night.date, figure.ranking.rawValue, figure.phrase, figure.display,
                        figure.n, figure.count, figure.calls,
                    ])
                }
                if let calls = night.phraseCalls {
                    let stored = calls.encoded()
                    try db.execute(
                        sql: "INSERT INTO phraseCalls (date, floor, entries, rawLength, figures) VALUES (?, ?, ?, ?, ?)",
                        arguments: [night.date, calls.floor, calls.count, stored.rawLength, Data(stored.bytes)])
                }
                let category = try db.makeStatement(sql: "INSERT INTO category VALUES (?, ?, ?, ?)")
                let rule = try db.makeStatement(sql: "INSERT INTO rule VALUES (?, ?, ?, ?, ?)")
                for result in night.categories {
                    try category.execute(arguments: [night.date, result.category, result.calls, result.turns])
                    for ruleResult in result.rules {
                        try rule.execute(arguments: [night.date, result.category, ruleResult.id, ruleResult.calls, ruleResult.turns])
                    }
                }
                return existed
            }
        } catch {
            throw HistoryError.cannotWrite(path: path, reason: Self.reason(error))
        }
    }

    /// The figures of up to `runs` recorded dates before `date`, oldest first.
    func baseline(before date: String, runs: Int = 7, keptPerRanking: Int) throws(HistoryError) -> HistoryBaseline {
        do {
            return try database.read { db in
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT date, callsRead, callsProcessed, minCalls FROM run WHERE date < ? ORDER BY date DESC LIMIT ?
                        """, arguments: [date, runs]
                ).reversed()
                var baseline = HistoryBaseline(
                    runs: try rows.map {
                        try RunPoint(date: $0.value("date"), callsRead: $0.count("callsRead"), callsProcessed: $0.count("callsProcessed"))
                    })
                guard let oldest = baseline.runs.first?.date else { return baseline }
                let position = Dictionary(uniqueKeysWithValues: baseline.runs.enumerated().map { ($1.date, $0) })
                let width = baseline.runs.count
                let minCalls: [Int] = try rows.map { try $0.count("minCalls") }
                for row in try Row.fetchAll(
                    db,
                    sql: """
                        SELECT date, ranking, COUNT(*) AS kept, MIN(calls) AS fewest FROM phrase
                        WHERE date >= ? AND date < ? GROUP BY date, ranking
                        """, arguments: [oldest, date])
                {
                    guard let kind = try RankingKind(rawValue: row.value("ranking")), let index = try position[row.value("date")] else { continue }
                    // A full list was cut at its fewest calls; a shorter one at --min-calls.
                    let kept: Int = try row.count("kept"), fewest: Int = try row.count("fewest")
                    baseline.floors[kind, default: minCalls][index] = kept >= keptPerRanking ? max(fewest, minCalls[index]) : minCalls[index]
                }
                for kind in RankingKind.allCases where baseline.floors[kind] == nil { baseline.floors[kind] = minCalls }
                for row in try Row.fetchAll(
                    db, sql: "SELECT date, ranking, phrase, calls FROM phrase WHERE date >= ? AND date < ?",
                    arguments: [oldest, date])
                {
                    guard let kind = try RankingKind(rawValue: row.value("ranking")), let index = try position[row.value("date")] else { continue }
                    try baseline.phrases[kind, default: [:]][row.value("phrase"), default: Array(repeating: nil, count: width)][index] = row.count("calls")
                }
                baseline.phraseCalls = Array(repeating: nil, count: width)
                for row in try Row.fetchAll(
                    db, sql: "SELECT date, rawLength, figures FROM phraseCalls WHERE date >= ? AND date < ?",
                    arguments: [oldest, date])
                {
                    guard let index = try position[row.value("date")] else { continue }
                    let figures: Data = try row.value("figures")
                    // A table that does not decode is unknown, never zeros.
                    baseline.phraseCalls[index] = try NightPhraseCalls.decode([UInt8](figures), rawLength: row.count("rawLength"))
                }
                for row in try Row.fetchAll(
                    db, sql: "SELECT date, category, calls FROM category WHERE date >= ? AND date < ?",
                    arguments: [oldest, date])
                {
                    guard let index = try position[row.value("date")] else { continue }
                    try baseline.categories[row.value("category"), default: Array(repeating: 0, count: width)][index] = row.count("calls")
                }
                for row in try Row.fetchAll(
                    db, sql: "SELECT date, category, rule, calls FROM rule WHERE date >= ? AND date < ?",
                    arguments: [oldest, date])
                {
                    guard let index = try position[row.value("date")] else { continue }
                    let key = try HistoryBaseline.ruleKey(category: row.value("category"), rule: row.value("rule"))
                    try baseline.rules[key, default: Array(repeating: 0, count: width)][index] = row.count("calls")
                }
                return baseline
            }
        } catch {
            throw HistoryError.cannotRead(path: path, reason: Self.reason(error))
        }
    }

    /// Each rule's calls in the latest recorded run; nil when the history holds no run.
    func lastRunFigures() throws(HistoryError) -> LastRunFigures? {
        do {
            return try database.read { db in
                guard let run = try Row.fetchOne(db, sql: "SELECT date, callsProcessed FROM run ORDER BY date DESC LIMIT 1") else { return nil }
                var figures = try LastRunFigures(date: run.value("date"), callsProcessed: run.count("callsProcessed"), ruleCalls: [:])
                for row in try Row.fetchAll(db, sql: "SELECT category, rule, calls FROM rule WHERE date = ?", arguments: [figures.date]) {
                    try figures.ruleCalls[HistoryBaseline.ruleKey(category: row.value("category"), rule: row.value("rule"))] = row.count("calls")
                }
                return figures
            }
        } catch {
            throw HistoryError.cannotRead(path: path, reason: Self.reason(error))
        }
    }

    /// Every recorded run, oldest first.
    public func recordedRuns() throws(HistoryError) -> [RecordedRun] {
        do {
            return try database.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT date, recordedAt, generator, callsRead, callsProcessed, callsRejected, words,
                               (SELECT COUNT(*) FROM phrase WHERE phrase.date = run.date) AS phrases
                        FROM run ORDER BY date
                        """
                ).map {
                    try RecordedRun(
                        date: $0.value("date"), recordedAt: $0.value("recordedAt"), generator: $0.value("generator"),
                        callsRead: $0.count("callsRead"), callsProcessed: $0.count("callsProcessed"),
                        callsRejected: $0.count("callsRejected"), words: $0.count("words"), phrases: $0.count("phrases"))
                }
            }
        } catch {
            throw HistoryError.cannotRead(path: path, reason: Self.reason(error))
        }
    }

    /// The report and rejects recorded for `date`, exactly as that run wrote them.
    public func storedReport(date: String) throws(HistoryError) -> StoredReport {
        let row: Row?
        do {
            row = try database.read { try Row.fetchOne($0, sql: "SELECT report, rejects FROM run WHERE date = ?", arguments: [date]) }
        } catch {
            throw HistoryError.cannotRead(path: path, reason: Self.reason(error))
        }
        guard let row else { throw HistoryError.noRun(date: date, path: path, recorded: (try? recordedRuns().map(\.date)) ?? []) }
        do {
            let result = try RunResult.decode(try row.value("report"))
            return try StoredReport(result: result, rejectsCSV: row.value("rejects"))
        } catch {
            throw HistoryError.cannotRead(path: path, reason: "the report of \(date) cannot be decoded (\(error))")
        }
    }

    private static func reason(_ error: any Error) -> String {
        if let error = error as? DatabaseError { return error.message ?? "\(error)" }
        return "\(error)"
    }
}

/// A run as `frasario history` lists it.
public struct RecordedRun: Sendable, Equatable {
    public var date: String
    public var recordedAt: String
    public var generator: String
    public var callsRead: Int
    public var callsProcessed: Int
    public var callsRejected: Int
    public var words: Int
    /// Phrases kept for trends (up to 1,000 per ranking).
    public var phrases: Int
}

/// A night's reports as recorded: enough to write every report again.
public struct StoredReport: Sendable {
    public var result: RunResult
    public var rejectsCSV: String
}

/// One run's figures, as `HistoryStore.record` keeps them.
struct NightRecord {
    var date: String
    var generator: String
    var summary: RunSummary
    var minCalls: Int
    var phrases: [PhraseFigure]
    /// Every phrase's calls, for exact trends later; nil records none (unknown later).
    var phraseCalls: NightPhraseCalls?
    var categories: [CategoryResult]
    /// The run's report.json bytes.
    var report: Data
    var rejects: String
}

/// A phrase's figures in one ranking of one run.
struct PhraseFigure: Sendable {
    var ranking: RankingKind
    /// Lowercase, accent-folded: the phrase's identity across runs.
    var phrase: String
    var display: String
    var n: Int
    var count: Int
    var calls: Int
}

/// Calls per earlier run (oldest first, aligned with `runs`) of everything the history kept.
struct HistoryBaseline {
    var runs: [RunPoint]
    /// Calls per run; nil where that run did not keep the phrase (below its floor).
    var phrases: [RankingKind: [String: [Int?]]] = [:]
    /// Per ranking and run, the fewest calls a phrase needed to be kept.
    var floors: [RankingKind: [Int]] = [:]
    /// Per run, every phrase's calls (nil for runs recorded before they were kept).
    var phraseCalls: [NightPhraseCalls?] = []
    var categories: [String: [Int]] = [:]
    /// Keyed by `ruleKey(category:rule:)`.
    var rules: [String: [Int]] = [:]

    static func ruleKey(category: String, rule: String) -> String { category + "/" + rule }

    /// A phrase's calls per run in `kind`'s view, with each run's floor: from the night's
    /// exact table where there is one (0 when absent from a complete table), else from the
    /// phrases that run kept (nil, unknown, when it did not keep this one).
    /// - Parameter listable: for a phrase longer than a night counted, whether a range of its
    ///   words would have been listed had it been said (see `NightPhraseCalls.figure`).
    func calls(
        of identity: String, in kind: RankingKind, listable: (Range<Int>) -> Bool = { _ in false }
    ) -> (calls: [Int?], floors: [Int]) {
        let kept = phrases[kind]?[identity]
        let keptFloors = floors[kind] ?? Array(repeating: 0, count: runs.count)
        let view = NightPhraseCalls.view(of: kind)
        var calls: [Int?] = [], nightFloors: [Int] = []
        for index in runs.indices {
            if index < phraseCalls.count, let table = phraseCalls[index] {
                let figure = table.figure(ofPhrase: identity, view: view, listable: listable)
                calls.append(figure.calls ?? kept?[index])
                // Unknown: the floor is one more than the most it can have had (every call of
                // the night when nothing bounds it).
                nightFloors.append(figure.calls == nil ? (figure.most ?? runs[index].callsProcessed) + 1 : table.floor)
            } else {
                calls.append(kept?[index] ?? nil)
                nightFloors.append(index < keptFloors.count ? keptFloors[index] : 0)
            }
        }
        return (calls, nightFloors)
    }
}

/// Failures of the history file; each description is one sentence naming the file.
public enum HistoryError: FrasarioFailure {
    case cannotOpen(path: String, reason: String)
    case newerSchema(path: String)
    case cannotWrite(path: String, reason: String)
    case cannotRead(path: String, reason: String)
    case noRun(date: String, path: String, recorded: [String])
    case missing(path: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            return "Cannot open the history \(path): \(reason) (use --history to choose another file, or --no-history)."
        case .newerSchema(let path):
            return "The history \(path) was written by a newer frasario; upgrade frasario or use another --history file."
        case .cannotWrite(let path, let reason):
            return "Cannot record the run in the history \(path): \(reason); the history was left as it was."
        case .cannotRead(let path, let reason):
            return "Cannot read the history \(path): \(reason)."
        case .missing(let path):
            return "There is no history at \(path); give the file of a run recorded with --history FILE (or --out DIR of that run)."
        case .noRun(let date, let path, let recorded):
            let known = recorded.isEmpty ? "it holds no runs yet" : "recorded dates: \(recorded.suffix(10).joined(separator: ", "))"
            return "The history \(path) has no run dated \(date) (\(known))."
        }
    }
}

/// A history that holds something other than what frasario wrote in a column (a damaged or
/// hand-edited file): named, so the run stops with one sentence instead of a trap.
struct HistoryValueError: Error, CustomStringConvertible {
    var column: String
    var found: String
    var description: String { "the column \(column) holds \(found), not a figure frasario wrote" }
}

extension Row {
    /// The value of `column`, or a thrown error when it is not of the type (GRDB's subscript
    /// would stop the process).
    fileprivate func value<Value: DatabaseValueConvertible>(_ column: String) throws -> Value {
        do {
            return try decode(Value.self, forColumn: column)
        } catch {
            throw HistoryValueError(column: column, found: "\(self[column] as DatabaseValue)")
        }
    }

    /// A count (calls, words, lengths): a whole number from 0 to 2⁴⁰, so sums cannot overflow.
    fileprivate func count(_ column: String) throws -> Int {
        let value: Int = try self.value(column)
        guard (0...(1 << 40)).contains(value) else { throw HistoryValueError(column: column, found: "\(value)") }
        return value
    }
}

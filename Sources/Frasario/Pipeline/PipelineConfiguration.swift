import Foundation

/// A validated description of one run. The CLI builds it from flags; tests build it directly.
public struct PipelineConfiguration: Sendable {
    /// Files, directories (walked recursively) or `-` for standard input.
    public var inputs: [String]
    /// Where reports are written (created when missing).
    public var outputDirectory: String
    /// Worker threads for parsing, normalizing, counting and matching.
    public var threads: Int
    /// Longest n-gram counted.
    public var maxN: Int
    public var rank: RankOptions
    /// Folder of YAML lexicon files; nil runs without lexicon matching.
    public var lexiconDirectory: String?
    /// Forces one input format instead of detecting it.
    public var format: InputFormat?
    /// Speaker labels of diarized exports (`spk_0`, `SPEAKER_00`, a name) that are the agent;
    /// other labelled speakers are customers. Empty: the agent is recognised by its greeting.
    public var agentSpeakers: [String] = []
    /// `count`: buckets a partial's n-grams are split into, so that as many tasks can merge
    /// the partials side by side (`frasario merge --bucket`); 1 for a merge by one process.
    public var partialBuckets = 1
    /// Memory the count tables may use in all; past it they prune rare n-grams (Lossy Counting)
    /// and the report states the error bound. Nil: half of physical memory.
    public var maxMemory: Int?
    /// How large one call may be; larger calls are rejected with their size (see `CallSizeLimit`).
    public var callSizeLimit = CallSizeLimit.standard
    /// A night of fewer words keeps every n-gram said, even once, so its history is exact for
    /// every phrase; a larger night keeps the n-grams longer than a pair said at least twice
    /// (see `CountTable.keptMinimumCount`). About 1,500 ten-minute calls.
    public var everyPhraseBelowWords = 1_000_000
    /// Runs a pattern only on turns holding a literal it needs (same results, much faster).
    /// Off only to test the fast path against the naive loop.
    public var lexiconFastPath = true
    /// The SQLite history this run is recorded in and compared with; nil keeps no history.
    public var historyPath: String?
    /// The night this run stands for (YYYY-MM-DD); nil takes the day with the most calls, else today.
    public var runDate: String?
    /// For `merge`: warnings of the step that listed the inputs and split them into shards
    /// (files skipped in directories), reported first as a run over the directories would.
    public var listingWarnings: [String] = []
    /// Warnings the command line found before the run (no lexicon folder found…), carried
    /// into the report's warnings.
    public var setupWarnings: [String] = []
    /// Called after each batch with the running totals (for a progress line).
    public var progress: (@Sendable (RunProgress) -> Void)?

    public init(
        inputs: [String], outputDirectory: String, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
        maxN: Int = 5, rank: RankOptions = RankOptions(), lexiconDirectory: String? = nil,
        format: InputFormat? = nil, progress: (@Sendable (RunProgress) -> Void)? = nil
    ) {
        self.inputs = inputs
        self.outputDirectory = outputDirectory
        self.threads = threads
        self.maxN = maxN
        self.rank = rank
        self.lexiconDirectory = lexiconDirectory
        self.format = format
        self.progress = progress
    }

    /// Checks the figures a user can get wrong; the message is a whole sentence.
    public func validate() throws {
        guard !inputs.isEmpty else { throw PipelineError.invalidOption("Give at least one input: a file, a directory, or - for standard input.") }
        guard (1...256).contains(threads) else { throw PipelineError.invalidOption("--threads must be between 1 and 256, not \(threads).") }
        guard (1...NGramKey.maxLength).contains(maxN) else {
            throw PipelineError.invalidOption("--max-n must be between 1 and \(NGramKey.maxLength), not \(maxN).")
        }
        guard rank.minCount >= 1 else { throw PipelineError.invalidOption("--min-count must be at least 1, not \(rank.minCount).") }
        guard rank.minCalls >= 1 else { throw PipelineError.invalidOption("--min-calls must be at least 1, not \(rank.minCalls).") }
        if let maxMemory, maxMemory < 1 << 20 {
            throw PipelineError.invalidOption("--max-memory must be at least 1M, not \(maxMemory) bytes.")
        }
        guard callSizeLimit.textBytes >= 1 << 10 else {
            throw PipelineError.invalidOption("--max-call-size must be at least 1K, not \(callSizeLimit.textBytes) bytes.")
        }
        guard rank.top >= 1 else { throw PipelineError.invalidOption("--top must be at least 1, not \(rank.top).") }
        if let runDate, !RunDate.isValid(runDate) {
            throw PipelineError.invalidOption(RunDate.invalidMessage(runDate))
        }
    }
}

/// Running totals reported while a run reads its inputs.
public struct RunProgress: Sendable {
    public var callsRead: Int
    public var bytesRead: Int
    public var elapsedSeconds: Double
    /// Bytes of all the inputs, when every one is a regular file (not standard input).
    public var totalBytes: Int?

    /// Share of the input read, 0...1, when the total is known.
    public var fractionRead: Double? {
        guard let totalBytes, totalBytes > 0 else { return nil }
        return min(1, Double(bytesRead) / Double(totalBytes))
    }

    /// Seconds left at the pace so far, once enough is read to judge the pace.
    public var secondsLeft: Double? {
        guard let fraction = fractionRead, fraction >= 0.01, elapsedSeconds >= 1 else { return nil }
        return elapsedSeconds * (1 - fraction) / fraction
    }
}

/// What `frasario count` did.
public struct PartialOutcome: Sendable {
    public var callsRead: Int
    public var callsRejected: Int
    /// Distinct n-grams written.
    public var ngrams: Int
    public var bytesRead: Int
    public var partialBytes: Int
    public var seconds: Double
}

/// What `Pipeline.run` hands back to its caller.
public struct RunOutcome: Sendable {
    public var result: RunResult
    public var timings: RunTimings
    /// Every file written, in the order they were written.
    public var writtenFiles: [String]
    /// True when the history already held this night and its figures were replaced.
    public var replacedNight = false
}

/// Run dates are ISO calendar days, so they sort as text in the history.
public enum RunDate {
    public static func isValid(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { return false }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = DateComponents(year: year, month: month, day: day)
        return components.isValidDate(in: calendar) && year >= 1900
    }

    /// The sentence that refuses a malformed `--date`.
    public static func invalidMessage(_ text: String) -> String {
        "--date must be a date such as 2026-11-21 (YYYY-MM-DD), not \(text)."
    }

    /// The calendar day at the start of a call date such as `2026-11-20T21:04:00Z`, if it has one.
    static func day(of callDate: String) -> String? {
        let day = String(callDate.prefix(10))
        return isValid(day) ? day : nil
    }

    /// The night a batch of calls belongs to: the calendar day with the most calls (the
    /// latest on a tie), so one mistyped date («2062-11-21») cannot key a whole night. Nil
    /// when no call has a date.
    static func night(of callsByDate: [String: Int]) -> (day: String, calls: Int, days: Int)? {
        var byDay: [String: Int] = [:]
        for (date, calls) in callsByDate {
            guard let day = day(of: date) else { continue }
            byDay[day, default: 0] += calls
        }
        guard let best = byDay.max(by: { $0.value != $1.value ? $0.value < $1.value : $0.key < $1.key }) else { return nil }
        return (best.key, best.value, byDay.count)
    }

    /// Today in UTC, as YYYY-MM-DD.
    static var today: String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: Date())
    }
}

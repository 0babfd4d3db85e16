import Foundation

/// One worker's state: its normalizer, count table, snippet spool and running figures.
/// Each call is normalized, counted and quoted in a single pass, turn by turn.
final class CallProcessor: @unchecked Sendable {
    // SAFETY: a processor is used by one worker at a time; the pipeline hands worker `w`
    // only processor `w`, and reads it only after all workers have finished.
    var normalizer = Normalizer()
    var turn = NormalizedTurn()
    private var spoolText: [UInt8] = []
    private var verbatimText: [UInt8] = []
    var counts: CountTable
    let spool: SnippetSpool
    /// The counted turns as token ids, for level-wise counting (nil when every n-gram length
    /// is counted at once).
    let tokenRecord: TokenRecordFile?
    var summary = RunSummary()
    /// Calls processed per call date (as written in the input).
    var dates: [String: Int] = [:]
    /// Time spent in each stage, in nanoseconds of the monotonic clock.
    var stageNanoseconds = StageNanoseconds()
    let matcher: LexiconMatcher?
    var tally: LexiconTally
    private let categoryOfRule: [Int]

    init(
        index: Int, maxN: Int, memoryBudget: Int?, levelwise: Bool, spoolDirectory: URL, lexicon: Lexicon?,
        prefilter: LexiconPrefilter?
    ) throws {
        counts = CountTable(maxN: maxN, memoryBudget: memoryBudget, levelwise: levelwise)
        spool = try SnippetSpool(index: index, directory: spoolDirectory)
        tokenRecord = levelwise ? try TokenRecordFile(index: index, directory: spoolDirectory) : nil
        let lexicon = lexicon ?? .empty
        matcher = lexicon.rules.isEmpty ? nil : LexiconMatcher(lexicon: lexicon, prefilter: prefilter)
        tally = LexiconTally(ruleCount: lexicon.rules.count, categoryCount: lexicon.categories.count)
        categoryOfRule = LexiconTally.categoryOfRule(lexicon)
    }

    /// Normalizes, counts and matches `call`, the `ordinal`-th call accepted from the input.
    func process(_ call: Call, ordinal: Int) {
        spool.beginCall(ordinal: ordinal)
        counts.beginCall()
        matcher?.beginCall(call)
        summary.callsProcessed += 1
        if let date = call.date { dates[date, default: 0] += 1 }
        // The worker's state is passed in place for the whole call: inside, the hot loop works
        // on locals (no exclusivity check, retain or copy per turn).
        Self.processTurns(
            of: call, normalizer: &normalizer, turn: &turn, counts: &counts, summary: &summary, spoolText: &spoolText,
            verbatimText: &verbatimText, spool: spool, matcher: matcher, stages: &stageNanoseconds)
        if let tokenRecord, counts.tokenRecord.count >= 1 << 18 { flushTokenRecord(to: tokenRecord) }
        if let matcher {
            tally.add(
                callID: call.id, hits: matcher.endCall(), errors: matcher.limitErrors,
                untimedWindows: matcher.untimedWindowRules, lexicon: matcher.lexicon, categoryOfRule: categoryOfRule)
        }
    }

    /// Writes the token ids recorded so far to the worker's record file.
    func flushTokenRecord() {
        if let tokenRecord { flushTokenRecord(to: tokenRecord) }
    }

    private func flushTokenRecord(to file: TokenRecordFile) {
        file.append(counts.tokenRecord)
        counts.tokenRecord.removeAll(keepingCapacity: true)
    }

    private static func processTurns(
        of call: Call, normalizer: inout Normalizer, turn: inout NormalizedTurn, counts: inout CountTable,
        summary: inout RunSummary, spoolText: inout [UInt8], verbatimText: inout [UInt8], spool: SnippetSpool,
        matcher: LexiconMatcher?, stages: inout StageNanoseconds
    ) {
        var bySpeaker = summary.tokensBySpeaker ?? SpeakerFigures()
        defer { summary.tokensBySpeaker = bySpeaker }
        for (index, source) in call.turns.enumerated() {
            let started = StageNanoseconds.now()
            normalizer.normalize(source.text, into: &turn)
            let normalized = StageNanoseconds.now()
            stages.normalize &+= normalized &- started
            summary.turns += 1
            switch source.speaker {
            case .customer:
                summary.turnsBySpeaker.customer += 1
                bySpeaker.customer += turn.tokenCount
            case .agent:
                summary.turnsBySpeaker.agent += 1
                bySpeaker.agent += turn.tokenCount
            case .unknown:
                summary.turnsBySpeaker.unknown += 1
                bySpeaker.unknown += turn.tokenCount
            }
            if turn.isQuestion && source.speaker != .agent { summary.customerQuestionTurns += 1 }
            summary.tokens += turn.tokenCount
            for kind in PIIMask.allCases where turn.maskCounts[kind.rawValue] > 0 {
                summary.piiMasked.add(kind, turn.maskCounts[kind.rawValue])
            }
            guard turn.tokenCount > 0 else { continue }
            spoolText.removeAll(keepingCapacity: true)
            SpoolText.append(turn, to: &spoolText)
            verbatimText.removeAll(keepingCapacity: true)
            SpoolText.appendVerbatim(turn, to: &verbatimText)
            let snippet = spool.append(
                callID: call.id, speaker: source.speaker, isQuestion: turn.isQuestion, text: spoolText,
                verbatim: verbatimText)
            let spooled = StageNanoseconds.now()
            counts.add(turn, speaker: source.speaker)
            let counted = StageNanoseconds.now()
            stages.spool &+= spooled &- normalized
            stages.count &+= counted &- spooled
            if let matcher {
                matcher.match(turn: turn, index: index, source: source, snippet: snippet)
                stages.lexicon &+= StageNanoseconds.now() &- counted
            }
        }
    }
}

/// A worker's running stage times: four clock reads a turn (about 0.1 µs), so the figures of
/// `timings.json` cost nothing a run would notice.
struct StageNanoseconds {
    var normalize: UInt64 = 0
    var count: UInt64 = 0
    var lexicon: UInt64 = 0
    var spool: UInt64 = 0

    @inline(__always)
    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    var seconds: StageSeconds {
        var seconds = StageSeconds()
        seconds.normalize = Double(normalize) / 1e9
        seconds.count = Double(count) / 1e9
        seconds.lexicon = Double(lexicon) / 1e9
        seconds.spool = Double(spool) / 1e9
        return seconds
    }
}

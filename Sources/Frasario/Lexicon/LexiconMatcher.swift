import Foundation

/// What one rule found in one call.
struct RuleCallHit {
    var rule: Int
    /// Turns of the call that matched (for `all:` rules, turns that matched any of its patterns).
    var turns: Int
    /// The first matching turn, for quoting.
    var example: RuleTurnMatch
}

/// One turn that matched a rule: where to quote it from and what was said.
struct RuleTurnMatch {
    /// Index of the turn in its call.
    var turn: Int
    var snippet: SnippetReference
    var tokenStart: Int
    var tokenCount: Int
    /// The matched words as displayed (accents kept, PII masked).
    var text: String
    /// Who said it: labelled turns quote better than unlabelled ones.
    var speaker: Speaker
}

/// What a rule did on one turn, kept when the matcher is asked to explain itself (`explain`):
/// the pattern that matched and where, and whether the match counts.
struct RuleTurnOutcome {
    enum Verdict: Equatable {
        /// The match counts for the rule.
        case counted
        /// An `unless:` pattern (its index) matched too, at `range`.
        case vetoed(pattern: Int, range: Range<Int>)
        /// The turn is outside the rule's `window:`.
        case outsideWindow
    }
    var rule: Int
    /// Index of the matching pattern in `patterns + all`.
    var pattern: Int
    /// Folded byte range of the match in the turn.
    var range: Range<Int>
    var verdict: Verdict
}

/// Matches lexicon rules against one call at a time, turn by turn, inside the same pass as
/// counting. One per worker: it owns the PCRE2 scratch and the per-call state.
final class LexiconMatcher {
    let lexicon: Lexicon
    private let scratch: PCRE2Scratch
    // Per-call state, reset by `beginCall`.
    private var turnCount = 0
    private var callStart = 0.0
    private var callEnd = 0.0
    private var hasTimes = false
    private var hitTurns: [Int]
    private var firstMatch: [RuleTurnMatch?]
    /// For `all:` rules: for each pattern, the turn indices where it matched.
    private var allPatternTurns: [[[Int]]]
    private var touched: [Int] = []
    /// Byte ranges of the current turn's sentences in its folded text.
    private var sentenceBytes: [Range<Int>] = []
    /// Turns where a rule ran into the PCRE2 limits, by rule, with the first message seen.
    private(set) var limitErrors: [(rule: Int, message: String)] = []
    /// Rules of the current call that matched a turn without a time their seconds-only window
    /// could not place (so they were not applied there).
    private(set) var untimedWindowRules: [Int] = []
    /// When true, `turnOutcomes` holds what every rule did on the last turn matched, near
    /// misses included (matches vetoed or outside their window): the matcher explains itself.
    var recordsOutcomes = false
    /// When true, a turn without a time is inside every seconds-only window: for rule
    /// examples and labelled texts, which are excerpts with no times and no place in a call.
    var excerptsFitWindows = false
    private(set) var turnOutcomes: [RuleTurnOutcome] = []

    /// Nil runs every pattern on every turn (the naive loop, kept to test the fast path against).
    private let prefilter: LexiconPrefilter?
    /// `activeStamp[pattern] == turnStamp` when the current turn holds one of the pattern's literals.
    private var activeStamp: [UInt32]
    private var turnStamp: UInt32 = 0
    /// Rules worth evaluating on the current turn, and the stamp that deduplicates them.
    private var candidates: [Int] = []
    private var candidateStamp: [UInt32]
    private let allRules: [Int]
    private let speakers: [RuleSpeaker]
    /// The `never:` rules, and per call the first turn of each speaker (by `Speaker` raw
    /// value): what a `never:` rule judges, and what it quotes when it holds.
    private let negatedRules: [Int]
    private var firstTurns: [RuleTurnMatch?] = [nil, nil, nil]

    init(lexicon: Lexicon, prefilter: LexiconPrefilter?, limits: PCRE2Limits = PCRE2Limits()) {
        self.lexicon = lexicon
        self.prefilter = prefilter
        activeStamp = Array(repeating: 0, count: prefilter?.patternCount ?? 0)
        candidateStamp = Array(repeating: 0, count: lexicon.rules.count)
        allRules = Array(lexicon.rules.indices)
        speakers = lexicon.rules.map(\.turnSpeaker)
        negatedRules = lexicon.rules.indices.filter { lexicon.rules[$0].negated }
        scratch = PCRE2Scratch(limits: limits)
        hitTurns = Array(repeating: 0, count: lexicon.rules.count)
        firstMatch = Array(repeating: nil, count: lexicon.rules.count)
        allPatternTurns = lexicon.rules.map { Array(repeating: [], count: $0.all.count) }
    }

    func beginCall(_ call: Call) {
        for rule in touched {
            hitTurns[rule] = 0
            firstMatch[rule] = nil
            for index in allPatternTurns[rule].indices { allPatternTurns[rule][index].removeAll(keepingCapacity: true) }
        }
        touched.removeAll(keepingCapacity: true)
        limitErrors.removeAll(keepingCapacity: true)
        untimedWindowRules.removeAll(keepingCapacity: true)
        firstTurns = [nil, nil, nil]
        turnCount = call.turns.count
        hasTimes = call.hasTimes
        callStart = call.turns.compactMap(\.start).min() ?? 0
        callEnd = call.turns.map { $0.end ?? $0.start ?? 0 }.max() ?? 0
    }

    private enum WindowVerdict { case inside, outside, untimed }

    /// Whether turn `index` is inside `window`: by seconds when the call has times, by the
    /// window's `turns:` otherwise; a window without `turns:` cannot say for a turn without a
    /// time (`untimed`: the rule is not applied there, and the run counts the calls).
    private func inWindow(_ window: RuleWindow, index: Int, turn source: Turn) -> WindowVerdict {
        if hasTimes, let start = source.start {
            switch window.edge {
            case .first: return start < callStart + window.seconds ? .inside : .outside
            case .last: return (source.end ?? start) > callEnd - window.seconds ? .inside : .outside
            }
        }
        guard let turns = window.turns else { return excerptsFitWindows ? .inside : .untimed }
        switch window.edge {
        case .first: return index < turns ? .inside : .outside
        case .last: return index >= turnCount - turns ? .inside : .outside
        }
    }

    /// Runs every rule that applies to this turn.
    func match(turn: NormalizedTurn, index: Int, source: Turn, snippet: SnippetReference) {
        turnOutcomes.removeAll(keepingCapacity: true)
        guard turn.tokenCount > 0 else { return }
        if !negatedRules.isEmpty && firstTurns[source.speaker.rawValue] == nil {
            firstTurns[source.speaker.rawValue] = RuleTurnMatch(
                turn: index, snippet: snippet, tokenStart: 0, tokenCount: 0, text: "", speaker: source.speaker)
        }
        // Patterns see one sentence at a time, so "…incidencia no. Quiero hablar con un supervisor"
        // never reads as "no quiero hablar con un supervisor". Unpunctuated ASR text is one sentence.
        sentenceBytes.removeAll(keepingCapacity: true)
        for sentence in turn.sentences {
            sentenceBytes.append(turn.foldedTokens[sentence.lowerBound].lowerBound..<turn.foldedTokens[sentence.upperBound - 1].upperBound)
        }
        turn.folded.withUnsafeBufferPointer { subject in
            // The fast path: one literal scan picks the rules that can match this turn.
            if let prefilter {
                turnStamp &+= 1
                if turnStamp == 0 {
                    for index in activeStamp.indices { activeStamp[index] = 0 }
                    for index in candidateStamp.indices { candidateStamp[index] = 0 }
                    turnStamp = 1
                }
                let stamp = turnStamp
                // The stamps and candidates are moved out of the matcher for the scan, so that
                // each literal found writes to locals (no exclusivity check per write).
                var active: [UInt32] = [], stamped: [UInt32] = [], found: [Int] = []
                swap(&active, &activeStamp)
                swap(&stamped, &candidateStamp)
                swap(&found, &candidates)
                found.removeAll(keepingCapacity: true)
                found.append(contentsOf: prefilter.alwaysRunRules)
                for rule in prefilter.alwaysRunRules { stamped[rule] = stamp }
                prefilter.scanner.scan(subject) { literal in
                    for pattern in prefilter.literalPatterns[literal] {
                        active[pattern] = stamp
                        let rule = prefilter.patternRule[pattern]
                        if stamped[rule] != stamp {
                            stamped[rule] = stamp
                            found.append(rule)
                        }
                    }
                }
                swap(&active, &activeStamp)
                swap(&stamped, &candidateStamp)
                swap(&found, &candidates)
            }
            for ruleIndex in prefilter == nil ? allRules : candidates where speakers[ruleIndex].accepts(source.speaker) {
                let rule = lexicon.rules[ruleIndex]
                let window = rule.window.map { inWindow($0, index: index, turn: source) } ?? .inside
                if window == .outside && !recordsOutcomes { continue }
                var firstRange: Range<Int>?
                var firstPattern = 0
                var matchedAll: UInt64 = 0
                if rule.isCallLevel {
                    for (patternIndex, pattern) in rule.all.enumerated() {
                        guard mayMatch(ruleIndex, rule.patterns.count + patternIndex) else { continue }
                        if patternIndex < rule.allSpeakers.count, let stepSpeaker = rule.allSpeakers[patternIndex],
                            !stepSpeaker.accepts(source.speaker)
                        {
                            continue
                        }
                        if let range = run(pattern, subject, rule: ruleIndex) {
                            matchedAll |= 1 << UInt64(patternIndex)
                            if firstRange == nil { (firstRange, firstPattern) = (range, rule.patterns.count + patternIndex) }
                        }
                    }
                } else {
                    // Sentence by sentence: an `unless` vetoes a match in its own sentence only
                    // («No quiero dar de baja el seguro. Quiero dar de baja la línea.» counts).
                    var vetoed: (pattern: Int, range: Range<Int>, veto: (pattern: Int, range: Range<Int>))?
                    patterns: for (patternIndex, pattern) in rule.patterns.enumerated() where mayMatch(ruleIndex, patternIndex) {
                        for sentence in sentenceBytes {
                            let outcome =
                                rule.notIn.isEmpty
                                ? run(pattern, subject, sentence: sentence, rule: ruleIndex)
                                : run(pattern, outside: rule.notIn, subject, sentence: sentence, rule: ruleIndex)
                            switch outcome {
                            case .match(let range):
                                if let veto = veto(rule, subject, sentence: sentence, rule: ruleIndex) {
                                    if vetoed == nil { vetoed = (patternIndex, range, veto) }
                                    continue
                                }
                                (firstRange, firstPattern) = (range, patternIndex)
                                break patterns
                            case .noMatch: continue
                            case .limitExceeded: continue patterns
                            }
                        }
                    }
                    if firstRange == nil, let vetoed {
                        if recordsOutcomes {
                            turnOutcomes.append(
                                RuleTurnOutcome(
                                    rule: ruleIndex, pattern: vetoed.pattern, range: vetoed.range,
                                    verdict: .vetoed(pattern: vetoed.veto.pattern, range: vetoed.veto.range)))
                        }
                        continue
                    }
                }
                guard let range = firstRange else { continue }
                // A call-level rule's `unless` reads the whole turn (its patterns do too).
                if rule.isCallLevel, let veto = veto(rule, subject, rule: ruleIndex) {
                    if recordsOutcomes {
                        turnOutcomes.append(RuleTurnOutcome(rule: ruleIndex, pattern: firstPattern, range: range, verdict: .vetoed(pattern: veto.pattern, range: veto.range)))
                    }
                    continue
                }
                guard window == .inside else {
                    // A match a seconds-only window could not place: the run says in how many calls.
                    if window == .untimed && !untimedWindowRules.contains(ruleIndex) { untimedWindowRules.append(ruleIndex) }
                    if recordsOutcomes {
                        turnOutcomes.append(RuleTurnOutcome(rule: ruleIndex, pattern: firstPattern, range: range, verdict: .outsideWindow))
                    }
                    continue
                }
                for patternIndex in rule.all.indices where matchedAll & (1 << UInt64(patternIndex)) != 0 {
                    allPatternTurns[ruleIndex][patternIndex].append(index)
                }
                if recordsOutcomes { turnOutcomes.append(RuleTurnOutcome(rule: ruleIndex, pattern: firstPattern, range: range, verdict: .counted)) }
                record(ruleIndex, range: range, turn: turn, index: index, speaker: source.speaker, snippet: snippet)
            }
        }
    }

    /// False when the fast path proved the turn lacks every literal the pattern needs.
    @inline(__always)
    private func mayMatch(_ rule: Int, _ patternIndex: Int) -> Bool {
        guard let prefilter else { return true }
        let pattern = prefilter.patternBase[rule] + patternIndex
        return prefilter.alwaysRun[pattern] || activeStamp[pattern] == turnStamp
    }

    /// The first match of `pattern` in any sentence of the turn, as a byte range of the turn.
    private func run(_ pattern: PCRE2Regex, _ subject: UnsafeBufferPointer<UInt8>, rule: Int) -> Range<Int>? {
        for sentence in sentenceBytes {
            switch run(pattern, subject, sentence: sentence, rule: rule) {
            case .match(let range): return range
            case .noMatch: continue
            case .limitExceeded: return nil
            }
        }
        return nil
    }

    /// The first match of `pattern` in one sentence (bytes of the turn), as a range of the
    /// turn; a limit error is recorded for the rule.
    private func run(_ pattern: PCRE2Regex, _ subject: UnsafeBufferPointer<UInt8>, sentence: Range<Int>, rule: Int) -> PCRE2MatchOutcome {
        let outcome = pattern.firstMatch(in: UnsafeBufferPointer(rebasing: subject[sentence]), using: scratch)
        switch outcome {
        case .match(let range): return .match((range.lowerBound + sentence.lowerBound)..<(range.upperBound + sentence.lowerBound))
        case .noMatch: return .noMatch
        case .limitExceeded(let message):
            limitErrors.append((rule, message))
            return outcome
        }
    }

    /// The first match of `pattern` in `sentence` that does not lie inside a match of one of
    /// `notIn` (`not_in:`, per occurrence).
    private func run(
        _ pattern: PCRE2Regex, outside notIn: [PCRE2Regex], _ subject: UnsafeBufferPointer<UInt8>, sentence: Range<Int>, rule: Int
    ) -> PCRE2MatchOutcome {
        let text = UnsafeBufferPointer(rebasing: subject[sentence])
        var excluded: [Range<Int>] = []
        for phrase in notIn {
            var offset = 0
            while offset <= text.count {
                switch phrase.firstMatch(in: text, from: offset, using: scratch) {
                case .match(let range):
                    excluded.append(range)
                    offset = range.isEmpty ? range.upperBound + 1 : range.upperBound
                    while offset < text.count && text[offset] & 0xC0 == 0x80 { offset += 1 }
                case .noMatch: offset = text.count + 1
                case .limitExceeded(let message):
                    limitErrors.append((rule, message))
                    return .limitExceeded(message)
                }
            }
        }
        var offset = 0
        while offset <= text.count {
            switch pattern.firstMatch(in: text, from: offset, using: scratch) {
            case .match(let range):
                if !excluded.contains(where: { $0.lowerBound <= range.lowerBound && range.upperBound <= $0.upperBound }) {
                    return .match((range.lowerBound + sentence.lowerBound)..<(range.upperBound + sentence.lowerBound))
                }
                // The next occurrence starts at a later character (never inside one).
                offset = range.lowerBound + 1
                while offset < text.count && text[offset] & 0xC0 == 0x80 { offset += 1 }
            case .noMatch: return .noMatch
            case .limitExceeded(let message):
                limitErrors.append((rule, message))
                return .limitExceeded(message)
            }
        }
        return .noMatch
    }

    /// The first `unless:` pattern that matches in `sentence`, and where.
    private func veto(_ rule: LexiconRule, _ subject: UnsafeBufferPointer<UInt8>, sentence: Range<Int>, rule index: Int) -> (pattern: Int, range: Range<Int>)? {
        for (patternIndex, pattern) in rule.unless.enumerated() {
            if case .match(let range) = run(pattern, subject, sentence: sentence, rule: index) { return (patternIndex, range) }
        }
        return nil
    }

    /// The first `unless:` pattern that matches the turn, and where.
    private func veto(_ rule: LexiconRule, _ subject: UnsafeBufferPointer<UInt8>, rule index: Int) -> (pattern: Int, range: Range<Int>)? {
        for (patternIndex, pattern) in rule.unless.enumerated() {
            if let range = run(pattern, subject, rule: index) { return (patternIndex, range) }
        }
        return nil
    }

    private func record(_ rule: Int, range: Range<Int>, turn: NormalizedTurn, index: Int, speaker: Speaker, snippet: SnippetReference) {
        if hitTurns[rule] == 0 { touched.append(rule) }
        hitTurns[rule] += 1
        guard firstMatch[rule] == nil else { return }
        // Map the folded byte range to whole tokens, and quote them in their displayed form.
        var first = 0
        while first < turn.tokenCount - 1 && turn.foldedTokens[first].upperBound <= range.lowerBound { first += 1 }
        var last = first
        while last + 1 < turn.tokenCount && turn.foldedTokens[last + 1].lowerBound < range.upperBound { last += 1 }
        let text = String(decoding: turn.display[turn.displayTokens[first].lowerBound..<turn.displayTokens[last].upperBound], as: UTF8.self)
        firstMatch[rule] = RuleTurnMatch(turn: index, snippet: snippet, tokenStart: first, tokenCount: last - first + 1, text: text, speaker: speaker)
    }

    /// The rules this call satisfies, once every turn has been matched.
    func endCall() -> [RuleCallHit] {
        var hits: [RuleCallHit] = []
        for ruleIndex in touched.sorted() {
            let rule = lexicon.rules[ruleIndex]
            guard hitTurns[ruleIndex] >= rule.minHits, let example = firstMatch[ruleIndex] else { continue }
            if rule.isCallLevel && !allSatisfied(ruleIndex, inOrder: rule.inOrder) { continue }
            if rule.negated { continue }  // said: a `never:` rule does not hold
            hits.append(RuleCallHit(rule: ruleIndex, turns: hitTurns[ruleIndex], example: example))
        }
        for ruleIndex in negatedRules where hitTurns[ruleIndex] == 0 {
            // Judged on the turns the rule reads: a call without any holds nothing.
            let speaker = lexicon.rules[ruleIndex].speaker
            let judged = Speaker.allCases.compactMap { speaker.accepts($0) ? firstTurns[$0.rawValue] : nil }.min { $0.turn < $1.turn }
            guard let first = judged else { continue }
            hits.append(RuleCallHit(rule: ruleIndex, turns: 0, example: first))
        }
        if !negatedRules.isEmpty { hits.sort { $0.rule < $1.rule } }
        return hits
    }

    /// Every `all:` pattern matched some turn; with `in_order`, at non-decreasing turn positions.
    private func allSatisfied(_ rule: Int, inOrder: Bool) -> Bool {
        let lists = allPatternTurns[rule]
        guard lists.allSatisfy({ !$0.isEmpty }) else { return false }
        guard inOrder else { return true }
        var position = 0
        for turns in lists {
            guard let next = turns.first(where: { $0 >= position }) else { return false }
            position = next
        }
        return true
    }
}

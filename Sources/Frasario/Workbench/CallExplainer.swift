import Foundation

/// `frasario explain`: one call, turn by turn, as the pipeline sees it, so a QA analyst can
/// tell why a rule fired or stayed silent.
public struct CallExplanation: Sendable {
    /// A rule's pattern matching a turn: the words it matched, in the displayed text.
    public struct RuleMatch: Sendable, Equatable {
        public var category: String
        public var rule: String
        public var label: String
        /// The displayed turn split around the matched words.
        public var before: String
        public var matched: String
        public var after: String
        /// Why the match does not count: the `unless` pattern that vetoed it (and the words it
        /// matched), or the rule's window. Nil for a match that counts.
        public var vetoedBy: String?
        /// For a call-level rule, which of its `all:` patterns this turn matched ("all: 1 of 2").
        public var part: String?
    }

    public struct TurnExplanation: Sendable {
        public var index: Int
        public var speaker: Speaker
        public var start: Double?
        /// The turn as read from the file.
        public var read: String
        /// Lowercase, punctuation out, PII masked: what reports quote.
        public var normalized: String
        public var tokens: [String]
        public var sentences: Int
        public var isQuestion: Bool
        public var matches: [RuleMatch]
        public var nearMisses: [RuleMatch]
    }

    public var callID: String
    public var source: String
    public var turns: [TurnExplanation]
    /// Rules the call counts for, as `category/rule`.
    public var rulesForCall: [String]
    /// Rules that matched some turn but not the call (min_hits, all:, in_order), with why.
    public var turnOnlyRules: [String]
}

enum CallExplainer {
    static func explain(_ call: Call, lexicon: Lexicon) -> CallExplanation {
        let evaluation = LexiconEvaluator(lexicon).evaluate(call)
        let scratch = PCRE2Scratch()
        let categoryOfRule = LexiconTally.categoryOfRule(lexicon)
        var turns: [CallExplanation.TurnExplanation] = []
        var rulesMatchingTurns = Set<Int>()
        for (index, (source, turn)) in zip(call.turns, evaluation.turns).enumerated() {
            var explanation = CallExplanation.TurnExplanation(
                index: index + 1, speaker: source.speaker, start: source.start, read: source.text, normalized: turn.displayText,
                tokens: turn.displayTokens.map { String(decoding: turn.display[$0], as: UTF8.self) },
                sentences: turn.sentences.count, isQuestion: turn.isQuestion, matches: [], nearMisses: [])
            let sentences = turn.sentences.map { turn.foldedTokens[$0.lowerBound].lowerBound..<turn.foldedTokens[$0.upperBound - 1].upperBound }
            for (ruleIndex, rule) in lexicon.rules.enumerated() where rule.speaker.accepts(source.speaker) {
                let candidates = rule.patterns + rule.all
                guard let (patternIndex, range) = candidates.enumerated().lazy
                    .compactMap({ index, pattern in firstMatch(pattern, turn, sentences, scratch).map { (index, $0) } }).first else { continue }
                var match = quote(range, in: turn, rule: rule, category: lexicon.categories[categoryOfRule[ruleIndex]].name)
                if rule.isCallLevel { match.part = "all: \(patternIndex - rule.patterns.count + 1) of \(rule.all.count)" }
                if let veto = rule.unless.lazy.compactMap({ pattern in firstMatch(pattern, turn, sentences, scratch).map { (pattern, $0) } }).first {
                    let words = quote(veto.1, in: turn, rule: rule, category: match.category).matched
                    match.vetoedBy = "unless '\(veto.0.pattern)' matched «\(words)»"
                    explanation.nearMisses.append(match)
                } else if let window = rule.window, !inWindow(window, index: index, call: call) {
                    match.vetoedBy = "outside its window (\(window.edge.rawValue) \(call.hasTimes ? "\(Int(window.seconds)) s" : "\(window.turns) turns"))"
                    explanation.nearMisses.append(match)
                } else {
                    explanation.matches.append(match)
                    rulesMatchingTurns.insert(ruleIndex)
                }
            }
            turns.append(explanation)
        }
        let satisfied = evaluation.matchedRules
        let name = { (rule: Int) in "\(lexicon.categories[categoryOfRule[rule]].name)/\(lexicon.rules[rule].id)" }
        let turnOnly = rulesMatchingTurns.subtracting(satisfied).sorted().map { ruleIndex -> String in
            let rule = lexicon.rules[ruleIndex]
            let why = rule.isCallLevel ? "needs all of its \(rule.all.count) patterns\(rule.inOrder ? " in order" : "")" : "needs \(rule.minHits) matching turns"
            return "\(name(ruleIndex)): \(why)"
        }
        return CallExplanation(callID: call.id, source: call.source.description, turns: turns,
                               rulesForCall: satisfied.sorted().map(name), turnOnlyRules: turnOnly)
    }

    static func firstMatch(_ pattern: PCRE2Regex, _ turn: NormalizedTurn, _ sentences: [Range<Int>], _ scratch: borrowing PCRE2Scratch) -> Range<Int>? {
        turn.folded.withUnsafeBufferPointer { subject in
            for sentence in sentences {
                if case .match(let range) = pattern.firstMatch(in: UnsafeBufferPointer(rebasing: subject[sentence]), using: scratch) {
                    return (range.lowerBound + sentence.lowerBound)..<(range.upperBound + sentence.lowerBound)
                }
            }
            return nil
        }
    }

    /// The folded byte range as whole displayed tokens.
    static func quote(_ range: Range<Int>, in turn: NormalizedTurn, rule: LexiconRule, category: String) -> CallExplanation.RuleMatch {
        var first = 0
        while first < turn.tokenCount - 1 && turn.foldedTokens[first].upperBound <= range.lowerBound { first += 1 }
        var last = first
        while last + 1 < turn.tokenCount && turn.foldedTokens[last + 1].lowerBound < range.upperBound { last += 1 }
        let display = turn.display
        let lower = turn.displayTokens[first].lowerBound, upper = turn.displayTokens[last].upperBound
        return CallExplanation.RuleMatch(category: category, rule: rule.id, label: rule.label,
                                         before: String(decoding: display[..<lower], as: UTF8.self),
                                         matched: String(decoding: display[lower..<upper], as: UTF8.self),
                                         after: String(decoding: display[upper...], as: UTF8.self))
    }

    static func inWindow(_ window: RuleWindow, index: Int, call: Call) -> Bool {
        let turn = call.turns[index]
        if call.hasTimes, let start = turn.start {
            let callStart = call.turns.compactMap(\.start).min() ?? 0
            let callEnd = call.turns.map { $0.end ?? $0.start ?? 0 }.max() ?? 0
            switch window.edge {
            case .first: return start < callStart + window.seconds
            case .last: return (turn.end ?? start) > callEnd - window.seconds
            }
        }
        switch window.edge {
        case .first: return index < window.turns
        case .last: return index >= call.turns.count - window.turns
        }
    }
}

extension CallExplanation {
    /// The explanation as text; `color` highlights matches with ANSI escapes (a terminal),
    /// otherwise they are marked ⟦like this⟧.
    public func render(color: Bool) -> String {
        let (open, close) = color ? ("\u{1B}[1;30;43m", "\u{1B}[0m") : ("⟦", "⟧")
        let (dim, plain) = color ? ("\u{1B}[2m", "\u{1B}[0m") : ("", "")
        var lines = ["call \(callID) (\(source)), \(turns.count) turns", ""]
        for turn in turns {
            let time = turn.start.map { String(format: " at %.1f s", $0) } ?? ""
            lines.append("turn \(turn.index) · \(turn.speaker == .agent ? "agente" : turn.speaker == .customer ? "cliente" : "sin etiqueta")\(time)")
            lines.append("  read:        \(turn.read)")
            lines.append("  normalized:  \(turn.normalized)")
            lines.append("  tokens:      \(dim)\(turn.tokens.joined(separator: " · "))\(plain)")
            lines.append("  question:    \(turn.isQuestion ? "yes" : "no")\(turn.sentences > 1 ? " (\(turn.sentences) sentences)" : "")")
            for match in turn.matches {
                let part = match.part.map { " (\($0))" } ?? ""
                lines.append("  matches:     \(match.category)/\(match.rule)\(part) «\(match.before)\(open)\(match.matched)\(close)\(match.after)»")
            }
            for miss in turn.nearMisses {
                lines.append("  almost:      \(miss.category)/\(miss.rule) «\(miss.before)\(open)\(miss.matched)\(close)\(miss.after)», but \(miss.vetoedBy ?? "")")
            }
            lines.append("")
        }
        lines.append("rules the call counts for: \(rulesForCall.isEmpty ? "none" : rulesForCall.joined(separator: ", "))")
        for rule in turnOnlyRules { lines.append("matched turns but not the call: \(rule)") }
        return lines.joined(separator: "\n") + "\n"
    }
}

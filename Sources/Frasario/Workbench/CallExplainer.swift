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
        /// The token each sentence after the first starts at: patterns never match across them.
        public var sentenceStarts: [Int] = []
        public var isQuestion: Bool
        public var matches: [RuleMatch]
        public var nearMisses: [RuleMatch]
        /// Rules that ran into the PCRE2 match or depth limit on this turn (`category/rule: message`).
        public var limitErrors: [String] = []
    }

    public var callID: String
    public var source: String
    public var turns: [TurnExplanation]
    /// Rules the call counts for, as `category/rule`.
    public var rulesForCall: [String]
    /// Rules that matched some turn but not the call (min_hits, all:, in_order), with why.
    public var turnOnlyRules: [String]
}

/// Explains a call with the matcher a run uses (`LexiconMatcher`, asked to record what each
/// rule did on each turn), so `explain` can never disagree with a night's figures.
enum CallExplainer {
    static func explain(_ call: Call, lexicon: Lexicon) -> CallExplanation {
        let matcher = LexiconMatcher(lexicon: lexicon, prefilter: nil)
        matcher.recordsOutcomes = true
        matcher.beginCall(call)
        var normalizer = Normalizer()
        let categoryOfRule = LexiconTally.categoryOfRule(lexicon)
        var turns: [CallExplanation.TurnExplanation] = []
        var rulesMatchingTurns = Set<Int>()
        var errorsSeen = 0
        for (index, source) in call.turns.enumerated() {
            var turn = NormalizedTurn()
            normalizer.normalize(source.text, into: &turn)
            matcher.match(turn: turn, index: index, source: source, snippet: SnippetReference(spool: 0, offset: 0))
            var explanation = CallExplanation.TurnExplanation(
                index: index + 1, speaker: source.speaker, start: source.start, read: source.text, normalized: turn.displayText,
                tokens: turn.displayTokens.map { String(decoding: turn.display[$0], as: UTF8.self) },
                sentences: turn.sentences.count, sentenceStarts: turn.sentences.dropFirst().map(\.lowerBound),
                isQuestion: turn.isQuestion, matches: [], nearMisses: [])
            for outcome in matcher.turnOutcomes {
                let rule = lexicon.rules[outcome.rule]
                var match = quote(outcome.range, in: turn, rule: rule, category: lexicon.categories[categoryOfRule[outcome.rule]].name)
                if rule.isCallLevel { match.part = "all: \(outcome.pattern - rule.patterns.count + 1) of \(rule.all.count)" }
                switch outcome.verdict {
                case .counted:
                    explanation.matches.append(match)
                    rulesMatchingTurns.insert(outcome.rule)
                case .vetoed(let pattern, let range):
                    let words = quote(range, in: turn, rule: rule, category: match.category).matched
                    match.vetoedBy = "unless '\(rule.unless[pattern].pattern)' matched «\(words)»"
                    explanation.nearMisses.append(match)
                case .outsideWindow:
                    if let window = rule.window {
                        match.vetoedBy = "outside its window (\(window.edge.rawValue) \(call.hasTimes ? "\(Int(window.seconds)) s" : "\(window.turns) turns"))"
                    }
                    explanation.nearMisses.append(match)
                }
            }
            // A rule that hit the PCRE2 limits on this turn: its figure in a run is short by it.
            for error in matcher.limitErrors.dropFirst(errorsSeen) {
                let rule = lexicon.rules[error.rule]
                explanation.limitErrors.append("\(lexicon.categories[categoryOfRule[error.rule]].name)/\(rule.id): \(error.message)")
            }
            errorsSeen = matcher.limitErrors.count
            turns.append(explanation)
        }
        let satisfied = Set(matcher.endCall().map(\.rule))
        let name = { (rule: Int) in "\(lexicon.categories[categoryOfRule[rule]].name)/\(lexicon.rules[rule].id)" }
        let turnOnly = rulesMatchingTurns.subtracting(satisfied).sorted().map { ruleIndex -> String in
            let rule = lexicon.rules[ruleIndex]
            let why = rule.isCallLevel ? "needs all of its \(rule.all.count) patterns\(rule.inOrder ? " in order" : "")" : "needs \(rule.minHits) matching turns"
            return "\(name(ruleIndex)): \(why)"
        }
        return CallExplanation(
            callID: call.id, source: call.source.description, turns: turns,
            rulesForCall: satisfied.sorted().map(name), turnOnlyRules: turnOnly)
    }

    /// The folded byte range as whole displayed tokens.
    static func quote(_ range: Range<Int>, in turn: NormalizedTurn, rule: LexiconRule, category: String) -> CallExplanation.RuleMatch {
        var first = 0
        while first < turn.tokenCount - 1 && turn.foldedTokens[first].upperBound <= range.lowerBound { first += 1 }
        var last = first
        while last + 1 < turn.tokenCount && turn.foldedTokens[last + 1].lowerBound < range.upperBound { last += 1 }
        let display = turn.display
        let lower = turn.displayTokens[first].lowerBound, upper = turn.displayTokens[last].upperBound
        return CallExplanation.RuleMatch(
            category: category, rule: rule.id, label: rule.label,
            before: String(decoding: display[..<lower], as: UTF8.self),
            matched: String(decoding: display[lower..<upper], as: UTF8.self),
            after: String(decoding: display[upper...], as: UTF8.self))
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
            // Sentences are split by « ‖ »: patterns read one sentence at a time.
            var tokenLine = ""
            for (position, token) in turn.tokens.enumerated() {
                if position > 0 { tokenLine += turn.sentenceStarts.contains(position) ? " ‖ " : " · " }
                tokenLine += token
            }
            lines.append("  tokens:      \(dim)\(tokenLine)\(plain)")
            lines.append(
                "  question:    \(turn.isQuestion ? "yes" : "no")\(turn.sentences > 1 ? " (\(turn.sentences) sentences, split at ‖; patterns read one at a time)" : "")")
            for match in turn.matches {
                let part = match.part.map { " (\($0))" } ?? ""
                lines.append("  matches:     \(match.category)/\(match.rule)\(part) «\(match.before)\(open)\(match.matched)\(close)\(match.after)»")
            }
            for miss in turn.nearMisses {
                lines.append("  almost:      \(miss.category)/\(miss.rule) «\(miss.before)\(open)\(miss.matched)\(close)\(miss.after)», but \(miss.vetoedBy ?? "")")
            }
            for error in turn.limitErrors { lines.append("  limit:       \(error) (the rule is not counted on this turn)") }
            lines.append("")
        }
        lines.append("rules the call counts for: \(rulesForCall.isEmpty ? "none" : rulesForCall.joined(separator: ", "))")
        for rule in turnOnlyRules { lines.append("matched turns but not the call: \(rule)") }
        return lines.joined(separator: "\n") + "\n"
    }
}

import Foundation

/// Mergeable lexicon figures of a worker (and, merged, of the run).
struct LexiconTally: Sendable, Codable {
    var ruleCalls: [Int]
    var ruleTurns: [Int]
    var ruleErrors: [Int]
    var ruleErrorMessages: [String?]
    var ruleErrorCalls: [String?]
    var categoryCalls: [Int]
    var matchedTexts: [[String: Int]]
    var examples: [ExampleSlots]
    /// Calls a rule was not applied to because its window is in seconds and they had no times.
    var ruleUntimedWindowCalls: [Int]

    init(ruleCount: Int, categoryCount: Int) {
        ruleCalls = Array(repeating: 0, count: ruleCount)
        ruleTurns = Array(repeating: 0, count: ruleCount)
        ruleErrors = Array(repeating: 0, count: ruleCount)
        ruleErrorMessages = Array(repeating: nil, count: ruleCount)
        ruleErrorCalls = Array(repeating: nil, count: ruleCount)
        categoryCalls = Array(repeating: 0, count: categoryCount)
        matchedTexts = Array(repeating: [:], count: ruleCount)
        examples = Array(repeating: ExampleSlots(), count: ruleCount)
        ruleUntimedWindowCalls = Array(repeating: 0, count: ruleCount)
    }

    /// Adds one call's hits and limit errors.
    mutating func add(
        callID: String, hits: [RuleCallHit], errors: [(rule: Int, message: String)], untimedWindows: [Int] = [],
        lexicon: Lexicon, categoryOfRule: [Int]
    ) {
        for rule in untimedWindows { ruleUntimedWindowCalls[rule] += 1 }
        let callHash = TokenInterner.hash(callID.utf8)
        var categories = Set<Int>()
        for hit in hits {
            ruleCalls[hit.rule] += 1
            ruleTurns[hit.rule] += hit.turns
            // A `never:` rule holds on what was not said: nothing to quote.
            if lexicon.rules[hit.rule].negated {
                if lexicon.rules[hit.rule].speaker != .agent { categories.insert(categoryOfRule[hit.rule]) }
                continue
            }
            matchedTexts[hit.rule][hit.example.text, default: 0] += 1
            // A category measures customers: its agents' protocol rules (greeting, apology,
            // farewell) are figures of their own, not calls of the category.
            if lexicon.rules[hit.rule].speaker != .agent { categories.insert(categoryOfRule[hit.rule]) }
            let rank: UInt64 = hit.example.speaker == .unknown ? 1 : 0
            let priority = rank << 61 | (callHash ^ TokenInterner.hash(lexicon.rules[hit.rule].id.utf8) &* 0x9E37_79B9_7F4A_7C15) >> 3
            examples[hit.rule].offer(
                ExampleSlot(
                    priority: priority, snippet: hit.example.snippet,
                    tokenStart: UInt16(clamping: hit.example.tokenStart),
                    tokenCount: UInt16(clamping: hit.example.tokenCount)))
        }
        for category in categories { categoryCalls[category] += 1 }
        for error in errors {
            ruleErrors[error.rule] += 1
            if ruleErrorMessages[error.rule] == nil { ruleErrorMessages[error.rule] = error.message }
            if ruleErrorCalls[error.rule].map({ callID.utf8.lexicographicallyPrecedes($0.utf8) }) ?? true {
                ruleErrorCalls[error.rule] = callID
            }
        }
    }

    mutating func merge(_ other: LexiconTally) {
        for rule in ruleCalls.indices {
            ruleCalls[rule] += other.ruleCalls[rule]
            ruleTurns[rule] += other.ruleTurns[rule]
            ruleErrors[rule] += other.ruleErrors[rule]
            if ruleErrorMessages[rule] == nil { ruleErrorMessages[rule] = other.ruleErrorMessages[rule] }
            if let call = other.ruleErrorCalls[rule],
                ruleErrorCalls[rule].map({ call.utf8.lexicographicallyPrecedes($0.utf8) }) ?? true
            {
                ruleErrorCalls[rule] = call
            }
            other.matchedTexts[rule].forEach { matchedTexts[rule][$0.key, default: 0] += $0.value }
            examples[rule].merge(other.examples[rule])
            ruleUntimedWindowCalls[rule] += other.ruleUntimedWindowCalls[rule]
        }
        for category in categoryCalls.indices { categoryCalls[category] += other.categoryCalls[category] }
    }

    /// For each rule index, the index of its category.
    static func categoryOfRule(_ lexicon: Lexicon) -> [Int] {
        var result = Array(repeating: 0, count: lexicon.rules.count)
        for (categoryIndex, category) in lexicon.categories.enumerated() {
            for rule in category.ruleIndices { result[rule] = categoryIndex }
        }
        return result
    }
}

extension LexiconTally {
    /// Points every rule example somewhere else: into a partial's spool section when one is
    /// written, into the merge's spool of that partial when it is read back.
    mutating func moveExamples(_ move: (SnippetReference) -> SnippetReference) {
        for rule in examples.indices {
            var moved = ExampleSlots()
            for var slot in examples[rule].all {
                slot.snippet = move(slot.snippet)
                moved.offer(slot)
            }
            examples[rule] = moved
        }
    }
}

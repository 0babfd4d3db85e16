import Foundation

/// What a lexicon change does to one rule or category on past transcripts.
public struct LexiconChange: Sendable, Equatable {
    public enum Level: String, Sendable { case rule, category }
    public enum Status: String, Sendable { case added, removed, changed, unchanged }
    /// A call the change gains or loses, with what was said.
    public struct Example: Sendable, Equatable {
        public var callID: String
        public var text: String
    }

    public var level: Level
    /// `category/rule` for rules, the category name for categories.
    public var name: String
    public var status: Status
    public var callsBefore: Int
    public var callsAfter: Int
    public var gained: [Example]
    public var lost: [Example]
    /// Turns on which the rule ran into the PCRE2 limits, before and after (rules only): such
    /// turns are not matched, so the calls above are too low by them.
    public var limitTurnsBefore = 0
    public var limitTurnsAfter = 0
}

/// `frasario lexicon diff`: backtests a lexicon change on past transcripts before it goes
/// live: per rule and category, the calls gained and lost, with what was said in them.
enum LexiconDiff {
    static func compare(old: Lexicon, new: Lexicon, inputs: [String]) throws -> (changes: [LexiconChange], calls: Int) {
        let oldEvaluator = LexiconEvaluator(old), newEvaluator = LexiconEvaluator(new)
        var changes: [String: LexiconChange] = [:]
        func names(_ lexicon: Lexicon) -> (rules: [String], categories: [String]) {
            (lexicon.rules.map { "\($0.category)/\($0.id)" }, lexicon.categories.map(\.name))
        }
        let oldNames = names(old), newNames = names(new)
        for (level, before, after) in [(LexiconChange.Level.rule, oldNames.rules, newNames.rules), (.category, oldNames.categories, newNames.categories)] {
            for name in Set(before).union(after) {
                let status: LexiconChange.Status = !before.contains(name) ? .added : !after.contains(name) ? .removed : .unchanged
                changes["\(level.rawValue) \(name)"] = LexiconChange(level: level, name: name, status: status, callsBefore: 0, callsAfter: 0, gained: [], lost: [])
            }
        }
        var calls = 0
        _ = try CallStream.forEach(inputs) { call in
            calls += 1
            let before = oldEvaluator.evaluate(call), after = newEvaluator.evaluate(call)
            let matchedBefore = matches(before, old, oldEvaluator), matchedAfter = matches(after, new, newEvaluator)
            for (key, _) in matchedBefore { changes[key]!.callsBefore += 1 }
            for (key, quote) in matchedAfter {
                changes[key]!.callsAfter += 1
                if matchedBefore[key] == nil { changes[key]!.gained.append(.init(callID: call.id, text: quote)) }
            }
            for (key, quote) in matchedBefore where matchedAfter[key] == nil { changes[key]!.lost.append(.init(callID: call.id, text: quote)) }
        }
        for (evaluator, before) in [(oldEvaluator, true), (newEvaluator, false)] {
            for (index, rule) in evaluator.lexicon.rules.enumerated() where evaluator.limitErrorTurns[index] > 0 {
                let key = "rule \(rule.category)/\(rule.id)"
                if before { changes[key]?.limitTurnsBefore = evaluator.limitErrorTurns[index] } else { changes[key]?.limitTurnsAfter = evaluator.limitErrorTurns[index] }
            }
        }
        let list = changes.values.map { change -> LexiconChange in
            var change = change
            if change.status == .unchanged && (!change.gained.isEmpty || !change.lost.isEmpty) { change.status = .changed }
            return change
        }
        return (
            list.sorted { left, right in
                let leftMoved = left.gained.count + left.lost.count, rightMoved = right.gained.count + right.lost.count
                if left.level != right.level { return left.level == .category }
                if leftMoved != rightMoved { return leftMoved > rightMoved }
                return left.name < right.name
            }, calls
        )
    }

    /// The rules and categories a call matched, keyed as in `compare`, with a quote each.
    private static func matches(_ evaluation: CallEvaluation, _ lexicon: Lexicon, _ evaluator: LexiconEvaluator) -> [String: String] {
        var result: [String: String] = [:]
        for hit in evaluation.hits {
            let rule = lexicon.rules[hit.rule]
            let quote = evaluator.quote(hit, in: evaluation)
            result["rule \(rule.category)/\(rule.id)"] = quote
            if result["category \(rule.category)"] == nil { result["category \(rule.category)"] = quote }
        }
        return result
    }

    /// Every gained and lost call, one row each, for a spreadsheet.
    static func csv(_ changes: [LexiconChange]) -> String {
        var csv = CSV(header: ["level", "name", "status", "calls_before", "calls_after", "change", "call_id", "text"])
        for change in changes {
            for (kind, examples) in [("gained", change.gained), ("lost", change.lost)] {
                for example in examples {
                    csv.append([
                        change.level.rawValue, change.name, change.status.rawValue, "\(change.callsBefore)", "\(change.callsAfter)",
                        kind, example.callID, example.text,
                    ])
                }
            }
        }
        return csv.text
    }
}

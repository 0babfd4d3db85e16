import Foundation

/// Builds the `categories` section of a result from the merged lexicon tally.
enum CategoryRows {
    /// Distinct matched texts listed per rule.
    static let topMatches = 5

    static func build(
        _ lexicon: Lexicon, tally: LexiconTally, callsProcessed: Int,
        read: (SnippetReference) -> Snippet?
    ) -> (categories: [CategoryResult], errors: [RuleErrorRow]) {
        var categories: [CategoryResult] = []
        var errors: [RuleErrorRow] = []
        for (categoryIndex, category) in lexicon.categories.enumerated() {
            var rules: [RuleResult] = []
            var turns = 0
            for ruleIndex in category.ruleIndices {
                let rule = lexicon.rules[ruleIndex]
                let texts = tally.matchedTexts[ruleIndex]
                    .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
                    .prefix(topMatches)
                    .map { MatchedText(text: $0.key, count: $0.value) }
                let examples = tally.examples[ruleIndex].all.compactMap { slot -> PhraseExample? in
                    guard let snippet = read(slot.snippet) else { return nil }
                    return PhraseRows.example(snippet, tokenStart: Int(slot.tokenStart), length: max(1, Int(slot.tokenCount)))
                }
                if rule.speaker != .agent { turns += tally.ruleTurns[ruleIndex] }
                rules.append(
                    RuleResult(
                        id: rule.id, label: rule.label, speaker: rule.speaker.rawValue, calls: tally.ruleCalls[ruleIndex],
                        shareOfCalls: Share.of(tally.ruleCalls[ruleIndex], in: callsProcessed),
                        turns: tally.ruleTurns[ruleIndex], errors: tally.ruleErrors[ruleIndex],
                        topMatches: Array(texts), examples: examples))
                if tally.ruleErrors[ruleIndex] > 0 {
                    errors.append(
                        RuleErrorRow(
                            category: category.name, rule: rule.id, turns: tally.ruleErrors[ruleIndex],
                            message: tally.ruleErrorMessages[ruleIndex] ?? "match limit exceeded",
                            example: tally.ruleErrorCalls[ruleIndex] ?? ""))
                }
            }
            let calls = tally.categoryCalls[categoryIndex]
            categories.append(
                CategoryResult(
                    category: category.name, title: category.title, description: category.description, kind: category.kind,
                    file: (category.file as NSString).lastPathComponent, calls: calls,
                    shareOfCalls: Share.of(calls, in: callsProcessed), turns: turns, rules: rules))
        }
        return (categories, errors)
    }
}

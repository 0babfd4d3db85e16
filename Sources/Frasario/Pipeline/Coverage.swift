/// What the lexicons miss: frequent customer questions and frustration-like phrases that no
/// rule recognises, for QA to write the next rules from.
enum CoverageFinder {
    /// Phrases listed per kind.
    static let limit = 20

    /// Uncovered rows among the questions and the customer phrases of `rows`. A phrase is
    /// covered when a rule (not a courtesy one) matches the phrase itself, or matches most of
    /// the turns it is quoted from.
    /// - Parameter prefilter: the run's fast path for `lexicon`, when it has one (built anew otherwise).
    static func find(
        _ rows: [PhraseRow], emerging: [PhraseRow], lexicon: Lexicon, prefilter: LexiconPrefilter? = nil, hasSpeakers: Bool
    ) -> Coverage {
        let informative = Set(lexicon.categories.enumerated().filter { $0.element.kind != .courtesy }.flatMap { $0.element.ruleIndices })
        let agentRules = Set(lexicon.rules.indices.filter { lexicon.rules[$0].speaker == .agent })
        let evaluator = LexiconEvaluator(lexicon, prefilter: prefilter)
        func recognised(_ text: String) -> Bool {
            let call = Call(id: "coverage", source: SourceLocation(file: "", line: 0), turns: [Turn(speaker: .customer, text: text)])
            return !evaluator.evaluate(call).matchedRules.intersection(informative).subtracting(agentRules).isEmpty
        }
        func covered(_ row: PhraseRow) -> Bool {
            if recognised(row.text) { return true }
            let quoted = row.examples.map { $0.text.replacingOccurrences(of: "…", with: " ") }
            return !quoted.isEmpty && quoted.filter(recognised).count * 2 > quoted.count
        }
        let questionKind: RankingKind = hasSpeakers ? .customerQuestions : .all
        let phraseKind: RankingKind = hasSpeakers ? .customer : .all
        var questions: [PhraseRow] = []
        // One suggestion per topic: a phrase holding one already listed («cuanto cuesta la fibra»
        // after «cuanto cuesta») is the same topic; so is a phrase inside one already listed,
        // unless it is said in clearly more calls (then it is the broader topic, worth a rule).
        var seen: [(text: String, calls: Int)] = []
        func sameTopic(_ folded: String, calls: Int) -> Bool {
            let padded = " " + folded + " "
            return seen.contains { listed in
                padded.contains(" " + listed.text + " ") || ((" " + listed.text + " ").contains(padded) && calls * 2 <= listed.calls * 3)
            }
        }
        // One word ("llega", "celular") is not a question nor a complaint a rule could be written for.
        for row in rows where row.ranking == questionKind && row.n >= 2 && questions.count < limit {
            let folded = SpanishText.folded(row.text)
            guard !sameTopic(folded, calls: row.calls), !covered(row) else { continue }
            questions.append(row)
            seen.append((folded, row.calls))
        }
        var frustrations: [PhraseRow] = []
        for row in rows + emerging where row.ranking == phraseKind && row.n >= 2 && frustrations.count < limit {
            let folded = SpanishText.folded(row.text)
            guard !sameTopic(folded, calls: row.calls), SpanishText.frustrationCues.contains(where: { (" " + folded + " ").contains(" \($0) ") }),
                !covered(row)
            else { continue }
            frustrations.append(row)
            seen.append((folded, row.calls))
        }
        // Numbered within each list: «#» is the row's place among what the lexicons miss.
        for index in questions.indices { questions[index].rank = index + 1 }
        for index in frustrations.indices { frustrations[index].rank = index + 1 }
        return Coverage(questions: questions, frustrations: frustrations)
    }
}

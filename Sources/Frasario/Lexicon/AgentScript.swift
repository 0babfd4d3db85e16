extension Lexicon {
    /// True when a phrase (folded text) matches a pattern of a rule QA wrote for agents
    /// (`speaker: agente`): the greeting, the goodbye, the script. Used to keep agent script
    /// out of the customer rankings when no labelled turn says who says the phrase.
    /// Patterns run as written on the phrase alone: `unless`, windows and call-level parts do
    /// not apply to a phrase out of its call.
    func isAgentScript(_ phrase: String) -> Bool {
        let scratch = PCRE2Scratch()
        for rule in rules where rule.speaker == .agent {
            for pattern in rule.patterns {
                if case .match = pattern.firstMatch(in: phrase, using: scratch) { return true }
            }
        }
        return false
    }
}

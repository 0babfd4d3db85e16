/// Runs every rule's own examples through normalization and matching, exactly as a night's
/// run would, so QA can change a pattern and see at once what it broke.
public enum LexiconTester {
    /// One example that did not behave as its rule says.
    public struct Failure: Sendable, Equatable, CustomStringConvertible {
        public var file: String
        public var line: Int
        public var rule: String
        public var example: String
        public var expectedMatch: Bool
        /// Set when the rule hit the PCRE2 limits on this example.
        public var limitError: String?

        public var description: String {
            let expected = expectedMatch ? "match" : "no match"
            let got = limitError.map { "an error (\($0))" } ?? (expectedMatch ? "no match" : "a match")
            return "\(file):\(line): rule \(rule): example «\(example)»: expected \(expected), got \(got)."
        }
    }

    public struct Report: Sendable {
        public var rules: Int
        public var examples: Int
        public var rulesWithoutMatchExamples: [String]
        public var rulesWithoutNoMatchExamples: [String]
        public var failures: [Failure]
    }

    /// Tests every example of every rule.
    public static func run(_ lexicon: Lexicon) -> Report {
        var report = Report(rules: lexicon.rules.count, examples: 0, rulesWithoutMatchExamples: [], rulesWithoutNoMatchExamples: [], failures: [])
        for (ruleIndex, rule) in lexicon.rules.enumerated() {
            if !rule.examples.contains(where: \.mustMatch) { report.rulesWithoutMatchExamples.append(rule.id) }
            if !rule.examples.contains(where: { !$0.mustMatch }) { report.rulesWithoutNoMatchExamples.append(rule.id) }
            for example in rule.examples {
                report.examples += 1
                let outcome = matches(ruleIndex, in: lexicon, turns: example.turns)
                if outcome.matched != example.mustMatch || outcome.error != nil {
                    report.failures.append(
                        Failure(
                            file: rule.file, line: rule.line, rule: rule.id, example: example.text,
                            expectedMatch: example.mustMatch, limitError: outcome.error))
                }
            }
        }
        return report
    }

    /// Whether rule `ruleIndex` matches a call made of `turns`, and the first limit error if any.
    public static func matches(_ ruleIndex: Int, in lexicon: Lexicon, turns: [Turn]) -> (matched: Bool, error: String?) {
        var single = lexicon
        single.rules = [lexicon.rules[ruleIndex]]
        let matcher = LexiconMatcher(lexicon: single, prefilter: LexiconPrefilter(single))
        matcher.excerptsFitWindows = true
        let call = Call(id: "example", source: SourceLocation(file: "", line: 0), turns: turns)
        matcher.beginCall(call)
        var normalizer = Normalizer()
        var turn = NormalizedTurn()
        var error: String?
        for (index, source) in turns.enumerated() {
            normalizer.normalize(source.text, into: &turn)
            matcher.match(turn: turn, index: index, source: source, snippet: SnippetReference(spool: 0, offset: 0))
            if error == nil, let first = matcher.limitErrors.first { error = first.message }
        }
        return (!matcher.endCall().isEmpty, error)
    }
}

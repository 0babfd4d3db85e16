import Foundation

/// One problem `frasario lexicon lint` found, with the file, line and rule to fix.
public struct LintFinding: Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable { case error, warning }

    public enum Kind: String, Sendable {
        case failingExample = "failing-example"
        case cannotMatch = "cannot-match"
        case duplicate
        case shadowed
        case sameMatches = "same-matches"
        case noNegativeExamples = "no-negative-examples"
        case noPositiveExamples = "no-positive-examples"
        case backtracking
        case slowPattern = "slow-pattern"
        case noLiteral = "no-literal"
        case silentInLastRun = "silent-in-last-run"
    }

    public var severity: Severity
    public var kind: Kind
    public var file: String
    public var line: Int
    public var rule: String
    public var message: String

    public var description: String { "\(file):\(line): \(severity.rawValue): rule \(rule): \(message) [\(kind.rawValue)]" }
}

/// Finds rules that are broken, slow, overlapping or dead, before they reach a night's run.
enum LexiconLinter {
    /// Length of the crafted worst-case turns, in bytes: longer than nearly every real turn.
    static let craftedLength = 4_000
    /// A pattern slower than this on one crafted turn is reported.
    static let slowSeconds = 0.05

    /// Lints `lexicon`. Overlaps are measured on every rule's examples plus `corpus` (calls
    /// from past transcripts, may be empty); `lastRun` gives each rule's calls in the latest
    /// recorded run, when a history is at hand.
    /// `slowSeconds` is the time on one crafted turn past which a pattern is reported slow.
    static func lint(
        _ lexicon: Lexicon, corpus: [Call] = [], lastRun: LastRunFigures? = nil,
        slowSeconds: Double = LexiconLinter.slowSeconds
    ) -> [LintFinding] {
        var findings: [LintFinding] = []
        func add(_ severity: LintFinding.Severity, _ kind: LintFinding.Kind, _ rule: LexiconRule, _ message: String) {
            findings.append(LintFinding(severity: severity, kind: kind, file: rule.file, line: rule.line, rule: rule.id, message: message))
        }
        let tested = LexiconTester.run(lexicon)
        for failure in tested.failures {
            guard let rule = lexicon.rules.first(where: { $0.id == failure.rule }) else { continue }
            let expected = failure.expectedMatch ? "match" : "no match"
            add(
                .error, .failingExample, rule,
                "example «\(failure.example)» should \(expected == "match" ? "match" : "not match") but \(failure.limitError.map { "hit a PCRE2 limit (\($0))" } ?? (failure.expectedMatch ? "does not" : "does"))."
            )
        }
        let prefilter = LexiconPrefilter(lexicon)
        let slow = Set(prefilter.slowRules)
        var normalizer = Normalizer()
        for rule in lexicon.rules {
            for pattern in rule.patterns + rule.all + rule.unless {
                if let character = impossibleCharacter(in: pattern) {
                    add(
                        .error, .cannotMatch, rule,
                        "pattern '\(pattern.pattern)' needs «\(character)», which normalized text never contains (it is lowercase, accent-folded, without punctuation); remove it or write it as it is said."
                    )
                }
                if impossibleCharacter(in: pattern) == nil, let unmatchable = unnormalizedLiteral(in: pattern, normalizer: &normalizer) {
                    add(
                        .error, .cannotMatch, rule,
                        "pattern '\(pattern.pattern)' needs «\(unmatchable.literal)», which no turn reads after normalization: \(unmatchable.normalized.isEmpty ? "those words are dropped (fillers)" : "it reads «\(unmatchable.normalized)»") (4+ digits are masked as <numero>, personal data masked, fillers dropped, repeated words and chat shorthand folded); write the pattern as normalized turns read."
                    )
                }
                if let problem = backtracking(pattern, slowSeconds: slowSeconds) {
                    add(problem.limit ? .error : .warning, problem.limit ? .backtracking : .slowPattern, rule, problem.message)
                }
            }
            if !rule.examples.contains(where: \.mustMatch) { add(.warning, .noPositiveExamples, rule, "no match: examples; add what customers say that this rule must catch.") }
            if !rule.examples.contains(where: { !$0.mustMatch }) {
                add(.warning, .noNegativeExamples, rule, "no no_match: examples; add near-misses it must leave alone (negations, other meanings).")
            }
            if slow.contains(rule.id) {
                add(.warning, .noLiteral, rule, "no literal word every match needs, so it runs on every turn; anchor it on a word.")
            }
        }
        findings += overlaps(lexicon, corpus: corpus)
        if let lastRun {
            for rule in lexicon.rules {
                if lastRun.ruleCalls[HistoryBaseline.ruleKey(category: rule.category, rule: rule.id)] == 0 {
                    add(
                        .warning, .silentInLastRun, rule, "matched no call in the run of \(lastRun.date) (\(lastRun.callsProcessed) calls); check it still says what customers say."
                    )
                }
            }
        }
        return findings.sorted { ($0.file, $0.line, $0.kind.rawValue, $0.message) < ($1.file, $1.line, $1.kind.rawValue, $1.message) }
    }

    /// Bytes normalized, folded text is made of: lowercase letters, ñ, digits, masks, space.
    static func isPossible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "0"..."9", " ", "<", ">", "_", "ñ", "º", "ª": return true
        default: return false
        }
    }

    /// A character every match needs that normalized text never holds ("¿", "?", "!", ","),
    /// found through the pattern's required literals; nil when the pattern can match.
    /// A literal every match of `pattern` needs (one of them, when it needs one of several)
    /// that normalization never leaves in a turn, with what it becomes: `\bpin 1234\b` needs
    /// «pin 1234», which turns read as «pin <numero>». Nil when one of the literals survives
    /// normalization, or the pattern needs no literal (or names a mask itself).
    static func unnormalizedLiteral(in pattern: PCRE2Regex, normalizer: inout Normalizer) -> (literal: String, normalized: String)? {
        guard let literals = RequiredLiterals.of(pattern.pattern), !literals.isEmpty else { return nil }
        var turn = NormalizedTurn()
        var first: (literal: String, normalized: String)?
        for literal in literals.sorted() {
            let words = literal.split(separator: " ").joined(separator: " ")
            guard !words.isEmpty, !literal.contains("<"), !literal.contains(">") else { return nil }
            normalizer.normalize(words, into: &turn)
            let normalized = turn.foldedText
            if normalized.contains(words) { return nil }
            // A literal cut inside a word ("contrase" of «contraseña») is checked as written only.
            if first == nil { first = (words, normalized) }
        }
        return first
    }

    static func impossibleCharacter(in pattern: PCRE2Regex) -> Character? {
        guard let literals = RequiredLiterals.of(pattern.pattern), !literals.isEmpty else { return nil }
        var offending: Character?
        for literal in literals {
            guard let bad = literal.unicodeScalars.first(where: { !isPossible($0) }) else { return nil }
            offending = offending ?? Character(bad)
        }
        return offending
    }

    /// Runs `pattern` on crafted worst-case turns (long runs of one letter, of its own words
    /// repeated, of short syllables, each ending in a character that forces failure) under the
    /// night's match limits; reports the limit being hit, or a slow match.
    static func backtracking(_ pattern: PCRE2Regex, slowSeconds: Double = LexiconLinter.slowSeconds) -> (limit: Bool, message: String)? {
        // The pattern's words, without its escapes (`\bhola` is «hola», not «bhola»).
        var unescaped = "", escaping = false
        for character in pattern.pattern {
            if escaping { unescaped.append(" "); escaping = false } else if character == "\\" { escaping = true } else { unescaped.append(character) }
        }
        let words = unescaped.split { !($0.isLetter) }.map(String.init).filter { $0.count >= 2 }
        var bodies = [
            String(repeating: "a", count: craftedLength), String(repeating: "a ", count: craftedLength / 2),
            String(repeating: "ja", count: craftedLength / 2), String(repeating: "no ", count: craftedLength / 3),
        ]
        if !words.isEmpty {
            let phrase = words.joined(separator: " ") + " "
            bodies.append(String(repeating: phrase, count: max(1, craftedLength / phrase.count)))
            if let longest = words.max(by: { $0.count < $1.count }) {
                bodies.append(String(repeating: longest + " ", count: max(1, craftedLength / (longest.count + 1))))
                bodies.append(String(repeating: String(longest.prefix(2)), count: craftedLength / 2))
            }
        }
        // Each body ends in a character that makes the match fail late; with the pattern's own
        // letters before it, PCRE2's "required character" shortcut cannot skip the work.
        let letters = String(Set(pattern.pattern.filter { $0.isLetter && $0.isASCII }).sorted())
        var subjects: [String] = []
        for body in bodies {
            subjects.append(body + "!")
            subjects.append(body + letters + "!")
            subjects.append(body + " " + letters + " !")
        }
        // Built from the pattern itself: one of its words to open the match, a long run of
        // filler words for a nested quantifier to pump, and its last word spoiled so the match
        // fails at the very end («hola bueno pues … adiosx»): what `\bhola (\w+ ?)+ adios\b`
        // meets in a long real turn.
        if let last = words.last {
            for opening in words.prefix(4) {
                for pump in ["bueno pues mire ", "a ", "ja"] {
                    let body = String(repeating: pump, count: max(1, (craftedLength - opening.count) / pump.count))
                    subjects.append(opening + " " + body + " " + last + "x")
                    subjects.append(opening + " " + body + "!")
                }
            }
        }
        let scratch = PCRE2Scratch()
        let clock = ContinuousClock()
        var slowest = 0.0
        for subject in subjects {
            let started = clock.now
            let outcome = pattern.firstMatch(in: subject, using: scratch)
            let seconds = (clock.now - started).seconds
            if case .limitExceeded(let message) = outcome {
                return (
                    true,
                    "pattern '\(pattern.pattern)' hits the PCRE2 limit (\(message)) on a crafted \(subject.utf8.count)-byte turn «\(subject.prefix(24))…»: catastrophic backtracking; on long turns it will fail at night. Remove nested quantifiers such as (x+)+ or (\\w+\\s?)+."
                )
            }
            slowest = max(slowest, seconds)
        }
        if slowest > slowSeconds {
            return (false, "pattern '\(pattern.pattern)' takes \(Int(slowest * 1000)) ms on a crafted \(craftedLength)-byte turn; it risks backtracking. Simplify it.")
        }
        return nil
    }

    /// Rules whose matches are a subset of another's, or the same, on the examples of every
    /// rule and the corpus; and rules written twice.
    static func overlaps(_ lexicon: Lexicon, corpus: [Call]) -> [LintFinding] {
        var findings: [LintFinding] = []
        let rules = lexicon.rules
        func signature(_ rule: LexiconRule) -> [String] {
            [rule.speaker.rawValue, "\(rule.minHits)", "\(rule.inOrder)", "\(rule.negated)", String(describing: rule.window)]
                + rule.patterns.map(\.pattern).sorted() + ["|"] + rule.all.map(\.pattern) + ["|"] + rule.unless.map(\.pattern).sorted()
                + ["|"] + rule.notIn.map(\.pattern).sorted() + rule.allSpeakers.map { $0?.rawValue ?? "" }
        }
        var firstWithSignature: [[String]: Int] = [:]
        var duplicates = Set<Int>()
        for (index, rule) in rules.enumerated() {
            if let first = firstWithSignature[signature(rule)] {
                duplicates.insert(index)
                findings.append(
                    LintFinding(
                        severity: .warning, kind: .duplicate, file: rule.file, line: rule.line, rule: rule.id,
                        message: "duplicates rule \(rules[first].id) (\(rules[first].file):\(rules[first].line)): same patterns, vetoes and speaker; delete one."))
            } else {
                firstWithSignature[signature(rule)] = index
            }
        }
        // Which corpus items each rule matches.
        var items: [Call] = corpus
        for rule in rules {
            for (index, example) in rule.examples.enumerated() {
                items.append(Call(id: "\(rule.id)#\(index)", source: SourceLocation(file: rule.file, line: rule.line), turns: example.turns))
            }
        }
        let evaluator = LexiconEvaluator(lexicon)
        var matchedBy = Array(repeating: Set<Int>(), count: rules.count)
        for (item, call) in items.enumerated() {
            for rule in evaluator.evaluate(call).matchedRules { matchedBy[rule].insert(item) }
        }
        // A rule with a window, min_hits or all: narrows another on purpose; it is not redundant.
        let refinements = Set(rules.indices.filter { rules[$0].window != nil || rules[$0].minHits > 1 || rules[$0].isCallLevel })
        // A never: rule holds where nothing was said: its calls are absences, which neither
        // shadow nor are shadowed by what other rules match.
        for (index, rule) in rules.enumerated()
        where !matchedBy[index].isEmpty && !duplicates.contains(index) && !refinements.contains(index) && !rule.negated {
            for (other, otherRule) in rules.enumerated() where other != index && !duplicates.contains(other) && !otherRule.negated {
                guard matchedBy[index].isSubset(of: matchedBy[other]) else { continue }
                if matchedBy[index] == matchedBy[other] {
                    guard index < other else { continue }
                    findings.append(
                        LintFinding(
                            severity: .warning, kind: .sameMatches, file: rule.file, line: rule.line, rule: rule.id,
                            message:
                                "matches exactly the same \(matchedBy[index].count) example(s) or calls as rule \(otherRule.id) (\(otherRule.file):\(otherRule.line)); merge them, or add examples that tell them apart."
                        ))
                } else {
                    findings.append(
                        LintFinding(
                            severity: .warning, kind: .shadowed, file: rule.file, line: rule.line, rule: rule.id,
                            message:
                                "every one of its \(matchedBy[index].count) matches is also a match of rule \(otherRule.id) (\(otherRule.file):\(otherRule.line)), which matches \(matchedBy[other].count): it is shadowed; narrow the broader rule or drop this one."
                        ))
                }
            }
        }
        return findings
    }
}

import Foundation

/// One sampled match, ready for a QA analyst to label.
public struct SampledMatch: Sendable, Equatable {
    public var callID: String
    public var source: String
    /// The matching turn as displayed (masked), or the whole call for call-level rules.
    public var text: String
    public var matched: String
}

/// `frasario lexicon sample`: a seeded random sample of a rule's matches over transcripts,
/// as a CSV that `frasario lexicon eval` reads back once labelled.
enum RuleSampler {
    /// Up to `count` matches of `ruleID`, drawn uniformly (reservoir sampling) with `seed`:
    /// the same inputs and seed give the same sample. In input order.
    static func sample(
        _ ruleID: String, count: Int, seed: UInt64, lexicon: Lexicon, inputs: [String]
    ) throws -> (
        sample: [SampledMatch], matches: Int, calls: Int, limitErrors: [String]
    ) {
        guard let rule = lexicon.rules.first(where: { $0.id == ruleID }) else {
            throw WorkbenchError.unknownRule(ruleID, known: lexicon.rules.map(\.id))
        }
        var single = lexicon
        single.rules = [rule]
        let evaluator = LexiconEvaluator(single)
        var generator = SplitMix64(seed: seed)
        var reservoir: [(order: Int, match: SampledMatch)] = []
        var matches = 0, calls = 0
        _ = try CallStream.forEach(inputs) { call in
            calls += 1
            let evaluation = evaluator.evaluate(call)
            guard let hit = evaluation.hits.first else { return }
            let match = SampledMatch(callID: call.id, source: call.source.description, text: evaluator.quote(hit, in: evaluation), matched: hit.example.text)
            matches += 1
            if reservoir.count < count {
                reservoir.append((matches, match))
            } else {
                let slot = Int(generator.next() % UInt64(matches))
                if slot < count { reservoir[slot] = (matches, match) }
            }
        }
        return (reservoir.sorted { $0.order < $1.order }.map(\.match), matches, calls, evaluator.limitErrorSentences)
    }

    /// The CSV QA labels: `expected` is pre-filled with the rule id; delete it where the rule
    /// is wrong, add the rule or category that should have fired instead.
    static func csv(_ sample: [SampledMatch], rule: String) -> String {
        var csv = CSV(header: ["id", "text", "expected", "rule", "matched", "source"])
        for match in sample { csv.append([match.callID, match.text, rule, rule, match.matched, match.source]) }
        return csv.text
    }
}

/// A small, fast, seedable generator (Steele, Lea and Flood's SplitMix64), so samples are
/// reproducible on every platform.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= Hashing.splitMixIncrement
        return Hashing.mix(state)
    }
}

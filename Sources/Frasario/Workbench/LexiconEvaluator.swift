import Foundation

/// Reads the calls of transcript inputs one at a time, as a run does (same formats, same
/// rejects), for the QA tools that need calls rather than counts.
public enum CallStream {
    /// Calls `body` with every accepted call of `inputs`, in input order; returns the
    /// accounting (calls read, rejects).
    static func forEach(_ inputs: [String], agentLabels: Set<String> = [], _ body: (Call) throws -> Void) throws -> IngestAccounting {
        let discovery = try InputDiscovery.discover(inputs)
        let reader = InputReader(files: discovery.files)
        var accounting = IngestAccounting()
        accounting.files = discovery.files.count
        while let piece = try reader.next() {
            for call in accounting.accept([RecordParser.parse(piece, agentLabels: agentLabels)]) { try body(call) }
        }
        return accounting
    }
}

/// What a lexicon found in one call: the normalized turns and the rules the call satisfies.
struct CallEvaluation {
    var call: Call
    var turns: [NormalizedTurn]
    var hits: [RuleCallHit]

    var matchedRules: Set<Int> { Set(hits.map(\.rule)) }
}

/// Runs a lexicon over calls exactly as a night's run does (same normalization, same
/// matcher and fast path), one call at a time, keeping what each call matched.
final class LexiconEvaluator {
    let lexicon: Lexicon
    private let matcher: LexiconMatcher
    private var normalizer = Normalizer()
    /// Turns on which each rule ran into the PCRE2 limits, over every call evaluated, with the
    /// first message: those turns were not matched, as in a run.
    private(set) var limitErrorTurns: [Int]
    private var limitMessages: [String?]

    /// - Parameter excerpts: the calls are labelled excerpts without times (eval), which sit
    ///   inside every seconds-only window; transcripts (diff, sample) keep a run's semantics.
    /// - Parameter prefilter: the fast path already built for `lexicon`, if any.
    init(_ lexicon: Lexicon, excerpts: Bool = false, prefilter: LexiconPrefilter? = nil) {
        self.lexicon = lexicon
        matcher = LexiconMatcher(lexicon: lexicon, prefilter: prefilter ?? LexiconPrefilter(lexicon))
        matcher.excerptsFitWindows = excerpts
        limitErrorTurns = Array(repeating: 0, count: lexicon.rules.count)
        limitMessages = Array(repeating: nil, count: lexicon.rules.count)
    }

    /// One sentence per rule that hit the PCRE2 limits, as a run's report says it: the tools'
    /// figures for that rule are too low by those turns.
    var limitErrorSentences: [String] {
        lexicon.rules.indices.filter { limitErrorTurns[$0] > 0 }.map { rule in
            "\(lexicon.rules[rule].category)/\(lexicon.rules[rule].id) ran into the PCRE2 limit on \(limitErrorTurns[rule]) turn(s) (\(limitMessages[rule] ?? "limit")); those turns were not matched, so its figures here are too low: see frasario lexicon lint for the slow pattern."
        }
    }

    func evaluate(_ call: Call) -> CallEvaluation {
        matcher.beginCall(call)
        var turns: [NormalizedTurn] = []
        for (index, source) in call.turns.enumerated() {
            var turn = NormalizedTurn()
            normalizer.normalize(source.text, into: &turn)
            matcher.match(turn: turn, index: index, source: source, snippet: SnippetReference(spool: 0, offset: 0))
            turns.append(turn)
        }
        for error in matcher.limitErrors {
            limitErrorTurns[error.rule] += 1
            if limitMessages[error.rule] == nil { limitMessages[error.rule] = error.message }
        }
        return CallEvaluation(call: call, turns: turns, hits: matcher.endCall())
    }

    /// A call made of written turns separated by " | ", each optionally labelled
    /// ("agente: …"; customer when unsaid), the way label and sample files write them.
    static func call(id: String, text: String, source: SourceLocation) -> Call {
        let turns = text.components(separatedBy: " | ").map { line -> Turn in
            let (label, rest) = RecordParser.splitSpeakerLabel(Substring(line))
            return Turn(speaker: label ?? .customer, text: label == nil ? line : String(rest))
        }
        return Call(id: id, source: source, turns: turns)
    }

    /// How a matched rule's turn reads in a sample or a diff: the displayed (masked) turn, or,
    /// for a call-level rule, every turn with its speaker, joined by " | ".
    func quote(_ hit: RuleCallHit, in evaluation: CallEvaluation) -> String {
        // A rule that needs several turns (all:, min_hits) is quoted whole, so the quote read
        // back by eval matches again.
        if lexicon.rules[hit.rule].isCallLevel || lexicon.rules[hit.rule].minHits > 1 || lexicon.rules[hit.rule].negated {
            return zip(evaluation.call.turns, evaluation.turns).map { source, turn in
                "\(source.speaker == .agent ? "agente" : "cliente"): \(turn.verbatimText)"
            }.joined(separator: " | ")
        }
        let speaker = evaluation.call.turns[hit.example.turn].speaker
        return "\(speaker == .agent ? "agente" : "cliente"): \(evaluation.turns[hit.example.turn].verbatimText)"
    }
}

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

    init(_ lexicon: Lexicon) {
        self.lexicon = lexicon
        matcher = LexiconMatcher(lexicon: lexicon, prefilter: LexiconPrefilter(lexicon))
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
        if lexicon.rules[hit.rule].isCallLevel {
            return zip(evaluation.call.turns, evaluation.turns).map { source, turn in
                "\(source.speaker == .agent ? "agente" : "cliente"): \(turn.displayText)"
            }.joined(separator: " | ")
        }
        let speaker = evaluation.call.turns[hit.example.turn].speaker
        return "\(speaker == .agent ? "agente" : "cliente"): \(evaluation.turns[hit.example.turn].displayText)"
    }
}

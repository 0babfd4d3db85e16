/// A turn as an export wrote it, with the speaker label it used (`spk_0`, `SPEAKER_01`,
/// `Laura`, `AGENT`…), before labels are mapped to agent and customer.
struct LabelledTurn {
    var label: String?
    var text: String
    var start: Double?
    var end: Double?
}

/// How the speakers of one call were told apart.
enum SpeakerMappingMethod: Equatable {
    /// Every label said who it was (agente, CUSTOMER…), or the call had no labels at all.
    case labels
    /// `--agent-speaker` named the agent's label.
    case agentSpeakerOption
    /// The speaker who greets with the company's opening was taken for the agent.
    case greeting
    /// Labels exist but nothing told which is the agent: speakers left unknown.
    case unmapped
}

/// Maps diarized speaker labels to agent and customer: labels that name a role map directly;
/// `--agent-speaker` names the agent's label; otherwise the speaker whose first turns carry a
/// contact-center opening ("gracias por llamar", "le atiende", "¿en qué le puedo ayudar?") is
/// the agent and every other labelled speaker a customer.
enum SpeakerMapping {
    /// Openings agents use; matched on the folded, lowercased text of a speaker's first turns.
    static let greetings = [
        "gracias por llamar", "gracias por comunicarse", "gracias por comunicarte", "le atiende", "te atiende",
        "le saluda", "te saluda", "le habla", "mi nombre es", "en que le puedo ayudar", "en que te puedo ayudar",
        "en que puedo ayudarle", "en que puedo ayudarte", "como le puedo ayudar", "como te puedo ayudar",
        "en que le podemos ayudar", "bienvenido a", "bienvenida a", "buenas tardes habla", "buenos dias habla",
    ]

    static func map(_ turns: [LabelledTurn], agentLabels: Set<String>) -> (turns: [Turn], method: SpeakerMappingMethod) {
        var known: [String: Speaker] = [:]
        var unknownLabels: [String] = []
        for turn in turns {
            guard let label = turn.label, known[label] == nil, !unknownLabels.contains(label) else { continue }
            if agentLabels.contains(label.lowercased()) {
                known[label] = .agent
            } else if let speaker = Speaker(label: label), speaker != .unknown {
                known[label] = speaker
            } else {
                unknownLabels.append(label)
            }
        }
        var method = SpeakerMappingMethod.labels
        if !unknownLabels.isEmpty {
            if !agentLabels.isEmpty && known.values.contains(.agent) {
                method = .agentSpeakerOption
                for label in unknownLabels { known[label] = .customer }
            } else if let agent = greeter(among: unknownLabels, in: turns) {
                method = .greeting
                for label in unknownLabels { known[label] = label == agent ? .agent : .customer }
            } else if known.values.contains(.agent) {
                for label in unknownLabels { known[label] = .customer }
            } else {
                method = .unmapped
            }
        }
        let mapped = turns.map { turn in
            Turn(speaker: turn.label.flatMap { known[$0] } ?? .unknown, text: turn.text, start: turn.start, end: turn.end)
        }
        return (mapped, method)
    }

    /// The label whose first three turns hold the most openings; nil when none holds one.
    static func greeter(among labels: [String], in turns: [LabelledTurn]) -> String? {
        var best: (label: String, score: Int)?
        for label in labels {
            let opening = turns.filter { $0.label == label }.prefix(3).map { SpanishText.folded($0.text) }.joined(separator: " ")
            let letters = String(opening.map { $0.isLetter || $0 == " " ? $0 : " " }).split(separator: " ").joined(separator: " ")
            let score = greetings.reduce(0) { $0 + (letters.contains($1) ? 1 : 0) }
            if score > 0 && score > (best?.score ?? 0) { best = (label, score) }
        }
        return best?.label
    }
}

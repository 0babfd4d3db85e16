/// Which turns a rule looks at.
public enum RuleSpeaker: String, Sendable, Codable {
    /// Customer turns, and turns whose speaker is unknown (unlabelled transcripts).
    case customer = "cliente"
    case agent = "agente"
    case any = "cualquiera"

    func accepts(_ speaker: Speaker) -> Bool {
        switch self {
        case .customer: return speaker != .agent
        case .agent: return speaker == .agent
        case .any: return true
        }
    }
}

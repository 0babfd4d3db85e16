/// What a category tells the reader, so reports can place it: frustrations get their own
/// panel, courtesy (greetings, thanks, agent protocol) is kept out of the headline facts.
public enum CategoryKind: String, Sendable, Codable, CaseIterable {
    /// Why customers call: needs, questions, requests (the default).
    case topic = "tema"
    case frustration = "frustracion"
    case courtesy = "cortesia"
}

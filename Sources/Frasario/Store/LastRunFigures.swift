/// Each rule's calls in the latest run recorded in a history.
struct LastRunFigures {
    var date: String
    var callsProcessed: Int
    /// Keyed by `HistoryBaseline.ruleKey(category:rule:)`.
    var ruleCalls: [String: Int]
}

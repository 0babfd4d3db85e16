/// How an n-gram record of a partial writes its figures. Most n-grams a shard counts are said
/// once (the long tail), and then all thirteen figures follow from who said it and whether it
/// was asked: one byte names that shape instead of thirteen varints, which halves a shard's
/// records before they are deflated and saves the merge their decoding.
///
/// Shape 0: the figures follow in full (occurrences, calls, delta, then the written forms).
/// Shapes 1–6: one occurrence in one call, no delta, no written form other than the key's;
/// 1, 2, 3 said by the customer, the agent, an unlabelled speaker; 4, 5, 6 the same, asked.
enum FigureShape {
    static let full: UInt32 = 0
    static let shapes: ClosedRange<UInt32> = 1...6

    /// The shape of a record's figures: 0 unless one of the single-occurrence shapes gives
    /// back exactly these figures (checked figure by figure, so the shape never approximates).
    @inline(__always)
    static func shape(occurrences: OccurrenceCounts, calls: CallCounts, delta: UInt32, surfaces: Int) -> UInt32 {
        guard occurrences.count == 1, delta == 0, surfaces == 0, occurrences.question <= 1 else { return full }
        let speaker: UInt32 = occurrences.customer == 1 ? 1 : occurrences.agent == 1 ? 2 : occurrences.unknown == 1 ? 3 : 0
        guard speaker > 0 else { return full }
        let shape = speaker + 3 * occurrences.question
        let implied = figures(of: shape)
        return implied.occurrences == occurrences && implied.calls == calls ? shape : full
    }

    /// The figures a single-occurrence shape stands for.
    @inline(__always)
    static func figures(of shape: UInt32) -> (occurrences: OccurrenceCounts, calls: CallCounts) {
        let speaker = (shape - 1) % 3  // 0 customer, 1 agent, 2 unlabelled
        let question: UInt32 = shape > 3 ? 1 : 0
        let customer: UInt32 = speaker == 0 ? 1 : 0
        let agent: UInt32 = speaker == 1 ? 1 : 0
        let unknown: UInt32 = speaker == 2 ? 1 : 0
        return (
            OccurrenceCounts(count: 1, customer: customer, agent: agent, unknown: unknown, question: question),
            CallCounts(
                count: 1, customer: customer, agent: agent, unknown: unknown, question: question,
                customerSide: customer | unknown, agentSide: agent | unknown)
        )
    }
}

/// The topics of a night: customer phrases (and emerging ones) grouped by their calls, and the
/// emerging list cut to one row per topic.
enum TopicRows {
    /// The rankings whose phrases make topics: what customers say and ask.
    static let kinds: [RankingKind] = [.customer, .customerQuestions]

    /// Phrases whose calls the spool pass must sketch: every customer row (and the whole
    /// phrase it may grow into) and every emerging phrase.
    static func sketched(
        _ rankings: [RankingKind: [RankedPhrase]], proposals: [PhraseExtension.Proposal],
        emerging: [RankedPhrase]
    ) -> Set<NGramKey> {
        Set(kinds.flatMap { rankings[$0] ?? [] }.map(\.key) + proposals.filter { kinds.contains($0.kind) }.map(\.whole) + emerging.map(\.key))
    }

    /// Groups the customer rows and emerging phrases into topics (one candidate per phrase:
    /// its first appearance in ranking order, customers before questions).
    static func group(
        _ rankings: [RankingKind: [RankedPhrase]], emerging: [RankedPhrase], calls: [NGramKey: CallSketch],
        context: RankContext, callsProcessed: Int? = nil
    ) -> [PhraseTopic] {
        var seen = Set<NGramKey>()
        let candidates = (kinds.flatMap { rankings[$0] ?? [] } + emerging).filter { seen.insert($0.key).inserted }
        return TopicGrouper.group(candidates, calls: calls, counts: context.counts, isGeneric: context.isGeneric, callsProcessed: callsProcessed)
    }

    /// The emerging phrases with at most one per topic (the strongest): one incident said four
    /// ways is one emerging row, its other wordings listed in its topic.
    /// The topic's row sits where its strongest evidence ranks it, and shows its emerging member
    /// said in the most calls (the name when it emerges itself).
    static func oneEmergingPerTopic(_ emerging: [RankedPhrase], topics: [PhraseTopic]) -> [RankedPhrase] {
        var topicOf: [NGramKey: Int] = [:]
        for (index, topic) in topics.enumerated() { for member in topic.members { topicOf[member.key] = index } }
        var shown = Set<Int>()
        return emerging.compactMap { phrase in
            guard let index = topicOf[phrase.key] else { return phrase }
            guard shown.insert(index).inserted else { return nil }
            let name = topics[index].name.key
            let members = emerging.filter { topicOf[$0.key] == index }
            return members.first { $0.key == name } ?? members.enumerated().min { left, right in
                left.element.calls != right.element.calls ? left.element.calls > right.element.calls : left.offset < right.offset
            }?.element ?? phrase
        }
    }

    static func build(
        _ topics: [PhraseTopic], emerging: [RankedPhrase], limit: Int, counts: CountTable, callsProcessed: Int,
        examples: [NGramKey: ExampleFinder.Examples], trends: [RankingKind: [String: Trend]],
        read: (SnippetReference) -> Snippet?
    ) -> [TopicRow] {
        let emergingKeys = Set(emerging.map(\.key))
        return topics.prefix(limit).enumerated().map { index, topic in
            let rows = PhraseRows.build(
                topic.members, counts: counts, callsProcessed: callsProcessed, examples: examples,
                trends: trends, read: read)
            let members = zip(rows, topic.sharedCalls).map { row, shared in
                TopicMember(text: row.text, ranking: row.ranking, calls: row.calls, sharedCalls: shared, trend: row.trend)
            }
            let calls = topic.calls.count
            return TopicRow(
                rank: index + 1, name: rows.first?.text ?? counts.text(of: topic.name.key), calls: calls,
                callsEstimated: !topic.calls.isExact, shareOfCalls: Share.of(calls, in: callsProcessed),
                members: members, trend: rows.first?.trend,
                emerging: topic.members.contains { emergingKeys.contains($0.key) }, examples: rows.first?.examples ?? [])
        }
    }
}

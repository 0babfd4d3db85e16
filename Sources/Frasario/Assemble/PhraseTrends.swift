/// Joins a run's rankings and lexicon results with its history: trends keyed by phrase, the
/// emerging phrases, and what the history keeps of this run.
struct PhraseTrends {
    let analysis: TrendAnalysis
    let baseline: HistoryBaseline
    /// Trend of each phrase ranked or kept, by ranking and folded phrase text.
    private(set) var byRanking: [RankingKind: [String: Trend]] = [:]
    /// Emerging phrases, strongest evidence first.
    private(set) var emerging: [RankedPhrase] = []

    /// Emerging phrases listed at most.
    static let emergingLimit = 15

    /// - Parameters:
    ///   - rankings: the rows of the reports.
    ///   - kept: the most frequent phrases of each ranking's pool, which the history keeps.
    init(
        rankings: [RankingKind: [RankedPhrase]], kept: [RankingKind: [RankedPhrase]], counts: CountTable,
        summary: RunSummary, baseline: HistoryBaseline
    ) {
        self.baseline = baseline
        analysis = TrendAnalysis(
            baseline: baseline, runDate: summary.runDate, callsRead: summary.callsRead,
            callsProcessed: summary.callsProcessed)
        // Emerging phrases are what customers say (unlabelled turns count on the customer side),
        // as phrases: a single word («móvil», «cambiar») is not news, the phrase around it is.
        let emergingKinds: [RankingKind] = [.customer, .customerQuestions]
        var candidates: [(phrase: RankedPhrase, identity: String, trend: Trend)] = []
        for kind in RankingKind.allCases {
            for phrase in (kept[kind] ?? []) + (rankings[kind] ?? []) {
                let identity = counts.text(of: phrase.key)
                guard byRanking[kind]?[identity] == nil else { continue }
                let history = baseline.calls(of: identity, in: kind)
                guard let trend = analysis.trend(calls: phrase.calls, history: history.calls, floors: history.floors) else { continue }
                byRanking[kind, default: [:]][identity] = trend
                if emergingKinds.contains(kind) && TrendAnalysis.emerges(trend, calls: phrase.calls) {
                    candidates.append((phrase, identity, trend))
                }
            }
        }
        // Strongest evidence first; on a tie the longer, more specific phrase.
        candidates.sort { left, right in
            if left.trend.pValue != right.trend.pValue { return left.trend.pValue < right.trend.pValue }
            if left.phrase.calls != right.phrase.calls { return left.phrase.calls > right.phrase.calls }
            if left.phrase.key.length != right.phrase.key.length { return left.phrase.key.length > right.phrase.key.length }
            if left.phrase.kind != right.phrase.kind { return left.phrase.kind == .customer }
            return left.identity.utf8.lexicographicallyPrecedes(right.identity.utf8)
        }
        // A longer phrase stands for an emerging one only when it emerges itself: the row shows
        // its own trend, and the page promises p < 0.001 for every emerging row.
        let trendsSoFar = byRanking
        let representatives = candidates.map { candidate in
            Self.representative(of: candidate.phrase, among: kept[candidate.phrase.kind] ?? [], counts: counts) { other in
                guard let trend = trendsSoFar[other.kind]?[counts.text(of: other.key)] else { return false }
                return TrendAnalysis.emerges(trend, calls: other.calls)
            }
        }
        emerging = Array(Ranker.dropRepeats(representatives).prefix(Self.emergingLimit))
    }

    /// Adds the trends of the whole phrases the rows grew into (`PhraseExtension`), each from
    /// its own history: a night tells its calls exactly when it listed the phrase, 0 when a
    /// part is known absent, and otherwise at most its parts' calls (never its window's figure:
    /// «ya me llega el código…» is not «no me llega el código…»).
    mutating func addWholePhrases(_ rankings: [RankingKind: [RankedPhrase]], context: RankContext) {
        let counts = context.counts
        for (kind, phrases) in rankings.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            for phrase in phrases where phrase.extendedFrom != nil {
                let identity = counts.text(of: phrase.key)
                guard byRanking[kind]?[identity] == nil else { continue }
                let ids = phrase.key.ids
                let history = baseline.calls(of: identity, in: kind) { range in
                    NightPhraseCalls.lists(NGramKey(ids: Array(ids[range])), context: context)
                }
                guard let trend = analysis.trend(calls: phrase.calls, history: history.calls, floors: history.floors) else { continue }
                byRanking[kind, default: [:]][identity] = trend
            }
        }
        // An emerging phrase inside a whole phrase the rows grew into, said in nearly as many
        // calls, is shown as that whole phrase when it emerges too: one incident, one wording
        // and one set of figures (as `representative` does among the kept phrases).
        let trends = byRanking
        for index in emerging.indices {
            let window = emerging[index]
            let wholes = (rankings[window.kind] ?? []).filter { $0.extendedFrom != nil }
            let whole = Self.representative(of: window, among: wholes, counts: counts) { other in
                trends[other.kind]?[counts.text(of: other.key)].map { TrendAnalysis.emerges($0, calls: other.calls) } ?? false
            }
            guard whole.key != window.key, !emerging.contains(where: { $0.kind == whole.kind && $0.key == whole.key }) else { continue }
            emerging[index] = whole
        }
    }

    /// A longer phrase said in at least this share of a shorter one's calls stands for it.
    static let representativeCallsRatio = 0.75

    /// The longest kept phrase containing `phrase` and said in nearly as many calls ("app
    /// nueva" for "nueva"): the news is the utterance, not its most frequent word.
    static func representative(
        of phrase: RankedPhrase, among kept: [RankedPhrase], counts: CountTable,
        emerges: (RankedPhrase) -> Bool = { _ in true }
    ) -> RankedPhrase {
        let ids = phrase.key.ids
        var best = phrase
        for other in kept
        where other.key.length > best.key.length
            && Double(other.calls) >= representativeCallsRatio * Double(phrase.calls) && Ranker.contains(other.key.ids, ids)
            && emerges(other)
        {
            best = other
        }
        return best
    }

    /// Adds trends to categories and their rules.
    func annotate(_ categories: inout [CategoryResult]) {
        let categoryTrends = analysis.trends(categories.map { ($0.category, $0.calls) }, history: baseline.categories)
        let rules = categories.flatMap { category in category.rules.map { (HistoryBaseline.ruleKey(category: category.category, rule: $0.id), $0.calls) } }
        var ruleTrends = analysis.trends(rules, history: baseline.rules)[...]
        for index in categories.indices {
            categories[index].trend = categoryTrends[index]
            for ruleIndex in categories[index].rules.indices {
                categories[index].rules[ruleIndex].trend = ruleTrends.popFirst() ?? nil
            }
        }
    }

    /// What the history keeps of this run's phrases.
    static func figures(_ kept: [RankingKind: [RankedPhrase]], counts: CountTable) -> [PhraseFigure] {
        let surfaces = counts.surfaceTexts(for: Set(kept.values.flatMap { $0.map(\.key) }))
        return RankingKind.allCases.flatMap { kind in
            (kept[kind] ?? []).map { phrase in
                PhraseFigure(
                    ranking: kind, phrase: counts.text(of: phrase.key), display: surfaces[phrase.key] ?? counts.text(of: phrase.key),
                    n: phrase.key.length, count: phrase.count, calls: phrase.calls)
            }
        }
    }
}

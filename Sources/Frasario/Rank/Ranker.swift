import Foundation

/// Filters and thresholds for the rankings.
public struct RankOptions: Sendable, Equatable {
    /// A phrase must occur at least this many times in a ranking's view.
    public var minCount: Int
    /// …and in at least this many different calls.
    public var minCalls: Int
    /// Rows kept per ranking.
    public var top: Int
    /// A shorter phrase is dropped when kept longer phrases containing it account for at least
    /// this share of its occurrences ("hablar con un" inside "quiero hablar con un supervisor").
    public var subsumptionRatio: Double = 0.8
    /// Two overlapping phrases count as fragments of one utterance when the rarer is said in at
    /// least this share of the other's calls.
    public var fragmentCallsRatio: Double = 0.75
    /// A phrase of 2 or more words is ranked only when its words belong together at least this
    /// much (NPMI of its weakest split; 0 = chance, 1 = always together).
    public var minCohesion: Double = 0.3
    /// A single word is a keyword only when customers use it at least this many times more
    /// often than general Spanish does.
    public var minKeyness: Double = 4
    /// A position next to a phrase is a slot when at least this many different words fill it…
    public var minSlotFillers = 3
    /// …the most frequent of them covers at most this share of the fillers' occurrences…
    public var maxSlotFillerShare = 0.5
    /// …and the fillers together follow (or precede) at least this share of the phrase's occurrences.
    public var minSlotCoverage = 0.6
    /// Labelled turns show a phrase as the agents' when agents say at least this share of its
    /// labelled occurrences.
    static let agentShare = 0.8
    /// A phrase whose most distinctive word is used this many times more than in general
    /// Spanish counts fully; less distinctive phrases weigh less, down to `minSpecificity`.
    static let fullSpecificityKeyness = 16.0
    static let minSpecificity = 0.2
    /// The keyness one of the 1,000 most common words of Spanish needs to be a keyword.
    static let commonKeywordKeyness = 8.0
    /// Words among this many most frequent of general Spanish are "common": a phrase made
    /// only of them, none fully key, is everyday talk and is not ranked.
    static let commonWords = 1000

    public init(minCount: Int = 3, minCalls: Int = 2, top: Int = 50) {
        self.minCount = minCount
        self.minCalls = minCalls
        self.top = top
    }
}

/// A phrase chosen for a ranking, before it is turned into a report row.
struct RankedPhrase: Sendable {
    var kind: RankingKind
    var key: NGramKey
    var count: Int
    var calls: Int
    var score: Double
    /// Association of its words (NPMI of the weakest split); nil for single words.
    var cohesion: Double?
    /// Keywords only: frequency here over frequency in general Spanish.
    var keyness: Double?
    /// Phrases only: how distinctive its most distinctive word is (see `RankContext.specificity`).
    var specificity: Double?
    /// Where many different words fill one position next to the phrase.
    var slot: SlotGroup?
    /// A whole phrase longer than its ranked window (see `PhraseExtension`): the window, and
    /// the phrase's own figures (the table may not hold it).
    var extendedFrom: NGramKey?
    var stats: NGramStats?
}

/// Turns the merged count table into rankings:
/// 1. keep n-grams with at least `minCount` occurrences in `minCalls` calls in the ranking's
///    view (unlabelled turns count on the customer side unless labelled turns show the phrase
///    as the agents');
/// 2. single words go to the keywords ranking, and only when customers use them at least
///    `minKeyness` times more than general Spanish does (8 times for its 1,000 most common words);
/// 3. phrases of 2 or more words must not start or end with a function word (a question
///    starts with its interrogative), must hold a word that is not conversational nor
///    everyday talk, and their words must belong together (`cohesion` at least `minCohesion`);
/// 4. a phrase followed or preceded by many different words (agent names, products,
///    amounts) becomes one row with a slot, and the filled variants leave the ranking;
/// 5. phrases almost entirely explained by a longer kept phrase, and overlapping windows of
///    one longer utterance, are dropped;
/// 6. score: phrases by calls × cohesion × specificity × (1 + 0.25 (n − 1)), keywords by
///    calls × log2(keyness);
///    ordered by score, calls, count, then the phrase's bytes: a total order.
enum Ranker {
    static func score(calls: Int, n: Int, cohesion: Double, specificity: Double) -> Double {
        (Double(calls) * cohesion * specificity * (1 + 0.25 * Double(n - 1)) * 1000).rounded() / 1000
    }

    static func keywordScore(calls: Int, keyness: Double) -> Double {
        (Double(calls) * log2(keyness) * 1000).rounded() / 1000
    }

    /// Phrases that pass the filters (steps 1–3) in each ranking's view, before slots and
    /// subsumption, as count-table entries with their figures in that view.
    struct Pool {
        var candidates: [RankingKind: [Int]] = [:]
        var views: [RankingKind: [(count: Int32, calls: Int32)]] = [:]
        var cohesion: [Int: Double] = [:]
        var keyness: [Int: Double] = [:]
        var specificity: [Int: Double] = [:]
    }

    static func pool(_ counts: CountTable, options: RankOptions, kinds: [RankingKind] = RankingKind.allCases) -> Pool {
        pool(RankContext(counts, options: options), kinds: kinds)
    }

    /// - Complexity: O(n-grams); each measure is computed at most once per n-gram, and only
    ///   for n-grams that reach it.
    static func pool(_ context: RankContext, kinds: [RankingKind] = RankingKind.allCases) -> Pool {
        let counts = context.counts, options = context.options
        var views = [[(count: Int32, calls: Int32)]](repeating: Array(repeating: (0, 0), count: counts.count), count: kinds.count)
        var candidates = [[Int]](repeating: [], count: kinds.count)
        var pool = Pool()
        for entry in 0..<counts.count {
            let occurrences = counts.entries[entry].occurrences, calls = counts.entries[entry].calls
            guard Int(occurrences.count) >= options.minCount && Int(calls.count) >= options.minCalls else { continue }
            let key = counts.key(entry)
            if context.saysNothing(key) { continue }
            var keyness: Double?, cohesion: Double?, specificity: Double?
            var everyday: Bool?, mostlyAsked: Bool?
            for (index, kind) in kinds.enumerated() {
                if (kind == .keywords) != (key.length == 1) { continue }
                let view = context.figures(entry: entry, kind: kind)
                guard view.count >= options.minCount && view.calls >= options.minCalls else { continue }
                if kind == .keywords {
                    let measured = keyness ?? context.keyness(entry: entry)
                    keyness = measured
                    // One of the most common words of Spanish is a keyword only when fully key here.
                    let needed = context.isCommonWord(key.id(at: 0)) ? max(options.minKeyness, RankOptions.commonKeywordKeyness) : options.minKeyness
                    guard measured >= needed else { continue }
                } else {
                    // A phrase customers nearly always say as a question keeps its interrogative
                    // in every ranking («cuánto cuesta la anualidad», not «cuesta la anualidad»).
                    let asked = kind == .customerQuestions || (mostlyAsked ?? context.isMostlyAsked(occurrences))
                    mostlyAsked = mostlyAsked ?? context.isMostlyAsked(occurrences)
                    guard context.hasMeaningfulEdges(key, question: asked) else { continue }
                    let isEveryday = everyday ?? context.isEverydayTalk(key)
                    everyday = isEveryday
                    guard !isEveryday else { continue }
                    let measured = cohesion ?? context.cohesion(key, count: occurrences.count)
                    cohesion = measured
                    guard measured >= options.minCohesion else { continue }
                    if specificity == nil { specificity = context.specificity(key) }
                }
                candidates[index].append(entry)
                views[index][entry] = (Int32(clamping: view.count), Int32(clamping: view.calls))
            }
            if let keyness { pool.keyness[entry] = keyness }
            if let cohesion, let specificity {
                pool.cohesion[entry] = cohesion
                pool.specificity[entry] = specificity
            }
        }
        for (index, kind) in kinds.enumerated() {
            pool.views[kind] = views[index]
            if !candidates[index].isEmpty { pool.candidates[kind] = candidates[index] }
        }
        return pool
    }

    static func ranked(_ entry: Int, kind: RankingKind, pool: Pool, counts: CountTable) -> RankedPhrase {
        let view = pool.views[kind]![entry], key = counts.key(entry)
        if kind == .keywords {
            let keyness = pool.keyness[entry] ?? 1
            return RankedPhrase(
                kind: kind, key: key, count: Int(view.count), calls: Int(view.calls),
                score: keywordScore(calls: Int(view.calls), keyness: keyness), keyness: keyness)
        }
        let cohesion = pool.cohesion[entry] ?? 1, specificity = pool.specificity[entry] ?? 1
        return RankedPhrase(
            kind: kind, key: key, count: Int(view.count), calls: Int(view.calls),
            score: score(calls: Int(view.calls), n: key.length, cohesion: cohesion, specificity: specificity),
            cohesion: cohesion, specificity: specificity)
    }

    /// Up to `limit` phrases of each ranking's pool, by calls, then count, then bytes: what the
    /// history keeps, so that a phrase's calls are known night after night whether or not a
    /// longer phrase outranked it.
    static func mostFrequent(_ pool: Pool, counts: CountTable, limit: Int) -> [RankingKind: [RankedPhrase]] {
        var result: [RankingKind: [RankedPhrase]] = [:]
        for (kind, entries) in pool.candidates {
            let view = pool.views[kind]!
            var byCalls = entries.sorted { left, right in
                if view[left].calls != view[right].calls { return view[left].calls > view[right].calls }
                return view[left].count > view[right].count
            }
            // Keep every phrase tied with the last one, so bytes decide the cut, not table order.
            if byCalls.count > limit {
                let last = view[byCalls[limit - 1]]
                var end = limit
                while end < byCalls.count && view[byCalls[end]] == last { end += 1 }
                byCalls.removeSubrange(end...)
            }
            var phrases = byCalls.map { ranked($0, kind: kind, pool: pool, counts: counts) }
            let texts = phrases.map { counts.text(of: $0.key) }
            let order = phrases.indices.sorted { left, right in
                let a = phrases[left], b = phrases[right]
                if a.calls != b.calls { return a.calls > b.calls }
                if a.count != b.count { return a.count > b.count }
                return texts[left].utf8.lexicographicallyPrecedes(texts[right].utf8)
            }
            phrases = order.prefix(limit).map { phrases[$0] }
            result[kind] = phrases
        }
        return result
    }

    static func rank(_ counts: CountTable, options: RankOptions, kinds: [RankingKind] = RankingKind.allCases) -> [RankingKind: [RankedPhrase]] {
        rank(pool(counts, options: options, kinds: kinds), counts: counts, options: options, kinds: kinds)
    }

    /// - Parameters:
    ///   - keep: rows kept per ranking (default `options.top`); more when whole phrases may
    ///     still merge rows (`PhraseExtension.apply` cuts to `top`).
    ///   - workers: rankings ranked at once; each reads only the pool and the counts, so the
    ///     result does not depend on it.
    static func rank(
        _ pool: Pool, counts: CountTable, options: RankOptions, kinds: [RankingKind] = RankingKind.allCases,
        keep: Int? = nil, workers: Int = 1
    ) -> [RankingKind: [RankedPhrase]] {
        let ranked = Parallel.map(kinds, workers: workers) { kind in
            rank(kind, pool: pool, counts: counts, options: options, keep: keep)
        }
        return Dictionary(uniqueKeysWithValues: zip(kinds, ranked))
    }

    /// One ranking: its candidates without slot fillers and subsumed phrases, scored, cut past
    /// the top, in rank order, without fragments.
    private static func rank(
        _ kind: RankingKind, pool: Pool, counts: CountTable, options: RankOptions, keep: Int?
    ) -> [RankedPhrase] {
        guard let view = pool.views[kind] else { return [] }
        var candidates = pool.candidates[kind] ?? []
        var slots: [Int: SlotGroup] = [:]
        var ghosts = Set<Int>()
        if kind != .keywords {
            let found = SlotFinder.find(candidates, counts: counts, view: view, options: options)
            slots = found.frames
            let filled = found.filled
            candidates = candidates.filter { !filled.contains($0) }
            ghosts = filled
        }
        let kept =
            kind == .keywords
            ? candidates
            : dropSubsumed(candidates, counts: counts, view: view, ratio: options.subsumptionRatio, slots: slots, ghosts: ghosts)
        var ranked = kept.map { entry in
            var phrase = Self.ranked(entry, kind: kind, pool: pool, counts: counts)
            if let slot = slots[entry] {
                phrase.slot = slot
                // The slot is one more word of the phrase.
                phrase.score = score(
                    calls: phrase.calls, n: phrase.key.length + 1, cohesion: phrase.cohesion ?? 1,
                    specificity: phrase.specificity ?? 1)
            }
            return phrase
        }
        // Numbers first; the phrase's bytes break the remaining ties, computed only for
        // the rows that can reach the top (the cut may fall inside a tie).
        ranked.sort { left, right in
            if left.score != right.score { return left.score > right.score }
            if left.calls != right.calls { return left.calls > right.calls }
            return left.count > right.count
        }
        // Look further than `top`: fragments of a longer utterance are dropped below.
        let horizon = options.top * 3
        if ranked.count > horizon {
            let last = ranked[horizon - 1]
            var end = horizon
            while end < ranked.count && ranked[end].score == last.score && ranked[end].calls == last.calls
                && ranked[end].count == last.count
            { end += 1 }
            ranked.removeSubrange(end...)
        }
        ranked = inRankOrder(ranked, counts: counts)
        if kind != .keywords { ranked = dropFragments(ranked, ratio: options.fragmentCallsRatio) }
        return Array(ranked.prefix(keep ?? options.top))
    }

    /// `phrases` by score, calls, count, then the phrase's bytes: the total order of every
    /// ranking, so ties never depend on scheduling or token ids.
    static func inRankOrder(_ phrases: [RankedPhrase], counts: CountTable) -> [RankedPhrase] {
        let texts = phrases.map { counts.text(of: $0.key) }
        let order = phrases.indices.sorted { left, right in
            let a = phrases[left], b = phrases[right]
            if a.score != b.score { return a.score > b.score }
            if a.calls != b.calls { return a.calls > b.calls }
            if a.count != b.count { return a.count > b.count }
            return texts[left].utf8.lexicographicallyPrecedes(texts[right].utf8)
        }
        return order.map { phrases[$0] }
    }
}

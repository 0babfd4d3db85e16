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
}

/// Turns the merged count table into rankings:
/// 1. keep phrases with at least `minCount` occurrences in `minCalls` calls (in the ranking's view);
/// 2. drop multi-word phrases that start or end with a stopword, and phrases made only of stopwords,
///    conversational words (hola, buenas tardes, gracias, no, nada…) or masks;
/// 3. drop phrases almost entirely explained by a longer kept phrase, and phrases that are
///    overlapping windows of one longer utterance already ranked higher;
/// 4. score = calls × (1 + 0.5 × (n − 1)): many different calls outweigh one call repeating
///    itself, and longer phrases, being more specific, get a bonus;
/// 5. order by score, calls, count, then the phrase's bytes: a total order, so ties never depend on scheduling.
enum Ranker {
    static func score(calls: Int, n: Int) -> Double {
        Double(calls) * (1 + 0.5 * Double(n - 1))
    }

    /// Phrases that pass the filters (steps 1 and 2) in each ranking's view, before subsumption,
    /// as count-table entries with their figures in that view.
    struct Pool {
        var candidates: [RankingKind: [Int]] = [:]
        var views: [RankingKind: [(count: Int32, calls: Int32)]] = [:]
    }

    static func pool(_ counts: CountTable, options: RankOptions, kinds: [RankingKind] = RankingKind.allCases) -> Pool {
        let excluded = excludedEdgeTokens(counts)
        let masks = Set(PIIMask.allCases.compactMap { counts.tokens.lookup(Array($0.token.utf8)) })
        let chatter = conversationalTokens(counts)
        func figures(_ occurrences: OccurrenceCounts, _ calls: OccurrenceCounts, _ kind: RankingKind) -> (count: Int, calls: Int) {
            switch kind {
            case .customer: return (Int(occurrences.customer), Int(calls.customer))
            case .agent: return (Int(occurrences.agent), Int(calls.agent))
            case .customerQuestions: return (Int(occurrences.question), Int(calls.question))
            case .all: return (Int(occurrences.count), Int(calls.count))
            }
        }
        // Candidates per ranking, as entries of the count table (no hashing of keys here).
        var pool = Pool()
        for kind in kinds { pool.views[kind] = Array(repeating: (0, 0), count: counts.count) }
        for entry in 0..<counts.count {
            let occurrences = counts.entries[entry].occurrences, calls = counts.entries[entry].calls
            guard Int(occurrences.count) >= options.minCount && Int(calls.count) >= options.minCalls else { continue }
            let key = counts.key(entry)
            let first = key.id(at: 0), last = key.id(at: key.length - 1)
            if excluded[Int(first)] || excluded[Int(last)] { continue }
            if (0..<key.length).allSatisfy({ masks.contains(key.id(at: $0)) }) { continue }
            if (0..<key.length).allSatisfy({ chatter[Int(key.id(at: $0))] }) { continue }
            for kind in kinds {
                let view = figures(occurrences, calls, kind)
                if view.count >= options.minCount && view.calls >= options.minCalls {
                    pool.candidates[kind, default: []].append(entry)
                    pool.views[kind]![entry] = (Int32(clamping: view.count), Int32(clamping: view.calls))
                }
            }
        }
        return pool
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
            var phrases = byCalls.map { entry in
                RankedPhrase(kind: kind, key: counts.key(entry), count: Int(view[entry].count), calls: Int(view[entry].calls),
                             score: score(calls: Int(view[entry].calls), n: counts.key(entry).length))
            }
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

    static func rank(_ pool: Pool, counts: CountTable, options: RankOptions, kinds: [RankingKind] = RankingKind.allCases) -> [RankingKind: [RankedPhrase]] {
        let candidates = pool.candidates, views = pool.views
        var result: [RankingKind: [RankedPhrase]] = [:]
        for kind in kinds {
            let view = views[kind]!
            let kept = dropSubsumed(candidates[kind] ?? [], counts: counts, view: view, ratio: options.subsumptionRatio)
            var ranked = kept.map { entry in
                let key = counts.key(entry)
                return RankedPhrase(kind: kind, key: key, count: Int(view[entry].count), calls: Int(view[entry].calls),
                                    score: score(calls: Int(view[entry].calls), n: key.length))
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
                    && ranked[end].count == last.count { end += 1 }
                ranked.removeSubrange(end...)
            }
            let texts = ranked.map { counts.text(of: $0.key) }
            let order = ranked.indices.sorted { left, right in
                let a = ranked[left], b = ranked[right]
                if a.score != b.score { return a.score > b.score }
                if a.calls != b.calls { return a.calls > b.calls }
                if a.count != b.count { return a.count > b.count }
                return texts[left].utf8.lexicographicallyPrecedes(texts[right].utf8)
            }
            ranked = order.map { ranked[$0] }
            result[kind] = Array(dropFragments(ranked, ratio: options.fragmentCallsRatio).prefix(options.top))
        }
        return result
    }

    /// Drops a phrase inside an earlier one, or overlapping it at an edge (by two words, or by
    /// one when both are said in about as many calls): in a list of changes, "no recibo el
    /// sms" and "sms con la clave" are one piece of news.
    static func dropRepeats(_ phrases: [RankedPhrase], callsRatio: Double = 0.75) -> [RankedPhrase] {
        var kept: [RankedPhrase] = []
        var keptIDs: [[UInt32]] = []
        for phrase in phrases {
            let ids = phrase.key.ids
            let repeats = zip(kept, keptIDs).contains { other, otherIDs in
                let similar = Double(min(phrase.calls, other.calls)) >= callsRatio * Double(max(phrase.calls, other.calls))
                return contains(otherIDs, ids) || contains(ids, otherIDs)
                    || overlap(suffixOf: otherIDs, prefixOf: ids, atLeast: similar ? 1 : 2)
                    || overlap(suffixOf: ids, prefixOf: otherIDs, atLeast: similar ? 1 : 2)
            }
            if !repeats {
                kept.append(phrase)
                keptIDs.append(ids)
            }
        }
        return kept
    }

    /// True when `inner` appears as a contiguous run of `outer`.
    static func contains(_ outer: [UInt32], _ inner: [UInt32]) -> Bool {
        guard inner.count <= outer.count else { return false }
        return (0...(outer.count - inner.count)).contains { Array(outer[$0..<($0 + inner.count)]) == inner }
    }

    /// Drops a phrase that overlaps a better-ranked kept phrase by at least two words at its
    /// edge ("van a sacar la app" / "sacar la app para pagar") and is said in about as many
    /// calls: both are windows on one longer utterance (longer than --max-n), and listing
    /// each window would repeat one question several times.
    static func dropFragments(_ ranked: [RankedPhrase], ratio: Double) -> [RankedPhrase] {
        var kept: [RankedPhrase] = []
        var keptIDs: [[UInt32]] = []
        for phrase in ranked {
            let ids = phrase.key.ids
            let isFragment = zip(kept, keptIDs).contains { other, otherIDs in
                let similar = Double(min(phrase.calls, other.calls)) >= ratio * Double(max(phrase.calls, other.calls))
                return similar && (overlap(suffixOf: otherIDs, prefixOf: ids) || overlap(suffixOf: ids, prefixOf: otherIDs))
            }
            if !isFragment {
                kept.append(phrase)
                keptIDs.append(ids)
            }
        }
        return kept
    }

    /// True when `atLeast` (2 by default) or more trailing ids of `first` are the leading ids
    /// of `second`, without one phrase containing the other.
    static func overlap(suffixOf first: [UInt32], prefixOf second: [UInt32], atLeast shortest: Int = 2) -> Bool {
        let longest = min(first.count, second.count) - 1
        guard longest >= shortest else { return false }
        for length in shortest...longest where Array(first.suffix(length)) == Array(second.prefix(length)) { return true }
        return false
    }

    /// Token ids that may not open or close a multi-word phrase, nor stand alone: stopwords and
    /// discourse markers.
    static func excludedEdgeTokens(_ counts: CountTable) -> [Bool] {
        var excluded = [Bool](repeating: false, count: counts.tokens.count)
        for word in SpanishText.stopwords.union(SpanishText.discourseMarkers) {
            if let id = counts.tokens.lookup(Array(word.utf8)) { excluded[Int(id)] = true }
        }
        return excluded
    }

    /// Token ids of stopwords and conversational words: a phrase made only of these is not ranked.
    static func conversationalTokens(_ counts: CountTable) -> [Bool] {
        var chatter = excludedEdgeTokens(counts)
        for word in SpanishText.conversational {
            if let id = counts.tokens.lookup(Array(word.utf8)) { chatter[Int(id)] = true }
        }
        // A bare number ("3", "3º") says nothing on its own.
        for id in 0..<counts.tokens.count where counts.tokens.bytes(UInt32(id)).allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0xC2 || $0 == 0xBA }) {
            chatter[id] = true
        }
        return chatter
    }

    /// Longest phrases first: a phrase is kept unless a kept longer phrase containing it
    /// accounts for `ratio` of its occurrences.
    static func dropSubsumed(_ pool: [Int], counts: CountTable, view: [(count: Int32, calls: Int32)], ratio: Double) -> [Int] {
        var explained = [Int32](repeating: 0, count: counts.count)
        var kept: [Int] = []
        let byLength = Dictionary(grouping: pool) { counts.key($0).length }
        for length in byLength.keys.sorted(by: >) {
            for entry in byLength[length]! {
                let count = view[entry].count
                if explained[entry] > 0 && Double(explained[entry]) >= ratio * Double(count) { continue }
                kept.append(entry)
                guard length > 1 else { continue }
                let key = counts.key(entry)
                for start in 0..<length {
                    for end in (start + 1)...length where end - start < length {
                        var sub = NGramKey()
                        for position in start..<end { sub.append(key.id(at: position)) }
                        if let subEntry = counts.find(sub), view[subEntry].count > 0 {
                            explained[subEntry] = max(explained[subEntry], count)
                        }
                    }
                }
            }
        }
        return kept
    }
}

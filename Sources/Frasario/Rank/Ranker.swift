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
/// 3. drop phrases almost entirely explained by a longer kept phrase;
/// 4. score = calls × (1 + 0.5 × (n − 1)): many different calls outweigh one call repeating
///    itself, and longer phrases, being more specific, get a bonus;
/// 5. order by score, calls, count, then the phrase's bytes: a total order, so ties never depend on scheduling.
enum Ranker {
    static func score(calls: Int, n: Int) -> Double {
        Double(calls) * (1 + 0.5 * Double(n - 1))
    }

    static func rank(_ counts: CountTable, options: RankOptions, kinds: [RankingKind] = RankingKind.allCases) -> [RankingKind: [RankedPhrase]] {
        let excluded = excludedEdgeTokens(counts)
        let masks = Set(PIIMask.allCases.compactMap { counts.tokens.lookup(Array($0.token.utf8)) })
        let chatter = conversationalTokens(counts)
        func figures(_ stats: NGramStats, _ kind: RankingKind) -> (count: Int, calls: Int) {
            switch kind {
            case .customer: return (Int(stats.speakerCounts.0), Int(stats.speakerCalls.0))
            case .agent: return (Int(stats.speakerCounts.1), Int(stats.speakerCalls.1))
            case .customerQuestions: return (Int(stats.questionCount), Int(stats.questionCalls))
            case .all: return (Int(stats.count), Int(stats.calls))
            }
        }
        var candidates: [RankingKind: [NGramKey: (count: Int, calls: Int)]] = [:]
        for (key, stats) in counts.table where Int(stats.count) >= options.minCount && Int(stats.calls) >= options.minCalls {
            let first = key.id(at: 0), last = key.id(at: key.length - 1)
            if excluded[Int(first)] || excluded[Int(last)] { continue }
            if (0..<key.length).allSatisfy({ masks.contains(key.id(at: $0)) }) { continue }
            if (0..<key.length).allSatisfy({ chatter[Int(key.id(at: $0))] }) { continue }
            for kind in kinds {
                let view = figures(stats, kind)
                if view.count >= options.minCount && view.calls >= options.minCalls {
                    candidates[kind, default: [:]][key] = view
                }
            }
        }
        var result: [RankingKind: [RankedPhrase]] = [:]
        for kind in kinds {
            let pool = candidates[kind] ?? [:]
            let kept = dropSubsumed(pool, ratio: options.subsumptionRatio)
            var ranked = kept.map { key, view in
                RankedPhrase(kind: kind, key: key, count: view.count, calls: view.calls, score: score(calls: view.calls, n: key.length))
            }
            var texts: [NGramKey: String] = [:]
            ranked.sort { left, right in
                if left.score != right.score { return left.score > right.score }
                if left.calls != right.calls { return left.calls > right.calls }
                if left.count != right.count { return left.count > right.count }
                let leftText = texts[left.key] ?? counts.text(of: left.key)
                let rightText = texts[right.key] ?? counts.text(of: right.key)
                texts[left.key] = leftText; texts[right.key] = rightText
                return leftText.utf8.lexicographicallyPrecedes(rightText.utf8)
            }
            result[kind] = Array(ranked.prefix(options.top))
        }
        return result
    }

    /// Token ids that may not open or close a multi-word phrase, nor stand alone: stopwords.
    static func excludedEdgeTokens(_ counts: CountTable) -> [Bool] {
        var excluded = [Bool](repeating: false, count: counts.tokens.count)
        for word in SpanishText.stopwords {
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
        return chatter
    }

    /// Longest phrases first: a phrase is kept unless kept longer phrases containing it
    /// account for `ratio` of its occurrences.
    static func dropSubsumed(_ pool: [NGramKey: (count: Int, calls: Int)], ratio: Double) -> [NGramKey: (count: Int, calls: Int)] {
        var byLength: [Int: [NGramKey]] = [:]
        for key in pool.keys { byLength[key.length, default: []].append(key) }
        var explained: [NGramKey: Int] = [:]
        var kept: [NGramKey: (count: Int, calls: Int)] = [:]
        for length in byLength.keys.sorted(by: >) {
            for key in byLength[length]! {
                let view = pool[key]!
                if let cover = explained[key], Double(cover) >= ratio * Double(view.count) { continue }
                kept[key] = view
                guard length > 1 else { continue }
                for start in 0..<length {
                    for end in (start + 1)...length where end - start < length {
                        var sub = NGramKey()
                        for position in start..<end { sub.append(key.id(at: position)) }
                        if pool[sub] != nil { explained[sub] = max(explained[sub] ?? 0, view.count) }
                    }
                }
            }
        }
        return kept
    }
}

/// The n-grams one word longer than a phrase, by the phrase they extend: what a phrase is
/// said next to. Built over the n-grams said at least `minimumCount` times only, so it stays
/// small on large corpora (a neighbour worth knowing holds most of a ranked phrase's occurrences).
struct NeighbourIndex {
    /// Entries by their key without the last word (right neighbours of that phrase)…
    let byPrefix: [NGramKey: [Int]]
    /// …and without the first word (left neighbours).
    let bySuffix: [NGramKey: [Int]]

    init(_ context: RankContext, minimumCount: Int) {
        let counts = context.counts
        let floor = max(minimumCount, context.options.minCount)
        let indexed = (0..<counts.count).filter {
            counts.entries[$0].key.length >= 2 && Int(counts.entries[$0].occurrences.count) >= floor
        }
        // Sized once: growing two dictionaries of NGramKey step by step cost more than filling them.
        var byPrefix: [NGramKey: [Int]] = [:], bySuffix: [NGramKey: [Int]] = [:]
        byPrefix.reserveCapacity(indexed.count)
        bySuffix.reserveCapacity(indexed.count)
        for entry in indexed {
            let key = counts.entries[entry].key
            byPrefix[key.droppingLast, default: []].append(entry)
            bySuffix[key.droppingFirst, default: []].append(entry)
        }
        self.byPrefix = byPrefix
        self.bySuffix = bySuffix
    }

    /// The phrase one word longer that accounts for at least `share` of `key`'s occurrences,
    /// on either side, if any: «en qué le puedo ayudar» for «qué le puedo ayudar».
    func dominantNeighbour(of key: NGramKey, count: Int, share: Double, counts: CountTable) -> NGramKey? {
        for entries in [bySuffix[key], byPrefix[key]] {
            for entry in entries ?? [] where Double(counts.entries[entry].occurrences.count) >= share * Double(count) {
                return counts.key(entry)
            }
        }
        return nil
    }
}

extension NeighbourIndex {
    /// An index for growing or checking `phrases`: neighbours must hold `share` of a phrase's
    /// occurrences in some view, so none below `share` × the smallest ranked count matters.
    init(_ context: RankContext, for phrases: [RankedPhrase], share: Double) {
        let smallest = phrases.map(\.count).min() ?? context.options.minCount
        self.init(context, minimumCount: Int((share * Double(smallest)).rounded(.down)))
    }
}

extension NightPhraseCalls {
    /// Phrases listed a night at most: past it, the rarest are left out and `floor` says
    /// below how many calls a phrase may be missing (about 40 MB of history a night).
    static let entryLimit = 4_000_000

    /// The night's calls of every phrase that can ever be a row or keyword: phrases made only
    /// of function words, chatter, masks or numbers, and phrases ending in a function word,
    /// never are, whatever the counts (see `RankContext.hasMeaningfulEdges`), so they are
    /// left out; every other n-gram the table counted is listed in each speaker view.
    /// A phrase missing was said in fewer calls than the ranking thresholds (the table keeps
    /// only the phrases that reach them, see `CountTable.keepFrequent`), or, when the count
    /// tables were pruned (`--max-memory`), in up to `countErrorBound` more: `floor` says so.
    /// - Parameter wholePhrases: the rows grown past the table's longest n-grams
    ///   (`PhraseExtension`), listed with their own calls so a later night knows them exactly.
    init(_ context: RankContext, wholePhrases: [RankedPhrase] = [], limit: Int = NightPhraseCalls.entryLimit) {
        let counts = context.counts
        var listed: [(hash: UInt64, entry: Int)] = []
        // Phrases as short as the table's complete length are all listed, rows or not: their
        // absence then says a longer phrase containing them was never said (see `calls(ofPhrase:)`).
        var completeLength = counts.countErrorBound == 0 && counts.absentCallsBelow > 1 ? counts.completeLength : 0
        for entry in 0..<counts.count {
            let key = counts.entries[entry].key
            guard counts.entries[entry].calls.count > 0 else { continue }
            guard key.length <= completeLength || Self.lists(key, context: context) else { continue }
            listed.append((Self.hash(key, tokens: counts.tokens), entry))
        }
        var floor = max(Int(counts.countErrorBound) + 1, counts.absentCallsBelow + Int(counts.countErrorBound))
        if listed.count > limit {
            // The smallest floor that fits: count phrases by calls, from the most said down.
            var byCalls: [Int: Int] = [:]
            for item in listed { byCalls[Int(counts.entries[item.entry].calls.count), default: 0] += 1 }
            var kept = 0
            for calls in byCalls.keys.sorted(by: >) {
                if kept + byCalls[calls]! > limit { floor = max(floor, calls + 1); break }
                kept += byCalls[calls]!
            }
            listed.removeAll { Int(counts.entries[$0.entry].calls.count) < floor }
            completeLength = 0
        }
        let kinds: [RankingKind] = [.customer, .customerQuestions, .agent, .all]
        var rows = listed.map { item in (hash: item.hash, calls: kinds.map { UInt32(clamping: context.figures(entry: item.entry, kind: $0).calls) }) }
        for phrase in wholePhrases where phrase.key.length > counts.maxN {
            guard let stats = phrase.stats else { continue }
            rows.append((Self.hash(phrase.key, tokens: counts.tokens), kinds.map { UInt32(clamping: context.figures(stats, kind: $0).calls) }))
        }
        // Equal hashes: one phrase in two rankings (the same figures), or two phrases sharing
        // a hash (never seen; below 10⁻⁶ a night): the first one in this order stays.
        rows.sort { $0.hash != $1.hash ? $0.hash < $1.hash : $0.calls.lexicographicallyPrecedes($1.calls) }
        var hashes: [UInt64] = [], calls: [UInt32] = []
        hashes.reserveCapacity(rows.count)
        calls.reserveCapacity(rows.count * View.allCases.count)
        for row in rows {
            if hashes.last == row.hash { continue }
            hashes.append(row.hash)
            calls.append(contentsOf: row.calls)
        }
        self.init(floor: floor, completeLength: completeLength, longestLength: counts.maxN, hashes: hashes, calls: calls)
    }

    /// Whether a night lists `key` when it is said (past `completeLength`): phrases made only
    /// of chatter, masks or numbers, and phrases ending in a function word, never are rows.
    static func lists(_ key: NGramKey, context: RankContext) -> Bool {
        !context.saysNothing(key) && !(key.length > 1 && context.isFunctionWord(key.id(at: key.length - 1)))
    }

    /// `hash(words:)` of a counted n-gram, straight from the interned bytes.
    static func hash(_ key: NGramKey, tokens: TokenInterner) -> UInt64 {
        hash(words: (0..<key.length).lazy.map { tokens.bytes(key.id(at: $0)) })
    }
}

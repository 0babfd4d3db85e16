import Foundation

/// Rows that would repeat another: the agents' script in customer rankings, repeats, windows
/// of one longer utterance, and sub-phrases their longer phrase subsumes.
extension Ranker {
    /// Drops from the customer rankings the phrases that labelled turns do not attribute
    /// (fewer than `minCount` labelled occurrences) and that the lexicons' agent rules
    /// recognise as agent script, alone or with the word nearly always said next to them
    /// («qué le puedo ayudar» inside «en qué le puedo ayudar»): in calls without speaker
    /// labels, the greeting is the agent's even though no turn says so.
    static func dropAgentScript(
        _ rankings: [RankingKind: [RankedPhrase]], context: RankContext,
        isAgentScript: (String) -> Bool
    ) -> [RankingKind: [RankedPhrase]] {
        let counts = context.counts
        var neighbours: NeighbourIndex?
        var result = rankings
        for kind in [RankingKind.customer, .customerQuestions] {
            result[kind] = rankings[kind]?.filter { phrase in
                guard let stats = counts.stats(phrase.key) else { return true }
                let labelled = Int(stats.occurrences.customer + stats.occurrences.agent)
                guard labelled < context.options.minCount else { return true }
                if isAgentScript(counts.text(of: phrase.key)) { return false }
                if neighbours == nil {
                    neighbours = NeighbourIndex(
                        context, for: (rankings[.customer] ?? []) + (rankings[.customerQuestions] ?? []),
                        share: PhraseExtension.ratio)
                }
                guard
                    let longer = neighbours?.dominantNeighbour(
                        of: phrase.key, count: Int(stats.occurrences.count),
                        share: PhraseExtension.ratio, counts: counts)
                else { return true }
                return !isAgentScript(counts.text(of: longer))
            }
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
    /// each window would repeat one question several times. One shared word is enough when
    /// both are said in `sameUtteranceRatio` of each other's calls; a slot row outlives the
    /// windows beside it.

    static func dropFragments(_ ranked: [RankedPhrase], ratio: Double) -> [RankedPhrase] {
        // Slot rows first: the row with the slot is the one that stands for the utterance.
        let order = ranked.indices.filter { ranked[$0].slot != nil } + ranked.indices.filter { ranked[$0].slot == nil }
        var kept: [Int] = []
        for index in order {
            let phrase = ranked[index], ids = phrase.key.ids
            let isFragment = kept.contains { keptIndex in
                let other = ranked[keptIndex], otherIDs = other.key.ids
                let smaller = Double(min(phrase.calls, other.calls)), larger = Double(max(phrase.calls, other.calls))
                guard smaller >= ratio * larger else { return false }
                // One shared word is enough when both are said in nearly the same calls.
                let shortest = smaller >= sameUtteranceRatio * larger ? 1 : 2
                return overlap(suffixOf: otherIDs, prefixOf: ids, atLeast: shortest) || overlap(suffixOf: ids, prefixOf: otherIDs, atLeast: shortest)
            }
            if !isFragment { kept.append(index) }
        }
        return kept.sorted().map { ranked[$0] }
    }

    static let sameUtteranceRatio = 0.9

    /// True when `atLeast` (2 by default) or more trailing ids of `first` are the leading ids
    /// of `second`, without one phrase containing the other.
    static func overlap(suffixOf first: [UInt32], prefixOf second: [UInt32], atLeast shortest: Int = 2) -> Bool {
        let longest = min(first.count, second.count) - 1
        guard longest >= shortest else { return false }
        for length in shortest...longest where Array(first.suffix(length)) == Array(second.prefix(length)) { return true }
        return false
    }

    /// Longest phrases first: a phrase is kept unless a kept longer phrase containing it
    /// accounts for `ratio` of its occurrences.
    /// A slot row counts as one word longer, after the plain phrases of that length («tienda
    /// lumen buenos días habla» explains «lumen buenos días habla ‹nombre›», never the other
    /// way round); its filled variants (`ghosts`) are not kept but explain their sub-phrases
    /// («atiende mariana») as kept phrases do.
    /// Each tier is decided before it explains anything, so the result never depends on the
    /// order of `pool` (entry numbers differ between a run and merged partials).
    static func dropSubsumed(
        _ pool: [Int], counts: CountTable, view: [(count: Int32, calls: Int32)], ratio: Double,
        slots: [Int: SlotGroup] = [:], ghosts: Set<Int> = []
    ) -> [Int] {
        var explained = [Int32](repeating: 0, count: counts.count)
        var kept: [Int] = []
        struct Tier: Hashable, Comparable {
            var length: Int
            var isSlot: Bool
            static func < (left: Tier, right: Tier) -> Bool {
                left.length != right.length ? left.length > right.length : (!left.isSlot && right.isSlot)
            }
        }
        let tiers = Dictionary(grouping: pool + ghosts.sorted()) { entry in
            let isSlot = !slots.isEmpty && slots[entry] != nil
            return Tier(length: counts.key(entry).length + (isSlot ? 1 : 0), isSlot: isSlot)
        }
        for tier in tiers.keys.sorted() {
            let entries = tiers[tier] ?? []
            var explaining: [Int] = []
            for entry in entries {
                let count = view[entry].count
                if !ghosts.isEmpty && ghosts.contains(entry) {
                    explaining.append(entry)  // explains, is not kept
                } else if explained[entry] > 0 && Double(explained[entry]) >= ratio * Double(count) {
                    continue
                } else {
                    kept.append(entry)
                    explaining.append(entry)
                }
            }
            for entry in explaining {
                let key = counts.key(entry)
                guard key.length > 1 else { continue }
                let count = view[entry].count
                for start in 0..<key.length {
                    for end in (start + 1)...key.length where end - start < key.length {
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

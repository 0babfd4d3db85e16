/// Lossy Counting under a memory budget, and the merge of worker tables.
extension CountTable {
    /// Lossy Counting, triggered by memory: raises the floor F until at most `target` bytes of
    /// entries survive, deletes every n-gram whose count + delta ≤ F, and inserts later ones with
    /// delta = F. An n-gram deleted at floor F had at most F occurrences then; as F only grows,
    /// the total lost for any n-gram is at most the final F (Manku & Motwani, 2002).
    mutating func prune(to target: Int) {
        let perEntry = MemoryLayout<NGramEntry>.stride + 32
        let keep = max(1, target / perEntry)
        guard entries.count > keep else { return }
        // The smallest floor that leaves at most `keep` entries, by a histogram of count + delta.
        var histogram = [Int](repeating: 0, count: 1025)
        for entry in entries {
            let bound = Int(entry.occurrences.count &+ entry.delta)
            histogram[min(bound, 1024)] += 1
        }
        var floor = Int(countErrorBound) + 1
        var surviving = entries.count - histogram[0...min(floor, 1024)].reduce(0, +)
        while surviving > keep && floor < 1024 {
            floor += 1
            surviving -= histogram[floor]
        }
        countErrorBound = UInt32(floor)
        prunes += 1
        keepEntries(reserving: surviving + 1024) { Int($0.occurrences.count &+ $0.delta) > floor }
    }

    /// Keeps the entries `keeps` accepts, with their written forms, and rebuilds the index.
    mutating func keepEntries(reserving capacity: Int = 0, where keeps: (NGramEntry) -> Bool) {
        var kept: [NGramEntry] = []
        kept.reserveCapacity(capacity)
        var keptVariants: [SurfaceVariant] = []
        for var entry in entries where keeps(entry) {
            var link = entry.surfaceHead
            entry.surfaceHead = 0
            while link != 0 {
                let variant = surfaceVariants[Int(link - 1)]
                keptVariants.append(SurfaceVariant(display: variant.display, count: variant.count, next: entry.surfaceHead))
                entry.surfaceHead = UInt32(keptVariants.count)
                link = variant.next
            }
            kept.append(entry)
        }
        entries = kept
        surfaceVariants = keptVariants
        var size = 16
        while size < max(entries.count, 1024) * 2 { size <<= 1 }
        rebuildIndex(size: size)
    }

    /// Adds another worker's table into this one, translating its token ids.
    /// - Returns: the translation, by the other table's token id.
    @discardableResult
    mutating func merge(_ other: CountTable) -> [UInt32] {
        var remap = [UInt32](repeating: 0, count: other.tokens.count)
        for id in 0..<other.tokens.count {
            let newID = tokens.intern(other.tokens.bytes(UInt32(id)))
            if Int(newID) >= foldedIDs.count { foldedIDs.append(newID) }
            remap[id] = newID
        }
        for id in 0..<other.tokens.count {
            foldedIDs[Int(remap[id])] = remap[Int(other.foldedIDs[id])]
        }
        func translate(_ key: NGramKey) -> NGramKey {
            var translated = NGramKey()
            for position in 0..<key.length { translated.append(remap[Int(key.id(at: position))]) }
            return translated
        }
        prunes += other.prunes
        for record in other.entries {
            let entry = findOrInsert(translate(record.key))
            entries[entry].delta &+= record.delta
            entries[entry].occurrences.add(record.occurrences)
            entries[entry].calls.add(record.calls)
            var link = record.surfaceHead
            while link != 0 {
                let variant = other.surfaceVariants[Int(link - 1)]
                countSurface(entry, translate(variant.display), by: variant.count)
                link = variant.next
            }
        }
        // Each worker lost at most its own floor per n-gram: the bounds add up.
        countErrorBound &+= other.countErrorBound
        return remap
    }
}

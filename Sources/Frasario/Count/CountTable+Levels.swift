/// Level-wise counting, the frequent contiguous pattern mining of ToPMine and AutoPhrase: the
/// n-grams of length n are counted only where the two (n−1)-grams inside them are frequent.
/// An n-gram said `minimumCount` times in `minimumCalls` calls has sub-phrases said at least as
/// often, in at least as many calls, so every n-gram that can reach the thresholds is counted,
/// exactly; the long tail of n-grams said once or twice is never held in a table.
extension CountTable {
    /// An empty table for one level's n-grams, in `base`'s token ids (shared: a level never
    /// interns a token).
    init(levelOf base: CountTable, memoryBudget: Int?) {
        self.init(maxN: base.maxN, memoryBudget: memoryBudget)
        tokens = base.tokens
        foldedIDs = base.foldedIDs
    }

    /// Whether figures reach the thresholds below which an n-gram is never ranked.
    @inline(__always)
    static func reaches(occurrences: UInt32, calls: UInt32, minimumCount: Int, minimumCalls: Int) -> Bool {
        Int(occurrences) >= minimumCount && Int(calls) >= minimumCalls
    }

    /// Whether the n-gram of `entry` reaches the thresholds.
    @inline(__always)
    func reaches(_ entry: Int, minimumCount: Int, minimumCalls: Int) -> Bool {
        Self.reaches(
            occurrences: entries[entry].occurrences.count, calls: entries[entry].calls.count, minimumCount: minimumCount,
            minimumCalls: minimumCalls)
    }

    /// Drops every n-gram longer than `completeLength` said fewer than `minimumCount` times or
    /// in fewer than `minimumCalls` calls: none can be ranked (every view is a part of the
    /// whole). The shorter ones all stay (see `completeLength`).
    mutating func keepFrequent(minimumCount: Int, minimumCalls: Int, completeLength: Int) {
        absentCallsBelow = max(absentCallsBelow, minimumCount, minimumCalls)
        self.completeLength = min(self.completeLength, completeLength)
        func keeps(_ entry: NGramEntry) -> Bool {
            entry.key.length <= completeLength
                || Self.reaches(
                    occurrences: entry.occurrences.count, calls: entry.calls.count, minimumCount: minimumCount,
                    minimumCalls: minimumCalls)
        }
        guard entries.contains(where: { !keeps($0) }) else { return }
        keepEntries(where: keeps)
    }

    /// The filter of the n-grams of `length` tokens that reach the thresholds: what the next
    /// level asks at every position.
    func frequentFilter(length: Int, minimumCount: Int, minimumCalls: Int) -> NGramFilter {
        let frequent = entries.indices.filter {
            entries[$0].key.length == length && reaches($0, minimumCount: minimumCount, minimumCalls: minimumCalls)
        }
        var filter = NGramFilter(expected: frequent.count)
        for entry in frequent { filter.insert(entries[entry].key.hash64) }
        return filter
    }

    /// Which of `count` partitions an n-gram falls in: by the high bits of its hash, which the
    /// table's slots do not use first.
    @inline(__always)
    static func partition(of key: NGramKey, count: Int) -> Int {
        Int(truncatingIfNeeded: (key.hash64 >> 40) % UInt64(count))
    }

    /// Empties a level table for the next level, keeping its memory (no page is faulted in
    /// twice) unless it holds over half the memory budget (which would prune at once).
    mutating func resetForNextLevel() {
        if let memoryBudget, estimatedBytes > memoryBudget / 2 {
            entries = []
            surfaceVariants = []
            slots = [UInt64](repeating: 0, count: 1 << 15)
            slotMask = slots.count - 1
        } else {
            entries.removeAll(keepingCapacity: true)
            surfaceVariants.removeAll(keepingCapacity: true)
            slots.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        }
        currentCall = 0
        countErrorBound = 0
        prunes = 0
    }

    /// Counts the n-grams of `length` tokens in `words` (whole turns of a `TokenRecord`) whose
    /// first and last (length − 1)-grams may be in `frequent` (the filter of the frequent
    /// shorter n-grams). `remap` turns the record's ids into the table's ids.
    mutating func countLevel(_ length: Int, in words: UnsafeBufferPointer<UInt32>, remap: [UInt32], frequent: NGramFilter) {
        precondition(length >= 2 && length <= maxN)
        var questionFlags: [Bool] = []
        var frequentAt: [Bool] = []
        var position = 0
        while position < words.count {
            let turnEnd = position + 1 + Int(words[position])
            let header = words[position + 1]
            let sentenceCount = Int(words[position + 2])
            var cursor = position + 3
            position = turnEnd
            if header & TokenRecord.firstOfCallBit != 0 { beginCall() }
            let speaker = TokenRecord.speaker(of: header)
            let speakerBits = Self.callBits(of: speaker)
            for _ in 0..<sentenceCount {
                let tokenCount = Int(words[cursor])
                let first = cursor + 1
                cursor = first + 2 * tokenCount
                guard tokenCount >= length else { continue }
                foldedTokenIDs.removeAll(keepingCapacity: true)
                for token in 0..<tokenCount {
                    foldedTokenIDs.append(remap[Int(words[first + 2 * token + 1] & ~TokenRecord.questionBit)])
                }
                // Which (length − 1)-grams are frequent, each asked once; a sentence without two
                // frequent ones side by side has no candidate, and its other ids are not read.
                frequentAt.removeAll(keepingCapacity: true)
                var hasCandidate = false
                for start in 0...(tokenCount - length + 1) {
                    var key = NGramKey()
                    for token in start..<(start + length - 1) { key.append(foldedTokenIDs[token]) }
                    let isFrequent = frequent.mayContain(key.hash64)
                    if isFrequent && start > 0 && frequentAt[start - 1] { hasCandidate = true }
                    frequentAt.append(isFrequent)
                }
                guard hasCandidate else { continue }
                displayIDs.removeAll(keepingCapacity: true)
                questionFlags.removeAll(keepingCapacity: true)
                for token in 0..<tokenCount {
                    displayIDs.append(remap[Int(words[first + 2 * token])])
                    questionFlags.append(words[first + 2 * token + 1] & TokenRecord.questionBit != 0)
                }
                pending.removeAll(keepingCapacity: true)
                for start in 0...(tokenCount - length) where frequentAt[start] && frequentAt[start + 1] {
                    var key = NGramKey()
                    var surface = NGramKey()
                    var accented = false
                    for token in start..<(start + length) {
                        key.append(foldedTokenIDs[token])
                        surface.append(displayIDs[token])
                        if displayIDs[token] != foldedTokenIDs[token] { accented = true }
                    }
                    pending.append(
                        PendingNGram(key: key, surface: surface, hash: key.hash64, accented: accented, question: questionFlags[start]))
                    if pending.count >= Self.pendingBlock {
                        countPending(speaker: speaker, speakerBits: speakerBits)
                        pruneIfOverBudget()
                    }
                }
                countPending(speaker: speaker, speakerBits: speakerBits)
            }
            pruneIfOverBudget()
        }
    }

    /// Adds a level table counted in this table's token ids (see `init(levelOf:)`): all of it,
    /// or only its n-grams said at least `minimumCount` times, or only those in `partition`
    /// (index, count) by hash. Its pruning bound is the caller's to add up over one level's tables.
    /// - Returns: how many n-grams were added.
    @discardableResult
    mutating func absorbLevel(_ level: CountTable, minimumCount: Int = 1, partition: (index: Int, count: Int)? = nil) -> Int {
        if partition?.index ?? 0 == 0 { prunes += level.prunes }
        var added = 0
        for record in level.entries where Int(record.occurrences.count) >= minimumCount {
            if let partition, Self.partition(of: record.key, count: partition.count) != partition.index { continue }
            added += 1
            let entry = findOrInsert(record.key)
            entries[entry].delta &+= record.delta
            entries[entry].occurrences.add(record.occurrences)
            entries[entry].calls.add(record.calls)
            var link = record.surfaceHead
            while link != 0 {
                let variant = level.surfaceVariants[Int(link - 1)]
                countSurface(entry, variant.display, by: variant.count)
                link = variant.next
            }
        }
        return added
    }
}

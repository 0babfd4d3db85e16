import Foundation

/// What a partial needs of a count table: its entries in key order, as bytes, and a merge
/// that inserts n-grams read back from partials. Kept with the partial format it serves.
extension CountTable {
    /// Entry numbers by bucket (`EntrySection.bucket` of the key's text among `buckets`), each
    /// bucket in the byte order of the keys' texts, without sorting the texts: tokens are ranked
    /// by their bytes once, and keys compare as sequences of ranks. (A token that is a prefix of
    /// another sorts first, as the space after it does in the text.) The entries are read in
    /// table order here and split by bucket first, so each bucket is sorted on its own.
    func entriesByBucketInKeyOrder(buckets: Int) -> [[Int]] {
        let byBytes = (0..<tokens.count).sorted { tokens.bytes(UInt32($0)).lexicographicallyPrecedes(tokens.bytes(UInt32($1))) }
        var rank = [UInt64](repeating: 0, count: tokens.count)
        for (position, id) in byBytes.enumerated() { rank[id] = UInt64(position + 1) }
        let buckets = max(1, buckets)
        struct SortKey { var words: (UInt64, UInt64, UInt64, UInt64); var entry: Int }
        var bucketOf = [Int32](repeating: 0, count: buckets > 1 ? entries.count : 0)
        var sizes = [Int](repeating: 0, count: buckets)
        if buckets > 1 {
            var text: [UInt8] = []
            for entry in entries.indices {
                write(entries[entry].key, into: &text)
                let bucket = EntrySection.bucket(of: text, among: buckets)
                bucketOf[entry] = Int32(bucket)
                sizes[bucket] += 1
            }
        } else {
            sizes[0] = entries.count
        }
        var byBucket = sizes.map { [SortKey](repeating: SortKey(words: (0, 0, 0, 0), entry: 0), count: $0) }
        var filled = [Int](repeating: 0, count: buckets)
        for entry in entries.indices {
            let key = entries[entry].key
            // Two token ranks to a word, the first in the high half: (0, 0, 0, 0) sorts first.
            func word(_ first: Int) -> UInt64 {
                var word: UInt64 = 0
                if first < key.length { word |= rank[Int(key.id(at: first))] << 32 }
                if first + 1 < key.length { word |= rank[Int(key.id(at: first + 1))] }
                return word
            }
            let bucket = buckets > 1 ? Int(bucketOf[entry]) : 0
            byBucket[bucket][filled[bucket]] = SortKey(words: (word(0), word(2), word(4), word(6)), entry: entry)
            filled[bucket] += 1
        }
        return byBucket.map { keys in
            var keys = keys
            keys.sort { left, right in
                if left.words.0 != right.words.0 { return left.words.0 < right.words.0 }
                if left.words.1 != right.words.1 { return left.words.1 < right.words.1 }
                if left.words.2 != right.words.2 { return left.words.2 < right.words.2 }
                return left.words.3 < right.words.3
            }
            return keys.map(\.entry)
        }
    }

    /// Calls `body` with the entries numbered `order`, in that order. They are copied a block at
    /// a time first: the copy's reads do not wait for each other, while `body`'s work on one
    /// entry would otherwise wait for the memory of the next (the order jumps about the table).
    func forEachEntry(in order: [Int], _ body: (NGramEntry) throws -> Void) rethrows {
        let block = 4096
        var copied: [NGramEntry] = []
        copied.reserveCapacity(min(block, order.count))
        var start = 0
        while start < order.count {
            let end = min(start + block, order.count)
            copied.removeAll(keepingCapacity: true)
            for position in start..<end { copied.append(entries[order[position]]) }
            for entry in copied { try body(entry) }
            start = end
        }
    }

    /// The written forms of `entry` (an entry of this table) that differ from its key, with their counts.
    func surfaces(of entry: NGramEntry) -> [(display: [UInt8], count: UInt32)] {
        var result: [(display: [UInt8], count: UInt32)] = []
        var link = entry.surfaceHead
        while link != 0 {
            let variant = surfaceVariants[Int(link - 1)]
            result.append((bytes(of: variant.display), variant.count))
            link = variant.next
        }
        return result
    }

    /// Adds an n-gram read from partials, with its summed figures; each key comes once.
    /// Written forms teach the table which display token counts under which key token
    /// ("tres" under "3"), as counting did. `tokens` carries the previous key's tokens: keys
    /// arrive sorted, so a key's leading tokens are usually the previous key's.
    mutating func insertMerged(
        key: [UInt8], occurrences: OccurrenceCounts, calls: CallCounts, delta: UInt32,
        surfaces: [(display: [UInt8], count: UInt32)], tokens previous: inout MergedKeyTokens
    ) {
        // Tokens shared with the previous key keep their ids; the rest are interned.
        var shared = 0
        let limit = min(key.count, previous.bytes.count)
        while shared < limit && key[shared] == previous.bytes[shared] { shared += 1 }
        var kept = 0
        while kept < previous.ends.count {
            let end = previous.ends[kept]
            let wholeInNew = end < shared || (end == shared && (end == key.count || key[end] == 0x20))
            guard wholeInNew else { break }
            kept += 1
        }
        previous.ends.removeSubrange(kept...)
        previous.ids.removeSubrange(kept...)
        var start = kept == 0 ? 0 : previous.ends[kept - 1] + 1
        while start < key.count {
            var end = start
            while end < key.count && key[end] != 0x20 { end += 1 }
            previous.ids.append(internKeepingMap(key[start..<end]))
            previous.ends.append(end)
            start = end + 1
        }
        previous.bytes = key
        var ngram = NGramKey()
        for id in previous.ids { ngram.append(id) }
        let entry = findOrInsert(ngram)
        entries[entry].occurrences.add(occurrences)
        entries[entry].calls.add(calls)
        entries[entry].delta &+= delta
        for surface in surfaces {
            var display = NGramKey()
            var position = 0
            var start = 0
            let bytes = surface.display
            while start <= bytes.count {
                var end = start
                while end < bytes.count && bytes[end] != 0x20 { end += 1 }
                let id = internKeepingMap(bytes[start..<end])
                if position < previous.ids.count && id != previous.ids[position] { foldedIDs[Int(id)] = previous.ids[position] }
                display.append(id)
                position += 1
                start = end + 1
            }
            countSurface(entry, display, by: surface.count)
        }
    }

    /// Makes room for `entries` n-grams at once, so a merge does not grow the index step by step.
    /// Past 4,194,304 entries the table grows as it fills: the count comes from files, and a
    /// damaged one must not make the merge reserve more memory than it has.
    mutating func reserve(_ count: Int) {
        let count = min(count, 1 << 22)
        guard count * 2 > slots.count else { return }
        entries.reserveCapacity(count)
        var size = slots.count
        while size < count * 2 { size <<= 1 }
        rebuildIndex(size: size)
    }

    /// Takes on the pruning figures of the partials merged into this table.
    mutating func absorbPruning(errorBound: UInt32, prunes: Int) {
        countErrorBound &+= errorBound
        self.prunes += prunes
    }
}

/// The tokens of the last key merged, reused by the next (sorted keys share prefixes).
struct MergedKeyTokens {
    var bytes: [UInt8] = []
    /// End offset in `bytes` of each token, and its id.
    var ends: [Int] = []
    var ids: [UInt32] = []
}

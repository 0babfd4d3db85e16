import Foundation

/// The n-gram half of a merge, one bucket at a time: a streaming k-way merge of bucket `b` of
/// every partial, keeping what a run's level-wise counting keeps. The same code serves the
/// single-process merge (bucket after bucket) and a cluster's merge tasks (one bucket each,
/// written as a `BucketResult`), so both give the same n-grams in the same order.
enum BucketMerge {
    /// The partials to merge, each once: a partial given twice (the same bytes under any
    /// name: its checksum is its identity) is merged once, as `run` reads a file given twice
    /// once. All must agree on their fingerprint.
    static func open(_ paths: [String]) throws(PartialError) -> (readers: [PartialReader], copies: [(copy: String, first: String)]) {
        guard !paths.isEmpty else { throw .noPartials }
        OpenFileLimit.raiseToHard()
        var readers: [PartialReader] = []
        var copies: [(copy: String, first: String)] = []
        var firstWithContents: [UInt64: String] = [:]
        for path in paths {
            let reader = try PartialReader(path: path)
            if let first = firstWithContents[reader.checksum] {
                // Empty shards' partials are alike: dropping one changes nothing to tell.
                if reader.header.ingest.callsRead > 0 { copies.append((path, first)) }
            } else {
                firstWithContents[reader.checksum] = path
                readers.append(reader)
            }
        }
        let first = readers[0]
        for reader in readers.dropFirst() {
            if let difference = reader.header.fingerprint.difference(from: first.header.fingerprint) {
                throw .mismatch(path: reader.path, first: first.path, difference: difference)
            }
        }
        for reader in readers {
            guard try reader.bucketExtents().count == first.header.fingerprint.buckets else {
                throw .corrupt(path: reader.path, reason: "its bucket index does not match its header")
            }
        }
        return (readers, copies)
    }

    /// The fewest occurrences an n-gram longer than a pair needs to be kept (see
    /// `CountTable.keptMinimumCount`): it depends on the words of every partial.
    static func keptMinimum(_ readers: [PartialReader], minimum: RankOptions, everyPhraseBelowWords: Int) -> Int {
        CountTable.keptMinimumCount(
            rankingMinimum: minimum.minCount, words: readers.reduce(0) { $0 + $1.header.summary.tokens },
            everyPhraseBelow: everyPhraseBelowWords)
    }

    /// Calls `keep` with every merged n-gram of bucket `bucket` a run would keep, in key order.
    static func merge(
        bucket: Int, of readers: [PartialReader], keptMinimum: Int, keep: (PartialEntry) throws -> Void
    ) throws {
        let streams = try readers.map { reader throws(PartialError) in try reader.entries(bucket: bucket) }
        var heads: [PartialEntry?] = try streams.map { stream throws(PartialError) in try stream.next() }
        var heap = MinKeyHeap(keys: heads.map { $0?.key })
        while let top = heap.popMinimum(), var merged = heads[top] {
            heads[top] = try streams[top].next()
            heap.push(top, key: heads[top]?.key)
            while let next = heap.peekMinimum(), let other = heads[next], other.key == merged.key {
                _ = heap.popMinimum()
                merged.occurrences.add(other.occurrences)
                merged.calls.add(other.calls)
                merged.delta &+= other.delta
                merged.surfaces += other.surfaces
                heads[next] = try streams[next].next()
                heap.push(next, key: heads[next]?.key)
            }
            let frequent = CountTable.reaches(
                occurrences: merged.occurrences.count, calls: merged.calls.count, minimumCount: keptMinimum, minimumCalls: 1)
            // Words are separated by one space in a partial's keys.
            guard frequent || merged.key.lazy.filter({ $0 == 0x20 }).count < CountTable.levelwiseDirectLength else { continue }
            try keep(merged)
        }
    }
}

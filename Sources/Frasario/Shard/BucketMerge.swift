import Foundation

/// The n-gram half of a merge, one bucket at a time: a streaming k-way merge of bucket `b` of
/// every partial, keeping what a run's level-wise counting keeps. The same code serves the
/// single-process merge (bucket after bucket) and a cluster's merge tasks (one bucket each,
/// written as a `BucketResult`), so both give the same n-grams in the same order.
enum BucketMerge {
    /// The partials to merge, each once: a partial given twice (the same bytes under any
    /// name: its checksum is its identity) is merged once, as `run` reads a file given twice
    /// once. All must agree on their fingerprint.
    static func open(
        _ paths: [String], check: PartialReader.Check = .whole, keepingTally: Bool = true
    ) throws(PartialError) -> (readers: [PartialReader], copies: [(copy: String, first: String)]) {
        guard !paths.isEmpty else { throw .noPartials }
        var readers: [PartialReader] = []
        var copies: [(copy: String, first: String)] = []
        var firstWithContents: [UInt64: String] = [:]
        for path in paths {
            let reader = try PartialReader(path: path, check: check, keepingTally: keepingTally)
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
            guard try reader.entryIndex().extents.count == first.header.fingerprint.buckets else {
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

    /// Partials one k-way merge reads at once, at most. Past it the merge is a tree: groups of
    /// `fanIn` partials are merged into temporary runs (in `runsFolder`), then the runs, so a
    /// merge holds at most `fanIn` blocks in memory, whatever their number. (A run costs a
    /// second pass over its n-grams: the tree starts only where the memory would not hold.)
    /// Files are no limit: a stream opens its file only to read a block (`ByteReader`).
    static let fanIn = 128

    /// What one k-way merge reads: a partial's bucket, or a run of the merge tree.
    private enum Source {
        case partial(PartialReader, bucket: Int)
        case run(path: String, length: Int, records: Int)

        func open() throws(PartialError) -> PartialEntryStream {
            switch self {
            case .partial(let reader, let bucket): return try reader.entries(bucket: bucket)
            case .run(let path, let length, let records):
                return try PartialEntryStream(path: path, from: 0, to: length, count: records, inflating: false)
            }
        }
    }

    /// Calls `keep` with every merged n-gram of bucket `bucket` a run would keep, in key order.
    /// - Parameter runsFolder: where the merge tree's runs go (removed once merged); nil merges
    ///   every partial at once.
    static func merge(
        bucket: Int, of readers: [PartialReader], keptMinimum: Int, fanIn: Int = BucketMerge.fanIn, runsFolder: URL? = nil,
        keep: (PartialEntry) throws -> Void
    ) throws {
        let width = max(2, fanIn)
        var sources = readers.map { Source.partial($0, bucket: bucket) }
        var runs: [String] = []
        defer { for run in runs { try? FileManager.default.removeItem(atPath: run) } }
        var level = 0
        while let runsFolder, sources.count > width {
            // Contiguous groups, merged in order: equal keys meet in partial order, as in one merge.
            var merged: [Source] = []
            for (group, start) in stride(from: 0, to: sources.count, by: width).enumerated() {
                let path = runsFolder.appendingPathComponent("bucket-\(bucket)-level-\(level)-run-\(group).bin").path
                runs.append(path)
                let run = try writeRun(sources[start..<min(start + width, sources.count)], to: path)
                merged.append(.run(path: path, length: run.length, records: run.records))
            }
            sources = merged
            level += 1
        }
        try kWayMerge(sources.map { source throws(PartialError) in try source.open() }) { merged in
            let frequent = CountTable.reaches(
                occurrences: merged.occurrences.count, calls: merged.calls.count, minimumCount: keptMinimum, minimumCalls: 1)
            // Words are separated by one space in a partial's keys.
            guard frequent || merged.key.lazy.filter({ $0 == 0x20 }).count < CountTable.levelwiseDirectLength else { return }
            try keep(merged)
        }
    }

    /// Merges `sources` into one run file at `path`: every merged n-gram, none left out (the
    /// thresholds apply to the sums, at the root of the tree). Returns where its records end.
    private static func writeRun(_ sources: ArraySlice<Source>, to path: String) throws -> (length: Int, records: Int) {
        errno = 0
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw PipelineError.cannotWrite(path: path, reason: SystemErrorText.describe(errno: errno, otherwise: "a merge run cannot be created"))
        }
        defer { try? handle.close() }
        // Not deflated: a run is read once, on this machine.
        var section = EntrySection.Writer(compressed: false) { bytes in
            do { try handle.write(contentsOf: bytes) } catch {
                throw PipelineError.cannotWrite(path: path, reason: SystemErrorText.describe(error))
            }
        }
        var records = 0
        try section.beginBucket()
        try kWayMerge(sources.map { source throws(PartialError) in try source.open() }) { merged in
            try section.append(
                key: merged.key, occurrences: merged.occurrences, calls: merged.calls, delta: merged.delta, surfaces: merged.surfaces)
            records += 1
        }
        try section.finish()
        // A run is one bucket: its records are the section's bytes before the index.
        return (section.bytesWritten - EntrySection.indexBytes(buckets: 1), records)
    }

    /// A streaming k-way merge of sorted streams: each key once, its figures summed and its
    /// written forms gathered in stream order.
    private static func kWayMerge(_ streams: [PartialEntryStream], _ emit: (PartialEntry) throws -> Void) throws {
        var heads: [PartialEntry?] = try streams.map { stream throws(PartialError) in try stream.next() }
        var heap = MinKeyHeap(keys: heads.map { $0?.key })
        while let top = heap.peekMinimum(), var merged = heads[top] {
            heads[top] = try streams[top].next()
            heap.replaceMinimum(key: heads[top]?.key)
            while let next = heap.peekMinimum(), let other = heads[next], MinKeyHeap.compare(other.key, merged.key) == 0 {
                merged.occurrences.add(other.occurrences)
                merged.calls.add(other.calls)
                merged.delta &+= other.delta
                merged.surfaces += other.surfaces
                heads[next] = try streams[next].next()
                heap.replaceMinimum(key: heads[next]?.key)
            }
            try emit(merged)
        }
    }
}

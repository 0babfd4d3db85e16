import Foundation

/// One n-gram as stored in a partial.
struct PartialEntry {
    var key: [UInt8]
    var occurrences: OccurrenceCounts
    var calls: CallCounts
    var delta: UInt32
    var surfaces: [(display: [UInt8], count: UInt32)]
}

/// A partial opened for merging: checked (mark, version, checksums) and its header read.
final class PartialReader {
    /// How much of a partial is checked against its checksums, and when.
    enum Check {
        /// Every byte, against the file's checksum, before anything is read.
        case whole
        /// The header now (against the checksum its n-gram index keeps of it), and each bucket's
        /// n-grams as they are read (against theirs). For a cluster's merge tasks, which read one
        /// bucket each (R tasks read a partial once between them, not R times), and for its
        /// driver, which reads headers (the quote tasks check every partial whole).
        case asRead
    }

    let path: String
    let header: PartialHeader
    let entriesOffset: Int
    let spoolOffset: Int
    /// The checksum of the whole partial: its content identity (the same shard counted twice
    /// gives the same bytes).
    let checksum: UInt64
    /// The quoted turns' compressed section, its index read once.
    private let quotedTurns: CompressedSpool.Reader

    private let check: Check

    /// - Parameter keepingTally: false drops the header's lexicon tally once read (its rule
    ///   examples are most of a small partial's header): a merge task, which reads n-grams only,
    ///   then holds a few KB per partial, however many it merges.
    init(path: String, check: Check = .whole, keepingTally: Bool = true) throws(PartialError) {
        self.path = path
        self.check = check
        var (trailer, header) = try ChecksummedFile.open(
            path: path, magic: PartialFormat.magic, version: PartialFormat.version, header: PartialHeader.self, verify: check == .whole)
        if !keepingTally { header.tally = nil }
        self.header = header
        (entriesOffset, spoolOffset, checksum) = (trailer.first, trailer.second, trailer.checksum)
        let trailerOffset = trailer.size - PartialFormat.trailerSize
        guard let turns = CompressedSpool.Reader(url: URL(fileURLWithPath: path), start: spoolOffset, end: trailerOffset) else {
            throw .corrupt(path: path, reason: "its quoted turns' index is wrong")
        }
        quotedTurns = turns
        if check == .asRead {
            let start = try ByteReader(path: path, from: 0, to: entriesOffset, checksumming: true)
            _ = try start.bytes(entriesOffset)
            guard start.fileChecksum == (try entryIndex().prefixChecksum) else {
                throw .corrupt(path: path, reason: "its header does not match its checksum")
            }
        }
    }

    /// The entry section's index, once read.
    private var cachedIndex: EntrySection.Index?

    /// Where each bucket's n-grams are in the entry section (the index is read once).
    func entryIndex() throws(PartialError) -> EntrySection.Index {
        if let cachedIndex { return cachedIndex }
        let index = try EntrySection.index(path: path, from: entriesOffset, to: spoolOffset)
        cachedIndex = index
        return index
    }

    /// The n-grams of bucket `bucket`, in key order.
    func entries(bucket: Int) throws(PartialError) -> PartialEntryStream {
        let extent = try entryIndex().extents[bucket].ngrams
        return try PartialEntryStream(
            path: path, from: entriesOffset + extent.offset, to: entriesOffset + extent.offset + extent.length, count: extent.records,
            checksum: check == .asRead ? extent.checksum : nil)
    }

    /// The accepted calls whose ids fall in bucket `bucket`, sorted by id, with where each was
    /// read.
    func calls(bucket: Int) throws(PartialError) -> [(id: String, origin: SourceLocation)] {
        let part = try entryIndex().extents[bucket].calls
        let files = header.callFiles
        return try EntrySection.calls(path: path, section: entriesOffset, part: part, verify: check == .asRead).map {
            call throws(PartialError) in
            guard call.file < files.count else { throw .corrupt(path: path, reason: "a call names a file it does not list") }
            return (String(decoding: call.id, as: UTF8.self), SourceLocation(file: files[call.file], line: call.line))
        }
    }

    /// The partial's quoted turns, as spool `index` of the merge.
    func spool(index: Int) -> SnippetSpool {
        SnippetSpool(index: index, reading: URL(fileURLWithPath: path), compressed: quotedTurns)
    }
}

/// Decodes a partial's n-gram records one at a time (front-coded keys).
final class PartialEntryStream {
    private let reader: ByteReader
    private let path: String
    private var remaining: UInt64
    private var key: [UInt8] = []
    /// One record's thirteen figures, read at once.
    private var figures = [UInt32](repeating: 0, count: 13)
    private let checksum: UInt64?
    /// N-grams in the partial.
    let count: Int

    /// - Parameters:
    ///   - inflating: the records are in deflated blocks (false: as written, a merge tree's run).
    ///   - checksum: the bytes' `PartialChecksum`, checked once the last record is read (nil:
    ///     the file was checked whole).
    init(path: String, from start: Int, to end: Int, count: Int, inflating: Bool = true, checksum: UInt64? = nil) throws(PartialError) {
        self.path = path
        remaining = UInt64(count)
        self.count = count
        self.checksum = checksum
        reader = try ByteReader(
            path: path, from: start, to: end, inflating: inflating, chunk: PartialFormat.blockBytes, checksumming: checksum != nil)
        if count == 0 { try checkRead() }
    }

    /// With a checksum: every byte was read, and they match it.
    private func checkRead() throws(PartialError) {
        guard let checksum else { return }
        guard reader.fileChecksum == checksum else { throw .corrupt(path: path, reason: "its n-grams do not match their checksum") }
    }

    func next() throws(PartialError) -> PartialEntry? {
        guard remaining > 0 else { return nil }
        remaining -= 1
        let entry = try decode()
        if remaining == 0 { try checkRead() }
        return entry
    }

    private func decode() throws(PartialError) -> PartialEntry {
        let shared = try reader.int()
        let suffix = try reader.int()
        guard shared <= key.count else { throw .corrupt(path: path, reason: "an n-gram key is malformed") }
        key.removeSubrange(shared...)
        key.append(contentsOf: try reader.bytes(suffix))
        let shape = try reader.varint32()
        if shape != FigureShape.full {
            guard FigureShape.shapes.contains(shape) else { throw .corrupt(path: path, reason: "an n-gram's figures have an unknown shape") }
            let (occurrences, calls) = FigureShape.figures(of: shape)
            return PartialEntry(key: key, occurrences: occurrences, calls: calls, delta: 0, surfaces: [])
        }
        // The figures in `OccurrenceCounts.stored` and `CallCounts.stored` order, then delta.
        try reader.varint32s(into: &figures)
        let occurrences = OccurrenceCounts(
            count: figures[0], customer: figures[1], agent: figures[2], unknown: figures[3], question: figures[4])
        let calls = CallCounts(
            count: figures[5], customer: figures[6], agent: figures[7], unknown: figures[8], question: figures[9],
            customerSide: figures[10], agentSide: figures[11])
        let delta = figures[12]
        let surfaceCount = try reader.int()
        var surfaces: [(display: [UInt8], count: UInt32)] = []
        for _ in 0..<surfaceCount {
            let display = Array(try reader.bytes(try reader.int()))
            surfaces.append((display, try reader.varint32()))
        }
        return PartialEntry(key: key, occurrences: occurrences, calls: calls, delta: delta, surfaces: surfaces)
    }
}

/// The quote plan a final merge was given and its quote tasks' results.
public struct QuoteFiles: Sendable {
    public var plan: String
    public var results: [String]

    public init(plan: String, results: [String]) {
        self.plan = plan
        self.results = results
    }
}

/// Merges partials into one counted corpus, as if one run had read every shard's inputs:
/// a streaming k-way merge of their sorted n-grams (memory holds the merged table and one
/// record per partial, whatever their number), then the sum of their figures and tallies.
enum PartialMerge {
    /// - Parameters:
    ///   - minimum: with `everyPhraseBelowWords`, decides the n-grams longer than a pair left
    ///     out of the merged table (`CountTable.keptMinimumCount`), as a run's level-wise
    ///     counting never keeps them: most n-grams are said once, and the merge saves their cost.
    ///   - lexiconDirectory: the lexicon folder the partials were counted with (they carry its
    ///     digest, not its files); unused when they were counted without one.
    ///   - bucketResults: the n-grams already merged bucket by bucket on a cluster
    ///     (`BucketResult`, one per bucket); nil merges the partials' n-grams here.
    ///   - runsFolder: where merging many partials' n-grams keeps its tree's runs (see
    ///     `BucketMerge.merge`).
    ///   - quotes: the quote plan and the results of the cluster's quote tasks; with bucket
    ///     results, the partials are then read for their headers only (the tasks checked them).
    ///   - readsQuotedTurns: false for a quote plan, which reads no turn: with bucket results,
    ///     the partials are then read for their headers only, as with quote results.
    static func merge(
        _ paths: [String], lexiconDirectory: String?, bucketResults: [String]? = nil, quotes: QuoteFiles? = nil, threads: Int,
        minimum: RankOptions, everyPhraseBelowWords: Int, runsFolder: URL? = nil, readsQuotedTurns: Bool = true
    ) throws -> CountedCorpus {
        // With the n-grams merged by the cluster's tasks, the headers alone are read here (checked
        // against their own checksums), unless this merge quotes from the partials' turns itself.
        let check: PartialReader.Check = bucketResults != nil && (quotes != nil || !readsQuotedTurns) ? .asRead : .whole
        let (readers, copies) = try BucketMerge.open(paths, check: check)
        let checksums = readers.map { String($0.checksum, radix: 16) }
        let quoteResults = try quotes.map { quotes throws(PartialError) in
            try QuoteResultSet(quotes.results, plan: quotes.plan, partials: checksums)
        }
        let first = readers[0]
        let fingerprint = first.header.fingerprint
        // With bucket results, each merge task checked the calls of its bucket.
        if bucketResults == nil { try refuseRepeatedCalls(readers, buckets: 0..<fingerprint.buckets) }
        let lexicon = try lexicon(for: fingerprint, directory: lexiconDirectory)
        let keptMinimum = BucketMerge.keptMinimum(readers, minimum: minimum, everyPhraseBelowWords: everyPhraseBelowWords)

        // The n-grams, bucket after bucket: merged here, or read from the cluster's results.
        var counts = CountTable(maxN: fingerprint.maxN)
        var keyTokens = MergedKeyTokens()
        func insert(_ entry: PartialEntry) {
            counts.insertMerged(
                key: entry.key, occurrences: entry.occurrences, calls: entry.calls, delta: entry.delta,
                surfaces: entry.surfaces, tokens: &keyTokens)
        }
        if let bucketResults {
            let results = try BucketResultSet(
                bucketResults, buckets: fingerprint.buckets, partials: checksums,
                keptMinimum: keptMinimum)
            counts.reserve(results.records)
            for result in results.inBucketOrder {
                let stream = try result.entries()
                while let entry = try stream.next() { insert(entry) }
            }
        } else {
            // The merged table holds at least the largest partial's n-grams, at most all of them.
            let sizes = try readers.map { reader throws(PartialError) in try reader.entryIndex().extents.reduce(0) { $0 + $1.ngrams.records } }
            counts.reserve(min(sizes.reduce(0, +), (sizes.max() ?? 0) * 2) / (minimum.minCount > 1 || minimum.minCalls > 1 ? 4 : 1))
            for bucket in 0..<fingerprint.buckets {
                try BucketMerge.merge(bucket: bucket, of: readers, keptMinimum: keptMinimum, runsFolder: runsFolder, keep: insert)
            }
        }

        // What a run's level-wise counting keeps (see `Pipeline.countLevels`).
        counts.absentCallsBelow = keptMinimum
        counts.completeLength = min(fingerprint.maxN, CountTable.levelwiseDirectLength)
        var summary = RunSummary()
        var dates: [String: Int] = [:]
        var ingest = IngestAccounting()
        var warnings: [String] = []
        var tally = LexiconTally(ruleCount: lexicon?.rules.count ?? 0, categoryCount: lexicon?.categories.count ?? 0)
        var bytesRead = 0
        for (index, reader) in readers.enumerated() {
            let header = reader.header
            summary.add(header.summary)
            dates.merge(header.dates, uniquingKeysWith: +)
            bytesRead += header.bytesRead
            counts.absorbPruning(errorBound: header.countErrorBound, prunes: header.prunes)
            ingest.addFigures(of: header.ingest)
            for warning in header.discoveryWarnings where !warnings.contains(warning) { warnings.append(warning) }
            if let snapshot = header.tally, lexicon != nil {
                tally.merge(try restore(snapshot, spool: index, rules: tally.ruleCalls.count, categories: tally.categoryCalls.count, path: reader.path))
            }
        }
        var extra: [String] = []
        if !copies.isEmpty {
            let shown = copies.prefix(3).map { $0.copy == $0.first ? $0.copy : "\($0.copy) (same contents as \($0.first))" }
            extra.append(
                "Merged once: \(copies.count) partial(s) were given more than once: \(shown.joined(separator: ", "))\(copies.count > 3 ? ", …" : "")."
            )
        }
        let spools = readers.enumerated().map { $1.spool(index: $0) }
        var corpus = CountedCorpus(
            counts: counts, tally: tally, summary: summary, dates: dates, ingest: ingest, discoveryWarnings: warnings,
            lexicon: lexicon, slowRules: first.header.slowRules, spools: spools, bytesRead: bytesRead,
            countSeconds: 0, mergeSeconds: 0, extraWarnings: extra)
        corpus.partials = checksums
        corpus.quoteResults = quoteResults
        return corpus
    }

    /// The lexicon the partials were counted with, loaded from `directory` and checked against
    /// their digest; nil when they were counted without one.
    static func lexicon(for fingerprint: PartialFingerprint, directory: String?) throws -> Lexicon? {
        guard !fingerprint.lexiconDigest.isEmpty else { return nil }
        guard let directory else { throw PartialError.lexiconNeeded(files: fingerprint.lexiconFiles) }
        let lexicon = try LexiconLoader.load(directory: directory)
        let identity = PartialFingerprint.lexiconIdentity(lexicon)
        if identity.files != fingerprint.lexiconFiles {
            throw PartialError.lexiconDiffers(
                directory: directory,
                difference: "files \(identity.files.joined(separator: ", ")) here, \(fingerprint.lexiconFiles.joined(separator: ", ")) in the partials")
        }
        if identity.digest != fingerprint.lexiconDigest {
            throw PartialError.lexiconDiffers(directory: directory, difference: "the same files, other contents")
        }
        return lexicon
    }

    /// A call counted in two partials cannot be taken out of their sums: the merge stops before
    /// reporting figures that count it twice.
    static func refuseRepeatedCalls(_ readers: [PartialReader], buckets: Range<Int>) throws(PartialError) {
        var repeated: [(id: String, first: String, again: String)] = []
        // A bucket's calls at a time: a call id is in the same bucket in every partial.
        for bucket in buckets {
            var firstSeen: [String: String] = [:]
            for reader in readers {
                for call in try reader.calls(bucket: bucket) {
                    if let seen = firstSeen[call.id] {
                        repeated.append((call.id, seen, "\(call.origin) in \(reader.path)"))
                    } else {
                        firstSeen[call.id] = "\(call.origin) in \(reader.path)"
                    }
                }
            }
        }
        guard !repeated.isEmpty else { return }
        let shown = repeated.prefix(3).map { "\($0.id) (\($0.first) and \($0.again))" }.joined(separator: ", ")
        throw .repeatedCalls(count: repeated.count, shown: shown + (repeated.count > 3 ? ", …" : ""))
    }

    /// A shard's tally with its examples pointing into spool `spool` of the merge.
    static func restore(_ stored: LexiconTally, spool: Int, rules: Int, categories: Int, path: String) throws(PartialError) -> LexiconTally {
        guard stored.ruleCalls.count == rules, stored.categoryCalls.count == categories, stored.examples.count == rules,
            stored.matchedTexts.count == rules, stored.ruleTurns.count == rules, stored.ruleErrors.count == rules,
            stored.ruleErrorMessages.count == rules, stored.ruleErrorCalls.count == rules
        else {
            throw .corrupt(path: path, reason: "its lexicon tally does not fit its lexicon")
        }
        var tally = stored
        tally.moveExamples { SnippetReference(spool: spool, offset: $0.offset) }
        return tally
    }
}

/// A binary min-heap of partial indices ordered by their current key's bytes (then index),
/// for the k-way merge.
struct MinKeyHeap {
    private var items: [(index: Int, key: [UInt8])] = []

    init(keys: [[UInt8]?]) {
        for (index, key) in keys.enumerated() { push(index, key: key) }
    }

    /// The byte order of two keys: negative, zero or positive, as `memcmp`, the shorter first
    /// when one is the other's prefix.
    static func compare(_ a: [UInt8], _ b: [UInt8]) -> Int {
        let common = min(a.count, b.count)
        // SAFETY: memcmp reads `common` bytes, no more than either buffer holds; the pointers
        // do not outlive the closures.
        let order = a.withUnsafeBufferPointer { left in
            b.withUnsafeBufferPointer { right -> Int32 in
                guard common > 0, let left = left.baseAddress, let right = right.baseAddress else { return 0 }
                return memcmp(left, right, common)
            }
        }
        return order != 0 ? Int(order) : a.count - b.count
    }

    private static func less(_ a: (index: Int, key: [UInt8]), _ b: (index: Int, key: [UInt8])) -> Bool {
        let order = compare(a.key, b.key)
        return order != 0 ? order < 0 : a.index < b.index
    }

    mutating func push(_ index: Int, key: [UInt8]?) {
        guard let key else { return }
        items.append((index, key))
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.less(items[child], items[parent]) else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    func peekMinimum() -> Int? { items.first?.index }

    mutating func popMinimum() -> Int? {
        guard !items.isEmpty else { return nil }
        let top = items[0].index
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            siftDown()
        }
        return top
    }

    /// Gives the minimum's index its next key (nil: that index is done): one sift instead of a
    /// pop and a push, for the merge that advances the stream it just took from.
    mutating func replaceMinimum(key: [UInt8]?) {
        guard !items.isEmpty else { return }
        guard let key else {
            _ = popMinimum()
            return
        }
        items[0].key = key
        siftDown()
    }

    private mutating func siftDown() {
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < items.count && Self.less(items[left], items[smallest]) { smallest = left }
            if right < items.count && Self.less(items[right], items[smallest]) { smallest = right }
            if smallest == parent { break }
            items.swapAt(parent, smallest)
            parent = smallest
        }
    }
}

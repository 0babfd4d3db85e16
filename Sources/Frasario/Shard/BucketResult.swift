import Foundation

/// What one merge task writes on a cluster: bucket `bucket` of the merged n-grams of a set of
/// partials, already filtered to what a run keeps. The final merge reads every bucket's result
/// instead of the partials' n-grams; it refuses results of other partials, other thresholds, a
/// bucket missing or given twice.
///
/// Layout: "FRASBUCK", u32 version, u64 header length, JSON header, an `EntrySection` of one
/// bucket, then u64 section offset, u64 checksum, "FRASEND1".
struct BucketResult {
    struct Header: Codable, Equatable {
        var bucket: Int
        var buckets: Int
        /// The checksums of the partials merged, in the order merged: their identity.
        var partials: [String]
        var keptMinimum: Int
    }

    static let magic = Array("FRASBUCK".utf8)
    /// 2: the section's index keeps checksums (see `EntrySection`).
    /// 3: records written by shape (`FigureShape`), as in partials.
    static let version: UInt32 = 3

    let path: String
    let header: Header
    private let extent: EntrySection.Part
    private let sectionOffset: Int

    /// Merges bucket `header.bucket` of `readers` and writes it to `path`, atomically.
    /// - Parameter runsFolder: where a merge of many partials keeps its tree's runs (see
    ///   `BucketMerge.merge`).
    static func write(_ header: Header, readers: [PartialReader], to path: String, runsFolder: URL? = nil) throws {
        try ChecksummedFile.write(to: path, magic: magic, version: version, header: header) { emit, start in
            var section = EntrySection.Writer(prefixChecksum: start.checksum, emit: emit)
            try section.beginBucket()
            try BucketMerge.merge(bucket: header.bucket, of: readers, keptMinimum: header.keptMinimum, runsFolder: runsFolder) { entry in
                try section.append(
                    key: entry.key, occurrences: entry.occurrences, calls: entry.calls, delta: entry.delta, surfaces: entry.surfaces)
            }
            try section.finish()
            return (start.end, start.end + section.bytesWritten)
        }
    }

    /// Opens a result, checking its mark, version and checksum.
    init(path: String) throws(PartialError) {
        self.path = path
        let (trailer, header) = try ChecksummedFile.open(path: path, magic: Self.magic, version: Self.version, header: Header.self)
        self.header = header
        let sectionOffset = trailer.first
        let extents = try EntrySection.index(path: path, from: sectionOffset, to: trailer.second).extents
        guard extents.count == 1 else { throw .corrupt(path: path, reason: "it holds more than one bucket") }
        extent = extents[0].ngrams
        self.sectionOffset = sectionOffset
    }

    /// How many n-grams it holds.
    var recordCount: Int { extent.records }

    /// Its n-grams, in key order.
    func entries() throws(PartialError) -> PartialEntryStream {
        try PartialEntryStream(
            path: path, from: sectionOffset + extent.offset, to: sectionOffset + extent.offset + extent.length, count: extent.records)
    }
}

/// The bucket results of one merge, checked to be what the final merge needs: every bucket
/// once, of exactly these partials, filtered with the same threshold.
struct BucketResultSet {
    let inBucketOrder: [BucketResult]

    init(_ paths: [String], buckets: Int, partials: [String], keptMinimum: Int) throws(PartialError) {
        var byBucket = [BucketResult?](repeating: nil, count: buckets)
        for path in paths {
            let result = try BucketResult(path: path)
            let header = result.header
            guard header.buckets == buckets, header.bucket >= 0, header.bucket < buckets else {
                throw .bucketMismatch(path: path, reason: "it is bucket \(header.bucket) of \(header.buckets), the partials have \(buckets) buckets")
            }
            guard header.partials == partials else {
                throw .bucketMismatch(path: path, reason: "it merged other partials than the ones given (\(header.partials.count) partials, not \(partials.count))")
            }
            guard header.keptMinimum == keptMinimum else {
                throw .bucketMismatch(path: path, reason: "it kept the n-grams said \(header.keptMinimum) times or more, this merge keeps those said \(keptMinimum) times")
            }
            if let earlier = byBucket[header.bucket] {
                throw .bucketMismatch(path: path, reason: "bucket \(header.bucket) is given twice (also \(earlier.path))")
            }
            byBucket[header.bucket] = result
        }
        let missing = byBucket.indices.filter { byBucket[$0] == nil }
        guard missing.isEmpty else {
            throw .bucketsMissing(buckets: missing.prefix(5).map(String.init).joined(separator: ", ") + (missing.count > 5 ? ", …" : ""))
        }
        inBucketOrder = byBucket.compactMap { $0 }
    }

    /// N-grams in all results.
    var records: Int { inBucketOrder.reduce(0) { $0 + $1.recordCount } }
}

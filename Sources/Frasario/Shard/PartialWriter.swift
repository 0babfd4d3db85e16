import Foundation

/// Writes a shard's counted corpus as a partial file, atomically (temporary name, sync, rename).
enum PartialWriter {
    /// The n-grams are split into `fingerprint.buckets` buckets (see `EntrySection`).
    static func write(_ corpus: CountedCorpus, fingerprint: PartialFingerprint, to path: String) throws {
        let buckets = max(1, fingerprint.buckets)
        // The spool section holds every worker's quoted turns in input order; rule examples move with them.
        let layout = SpoolLayout(spools: corpus.spools)
        let spoolLength = layout.length
        let (callFiles, callsByBucket) = callRecords(corpus.ingest, buckets: buckets)
        let header = PartialHeader(
            fingerprint: fingerprint, summary: corpus.summary, dates: corpus.dates,
            ingest: corpus.ingest, callFiles: callFiles, discoveryWarnings: corpus.discoveryWarnings, slowRules: corpus.slowRules,
            countErrorBound: corpus.counts.countErrorBound, prunes: corpus.counts.prunes, bytesRead: corpus.bytesRead,
            tally: corpus.lexicon == nil ? nil : tallyInPartial(corpus.tally, layout: layout))
        try ChecksummedFile.write(to: path, magic: PartialFormat.magic, version: PartialFormat.version, header: header) { write, start in
            var written = start.end
            let emit: ([UInt8]) throws -> Void = { bytes in
                written += bytes.count
                try write(bytes)
            }

            // Entries, by bucket, sorted by key bytes within each so merges can stream them.
            let entriesOffset = written
            let counts = corpus.counts
            // One buffer for every key's bytes: a shard writes millions of keys.
            var key: [UInt8] = []
            var section = EntrySection.Writer(prefixChecksum: start.checksum, emit: emit)
            for (bucket, entries) in counts.entriesByBucketInKeyOrder(buckets: buckets).enumerated() {
                try section.beginBucket()
                try counts.forEachEntry(in: entries) { entry in
                    counts.write(entry.key, into: &key)
                    var surfaces = counts.surfaces(of: entry)
                    // Written forms in byte order: the order workers met them in depends on the thread count.
                    if surfaces.count > 1 { surfaces.sort { $0.display.lexicographicallyPrecedes($1.display) } }
                    try section.append(
                        key: key, occurrences: entry.occurrences, calls: entry.calls, delta: entry.delta, surfaces: surfaces)
                }
                try section.appendCalls(callsByBucket[bucket])
            }
            try section.finish()

            // The quoted turns, compressed in blocks with an index (`CompressedSpool`).
            let spoolOffset = written
            var spool = try CompressedSpool.Writer(rawLength: spoolLength, emit: emit)
            try layout.copy(from: corpus.spools) { try spool.add($0) }
            try spool.finish()
            return (entriesOffset, spoolOffset)
        }
    }

    /// The accepted calls by bucket of their id, sorted by id bytes within each, and the files
    /// they name (in input order).
    static func callRecords(_ ingest: IngestAccounting, buckets: Int) -> (files: [String], byBucket: [[EntrySection.CallRecord]]) {
        var files: [String] = []
        var fileIndex: [String: Int] = [:]
        var byBucket = [[EntrySection.CallRecord]](repeating: [], count: buckets)
        for call in ingest.acceptedInInputOrder {
            let file: Int
            if let known = fileIndex[call.origin.file] {
                file = known
            } else {
                file = files.count
                fileIndex[call.origin.file] = file
                files.append(call.origin.file)
            }
            let id = Array(call.id.utf8)
            byBucket[EntrySection.bucket(of: id, among: buckets)].append(EntrySection.CallRecord(id: id, file: file, line: call.origin.line))
        }
        for bucket in byBucket.indices { byBucket[bucket].sort { $0.id.lexicographicallyPrecedes($1.id) } }
        return (files, byBucket)
    }

    /// The tally with its rule examples pointing into the partial's spool section.
    static func tallyInPartial(_ tally: LexiconTally, layout: SpoolLayout) -> LexiconTally {
        var moved = tally
        moved.moveExamples { SnippetReference(spool: 0, offset: layout.offset(of: $0)) }
        return moved
    }
}

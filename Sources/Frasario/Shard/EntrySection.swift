import Foundation

/// The n-gram records of a partial or a bucket result: per bucket, records sorted by key,
/// front-coded and deflated in blocks, then (in a partial) the ids of the bucket's calls; then
/// an index of the buckets.
///
/// A partial's n-grams are split into buckets by a hash of their key, so that the merge can be
/// done bucket by bucket: by one process (bucket after bucket), or by one task per bucket on a
/// cluster (`frasario merge --bucket`), each reading only its bucket of every partial. The
/// shard's accepted calls are split the same way, by a hash of their id, so each merge task
/// checks that no call of its bucket was counted in two partials, and no machine holds every
/// call id of the night.
///
/// Layout: bucket 0's n-gram blocks and call blocks, bucket 1's, …; then for each bucket its
/// n-grams' and its calls' (u64 offset from the section's start, u64 bytes, u64 records, u64
/// checksum of those bytes); then the u64 checksum of the file's bytes before the section
/// (mark, version, header); then u64 bucket count.
///
/// The checksums let a cluster's merge task check what it reads (the header and its bucket)
/// without reading the whole partial: R merge tasks read each partial once between them, not
/// R times. The file's own checksum (its trailer) still covers every byte.
enum EntrySection {
    /// The bucket of an n-gram key (its text bytes) among `buckets`: the same on every machine.
    static func bucket(of key: some Sequence<UInt8>, among buckets: Int) -> Int {
        guard buckets > 1 else { return 0 }
        var hash = Hashing.fnvOffsetBasis
        for byte in key { hash = Hashing.fnv(hash, byte) }
        return Int(Hashing.mix(hash) % UInt64(buckets))
    }

    /// Where some records are, relative to the section's start.
    struct Part: Equatable {
        var offset: Int
        var length: Int
        var records: Int
        /// `PartialChecksum` of the records' bytes as stored.
        var checksum: UInt64
    }

    /// Where one bucket's n-grams and calls are.
    struct BucketExtent: Equatable {
        var ngrams: Part
        var calls: Part
    }

    /// An accepted call of a partial: its id, and where it was read (an index into the
    /// partial's `callFiles`, and the line).
    struct CallRecord: Equatable {
        var id: [UInt8]
        var file: Int
        var line: Int
    }

    /// A section's index: its buckets, and the checksum of the file's bytes before it.
    struct Index {
        var extents: [BucketExtent]
        var prefixChecksum: UInt64
    }

    /// Bytes of the index of a section of `buckets` buckets.
    static func indexBytes(buckets: Int) -> Int { 64 * buckets + 16 }

    /// Writes records one bucket at a time, in key order within each bucket.
    struct Writer {
        private let emit: ([UInt8]) throws -> Void
        private var written = 0
        /// Bytes of the section written so far (all of it after `finish`).
        var bytesWritten: Int { written }
        private var block = ByteWriter()
        private var previous: [UInt8] = []
        private var extents: [BucketExtent] = []
        private var records = 0
        private var inBucket = false
        private let compressed: Bool
        private let prefixChecksum: UInt64
        /// Where the records being written (the bucket's n-grams, then its calls) start, and
        /// the checksum of their bytes so far.
        private var partStart = 0
        private var partChecksum = PartialChecksum()
        /// The bucket's n-grams, once its calls have begun.
        private var finishedNGrams: Part?
        private var callRecords = 0
        private var previousCallID: [UInt8] = []

        /// - Parameters:
        ///   - emit: appends bytes to the file (and its checksum).
        ///   - compressed: deflate the blocks (partials and bucket results cross the network);
        ///     false writes the records as they are (a merge tree's local runs, read once).
        ///   - prefixChecksum: the checksum of the file's bytes before the section.
        init(compressed: Bool = true, prefixChecksum: UInt64 = 0, emit: @escaping ([UInt8]) throws -> Void) {
            self.emit = emit
            self.compressed = compressed
            self.prefixChecksum = prefixChecksum
        }

        /// Starts the next bucket (bucket numbers follow each other from 0).
        mutating func beginBucket() throws {
            if inBucket { try endBucket() }
            inBucket = true
            partStart = written
            partChecksum = PartialChecksum()
        }

        /// Ends the records being written (n-grams or calls) and starts the next part.
        private mutating func closePart(records: Int) throws -> Part {
            try flushBlock()
            let part = Part(offset: partStart, length: written - partStart, records: records, checksum: partChecksum.final)
            partStart = written
            partChecksum = PartialChecksum()
            return part
        }

        private mutating func endBucket() throws {
            let ngrams = try finishedNGrams ?? closePart(records: records)
            let calls = try closePart(records: callRecords)
            extents.append(BucketExtent(ngrams: ngrams, calls: calls))
            records = 0
            callRecords = 0
            finishedNGrams = nil
            previous = []
            previousCallID = []
        }

        /// Writes the bucket's calls, sorted by id bytes, after all of its n-grams.
        mutating func appendCalls(_ calls: [CallRecord]) throws {
            if finishedNGrams == nil { finishedNGrams = try closePart(records: records) }
            for call in calls {
                appendFrontCoded(call.id, after: previousCallID)
                block.varint(call.file)
                block.varint(call.line)
                previousCallID = call.id
                callRecords += 1
                if block.bytes.count >= PartialFormat.blockBytes { try flushBlock() }
            }
        }

        mutating func append(
            key: [UInt8], occurrences: OccurrenceCounts, calls: CallCounts, delta: UInt32,
            surfaces: [(display: [UInt8], count: UInt32)]
        ) throws {
            appendFrontCoded(key, after: previous)
            let shape = FigureShape.shape(occurrences: occurrences, calls: calls, delta: delta, surfaces: surfaces.count)
            block.varint(shape)
            if shape == FigureShape.full {
                occurrences.forEachStored { block.varint($0) }
                calls.forEachStored { block.varint($0) }
                block.varint(delta)
                block.varint(surfaces.count)
                for surface in surfaces {
                    block.varint(surface.display.count)
                    block.bytes.append(contentsOf: surface.display)
                    block.varint(surface.count)
                }
            }
            // Copied into storage of its own: the caller reuses its key buffer.
            previous.removeAll(keepingCapacity: true)
            previous.append(contentsOf: key)
            records += 1
            if block.bytes.count >= PartialFormat.blockBytes { try flushBlock() }
        }

        /// `key` as the length of the prefix it shares with `previous`, then the rest's length
        /// and bytes (keys and call ids arrive sorted, so most share a long prefix).
        private mutating func appendFrontCoded(_ key: [UInt8], after previous: [UInt8]) {
            var shared = 0
            while shared < min(previous.count, key.count) && previous[shared] == key[shared] { shared += 1 }
            block.varint(shared)
            block.varint(key.count - shared)
            block.bytes.append(contentsOf: key[shared...])
        }

        private mutating func flushBlock() throws {
            guard !block.bytes.isEmpty else { return }
            let stored = compressed ? DeflatedBlocks.block(block.bytes) : block.bytes
            try emit(stored)
            partChecksum.add(stored)
            written += stored.count
            block.bytes.removeAll(keepingCapacity: true)
        }

        /// Ends the last bucket and writes the index (a section has at least one bucket).
        mutating func finish() throws {
            if !inBucket { try beginBucket() }
            try endBucket()
            inBucket = false
            var index = ByteWriter()
            for part in extents.flatMap({ [$0.ngrams, $0.calls] }) {
                index.u64(UInt64(part.offset))
                index.u64(UInt64(part.length))
                index.u64(UInt64(part.records))
                index.u64(part.checksum)
            }
            index.u64(prefixChecksum)
            index.u64(UInt64(extents.count))
            try emit(index.bytes)
            written += index.bytes.count
        }
    }

    /// Reads the bucket index of the section `start..<end` of `path`.
    static func index(path: String, from start: Int, to end: Int) throws(PartialError) -> Index {
        guard end - start >= 16 else { throw .corrupt(path: path, reason: "its n-gram section is too short") }
        let count = Int(clamping: try ByteReader(path: path, from: end - 8, to: end).u64())
        guard count >= 1, count <= 1 << 20, end - start >= indexBytes(buckets: count) else {
            throw .corrupt(path: path, reason: "its bucket index is wrong")
        }
        let recordsEnd = end - start - indexBytes(buckets: count)
        let reader = try ByteReader(path: path, from: end - indexBytes(buckets: count), to: end - 8)
        func part() throws(PartialError) -> Part {
            let part = Part(
                offset: Int(clamping: try reader.u64()), length: Int(clamping: try reader.u64()), records: Int(clamping: try reader.u64()),
                checksum: try reader.u64())
            guard part.offset >= 0, part.length >= 0, part.records >= 0, part.offset <= recordsEnd - part.length else {
                throw .corrupt(path: path, reason: "its bucket index points outside its n-grams")
            }
            // A record is 4 bytes or more before deflate, which packs at most 1,032 to 1.
            guard part.records <= part.length * 258 + 1 else { throw .corrupt(path: path, reason: "its bucket index counts too many records") }
            return part
        }
        var extents: [BucketExtent] = []
        for _ in 0..<count { extents.append(BucketExtent(ngrams: try part(), calls: try part())) }
        return Index(extents: extents, prefixChecksum: try reader.u64())
    }

    /// The calls of a partial's bucket (`part` of the section starting at `start`), checked
    /// against their checksum when `verify`.
    static func calls(path: String, section start: Int, part: Part, verify: Bool) throws(PartialError) -> [CallRecord] {
        let reader = try ByteReader(
            path: path, from: start + part.offset, to: start + part.offset + part.length, inflating: true, chunk: PartialFormat.blockBytes,
            checksumming: verify)
        var calls: [CallRecord] = []
        var id: [UInt8] = []
        for _ in 0..<part.records {
            let shared = try reader.int()
            guard shared <= id.count else { throw .corrupt(path: path, reason: "a call id is malformed") }
            id.removeSubrange(shared...)
            id.append(contentsOf: try reader.bytes(try reader.int()))
            calls.append(CallRecord(id: id, file: try reader.int(), line: try reader.int()))
        }
        if verify {
            guard reader.fileChecksum == part.checksum else { throw .corrupt(path: path, reason: "its calls do not match their checksum") }
        }
        return calls
    }
}

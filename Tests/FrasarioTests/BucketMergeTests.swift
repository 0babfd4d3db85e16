import Foundation
import Testing
@testable import Frasario

@Suite("Distributed merge: partials in buckets, one merge task per bucket, the same reports as one run")
struct BucketMergeTests {
    /// Counts `shards` into partials with `buckets` buckets.
    static func partials(
        _ shards: [[String]], buckets: Int, root: URL, name: String, everyPhraseBelowWords: Int = 1_000_000
    ) throws -> [String] {
        try shards.enumerated().map { index, shard in
            let partial = root.appendingPathComponent("\(name)/part-\(index).frp").path
            var configuration = ShardTests.configuration(shard, out: root, everyPhraseBelowWords: everyPhraseBelowWords)
            configuration.partialBuckets = buckets
            _ = try Pipeline.countPartial(configuration, to: partial)
            return partial
        }
    }

    /// Merges every bucket as a cluster's tasks would, into `name/buckets/`.
    static func mergeBuckets(
        _ partials: [String], buckets: Int, root: URL, name: String, everyPhraseBelowWords: Int = 1_000_000
    ) throws -> [String] {
        try (0..<buckets).map { bucket in
            let result = root.appendingPathComponent("\(name)/buckets/bucket-\(bucket).frb").path
            try Pipeline.mergeBucket(
                partials, bucket: bucket, configuration: ShardTests.configuration(partials, out: root, everyPhraseBelowWords: everyPhraseBelowWords),
                to: result)
            return result
        }
    }

    @Test("bucket by bucket on merge tasks, or all buckets in one merge: byte-identical to one run, on a small night and a large-night setting")
    func bucketMergeGivesTheRunsReports() throws {
        let (root, files) = try ShardTests.corpus()
        for everyPhraseBelowWords in [1_000_000, 1] {
            let name = "below-\(everyPhraseBelowWords)"
            let reference = root.appendingPathComponent("\(name)/run")
            _ = try Pipeline.run(ShardTests.configuration(files, out: reference, everyPhraseBelowWords: everyPhraseBelowWords))
            let shards = [Array(files.prefix(7)), Array(files.dropFirst(7).prefix(20)), Array(files.dropFirst(27))]
            let partials = try Self.partials(shards, buckets: 5, root: root, name: name, everyPhraseBelowWords: everyPhraseBelowWords)
            let results = try Self.mergeBuckets(partials, buckets: 5, root: root, name: name, everyPhraseBelowWords: everyPhraseBelowWords)
            let distributed = root.appendingPathComponent("\(name)/distributed")
            _ = try Pipeline.merge(
                partials, bucketResults: results.reversed(),
                configuration: ShardTests.configuration(partials, out: distributed, everyPhraseBelowWords: everyPhraseBelowWords))
            try ShardTests.expectSameReports(reference, distributed, "\(name), 5 merge tasks")
            let single = root.appendingPathComponent("\(name)/single")
            _ = try Pipeline.merge(
                partials, configuration: ShardTests.configuration(partials, out: single, everyPhraseBelowWords: everyPhraseBelowWords))
            try ShardTests.expectSameReports(reference, single, "\(name), one merge of 5 buckets")
        }
    }

    @Test("the final merge refuses a bucket missing or given twice, results of other partials or thresholds, and partials counted in other buckets")
    func bucketResultsThatDoNotFitAreRefused() throws {
        let (root, files) = try ShardTests.corpus()
        let partials = try Self.partials([Array(files.prefix(10)), Array(files.dropFirst(10))], buckets: 3, root: root, name: "fit")
        let results = try Self.mergeBuckets(partials, buckets: 3, root: root, name: "fit")
        let out = root.appendingPathComponent("fit/out")
        func merge(_ partials: [String], _ results: [String], largeNight: Bool = false) throws {
            let configuration = ShardTests.configuration(partials, out: out, everyPhraseBelowWords: largeNight ? 1 : 1_000_000)
            _ = try Pipeline.merge(partials, bucketResults: results, configuration: configuration)
        }
        #expect(throws: PartialError.bucketsMissing(buckets: "2")) { try merge(partials, Array(results.prefix(2))) }
        #expect(throws: PartialError.bucketMismatch(path: results[0], reason: "bucket 0 is given twice (also \(results[0]))")) {
            try merge(partials, results + [results[0]])
        }
        #expect(throws: PartialError.bucketMismatch(path: results[0], reason: "it merged other partials than the ones given (2 partials, not 1)")) {
            try merge([partials[0]], results)
        }
        // Merged for a small night (everything kept), finished as a large one (rare phrases dropped).
        #expect(throws: PartialError.self) { try merge(partials, results, largeNight: true) }
        let other = try Self.partials([Array(files.prefix(3))], buckets: 2, root: root, name: "other-buckets")
        #expect(throws: PartialError.self) { try merge(partials + other, results) }
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("report.json").path))
        do {
            try Pipeline.mergeBucket(partials, bucket: 3, configuration: ShardTests.configuration(partials, out: root), to: root.appendingPathComponent("x.frb").path)
            Issue.record("bucket 3 of 3 was merged")
        } catch let error as PipelineError {
            #expect(error.description == "--bucket must be between 0 and 2: the partials were counted in 3 bucket(s).")
        }
    }

    @Test("a merge task reads only its bucket: the buckets split the n-grams, each once, and a corrupt result is refused by its checksum")
    func bucketsSplitTheNGrams() throws {
        let (root, files) = try ShardTests.corpus()
        let partials = try Self.partials([files], buckets: 4, root: root, name: "split")
        let whole = try Self.partials([files], buckets: 1, root: root, name: "whole")
        let results = try Self.mergeBuckets(partials, buckets: 4, root: root, name: "split")
        let one = try Self.mergeBuckets(whole, buckets: 1, root: root, name: "whole")
        var keys = Set<[UInt8]>()
        var total = 0
        for path in results {
            let stream = try BucketResult(path: path).entries()
            while let entry = try stream.next() {
                keys.insert(entry.key)
                total += 1
            }
        }
        let oneResult = try BucketResult(path: one[0])
        #expect(total == keys.count)
        #expect(total == oneResult.recordCount)
        #expect(total > 1_000)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: results[1]))
        bytes[bytes.count / 2] ^= 0x40
        try bytes.write(to: URL(fileURLWithPath: results[1]))
        #expect(throws: PartialError.corrupt(path: results[1], reason: "its checksum does not match its contents")) {
            _ = try BucketResult(path: results[1])
        }
    }

    @Test(
        "a merge task checks the header and its own bucket, not the whole partial: a byte flipped in its bucket or the header is refused, one in another bucket is left to that bucket's task and the quote tasks"
    )
    func mergeTaskChecksWhatItReads() throws {
        let (root, files) = try ShardTests.corpus()
        let partial = try Self.partials([files], buckets: 4, root: root, name: "checked")[0]
        let original = try Data(contentsOf: URL(fileURLWithPath: partial))
        let reader = try PartialReader(path: partial)
        let index = try reader.entryIndex()
        // A merge task keeps no rule tally (the final merge adds them from the headers).
        #expect(reader.header.tally != nil)
        #expect(try PartialReader(path: partial, check: .asRead, keepingTally: false).header.tally == nil)
        func damaged(_ offset: Int, name: String, flipping bit: UInt8 = 0x40) throws -> String {
            var bytes = original
            bytes[offset] ^= bit
            let path = root.appendingPathComponent("checked/\(name).frp").path
            try bytes.write(to: URL(fileURLWithPath: path))
            return path
        }
        func mergeTask(_ path: String, bucket: Int) throws {
            try Pipeline.mergeBucket(
                [path], bucket: bucket, configuration: ShardTests.configuration([path], out: root),
                to: root.appendingPathComponent("checked/result-\(bucket).frb").path)
        }
        // A byte in the middle of bucket 2's blocks: refused by bucket 2's task, unseen by bucket 0's.
        let bucketTwo = index.extents[2].ngrams
        let inBucketTwo = try damaged(reader.entriesOffset + bucketTwo.offset + bucketTwo.length / 2, name: "bucket-2")
        #expect(throws: PartialError.self) { try mergeTask(inBucketTwo, bucket: 2) }
        try mergeTask(inBucketTwo, bucket: 0)
        // The whole-file check of a single merge and of a quote task still sees it.
        #expect(throws: PartialError.corrupt(path: inBucketTwo, reason: "its checksum does not match its contents")) {
            _ = try PartialReader(path: inBucketTwo)
        }
        // One digit of the header's JSON changed into another (it still decodes): every merge
        // task refuses it. The JSON starts after the mark, version and length (20 bytes).
        let digit = try #require((20..<reader.entriesOffset).first { original[$0] >= 0x30 && original[$0] <= 0x39 })
        let inHeader = try damaged(digit, name: "header", flipping: 0x01)
        #expect(throws: PartialError.corrupt(path: inHeader, reason: "its header does not match its checksum")) {
            try mergeTask(inHeader, bucket: 0)
        }
    }

    @Test("a partial keeps its calls' ids by bucket, not in its header: each merge task refuses a call counted in two partials if its id falls in its bucket")
    func mergeTasksCheckTheirBucketsCalls() throws {
        let (root, files) = try ShardTests.corpus()
        let partials = try Self.partials([Array(files.prefix(3)), Array(files.prefix(1))], buckets: 4, root: root, name: "calls")
        let reader = try PartialReader(path: partials[0])
        // The header the driver reads names no call; the buckets hold every accepted call once.
        let header = try Data(contentsOf: URL(fileURLWithPath: partials[0])).prefix(reader.entriesOffset)
        #expect(String(decoding: header, as: UTF8.self).contains("sem-1121-0001") == false)
        let stored = try (0..<4).flatMap { bucket in try reader.calls(bucket: bucket).map(\.id) }
        #expect(stored.sorted() == ["sem-1121-0001", "sem-1121-0002", "sem-1121-0003"])
        #expect(reader.header.summary.callsProcessed == 3)
        // sem-1121-0001 is in both partials: the task of its bucket refuses them, the others merge.
        let repeatedBucket = EntrySection.bucket(of: Array("sem-1121-0001".utf8), among: 4)
        for bucket in 0..<4 {
            let merge = {
                try Pipeline.mergeBucket(
                    partials, bucket: bucket, configuration: ShardTests.configuration(partials, out: root),
                    to: root.appendingPathComponent("calls/bucket-\(bucket).frb").path)
            }
            if bucket == repeatedBucket {
                #expect(throws: PartialError.self) { try merge() }
            } else {
                try merge()
            }
        }
    }

    @Test("indexes with impossible figures are refused even under a matching checksum: a block past the end, more records than bytes")
    func impossibleIndexesAreRefused() throws {
        let (root, files) = try ShardTests.corpus()
        let partial = try Self.partials([files], buckets: 4, root: root, name: "impossible")[0]
        let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: partial)))
        let reader = try PartialReader(path: partial)
        /// `bytes` with `value` at `offset` and the trailer's checksum written over the change,
        /// as a writer with a bug would leave it.
        func resealed(_ value: UInt64, at offset: Int, name: String) throws -> String {
            var bytes = original
            for index in 0..<8 { bytes[offset + index] = UInt8(value >> UInt64(8 * index) & 0xFF) }
            let trailer = bytes.count - PartialFormat.trailerSize
            var checksum = PartialChecksum()
            checksum.add(bytes[..<trailer])
            for index in 0..<8 { bytes[trailer + 16 + index] = UInt8(checksum.final >> UInt64(8 * index) & 0xFF) }
            return TestSupport.write(bytes: bytes, to: "impossible/\(name).frp", in: root)
        }
        // The quoted turns' first block said to start near the end of the address space.
        let trailer = original.count - PartialFormat.trailerSize
        let blocks = Int(original[trailer - 8]) | Int(original[trailer - 7]) << 8 | Int(original[trailer - 6]) << 16
        let farBlock = try resealed(UInt64(Int.max - 4), at: trailer - 8 - 8 * blocks, name: "far-block")
        #expect(throws: PartialError.corrupt(path: farBlock, reason: "its quoted turns' index is wrong")) {
            _ = try PartialReader(path: farBlock)
        }
        // Bucket 0's n-grams said to number 2^62: the merge would reserve memory for them.
        let index = reader.spoolOffset - EntrySection.indexBytes(buckets: 4)
        let manyRecords = try resealed(1 << 62, at: index + 16, name: "many-records")
        #expect(throws: PartialError.corrupt(path: manyRecords, reason: "its bucket index counts too many records")) {
            try Pipeline.merge([manyRecords], configuration: ShardTests.configuration([manyRecords], out: root.appendingPathComponent("out")))
        }
    }

    @Test("an n-gram said once is written as the shape of its figures, one byte, and reads back with exactly its figures; any other is written in full")
    func figureShapesAreExact() throws {
        for shape in FigureShape.shapes {
            let (occurrences, calls) = FigureShape.figures(of: shape)
            #expect(FigureShape.shape(occurrences: occurrences, calls: calls, delta: 0, surfaces: 0) == shape)
        }
        typealias Record = (key: String, occurrences: OccurrenceCounts, calls: CallCounts, delta: UInt32, surfaces: [(display: [UInt8], count: UInt32)])
        let customerOnce = FigureShape.figures(of: 1)
        let agentAskedOnce = FigureShape.figures(of: 5)
        var twice = customerOnce
        twice.occurrences.count = 2
        twice.occurrences.customer = 2
        var sideMissing = customerOnce
        sideMissing.calls.customerSide = 0
        let records: [Record] = [
            ("cancelar la tarjeta", customerOnce.occurrences, customerOnce.calls, 0, []),
            ("cancelar la tarjeta de", twice.occurrences, twice.calls, 0, []),
            ("me pueden ayudar", agentAskedOnce.occurrences, agentAskedOnce.calls, 0, []),
            ("me pueden ayudar con", customerOnce.occurrences, customerOnce.calls, 3, []),
            ("no me llegó", customerOnce.occurrences, customerOnce.calls, 0, [(Array("no me llego".utf8), 1)]),
            ("no me llegó el", sideMissing.occurrences, sideMissing.calls, 0, []),
        ]
        var bytes: [UInt8] = []
        var section = EntrySection.Writer(compressed: false) { bytes.append(contentsOf: $0) }
        try section.beginBucket()
        for record in records {
            try section.append(
                key: Array(record.key.utf8), occurrences: record.occurrences, calls: record.calls, delta: record.delta,
                surfaces: record.surfaces)
        }
        try section.finish()
        let path = Self.temporaryFile(bytes)
        let stream = try PartialEntryStream(path: path, from: 0, to: bytes.count, count: records.count, inflating: false)
        for record in records {
            let entry = try #require(try stream.next())
            #expect(String(decoding: entry.key, as: UTF8.self) == record.key)
            #expect(entry.occurrences == record.occurrences)
            #expect(entry.calls == record.calls)
            #expect(entry.delta == record.delta)
            #expect(entry.surfaces.map(\.display) == record.surfaces.map(\.display))
        }
        #expect(try stream.next() == nil)
        // The first record alone: key front-coding (shared 0, length 19, 19 bytes) and one shape byte.
        var first = EntrySection.Writer(compressed: false) { _ in }
        try first.beginBucket()
        try first.append(key: Array("cancelar la tarjeta".utf8), occurrences: customerOnce.occurrences, calls: customerOnce.calls, delta: 0, surfaces: [])
        try first.finish()
        var full = EntrySection.Writer(compressed: false) { _ in }
        try full.beginBucket()
        try full.append(key: Array("cancelar la tarjeta".utf8), occurrences: sideMissing.occurrences, calls: sideMissing.calls, delta: 0, surfaces: [])
        try full.finish()
        #expect(first.bytesWritten == 2 + 19 + 1 + EntrySection.indexBytes(buckets: 1))
        #expect(full.bytesWritten == 2 + 19 + 1 + 14 + EntrySection.indexBytes(buckets: 1))
    }

    @Test("a compressed block that claims more bytes than deflate can give is refused before anything is reserved; a plain one reads back")
    func compressedBlockLengthsAreBounded() throws {
        let text = Array(String(repeating: "no me llegó el código de verificación ", count: 40).utf8)
        let good = Self.temporaryFile(DeflatedBlocks.block(text), name: "good")
        let reader = try ByteReader(path: good, from: 0, to: DeflatedBlocks.block(text).count, inflating: true)
        #expect(Array(try reader.bytes(text.count)) == text)
        // Raw length 2^31 - 1 from ten compressed bytes: at most 10 × 1,032 could be real.
        let claim: [UInt8] = [0xFF, 0xFF, 0xFF, 0x7F, 10, 0, 0, 0] + [UInt8](repeating: 0x03, count: 10)
        let damaged = Self.temporaryFile(claim, name: "damaged")
        let stream = try ByteReader(path: damaged, from: 0, to: claim.count, inflating: true)
        #expect(throws: PartialError.corrupt(path: damaged, reason: "a compressed block claims more bytes than it can hold")) {
            _ = try stream.byte()
        }
    }

    static func temporaryFile(_ bytes: [UInt8], name: String = #function) -> String {
        let folder = TestSupport.temporaryDirectory(name)
        let path = folder.appendingPathComponent("records.bin").path
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    @Test("a merge of more partials than one k-way merge reads is a tree of runs: the same n-grams, figures and written forms, and no run left behind")
    func mergeTreeGivesTheSameNGrams() throws {
        let (root, files) = try ShardTests.corpus()
        let shards = stride(from: 0, to: files.count, by: max(1, files.count / 9)).map { Array(files[$0..<min($0 + max(1, files.count / 9), files.count)]) }
        #expect(shards.count >= 9)
        let partials = try Self.partials(shards, buckets: 2, root: root, name: "tree", everyPhraseBelowWords: 1)
        let readers = try BucketMerge.open(partials).readers
        let runsFolder = root.appendingPathComponent("tree/runs")
        try FileManager.default.createDirectory(at: runsFolder, withIntermediateDirectories: true)
        func described(_ entry: PartialEntry) -> String {
            "\(String(decoding: entry.key, as: UTF8.self))|\(entry.occurrences.stored)|\(entry.calls.stored)|\(entry.delta)|"
                + entry.surfaces.map { "\(String(decoding: $0.display, as: UTF8.self))=\($0.count)" }.joined(separator: ",")
        }
        for bucket in 0..<2 {
            var flat: [String] = []
            try BucketMerge.merge(bucket: bucket, of: readers, keptMinimum: 2) { flat.append(described($0)) }
            var tree: [String] = []
            var runsWhileMerging = 0
            // Groups of two: nine partials make five runs, then three, then two, then the root.
            try BucketMerge.merge(bucket: bucket, of: readers, keptMinimum: 2, fanIn: 2, runsFolder: runsFolder) { entry in
                if tree.isEmpty { runsWhileMerging = try FileManager.default.contentsOfDirectory(atPath: runsFolder.path).count }
                tree.append(described(entry))
            }
            #expect(flat.count > 100)
            #expect(tree == flat)
            #expect(runsWhileMerging >= 9)
            #expect(try FileManager.default.contentsOfDirectory(atPath: runsFolder.path).isEmpty)
        }
    }
}

@Suite("Partial headers: figures out of range are refused before any sum")
struct PartialHeaderFigureTests {
    @Test("a header figure that is negative, past 2⁴⁰ or not finite is named; ordinary figures pass")
    func outOfRangeFiguresAreNamed() {
        #expect(ChecksummedFile.outOfRangeFigure(in: Data(#"{"summary": {"callsRead": 12, "share": 0.25}, "dates": {"2026-11-16": 40}}"#.utf8)) == nil)
        #expect(ChecksummedFile.outOfRangeFigure(in: Data(#"{"tally": {"examples": [[{"offset": -1}]]}}"#.utf8)) == "-1")
        #expect(ChecksummedFile.outOfRangeFigure(in: Data(#"{"summary": {"piiMasked": {"url": 9223372036854775807}}}"#.utf8)) != nil)
        #expect(ChecksummedFile.outOfRangeFigure(in: Data(#"[1, 2, [3, {"a": 1e300}]]"#.utf8)) != nil)
    }
}

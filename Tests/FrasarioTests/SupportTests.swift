import Foundation
import Testing

@testable import Frasario

/// The pieces every stage leans on: fork-join, the snippet spool, the partial byte reader
/// and the spool layout of partials.
@Suite("Support: Parallel, SnippetSpool, ByteReader, SpoolLayout")
struct SupportTests {
    @Test("Parallel.map returns every output at its input's index, for any number of workers", arguments: [1, 2, 3, 8, 64])
    func parallelMapKeepsOrder(workers: Int) {
        let inputs = Array(0..<1000)
        #expect(Parallel.map(inputs, workers: workers) { $0 * $0 } == inputs.map { $0 * $0 })
        #expect(Parallel.map([Int](), workers: workers) { $0 }.isEmpty)
    }

    @Test("Parallel.forEachSlice hands each worker one contiguous slice, in order, covering every item once", arguments: [1, 2, 3, 7, 50])
    func parallelSlicesCoverEverything(workers: Int) {
        final class Seen: @unchecked Sendable {
            // SAFETY: each worker writes only its own index of `slices`.
            var slices: [Range<Int>?]
            init(_ count: Int) { slices = Array(repeating: nil, count: count) }
        }
        let items = Array(0..<23)
        let seen = Seen(workers)
        Parallel.forEachSlice(of: items, workers: workers) { worker, slice in seen.slices[worker] = slice.indices }
        let ranges = seen.slices.compactMap { $0 }
        #expect(ranges.flatMap { Array($0) } == items)
        #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
    }

    @Test("a spool gives back every turn it was handed, verbatim form included, by reference and in order")
    func spoolRoundTrips() throws {
        let directory = TestSupport.temporaryDirectory()
        let spool = try SnippetSpool(index: 3, directory: directory)
        defer { spool.remove() }
        let said = ["Hola, buenas tardes, ¿me oye?", "No me llega el código de verificación.", "Mi tarjeta es 4152 3131 0000 1234."]
        var references: [SnippetReference] = []
        for (index, text) in said.enumerated() {
            spool.beginCall(ordinal: index)
            let turn = Normalizer.normalize(text)
            var spoolText: [UInt8] = [], verbatim: [UInt8] = []
            SpoolText.append(turn, to: &spoolText)
            SpoolText.appendVerbatim(turn, to: &verbatim)
            references.append(
                spool.append(
                    callID: "tel-\(index)", speaker: index == 0 ? .agent : .customer, isQuestion: turn.isQuestion,
                    text: spoolText, verbatim: verbatim))
        }
        spool.flush()
        #expect(spool.failure == nil)
        #expect(spool.callStarts.map(\.ordinal) == [0, 1, 2])
        #expect(references.allSatisfy { $0.spool == 3 })
        for (index, reference) in references.enumerated() {
            let snippet = try #require(spool.read(reference))
            #expect(snippet.callID == "tel-\(index)")
            #expect(snippet.text == Normalizer.normalize(said[index]).displayText)
            #expect(String(decoding: snippet.verbatim, as: UTF8.self) == String(decoding: Normalizer.normalize(said[index]).verbatim, as: UTF8.self))
        }
        #expect(try #require(spool.read(references[0])).isQuestion)
        var ids: [String] = []
        spool.forEachRecord { reference, id, _, _ in
            ids.append(String(decoding: id, as: UTF8.self))
            #expect(references.contains(reference))
        }
        #expect(ids == ["tel-0", "tel-1", "tel-2"])
        #expect(!String(decoding: try Data(contentsOf: spool.url), as: UTF8.self).contains("4152"))
    }

    @Test("ByteReader reads what ByteWriter wrote and refuses to read past the end")
    func byteReaderRoundTrips() throws {
        var writer = ByteWriter()
        writer.u64(0x0102_0304_0506_0708)
        writer.varint(UInt32(77))
        writer.varint(300)
        writer.varint(UInt64.max)
        writer.bytes.append(contentsOf: Array("código".utf8))
        let path = TestSupport.temporaryDirectory().appendingPathComponent("bytes.bin").path
        try Data(writer.bytes).write(to: URL(fileURLWithPath: path))
        let reader = try ByteReader(path: path, from: 0, to: writer.bytes.count)
        #expect(try reader.u64() == 0x0102_0304_0506_0708)
        #expect(try reader.varint32() == 77)
        #expect(try reader.varint() == 300)
        #expect(try reader.varint() == UInt64.max)
        #expect(Array(try reader.bytes(7)) == Array("código".utf8))
        #expect(throws: PartialError.self) { _ = try reader.byte() }
    }

    @Test("a varint longer than ten bytes is refused, whether the buffer holds it whole or it ends the file")
    func byteReaderRefusesOverlongVarints() throws {
        let directory = TestSupport.temporaryDirectory()
        // Eleven continuation bytes, then enough bytes after them for the whole-buffer path.
        let overlong = [UInt8](repeating: 0x80, count: 11) + [0x01] + [UInt8](repeating: 0, count: 20)
        let inBuffer = TestSupport.write(bytes: overlong, to: "overlong.bin", in: directory)
        #expect(throws: PartialError.corrupt(path: inBuffer, reason: "a number is malformed")) {
            _ = try ByteReader(path: inBuffer, from: 0, to: overlong.count).varint()
        }
        // The same number at the very end: read byte by byte.
        let atEnd = TestSupport.write(bytes: Array(overlong.prefix(12)), to: "end.bin", in: directory)
        #expect(throws: PartialError.corrupt(path: atEnd, reason: "a number is malformed")) {
            _ = try ByteReader(path: atEnd, from: 0, to: 12).varint()
        }
        // Numbers of every length read the same on both paths.
        var writer = ByteWriter()
        let values: [UInt64] = [0, 127, 128, 16_383, 16_384, 1 << 35, UInt64.max]
        for value in values { writer.varint(value) }
        let mixed = TestSupport.write(bytes: writer.bytes, to: "mixed.bin", in: directory)
        let reader = try ByteReader(path: mixed, from: 0, to: writer.bytes.count)
        #expect(try values.map { _ in try reader.varint() } == values)
    }

    @Test("a record's figures read at once give the values and errors of reading them one by one")
    func byteReaderReadsFiguresAtOnce() throws {
        let directory = TestSupport.temporaryDirectory()
        let figures: [UInt32] = [3, 2, 1, 0, 1, 2, 1, 1, 0, 1, 2, 1, UInt32.max]
        var writer = ByteWriter()
        for value in figures { writer.varint(value) }
        // Whole in the buffer (padding after it), and ending the file (read one by one).
        for (name, bytes) in [("padded", writer.bytes + [UInt8](repeating: 0, count: 200)), ("exact", writer.bytes)] {
            let path = TestSupport.write(bytes: bytes, to: "\(name).bin", in: directory)
            var read = [UInt32](repeating: 0, count: figures.count)
            try ByteReader(path: path, from: 0, to: bytes.count).varint32s(into: &read)
            #expect(read == figures, "\(name)")
        }
        var tooLarge = ByteWriter()
        for _ in 0..<12 { tooLarge.varint(1) }
        tooLarge.varint(UInt64(UInt32.max) + 1)
        for (name, bytes) in [("large-padded", tooLarge.bytes + [UInt8](repeating: 0, count: 200)), ("large-exact", tooLarge.bytes)] {
            let path = TestSupport.write(bytes: bytes, to: "\(name).bin", in: directory)
            var read = [UInt32](repeating: 0, count: 13)
            #expect(throws: PartialError.corrupt(path: path, reason: "a count is out of range")) {
                try ByteReader(path: path, from: 0, to: bytes.count).varint32s(into: &read)
            }
        }
    }

    @Test("the merge heap yields keys in byte order, a key that is another's prefix first, ties by partial")
    func minKeyHeapOrdersKeysByBytes() {
        let keys: [[UInt8]?] = ["no me llega", "no", "", nil, "no me", "no me llega", "ño"].map { $0.map { Array($0.utf8) } }
        var heap = MinKeyHeap(keys: keys)
        var order: [Int] = []
        while let top = heap.peekMinimum() {
            order.append(top)
            heap.replaceMinimum(key: nil)
        }
        #expect(order == [2, 1, 4, 0, 5, 6])
        #expect(MinKeyHeap.compare(Array("no".utf8), Array("no me".utf8)) < 0)
        #expect(MinKeyHeap.compare(Array("ño".utf8), Array("no".utf8)) > 0)
        #expect(MinKeyHeap.compare(Array("código".utf8), Array("código".utf8)) == 0)
        // A minimum given its next key sinks to its place.
        var advancing = MinKeyHeap(keys: [Array("a".utf8), Array("c".utf8)])
        advancing.replaceMinimum(key: Array("d".utf8))
        #expect(advancing.peekMinimum() == 1)
    }

    @Test("a spool layout puts calls in input order whatever worker counted them, and moves references with them")
    func spoolLayoutOrdersCalls() throws {
        let directory = TestSupport.temporaryDirectory()
        let first = try SnippetSpool(index: 0, directory: directory), second = try SnippetSpool(index: 1, directory: directory)
        defer { first.remove(); second.remove() }
        var references: [Int: SnippetReference] = [:]
        // Worker 0 counted calls 0 and 2, worker 1 calls 1 and 3.
        for ordinal in 0..<4 {
            let spool = ordinal % 2 == 0 ? first : second
            spool.beginCall(ordinal: ordinal)
            references[ordinal] = spool.append(
                callID: "c\(ordinal)", speaker: .customer, isQuestion: false,
                text: Array("turno \(ordinal)".utf8), verbatim: [])
        }
        first.flush()
        second.flush()
        let layout = SpoolLayout(spools: [first, second])
        #expect(layout.length == first.byteCount + second.byteCount)
        var copied: [UInt8] = []
        try layout.copy(from: [first, second]) { copied += $0 }
        let path = directory.appendingPathComponent("laid-out.bin")
        try Data(Self.compressed(copied)).write(to: path)
        let laidOut = try SnippetSpool(index: 9, reading: path, compressedFrom: 0, to: try Data(contentsOf: path).count)
        var order: [String] = []
        laidOut.forEachRecord { _, id, _, _ in order.append(String(decoding: id, as: UTF8.self)) }
        #expect(order == ["c0", "c1", "c2", "c3"])
        for ordinal in 0..<4 {
            let moved = SnippetReference(spool: 9, offset: layout.offset(of: try #require(references[ordinal])))
            #expect(laidOut.read(moved)?.callID == "c\(ordinal)")
        }
    }

    /// `bytes` as a compressed spool section, written in uneven pieces.
    static func compressed(_ bytes: [UInt8]) throws -> [UInt8] {
        final class Output { var bytes: [UInt8] = [] }
        let output = Output()
        var writer = try CompressedSpool.Writer(rawLength: bytes.count) { output.bytes += $0 }
        var start = 0
        var piece = 1
        while start < bytes.count {
            let end = min(bytes.count, start + piece)
            try writer.add(Array(bytes[start..<end]))
            start = end
            piece = piece * 3 % 70_001 + 1
        }
        try writer.finish()
        return output.bytes
    }

    @Test("quoted turns compressed in 64 KB blocks read back whole at any offset, across block edges, and a broken index is refused")
    func compressedSpoolReadsAcrossBlocks() throws {
        let directory = TestSupport.temporaryDirectory()
        let worker = try SnippetSpool(index: 0, directory: directory)
        defer { worker.remove() }
        var references: [SnippetReference] = []
        for turn in 0..<3_000 {
            worker.beginCall(ordinal: turn)
            references.append(
                worker.append(
                    callID: "llamada-\(turn)", speaker: turn % 2 == 0 ? .customer : .agent, isQuestion: turn % 3 == 0,
                    text: Array("no me llega el código de verificación, ya van \(turn) intentos".utf8), verbatim: []))
        }
        worker.flush()
        let raw = try [UInt8](Data(contentsOf: worker.url))
        #expect(raw.count > 2 * CompressedSpool.blockBytes)
        let section = try Self.compressed(raw)
        #expect(section.count * 3 < raw.count)
        // The section sits behind other bytes, as in a partial.
        let path = directory.appendingPathComponent("partial-like.bin")
        try Data(Array("cabecera".utf8) + section).write(to: path)
        let spool = try SnippetSpool(index: 0, reading: path, compressedFrom: 8, to: 8 + section.count)
        for (turn, reference) in references.enumerated() {
            #expect(spool.read(reference)?.callID == "llamada-\(turn)")
        }
        var seen: [String] = []
        spool.forEachRecord { _, id, _, _ in seen.append(String(decoding: id, as: UTF8.self)) }
        #expect(seen == (0..<3_000).map { "llamada-\($0)" })
        var broken = section
        broken[broken.count - 1] = 0x7F
        try Data(broken).write(to: path)
        #expect(throws: (any Error).self) { _ = try SnippetSpool(index: 0, reading: path, compressedFrom: 0, to: broken.count) }
    }
}

import Foundation

/// Where a quoted turn lives: which worker's spool and the byte offset in it.
struct SnippetReference: Hashable, Sendable {
    var raw: UInt64

    init(spool: Int, offset: Int) { raw = UInt64(spool) << 48 | UInt64(offset) }
    init(raw: UInt64) { self.raw = raw }
    var spool: Int { Int(raw >> 48) }
    var offset: Int { Int(raw & 0xFFFF_FFFF_FFFF) }
}

/// A turn read back from the spool, for quoting in reports.
public struct Snippet: Sendable, Equatable {
    public var callID: String
    public var speaker: Speaker
    public var isQuestion: Bool
    /// The normalized turn, tokens separated by single spaces.
    public var text: String
    /// The turn as written, personal data masked (see `NormalizedTurn.verbatim`).
    public var verbatim: [UInt8] = []
    /// Byte range in `verbatim` of each token of `text`.
    public var verbatimTokens: [Range<Int>] = []
}

/// How a turn's text is stored in a spool: each sentence starts with a marker byte that says
/// whether it asks something, then its tokens separated by spaces. Markers never occur in
/// normalized text (control bytes are separators there).
enum SpoolText {
    static let questionMarker: UInt8 = 0x1E
    static let statementMarker: UInt8 = 0x1F

    /// Appends a normalized turn to `buffer` in spool form.
    static func append(_ turn: NormalizedTurn, to buffer: inout [UInt8]) {
        for (index, sentence) in turn.sentences.enumerated() {
            buffer.append(turn.sentenceIsQuestion[index] ? questionMarker : statementMarker)
            for token in sentence {
                if token > sentence.lowerBound { buffer.append(0x20) }
                buffer.append(contentsOf: turn.display[turn.displayTokens[token]])
            }
        }
    }

    /// Appends the turn as written and its tokens' ranges: the count of tokens, then per token
    /// the start's distance from the previous token's start and the length (varints), then
    /// the masked text.
    static func appendVerbatim(_ turn: NormalizedTurn, to buffer: inout [UInt8]) {
        Varint.append(UInt64(turn.verbatimTokens.count), to: &buffer)
        var previous = 0
        for range in turn.verbatimTokens {
            Varint.append(UInt64(max(0, range.lowerBound - previous)), to: &buffer)
            Varint.append(UInt64(range.count), to: &buffer)
            previous = range.lowerBound
        }
        buffer.append(contentsOf: turn.verbatim)
    }

    /// The masked text and token ranges `appendVerbatim` wrote; nil when the bytes are not that.
    static func verbatim(_ bytes: ArraySlice<UInt8>) -> (text: [UInt8], tokens: [Range<Int>])? {
        var position = bytes.startIndex
        func next() -> Int? { Varint.read(bytes, at: &position).flatMap { $0 <= UInt64(Int32.max) ? Int($0) : nil } }
        guard let count = next(), count <= bytes.count else { return nil }
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(count)
        var previous = 0
        for _ in 0..<count {
            guard let delta = next(), let length = next() else { return nil }
            previous += delta
            ranges.append(previous..<(previous + length))
        }
        let text = Array(bytes[position...])
        guard ranges.allSatisfy({ $0.upperBound <= text.count }) else { return nil }
        return (text, ranges)
    }

    /// The plain text: tokens separated by single spaces.
    static func plain<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        for byte in bytes {
            if byte == questionMarker || byte == statementMarker {
                if !output.isEmpty { output.append(0x20) }
            } else {
                output.append(byte)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}

/// An append-only temporary file of normalized turns, one per worker, so that examples can be
/// quoted at the end of the run without keeping the corpus in memory.
final class SnippetSpool: @unchecked Sendable {
    // SAFETY: each spool is written by exactly one worker; reading happens after all workers finished.
    let index: Int
    let url: URL
    /// The worker's file, open for writing; nil for a spool read from a partial, which opens
    /// its file per read (a merge of a thousand partials holds no file open for their spools).
    private var handle: FileHandle?
    private var buffer: [UInt8] = []
    private var written = 0
    /// Where the spool starts in its file: 0 for a worker's own file, the spool section's
    /// offset for a spool carried inside a partial.
    private let base: Int
    /// Whether the file is owned (and removed) by this spool.
    private let ownsFile: Bool
    /// For a spool carried compressed inside a partial: its blocks (nil for a plain spool).
    private let compressed: CompressedSpool.Reader?

    init(index: Int, directory: URL) throws {
        self.index = index
        url = directory.appendingPathComponent("spool-\(index).bin")
        errno = 0
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)  // failure shows as the handle below
        guard let handle = FileHandle(forUpdatingAtPath: url.path) else {
            throw PipelineError.cannotWrite(path: url.path, reason: SystemErrorText.describe(errno: errno, otherwise: "the file cannot be created"))
        }
        self.handle = handle
        base = 0
        ownsFile = true
        compressed = nil
        buffer.reserveCapacity(1 << 20)
    }

    /// A read-only spool stored compressed in section `start..<end` of `url` (a partial's).
    convenience init(index: Int, reading url: URL, compressedFrom start: Int, to end: Int) throws {
        guard let reader = CompressedSpool.Reader(url: url, start: start, end: end) else {
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: url.path])
        }
        self.init(index: index, reading: url, compressed: reader)
    }

    /// A read-only spool over a compressed section already opened.
    init(index: Int, reading url: URL, compressed reader: CompressedSpool.Reader) {
        self.index = index
        self.url = url
        handle = nil
        base = 0
        written = reader.rawLength
        ownsFile = false
        compressed = reader
    }

    /// Bytes in the spool.
    var byteCount: Int { written + buffer.count }

    /// Where each call's turns start, by the call's place in the input (its ordinal): lets a
    /// partial lay out every worker's turns in input order, whatever the thread count.
    private(set) var callStarts: [(ordinal: Int, offset: Int)] = []

    /// Marks the start of the turns of the call at `ordinal` in the input.
    func beginCall(ordinal: Int) {
        callStarts.append((ordinal, byteCount))
    }

    private var closed = false

    deinit { if !closed { try? handle?.close() } }

    /// Appends one turn (its spool-form text, then its `SpoolText.appendVerbatim` form); the
    /// reference stays valid for the life of the spool.
    func append(callID: String, speaker: Speaker, isQuestion: Bool, text: [UInt8], verbatim: [UInt8]) -> SnippetReference {
        let reference = SnippetReference(spool: index, offset: written + buffer.count)
        let idBytes = callID.utf8
        buffer.append(UInt8(speaker.rawValue) | (isQuestion ? 0x80 : 0))
        appendLength(idBytes.count)
        buffer.append(contentsOf: idBytes)
        appendLength(text.count)
        buffer.append(contentsOf: text)
        appendLength(verbatim.count)
        buffer.append(contentsOf: verbatim)
        if buffer.count >= 1 << 20 { flush() }
        return reference
    }

    private func appendLength(_ length: Int) {
        let value = UInt32(min(length, Int(UInt32.max)))
        buffer.append(UInt8(value & 0xFF)); buffer.append(UInt8(value >> 8 & 0xFF))
        buffer.append(UInt8(value >> 16 & 0xFF)); buffer.append(UInt8(value >> 24))
    }

    /// The first write that failed (a full disk, a removed temporary folder): the run stops
    /// with it once counting ends, rather than trapping or quoting from a spool with holes.
    private(set) var failure: String?

    func flush() {
        guard !buffer.isEmpty, failure == nil else {
            buffer.removeAll(keepingCapacity: true)
            return
        }
        do {
            guard let handle else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path]) }
            try handle.seekToEnd()
            try handle.write(contentsOf: buffer)
            written += buffer.count
        } catch {
            failure = SystemErrorText.describe(error)
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Reads a turn back. Only called after `flush()`.
    func read(_ reference: SnippetReference) -> Snippet? {
        guard let handle = handle ?? FileHandle(forReadingAtPath: url.path) else { return nil }
        defer { if self.handle == nil { try? handle.close() } }
        func readBytes(_ offset: Int, _ count: Int) -> [UInt8]? {
            if let compressed { return compressed.read(offset, count, handle: handle) }
            do {
                try handle.seek(toOffset: UInt64(base + offset))
                guard let data = try handle.read(upToCount: count), data.count == count else { return nil }
                return [UInt8](data)
            } catch { return nil }
        }
        func length(_ bytes: [UInt8]) -> Int {
            Int(bytes[0]) | Int(bytes[1]) << 8 | Int(bytes[2]) << 16 | Int(bytes[3]) << 24
        }
        var offset = reference.offset
        guard let head = readBytes(offset, 5) else { return nil }
        let idLength = length(Array(head[1...4]))
        offset += 5
        guard let idBytes = readBytes(offset, idLength) else { return nil }
        offset += idLength
        guard let textHead = readBytes(offset, 4) else { return nil }
        let textLength = length(textHead)
        guard let text = readBytes(offset + 4, textLength) else { return nil }
        offset += 4 + textLength
        var snippet = Snippet(
            callID: String(decoding: idBytes, as: UTF8.self),
            speaker: Speaker(rawValue: Int(head[0] & 0x7F)) ?? .unknown,
            isQuestion: head[0] & 0x80 != 0,
            text: SpoolText.plain(text))
        if let verbatimHead = readBytes(offset, 4), let bytes = readBytes(offset + 4, length(verbatimHead)),
            let verbatim = SpoolText.verbatim(bytes[...])
        {
            (snippet.verbatim, snippet.verbatimTokens) = verbatim
        }
        return snippet
    }

    /// Reads every record in order, in large chunks, calling `body` with the record's reference,
    /// call id bytes, speaker and spool-form text. Only called after `flush()`.
    func forEachRecord(_ body: (SnippetReference, ArraySlice<UInt8>, Speaker, ArraySlice<UInt8>) -> Void) {
        guard let reader = FileHandle(forReadingAtPath: url.path) else { return }
        defer { try? reader.close() }
        do { try reader.seek(toOffset: UInt64(base)) } catch { return }
        var remaining = written
        var nextBlock = 0
        /// The next bytes in order: a large read of a plain spool, or the next inflated block.
        func more() -> [UInt8]? {
            if let compressed {
                guard nextBlock < compressed.blockCount, let bytes = compressed.block(nextBlock, handle: reader) else { return nil }
                nextBlock += 1
                return bytes
            }
            guard remaining > 0, let data = try? reader.read(upToCount: min(8 << 20, remaining)), !data.isEmpty else { return nil }
            remaining -= data.count
            return [UInt8](data)
        }
        var buffer: [UInt8] = []
        var bufferStart = 0  // file offset of buffer[0]
        var cursor = 0
        func length(_ at: Int) -> Int {
            Int(buffer[at]) | Int(buffer[at + 1]) << 8 | Int(buffer[at + 2]) << 16 | Int(buffer[at + 3]) << 24
        }
        while true {
            // Read more until a whole record (head, id, text, verbatim, each with its length) is in the buffer.
            let available = buffer.count - cursor
            var total = 0
            if available >= 5 {
                let idLength = length(cursor + 1)
                if available >= 9 + idLength {
                    let textEnd = 9 + idLength + length(cursor + 5 + idLength)
                    if available >= textEnd + 4 { total = textEnd + 4 + length(cursor + textEnd) }
                }
            }
            if total == 0 || available < total {
                buffer.removeSubrange(0..<cursor)
                bufferStart += cursor
                cursor = 0
                guard let bytes = more(), !bytes.isEmpty else { return }
                buffer.append(contentsOf: bytes)
                continue
            }
            let idLength = length(cursor + 1)
            let idStart = cursor + 5
            let textLength = length(idStart + idLength)
            let textStart = idStart + idLength + 4
            body(
                SnippetReference(spool: index, offset: bufferStart + cursor), buffer[idStart..<(idStart + idLength)],
                Speaker(rawValue: Int(buffer[cursor] & 0x7F)) ?? .unknown, buffer[textStart..<(textStart + textLength)])
            cursor = textStart + textLength + 4 + length(textStart + textLength)
        }
    }

    func remove() {
        if !closed { try? handle?.close() }
        closed = true
        if ownsFile { try? FileManager.default.removeItem(at: url) }
    }
}

extension SnippetSpool {
    /// Every turn of the calls `ids`, as written (masked), in order: one read of each spool.
    /// A call found in several spools (counted twice across shards) is taken from the first.
    static func turns(ofCalls ids: Set<String>, in spools: [SnippetSpool]) -> [String: [Snippet]] {
        guard !ids.isEmpty else { return [:] }
        // Hashes first, so that the scan allocates nothing for the calls not wanted.
        let wanted = Set(ids.map { TokenInterner.hash($0.utf8) })
        var found: [String: [Snippet]] = [:]
        for spool in spools.sorted(by: { $0.index < $1.index }) {
            var here: [String: [Snippet]] = [:]
            spool.forEachRecord { reference, callID, _, _ in
                guard wanted.contains(TokenInterner.hash(callID)), let snippet = spool.read(reference), ids.contains(snippet.callID) else { return }
                here[snippet.callID, default: []].append(snippet)
            }
            for (id, turns) in here where found[id] == nil { found[id] = turns }
        }
        return found
    }
}

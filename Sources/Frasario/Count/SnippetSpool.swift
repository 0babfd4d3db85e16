import Foundation

/// Where a quoted turn lives: which worker's spool and the byte offset in it.
struct SnippetReference: Hashable, Sendable {
    var raw: UInt64

    init(spool: Int, offset: Int) { raw = UInt64(spool) << 48 | UInt64(offset) }
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
}

/// An append-only temporary file of normalized turns, one per worker, so that examples can be
/// quoted at the end of the run without keeping the corpus in memory.
final class SnippetSpool: @unchecked Sendable {
    // SAFETY: each spool is written by exactly one worker; reading happens after all workers finished.
    let index: Int
    let url: URL
    private var handle: FileHandle
    private var buffer: [UInt8] = []
    private var written = 0

    init(index: Int, directory: URL) throws {
        self.index = index
        url = directory.appendingPathComponent("spool-\(index).bin")
        FileManager.default.createFile(atPath: url.path, contents: nil)
        guard let handle = FileHandle(forUpdatingAtPath: url.path) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
        self.handle = handle
        buffer.reserveCapacity(1 << 20)
    }

    private var closed = false

    deinit { if !closed { try? handle.close() } }

    /// Appends one turn; the reference stays valid for the life of the spool.
    func append(callID: String, speaker: Speaker, isQuestion: Bool, text: [UInt8]) -> SnippetReference {
        let reference = SnippetReference(spool: index, offset: written + buffer.count)
        let idBytes = callID.utf8
        buffer.append(UInt8(speaker.rawValue) | (isQuestion ? 0x80 : 0))
        appendLength(idBytes.count)
        buffer.append(contentsOf: idBytes)
        appendLength(text.count)
        buffer.append(contentsOf: text)
        if buffer.count >= 1 << 20 { flush() }
        return reference
    }

    private func appendLength(_ length: Int) {
        let value = UInt32(min(length, Int(UInt32.max)))
        buffer.append(UInt8(value & 0xFF)); buffer.append(UInt8(value >> 8 & 0xFF))
        buffer.append(UInt8(value >> 16 & 0xFF)); buffer.append(UInt8(value >> 24))
    }

    func flush() {
        guard !buffer.isEmpty else { return }
        handle.seekToEndOfFile()
        handle.write(Data(buffer))
        written += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    /// Reads a turn back. Only called after `flush()`.
    func read(_ reference: SnippetReference) -> Snippet? {
        func readBytes(_ offset: Int, _ count: Int) -> [UInt8]? {
            do {
                try handle.seek(toOffset: UInt64(offset))
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
        return Snippet(callID: String(decoding: idBytes, as: UTF8.self),
                       speaker: Speaker(rawValue: Int(head[0] & 0x7F)) ?? .unknown,
                       isQuestion: head[0] & 0x80 != 0,
                       text: String(decoding: text, as: UTF8.self))
    }

    func remove() {
        if !closed { try? handle.close() }
        closed = true
        try? FileManager.default.removeItem(at: url)
    }
}

import Foundation

/// A worker's counted turns as token ids, kept for level-wise counting: written once while
/// the input is read, read back once per n-gram length (see CountTable+Levels), so the input
/// is parsed and normalized once and the corpus is never held in memory.
///
/// Words (UInt32) per turn: the turn's length in words after this one; a header (speaker in
/// bits 0–1, bit 2 set on a call's first recorded turn); the number of sentences; then per
/// sentence its number of tokens and, per token, its display id and its counted id (bit 31 set
/// where a customer question starts).
enum TokenRecord {
    static let questionBit: UInt32 = 1 << 31
    static let firstOfCallBit: UInt32 = 1 << 2

    static func header(speaker: Speaker, firstOfCall: Bool) -> UInt32 {
        UInt32(speaker.rawValue) | (firstOfCall ? firstOfCallBit : 0)
    }

    static func speaker(of header: UInt32) -> Speaker { Speaker(rawValue: Int(header & 3)) ?? .unknown }
}

/// The temporary file of one worker's `TokenRecord` words, in the run's spool folder.
final class TokenRecordFile: @unchecked Sendable {
    // SAFETY: written by one worker while counting; read after every worker has finished,
    // by one level-counting task at a time.
    let url: URL
    private let handle: FileHandle
    /// Words written.
    private(set) var wordCount = 0
    /// The first write that failed, reported by the run once counting ends.
    private(set) var failure: String?

    init(index: Int, directory: URL) throws {
        url = directory.appendingPathComponent("tokens-\(index).bin")
        errno = 0
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        guard let handle = FileHandle(forUpdatingAtPath: url.path) else {
            throw PipelineError.cannotWrite(path: url.path, reason: SystemErrorText.describe(errno: errno, otherwise: "the file cannot be created"))
        }
        self.handle = handle
    }

    deinit { try? handle.close() }

    /// Appends whole turns.
    func append(_ words: [UInt32]) {
        guard failure == nil, !words.isEmpty else { return }
        do {
            try handle.seekToEnd()
            try words.withUnsafeBytes { try handle.write(contentsOf: $0) }
            wordCount += words.count
        } catch {
            failure = SystemErrorText.describe(error)
        }
    }

    /// Calls `body` with the record in order, in pieces of whole turns of about `chunkWords`
    /// words (larger when one turn is larger); the buffer is reused, so memory stays bounded.
    func forEachChunk(chunkWords: Int = 1 << 21, _ body: (UnsafeBufferPointer<UInt32>) -> Void) throws {
        var buffer = [UInt32](repeating: 0, count: max(chunkWords, 16))
        var filled = 0  // words in the buffer
        var offset: UInt64 = 0  // bytes read from the file
        let total = UInt64(wordCount) * 4
        while true {
            let wanted = min(UInt64(buffer.count - filled) * 4, total - offset)
            if wanted > 0 {
                try handle.seek(toOffset: offset)
                let read = try buffer.withUnsafeMutableBytes { raw -> Int in
                    // SAFETY: `filled` < buffer.count, and `wanted` bytes fit after it.
                    let start = raw.baseAddress!.advanced(by: filled * 4)
                    return try Self.readFully(handle.fileDescriptor, into: start, count: Int(wanted))
                }
                guard read == Int(wanted) else { throw CocoaError(.fileReadTooLarge, userInfo: [NSFilePathErrorKey: url.path]) }
                offset += UInt64(read)
                filled += read / 4
            }
            // The whole turns in the buffer.
            var complete = 0
            while complete < filled, complete + 1 + Int(buffer[complete]) <= filled { complete += 1 + Int(buffer[complete]) }
            if complete == 0 {
                if filled == 0 { return }
                guard offset < total, Int(buffer[0]) < wordCount else {
                    throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: url.path])
                }
                // One turn larger than the buffer: grow it to hold the turn.
                buffer.append(contentsOf: repeatElement(0, count: max(buffer.count, Int(buffer[0]) + 1 - buffer.count)))
                continue
            }
            buffer.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[0..<complete])) }
            buffer.withUnsafeMutableBufferPointer { words in
                // SAFETY: both ranges are inside the buffer.
                let base = words.baseAddress!
                base.update(from: base + complete, count: filled - complete)
            }
            filled -= complete
        }
    }

    private static func readFully(_ descriptor: Int32, into start: UnsafeMutableRawPointer, count: Int) throws -> Int {
        var done = 0
        while done < count {
            let result = read(descriptor, start + done, count - done)
            if result < 0 {
                if errno == EINTR { continue }
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
            if result == 0 { break }
            done += result
        }
        return done
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

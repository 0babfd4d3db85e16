import Foundation

/// A piece of raw input, cut by the reader so that workers can parse pieces in parallel.
enum RawInput: Sendable {
    /// A whole plain-text transcript: one call.
    case textFile(name: String, callID: String, bytes: [UInt8])
    /// Whole lines of a JSONL file; `firstLine` is the 1-based number of the first one.
    case jsonLines(name: String, firstLine: Int, bytes: [UInt8])
    /// A whole `.json` file: one call object, an array of them, an ASR engine's document, or JSON
    /// Lines after all; `engine` when `--format` says which engine's document it must be.
    case jsonDocument(name: String, callID: String, bytes: [UInt8], engine: InputFormat? = nil)
    /// A whole WebVTT or SubRip file: one call.
    case captionFile(name: String, callID: String, bytes: [UInt8], format: InputFormat)
    /// A file that could not be read as transcripts at all.
    case rejected(Reject)

    var byteCount: Int {
        switch self {
        case .textFile(_, _, let bytes), .jsonLines(_, _, let bytes), .jsonDocument(_, _, let bytes, _),
            .captionFile(_, _, let bytes, _):
            return bytes.count
        case .rejected: return 0
        }
    }
}

/// Reads inputs in order, one chunk at a time, so that a file of any size streams through
/// bounded memory. Large JSONL files are cut at line boundaries; a single-call file or a JSON
/// line larger than a call may be (`CallSizeLimit`) is rejected without being read whole.
final class InputReader {
    private var files: ArraySlice<InputFile>
    private let chunkBytes: Int
    private let limit: CallSizeLimit
    private var current: OpenJSONLines?

    private struct OpenJSONLines {
        var name: String
        var handle: FileHandle
        var carry: [UInt8]
        var nextLine: Int
        var closeWhenDone: Bool
    }

    init(files: [InputFile], chunkBytes: Int = 4 << 20, limit: CallSizeLimit = .standard) {
        self.files = files[...]
        self.chunkBytes = chunkBytes
        self.limit = limit
    }

    /// The next piece of input, or nil when every input has been read.
    func next() throws -> RawInput? {
        while true {
            if current != nil {
                if let piece = try readJSONLinesChunk() { return piece }
                continue
            }
            guard let file = files.popFirst() else { return nil }
            if let piece = try open(file) { return piece }
        }
    }

    private func open(_ file: InputFile) throws -> RawInput? {
        let handle: FileHandle
        if let path = file.path {
            // Opened without waiting: a named pipe no program writes to would block open(2)
            // forever; once open, reads wait again, and such a pipe reads as empty.
            let descriptor = Foundation.open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
            guard descriptor >= 0 else {
                let reason = SystemErrorText.describe(errno: errno, otherwise: "it cannot be opened")
                return .rejected(Reject(source: file.name, line: 0, reason: "file cannot be opened: \(reason)"))
            }
            let flags = fcntl(descriptor, F_GETFL)
            if flags >= 0 { _ = fcntl(descriptor, F_SETFL, flags & ~O_NONBLOCK) }
            handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        } else {
            handle = FileHandle.standardInput
        }
        // Blank lines before the calls, however many, are skipped and counted: the file is
        // empty only if nothing else follows them.
        var first = [UInt8](try readChunk(handle))
        var blankLines = 0
        while !first.isEmpty && first.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            blankLines += first.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            first = [UInt8](try readChunk(handle))
        }
        if first.isEmpty {
            if file.path != nil { try? handle.close() }
            return .rejected(Reject(source: file.name, line: 0, reason: "empty file"))
        }
        if blankLines > 0 { first.insert(contentsOf: repeatElement(0x0A, count: blankLines), at: 0) }
        if TextDecoding.hasUTF16ByteOrderMark(first) {
            let whole = try readRest(of: handle, after: first, limit: limit.documentBytes)
            if file.path != nil { try? handle.close() }
            guard let whole else { return tooLarge(file, limit: limit.documentBytes) }
            guard let text = String(data: Data(whole), encoding: .utf16) else {
                return .rejected(Reject(source: file.name, line: 0, reason: "UTF-16 file that cannot be decoded"))
            }
            return piece(for: file, bytes: Array(text.utf8), format: file.format ?? Self.sniff(Array(text.utf8)))
        }
        let format = file.format ?? Self.sniff(first)
        // JSON Lines are judged record by record (a NUL byte costs its line, not the file).
        if format != .jsonl && TextDecoding.looksBinary(first) {
            if file.path != nil { try? handle.close() }
            return .rejected(Reject(source: file.name, line: 0, reason: "binary file: contains NUL or control bytes"))
        }
        let isWholeDocument =
            format.isDocumentEngine
            || (format == .jsonl && file.path.map { ($0 as NSString).pathExtension.lowercased() == "json" } == true)
        if format != .jsonl || isWholeDocument {
            let allowed = isWholeDocument ? limit.documentBytes : limit.rawBytes
            let whole = try readRest(of: handle, after: first, limit: allowed)
            if file.path != nil { try? handle.close() }
            guard let whole else { return tooLarge(file, limit: allowed) }
            return piece(for: file, bytes: whole, format: isWholeDocument && !format.isDocumentEngine ? nil : format)
        }
        current = OpenJSONLines(name: file.name, handle: handle, carry: first, nextLine: 1, closeWhenDone: file.path != nil)
        return nil
    }

    /// The reject of a file over its size limit, with its size when the file system knows it.
    private func tooLarge(_ file: InputFile, limit allowed: Int) -> RawInput {
        let size = file.path.flatMap { try? FileManager.default.attributesOfItem(atPath: $0)[.size] as? Int }
        return .rejected(Reject(source: file.name, line: 0, reason: limit.reason("file", bytes: size, limit: allowed)))
    }

    private func piece(for file: InputFile, bytes: [UInt8], format: InputFormat?) -> RawInput {
        switch format {
        case .text:
            return .textFile(name: file.name, callID: Self.callID(for: file), bytes: bytes)
        case .jsonl:
            return .jsonLines(name: file.name, firstLine: 1, bytes: bytes)
        case .vtt, .srt:
            return .captionFile(name: file.name, callID: Self.callID(for: file), bytes: bytes, format: format!)
        case .whisper, .transcribe, .contactLens, .ccai:
            return .jsonDocument(name: file.name, callID: Self.callID(for: file), bytes: bytes, engine: format)
        case nil:
            return .jsonDocument(name: file.name, callID: Self.callID(for: file), bytes: bytes)
        }
    }

    /// Emits whole lines of the open JSONL file, keeping a partial last line for the next chunk.
    private func readJSONLinesChunk() throws -> RawInput? {
        guard var open = current else { return nil }
        while open.carry.count < chunkBytes {
            let more = try readChunk(open.handle)
            if more.isEmpty { break }
            open.carry.append(contentsOf: more)
        }
        if open.carry.isEmpty {
            if open.closeWhenDone { try? open.handle.close() }
            current = nil
            return nil
        }
        var body: [UInt8]
        if open.carry.count >= chunkBytes, let lastNewline = open.carry.lastIndex(of: 0x0A) {
            body = Array(open.carry[...lastNewline])
            open.carry.removeSubrange(...lastNewline)
        } else if open.carry.count >= chunkBytes {
            // A single line longer than the chunk: keep reading until its end, unless it grows
            // past what one call may be; then the rest of it is skipped and the line rejected.
            var line = open.carry
            var skipped = 0
            while true {
                let more = try readChunk(open.handle)
                if more.isEmpty { break }
                let newline = more.firstIndex(of: 0x0A)
                let part = newline.map { more[...$0] } ?? more[...]
                if skipped > 0 || line.count + part.count > limit.rawBytes {
                    skipped += line.count + part.count
                    line.removeAll()
                } else {
                    line.append(contentsOf: part)
                }
                if let newline {
                    open.carry = Array(more[(newline + 1)...])
                    break
                }
            }
            if skipped > 0 {
                let lineNumber = open.nextLine
                open.nextLine += 1
                current = open
                return .rejected(Reject(source: open.name, line: lineNumber, reason: limit.reason("line", bytes: skipped, limit: limit.rawBytes)))
            }
            body = line
            if !line.isEmpty && line.last != 0x0A { open.carry = [] }
        } else {
            body = open.carry
            open.carry = []
        }
        let firstLine = open.nextLine
        open.nextLine += body.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        if body.last != 0x0A { open.nextLine += 1 }
        current = open
        return .jsonLines(name: open.name, firstLine: firstLine, bytes: body)
    }

    private func readChunk(_ handle: FileHandle) throws -> Data {
        try handle.read(upToCount: chunkBytes) ?? Data()
    }

    /// The rest of a file after its first chunk, or nil as soon as the whole would exceed `limit`.
    private func readRest(of handle: FileHandle, after first: [UInt8], limit: Int) throws -> [UInt8]? {
        var whole = first
        if whole.count > limit { return nil }
        while true {
            let more = try readChunk(handle)
            if more.isEmpty { return whole }
            if whole.count + more.count > limit { return nil }
            whole.append(contentsOf: more)
        }
    }

    /// JSON starts with `{`, WebVTT with `WEBVTT`, SubRip with a cue number then a `-->` line;
    /// anything else is read as plain text.
    static func sniff(_ bytes: [UInt8]) -> InputFormat {
        let start = TextDecoding.byteOrderMarkLength(bytes)
        let head = String(decoding: bytes[start...].prefix(200), as: UTF8.self)
        if head.hasPrefix("WEBVTT") { return .vtt }
        let lines = head.split(whereSeparator: \.isNewline).prefix(2)
        if lines.count == 2, lines[0].allSatisfy(\.isNumber), lines[1].contains("-->") { return .srt }
        for byte in bytes[start...] where byte != 0x20 && byte != 0x0A && byte != 0x0D && byte != 0x09 {
            return byte == UInt8(ascii: "{") ? .jsonl : .text
        }
        return .text
    }

    /// A plain-text call is named after its file, without the extension.
    static func callID(for file: InputFile) -> String {
        guard let path = file.path else { return "stdin" }
        return ((path as NSString).lastPathComponent as NSString).deletingPathExtension
    }
}

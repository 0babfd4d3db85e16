import Foundation

/// The layout of a partial file, the output of `frasario count` and the input of `frasario merge`:
///
///     "FRASPART" · format version (u32) · header length (u64) · header (JSON)
///     entries: count (u64), then deflated blocks (raw length u32, compressed length u32, bytes)
///              of one record per n-gram, sorted by the n-gram's bytes
///     spool: length (u64), then the quoted turns (the snippet spool of every worker)
///     trailer: entries offset (u64) · spool offset (u64) · checksum of all bytes before (u64) · "FRASEND1"
///
/// An n-gram record is front-coded against the previous key: shared prefix length, suffix
/// length and bytes (tokens separated by spaces), then the shape of its figures
/// (`FigureShape`): 1–6 for an n-gram said once, whose figures the shape says; 0 for the
/// rest, followed by occurrences (count, customer, agent, unknown, question) and calls (the
/// same, then customer side and agent side), the Lossy Counting delta, and the written forms
/// that differ from the key, each with its count. Integers are LEB128 varints.
enum PartialFormat {
    /// Raw bytes of one deflated block of n-gram records: a merge holds one block per partial,
    /// so a merge of 1,024 partials holds 32 MB of blocks (zlib's window is 32 KB: larger
    /// blocks compress no better; 256 KB blocks made a 1,024-partial merge task 307 MB).
    static let blockBytes = 32 << 10

    static let magic = Array("FRASPART".utf8)
    static let endMagic = Array("FRASEND1".utf8)
    /// 2: the n-gram section is deflated in blocks.
    /// 4: a category's calls count its customer-side rules only.
    /// 7: the lexicon is named by digest, not carried.
    /// 8: the n-grams are split into buckets, with an index (`EntrySection`).
    /// 9: the quoted turns are compressed in blocks, with an index (`CompressedSpool`).
    /// 10: the n-gram index keeps a checksum of each bucket and of the header.
    /// 11: the accepted calls' ids are stored by bucket beside the n-grams, not in the header.
    /// 12: an n-gram said once is written as the shape of its figures (`FigureShape`).
    static let version: UInt32 = 12
    static let trailerSize = 32
}

/// What must agree for partials to merge: a merge of partials counted differently would
/// silently mix incompatible figures.
struct PartialFingerprint: Codable, Sendable, Equatable {
    var generator: String
    var partialFormat: UInt32
    var normalizer: Int
    var maxN: Int
    /// Names and a digest of the lexicon files' texts; empty without lexicons.
    var lexiconFiles: [String]
    var lexiconDigest: String
    var agentSpeakers: [String]
    var format: String?
    /// Buckets the n-grams are split into: how many merge tasks can share the merge.
    var buckets: Int

    /// The lexicon's file names and a digest of their names and texts: what a partial carries
    /// instead of the lexicon itself (the merge is given the folder once, and checks it).
    static func lexiconIdentity(_ lexicon: Lexicon?) -> (files: [String], digest: String) {
        var digest: [UInt8] = []
        for source in lexicon?.sources ?? [] {
            digest += Array(source.name.utf8) + [0] + Array(source.text.utf8) + [0]
        }
        return ((lexicon?.sources ?? []).map(\.name), digest.isEmpty ? "" : String(Hashing.mix(TokenInterner.hash(digest)), radix: 16))
    }

    /// The first field that differs, as "name: this vs other", for error messages.
    func difference(from other: PartialFingerprint) -> String? {
        let fields: [(String, String, String)] = [
            ("frasario version", generator, other.generator),
            ("partial format", "\(partialFormat)", "\(other.partialFormat)"),
            ("normalizer version", "\(normalizer)", "\(other.normalizer)"),
            ("--max-n", "\(maxN)", "\(other.maxN)"),
            ("lexicon files", lexiconFiles.joined(separator: ","), other.lexiconFiles.joined(separator: ",")),
            ("lexicon contents", lexiconDigest, other.lexiconDigest),
            ("--agent-speaker", agentSpeakers.joined(separator: ","), other.agentSpeakers.joined(separator: ",")),
            ("--format", format ?? "detected", other.format ?? "detected"),
            ("--buckets", "\(buckets)", "\(other.buckets)"),
        ]
        return fields.first { $0.1 != $0.2 }.map { "\($0.0) \($0.1) here, \($0.2) in the first partial" }
    }
}

/// The JSON header of a partial: the fingerprint and everything of the count phase that is
/// not an n-gram.
struct PartialHeader: Codable {
    var fingerprint: PartialFingerprint
    var summary: RunSummary
    /// Calls per call date.
    var dates: [String: Int]
    /// Its figures and rejects; its accepted calls are in the n-gram section, by bucket.
    var ingest: IngestAccounting
    /// The files its accepted calls were read from, named by index in the call records.
    var callFiles: [String]
    var discoveryWarnings: [String]
    var slowRules: [String]
    var countErrorBound: UInt32
    var prunes: Int
    var bytesRead: Int
    var tally: LexiconTally?
}

/// A 64-bit streaming checksum (FNV-1a over the bytes, then mixed); detects truncation and
/// corruption, not tampering.
struct PartialChecksum {
    private(set) var value = Hashing.fnvOffsetBasis

    mutating func add<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        for byte in bytes { value = Hashing.fnv(value, byte) }
    }

    var final: UInt64 { Hashing.mix(value) }
}

/// Appends LEB128 varints and raw bytes to a buffer.
struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func varint(_ value: UInt64) { Varint.append(value, to: &bytes) }

    mutating func varint(_ value: Int) { varint(UInt64(value)) }
    mutating func varint(_ value: UInt32) { varint(UInt64(value)) }

    mutating func u64(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(value >> UInt64(shift) & 0xFF)) }
    }

    mutating func u32(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(value >> UInt32(shift) & 0xFF)) }
    }
}

extension ByteWriter {
    /// An n-gram as token ids: its length, then each id (a quote plan's and result's phrases).
    mutating func ngram(_ key: NGramKey) {
        varint(key.length)
        for id in key.ids { varint(id) }
    }
}

/// A body written as deflated blocks (raw length u32, compressed length u32, bytes): the
/// n-gram sections and the quote files, read back as one stream by `ByteReader(inflating: true)`.
enum DeflatedBlocks {
    static let blockBytes = 1 << 20

    /// One block: its frame and its deflated bytes.
    static func block(_ raw: [UInt8]) -> [UInt8] {
        let compressed = Deflate.compress(raw)
        var frame = ByteWriter()
        frame.u32(UInt32(raw.count))
        frame.u32(UInt32(compressed.count))
        return frame.bytes + compressed
    }

    /// Emits `bytes` in blocks of `blockBytes`; returns the bytes emitted.
    static func write(_ bytes: [UInt8], emit: ([UInt8]) throws -> Void) throws -> Int {
        var written = 0
        for start in stride(from: 0, to: bytes.count, by: blockBytes) {
            let framed = block(Array(bytes[start..<min(start + blockBytes, bytes.count)]))
            try emit(framed)
            written += framed.count
        }
        return written
    }
}

/// Reads a file sequentially through a buffer; every read is bounds-checked and a short file
/// is a `PartialError.corrupt`, never a crash. In inflating mode the region is a series of
/// deflated blocks (raw length u32, compressed length u32, bytes), read as one byte stream.
///
/// The file is opened for each refill of the buffer and closed after it, not held: a merge
/// streams a thousand partials side by side, and holds no file open between two blocks, so
/// the files it keeps open do not grow with their number (an open and a close per 32 KB
/// block cost microseconds).
final class ByteReader {
    private let path: String
    private var buffer: [UInt8] = []
    private var cursor = 0
    /// The next file byte to read, and where reading stops.
    private var filePosition: Int
    private let end: Int
    private let inflating: Bool
    /// Bytes read at a time when not inflating.
    private let chunk: Int
    /// The checksum of the file bytes read so far, when asked for (`checksumming`).
    private var checksum: PartialChecksum?

    /// - Parameters:
    ///   - chunk: bytes read at a time when not inflating (a merge tree reads many runs at
    ///     once, each with a small buffer).
    ///   - checksumming: keep the `PartialChecksum` of the file bytes read (`fileChecksum`).
    init(
        path: String, from start: Int, to end: Int, inflating: Bool = false, chunk: Int = 4 << 20, checksumming: Bool = false
    ) throws(PartialError) {
        self.path = path
        self.end = end
        self.inflating = inflating
        self.chunk = max(1, chunk)
        checksum = checksumming ? PartialChecksum() : nil
        filePosition = start
        // Opened once here, so a file that cannot be read is said at once, not at the first record.
        let descriptor = try Self.openFile(path)
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, start >= 0, Int(status.st_size) >= start else {
            throw .corrupt(path: path, reason: "it is shorter than its header says")
        }
    }

    /// The file opened for reading, or why it cannot be.
    private static func openFile(_ path: String) throws(PartialError) -> Int32 {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .unreadable(path: path, reason: reason(errno: errno)) }
        return descriptor
    }

    /// Why a partial cannot be opened, in words; the open-file limit names itself.
    static func reason(errno code: Int32) -> String {
        guard code == EMFILE || code == ENFILE else { return SystemErrorText.describe(errno: code, otherwise: "it cannot be opened") }
        return
            "too many files are open (the limit of open files, ulimit -n, is \(SystemErrorText.openFileLimit), and a merge holds a few at a time whatever the number of partials): raise it"
    }

    /// The next `count` bytes of the file, read from `descriptor` at the reading position.
    private func readFile(_ count: Int, from descriptor: Int32) throws(PartialError) -> [UInt8] {
        guard count >= 0, count <= end - filePosition else { throw .corrupt(path: path, reason: "it ends in the middle of a record") }
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            // SAFETY: pread writes at most `count - done` bytes from offset `done` of `bytes`,
            // which holds `count`; the pointer does not outlive the closure.
            let got = bytes.withUnsafeMutableBytes { storage -> Int in
                guard let base = storage.baseAddress else { return 0 }
                return pread(descriptor, base + done, count - done, off_t(filePosition + done))
            }
            if got < 0 && errno == EINTR { continue }
            if got < 0 { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
            if got == 0 { throw .corrupt(path: path, reason: "it ends in the middle of a record") }
            done += got
        }
        filePosition += count
        checksum?.add(bytes)
        return bytes
    }

    /// With `checksumming`: the checksum of the file bytes read, if every byte up to the end
    /// has been read; nil before.
    var fileChecksum: UInt64? { filePosition == end ? checksum?.final : nil }

    private func fill(_ count: Int) throws(PartialError) {
        if buffer.count - cursor >= count { return }
        buffer.removeSubrange(0..<cursor)
        cursor = 0
        let descriptor = try Self.openFile(path)
        defer { close(descriptor) }
        while buffer.count < count {
            if inflating {
                let head = try readFile(8, from: descriptor)
                let raw = Int(head[0]) | Int(head[1]) << 8 | Int(head[2]) << 16 | Int(head[3]) << 24
                let compressed = Int(head[4]) | Int(head[5]) << 8 | Int(head[6]) << 16 | Int(head[7]) << 24
                // Deflate shrinks by 1,032× at most: a damaged length never makes the reader
                // reserve gigabytes before the block fails to inflate.
                guard raw <= compressed * Deflate.maximumRatio + 64 else {
                    throw .corrupt(path: path, reason: "a compressed block claims more bytes than it can hold")
                }
                guard let block = Deflate.decompress(try readFile(compressed, from: descriptor)[...], rawLength: raw) else {
                    throw .corrupt(path: path, reason: "a compressed block does not inflate")
                }
                buffer.append(contentsOf: block)
            } else {
                guard filePosition < end else { throw .corrupt(path: path, reason: "it ends in the middle of a record") }
                buffer.append(contentsOf: try readFile(min(max(count - buffer.count, chunk), end - filePosition), from: descriptor))
            }
        }
    }

    func byte() throws(PartialError) -> UInt8 {
        try fill(1)
        defer { cursor += 1 }
        return buffer[cursor]
    }

    func varint() throws(PartialError) -> UInt64 {
        // Most numbers are read from a buffer that holds the longest varint: decoded in one
        // pass over the buffer's storage, without a bounds check and a refill test per byte.
        if buffer.count - cursor >= 10 {
            let start = cursor
            // SAFETY: decoding reads 10 bytes at most, and the buffer holds 10 from start.
            let decoded = buffer.withUnsafeBufferPointer { Self.decodeVarint($0, at: start) }
            guard let decoded else { throw .corrupt(path: path, reason: "a number is malformed") }
            cursor = decoded.next
            return decoded.value
        }
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try byte()
            guard shift < 64 else { throw .corrupt(path: path, reason: "a number is malformed") }
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
    }

    func int() throws(PartialError) -> Int {
        let value = try varint()
        guard value <= UInt64(Int32.max) * 4096 else { throw .corrupt(path: path, reason: "a number is out of range") }
        return Int(value)
    }

    /// Fills `values` with varints that must fit 32 bits (an n-gram record's figures): in one
    /// pass over the buffer's storage when it holds the longest they can be, else one at a
    /// time. Either way the same bytes give the same values or the same error.
    func varint32s(into values: inout [UInt32]) throws(PartialError) {
        let count = values.count
        guard buffer.count - cursor >= 10 * count else {
            for slot in 0..<count { values[slot] = try varint32() }
            return
        }
        let start = cursor
        // SAFETY: each varint is decoded from 10 bytes at most, and the buffer holds 10 × count
        // bytes from start.
        let next = buffer.withUnsafeBufferPointer { pointer -> Int in
            var index = start
            for slot in 0..<count {
                guard let decoded = Self.decodeVarint(pointer, at: index) else { return -1 }
                guard decoded.value <= UInt64(UInt32.max) else { return -2 }
                values[slot] = UInt32(decoded.value)
                index = decoded.next
            }
            return index
        }
        guard next >= 0 else { throw .corrupt(path: path, reason: next == -1 ? "a number is malformed" : "a count is out of range") }
        cursor = next
    }

    /// The varint at `index` of `bytes` and the index after it; nil past ten bytes (too long
    /// for 64 bits). The caller makes sure ten bytes from `index` are there.
    @inline(__always)
    private static func decodeVarint(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (value: UInt64, next: Int)? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        for position in index..<(index + 10) {
            let byte = bytes[position]
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return (value, position + 1) }
            shift += 7
        }
        return nil
    }

    /// A varint that must fit 32 bits (counts in the n-gram records).
    func varint32() throws(PartialError) -> UInt32 {
        let value = try varint()
        guard value <= UInt64(UInt32.max) else { throw .corrupt(path: path, reason: "a count is out of range") }
        return UInt32(value)
    }

    func u64() throws(PartialError) -> UInt64 {
        try fill(8)
        var value: UInt64 = 0
        for index in 0..<8 { value |= UInt64(buffer[cursor + index]) << UInt64(8 * index) }
        cursor += 8
        return value
    }

    /// An n-gram written by `ByteWriter.ngram`, each token id below `tokens`.
    func ngram(tokens: Int) throws(PartialError) -> NGramKey {
        let length = try int()
        guard length >= 1, length <= NGramKey.maxLength else { throw .corrupt(path: path, reason: "a phrase's length is out of range") }
        var key = NGramKey()
        for _ in 0..<length {
            let id = try varint32()
            guard id < tokens else { throw .corrupt(path: path, reason: "a phrase's token is out of range") }
            key.append(id)
        }
        return key
    }

    func bytes(_ count: Int) throws(PartialError) -> ArraySlice<UInt8> {
        guard count >= 0, inflating || count <= end - filePosition + (buffer.count - cursor) else {
            throw .corrupt(path: path, reason: "a record runs past the end")
        }
        try fill(count)
        defer { cursor += count }
        return buffer[cursor..<(cursor + count)]
    }
}

/// Partials that cannot be merged; each description names the file and says what to do.
public enum PartialError: FrasarioFailure, Equatable {
    case unreadable(path: String, reason: String)
    case notAPartial(path: String)
    case unsupportedVersion(path: String, version: UInt32)
    case corrupt(path: String, reason: String)
    case mismatch(path: String, first: String, difference: String)
    case cannotWrite(path: String, reason: String)
    case noPartials
    case repeatedCalls(count: Int, shown: String)
    case lexiconNeeded(files: [String])
    case bucketMismatch(path: String, reason: String)
    case bucketsMissing(buckets: String)
    case lexiconDiffers(directory: String, difference: String)
    case quoteMismatch(path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): return "Cannot read the partial \(path): \(reason)."
        case .notAPartial(let path): return "\(path) is not a frasario partial (it lacks the FRASPART mark); give files written by frasario count --partial."
        case .unsupportedVersion(let path, let version):
            return "The partial \(path) has format version \(version); this frasario reads version \(PartialFormat.version). Count it again with this frasario."
        case .corrupt(let path, let reason):
            return "The partial \(path) is corrupt (\(reason)); count its shard again."
        case .mismatch(let path, let first, let difference):
            return "The partial \(path) cannot be merged with \(first): \(difference). Count every shard with the same frasario, lexicon and options."
        case .cannotWrite(let path, let reason): return "Cannot write the partial \(path): \(reason)."
        case .noPartials: return "Give at least one partial to merge."
        case .bucketMismatch(let path, let reason):
            return "The bucket result \(path) cannot be used: \(reason). Merge every bucket again from the same partials."
        case .quoteMismatch(let path, let reason):
            return "The quote file \(path) cannot be used: \(reason). Plan and scan the quotes again from the same partials and bucket results."
        case .bucketsMissing(let buckets):
            return "The bucket results lack bucket(s) \(buckets): give one result per bucket of the partials."
        case .lexiconNeeded(let files):
            return
                "The partials were counted with a lexicon (\(files.joined(separator: ", "))), which a partial names by digest only: give its folder to merge with --lexicons DIR."
        case .lexiconDiffers(let directory, let difference):
            return
                "The lexicon in \(directory) is not the one the partials were counted with (\(difference)): give the folder they were counted with, or count them again with this one."
        case .repeatedCalls(let count, let shown):
            return
                "\(count) call_id(s) were counted in two partials: \(shown). One run reads a file once and rejects a call_id seen before, so merging them would count those calls twice: count each input file in one shard only."
        }
    }
}

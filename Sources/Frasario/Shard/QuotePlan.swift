import Foundation

/// What the pass over the quoted turns looks for, once the night is ranked: the phrases a
/// report may quote, the whole phrases longer than `--max-n` to count, and the phrases whose
/// calls topics group by (see `ExampleFinder.find`). Its digest ties a cluster's quote
/// results to the ranking they were made for.
struct QuoteRequest: Equatable {
    var quoted: [NGramKey]
    var long: [NGramKey]
    var sketched: [NGramKey]

    init(quoted: Set<NGramKey>, long: Set<NGramKey>, sketched: Set<NGramKey>) {
        func sorted(_ keys: Set<NGramKey>) -> [NGramKey] { keys.sorted { $0.ids.lexicographicallyPrecedes($1.ids) } }
        self.quoted = sorted(quoted)
        self.long = sorted(long)
        self.sketched = sorted(sketched)
    }

    /// A 64-bit digest of the three lists (token ids of the merged table).
    var digest: String {
        var hash = Hashing.fnvOffsetBasis
        for (list, mark) in [(quoted, UInt8(1)), (long, 2), (sketched, 3)] {
            hash = Hashing.fnv(hash, mark)
            for key in list {
                hash = Hashing.fnv(hash, UInt8(key.length))
                for id in key.ids { for shift in stride(from: 0, to: 32, by: 8) { hash = Hashing.fnv(hash, UInt8(id >> UInt32(shift) & 0xFF)) } }
            }
        }
        return String(Hashing.mix(hash), radix: 16)
    }

    /// Scans `spools` for the request here, on `workers` threads.
    func scan(counts: CountTable, spools: [SnippetSpool], workers: Int) -> ExampleFinder.Scan {
        ExampleFinder.find(Set(quoted), counting: long, sketching: Set(sketched), counts: counts, spools: spools, workers: workers)
    }
}

/// What the final merge on a cluster's driver hands to its quote tasks (`merge --quote-plan`):
/// the request, the partials it ranked (by checksum, in merge order: a partial's place is its
/// spool index), and just enough of the merged count table for a task to scan turns as the
/// driver would: its whole token list (same ids, same folding) and the n-grams of the table
/// that are wanted phrases or their prefixes, with its length and error bound.
///
/// Layout: "FRASQPLN", u32 version, u64 header length, JSON header, then the body in deflated
/// blocks (`DeflatedBlocks`): the tokens, the folded ids, the table's wanted n-grams and the
/// request's three lists; then the trailer of `ChecksummedFile`.
struct QuotePlan {
    struct Header: Codable, Equatable {
        var partials: [String]
        var request: String
        var maxN: Int
        var countErrorBound: UInt32
        var tokens: Int
    }

    static let magic = Array("FRASQPLN".utf8)
    static let version: UInt32 = 1

    let header: Header
    let request: QuoteRequest
    /// The plan's own checksum: what its quote results name.
    let checksum: UInt64
    /// The table a task scans with: the driver's token ids, and only the n-grams the scan looks up.
    let table: CountTable

    /// Writes the plan of `request` over `counts` (the merged table) for `partials` (checksums).
    static func write(_ request: QuoteRequest, counts: CountTable, partials: [String], to path: String) throws {
        // The n-grams the scan can look up and find: wanted phrases and their prefixes that the
        // table holds (a scan stops where the table has neither, see `ExampleFinder`).
        var looked = Set<NGramKey>()
        for key in request.quoted + request.sketched + request.long {
            var prefix = NGramKey()
            for position in 0..<min(key.length, counts.maxN) {
                prefix.append(key.id(at: position))
                if counts.find(prefix) != nil { looked.insert(prefix) }
            }
        }
        var body = ByteWriter()
        body.varint(counts.tokens.count)
        for id in 0..<UInt32(counts.tokens.count) {
            let bytes = counts.tokens.bytes(id)
            body.varint(bytes.count)
            body.bytes += bytes
        }
        body.varint(counts.foldedIDs.count)
        for id in counts.foldedIDs { body.varint(id) }
        for list in [QuoteRequest(quoted: looked, long: [], sketched: []).quoted, request.quoted, request.long, request.sketched] {
            body.varint(list.count)
            for key in list { body.ngram(key) }
        }
        let header = Header(
            partials: partials, request: request.digest, maxN: counts.maxN, countErrorBound: counts.countErrorBound,
            tokens: counts.tokens.count)
        try ChecksummedFile.write(to: path, magic: magic, version: version, header: header) { emit, start in
            (start.end, start.end + (try DeflatedBlocks.write(body.bytes, emit: emit)))
        }
    }

    /// Reads and checks a plan.
    init(path: String) throws(PartialError) {
        let (trailer, header) = try ChecksummedFile.open(path: path, magic: Self.magic, version: Self.version, header: Header.self)
        self.header = header
        checksum = trailer.checksum
        let body = try ByteReader(path: path, from: trailer.first, to: trailer.second, inflating: true)
        guard header.maxN >= 1, header.maxN <= NGramKey.maxLength else { throw .corrupt(path: path, reason: "its --max-n is out of range") }
        var table = CountTable(maxN: header.maxN)
        let tokenCount = try body.int()
        guard tokenCount == header.tokens else { throw .corrupt(path: path, reason: "its token list does not match its header") }
        for _ in 0..<tokenCount {
            let bytes = try body.bytes(try body.int())
            guard table.tokens.intern(bytes) == UInt32(table.tokens.count - 1) else {
                throw .corrupt(path: path, reason: "its token list repeats a token")
            }
        }
        let foldedCount = try body.int()
        guard foldedCount <= tokenCount else { throw .corrupt(path: path, reason: "its folded ids do not match its tokens") }
        for _ in 0..<foldedCount {
            let id = try body.varint32()
            guard id < tokenCount else { throw .corrupt(path: path, reason: "a folded id is out of range") }
            table.foldedIDs.append(id)
        }
        table.countErrorBound = header.countErrorBound
        func keys() throws(PartialError) -> [NGramKey] {
            var keys: [NGramKey] = []
            for _ in 0..<(try body.int()) { keys.append(try body.ngram(tokens: tokenCount)) }
            return keys
        }
        for key in try keys() {
            guard key.length <= header.maxN else { throw .corrupt(path: path, reason: "an n-gram is longer than its --max-n") }
            _ = table.findOrInsert(key)
        }
        let (quoted, long, sketched) = (try keys(), try keys(), try keys())
        request = QuoteRequest(quoted: Set(quoted), long: Set(long), sketched: Set(sketched))
        guard request.digest == header.request else { throw .corrupt(path: path, reason: "its phrases do not match its digest") }
        self.table = table
    }
}

import Foundation

/// What one quote task writes on a cluster (`merge --quote PLAN --quote-out FILE`): the scan
/// of some partials' quoted turns for a `QuotePlan`: each phrase's best examples (pointing
/// into the partials by their place in the plan), the figures of the whole phrases longer than
/// `--max-n`, and the calls of the sketched phrases. The final merge adds the results of all
/// tasks in the partials' order, which gives what one scan of every partial gives.
///
/// Layout: "FRASQRES", u32 version, u64 header length, JSON header, the body in deflated
/// blocks (`DeflatedBlocks`), then the trailer of `ChecksummedFile`.
struct QuoteResult {
    struct Header: Codable, Equatable {
        /// The plan's checksum (hexadecimal).
        var plan: String
        /// The places in the plan's partial list this task scanned, ascending.
        var partials: [Int]
    }

    static let magic = Array("FRASQRES".utf8)
    static let version: UInt32 = 1

    let path: String
    let header: Header
    let scan: ExampleFinder.Scan

    /// Scans the quoted turns of `readers` (each found in the plan by checksum; a copy is
    /// scanned once) and writes the result to `path`.
    /// - Returns: the places in the plan scanned.
    @discardableResult
    static func write(plan: QuotePlan, readers: [PartialReader], workers: Int, to path: String) throws -> [Int] {
        let places = Dictionary(plan.header.partials.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var spools: [Int: SnippetSpool] = [:]
        for reader in readers {
            guard let place = places[String(reader.checksum, radix: 16)] else {
                throw PartialError.quoteMismatch(path: reader.path, reason: "this partial is not one the plan was ranked from")
            }
            if spools[place] == nil { spools[place] = reader.spool(index: place) }
        }
        let scanned = spools.keys.sorted()
        let scan = plan.request.scan(counts: plan.table, spools: scanned.compactMap { spools[$0] }, workers: workers)
        var body = ByteWriter()
        body.varint(scan.examples.count)
        for key in scan.examples.keys.sorted(by: { $0.ids.lexicographicallyPrecedes($1.ids) }) {
            guard let examples = scan.examples[key] else { continue }
            body.ngram(key)
            for slots in [examples.customer, examples.agent] {
                let all = slots.all
                body.varint(all.count)
                for slot in all {
                    body.u64(slot.priority)
                    body.u64(slot.snippet.raw)
                    body.varint(Int(slot.tokenStart))
                    body.varint(Int(slot.tokenCount))
                }
            }
        }
        body.varint(scan.figures.count)
        for key in scan.figures.keys.sorted(by: { $0.ids.lexicographicallyPrecedes($1.ids) }) {
            guard let stats = scan.figures[key] else { continue }
            body.ngram(key)
            stats.occurrences.forEachStored { body.varint($0) }
            stats.calls.forEachStored { body.varint($0) }
        }
        body.varint(scan.calls.count)
        for key in scan.calls.keys.sorted(by: { $0.ids.lexicographicallyPrecedes($1.ids) }) {
            guard let sketch = scan.calls[key] else { continue }
            body.ngram(key)
            body.varint(sketch.isExact ? 1 : 0)
            body.varint(sketch.hashes.count)
            for hash in sketch.hashes { body.u64(hash) }
        }
        let header = Header(plan: String(plan.checksum, radix: 16), partials: scanned)
        try ChecksummedFile.write(to: path, magic: magic, version: version, header: header) { emit, start in
            (start.end, start.end + (try DeflatedBlocks.write(body.bytes, emit: emit)))
        }
        return scanned
    }

    /// Reads and checks a result; its phrases' tokens must be below `tokens` (the plan's).
    init(path: String, tokens: Int) throws(PartialError) {
        self.path = path
        let (trailer, header) = try ChecksummedFile.open(path: path, magic: Self.magic, version: Self.version, header: Header.self)
        self.header = header
        let body = try ByteReader(path: path, from: trailer.first, to: trailer.second, inflating: true)
        func key() throws(PartialError) -> NGramKey { try body.ngram(tokens: tokens) }
        var examples: [NGramKey: ExampleFinder.Examples] = [:]
        for _ in 0..<(try body.int()) {
            let phrase = try key()
            var found = ExampleFinder.Examples()
            for side in 0..<2 {
                var slots = ExampleSlots()
                let count = try body.int()
                guard count <= ExampleSlots.capacity else { throw .corrupt(path: path, reason: "a phrase has too many examples") }
                for _ in 0..<count {
                    let priority = try body.u64(), raw = try body.u64()
                    var slot = ExampleSlot(
                        priority: priority, snippet: SnippetReference(raw: raw), tokenStart: UInt16(clamping: try body.int()))
                    slot.tokenCount = UInt16(clamping: try body.int())
                    slots.offer(slot)
                }
                if side == 0 { found.customer = slots } else { found.agent = slots }
            }
            examples[phrase] = found
        }
        var figures: [NGramKey: NGramStats] = [:]
        for _ in 0..<(try body.int()) {
            let phrase = try key()
            let occurrences = OccurrenceCounts(
                count: try body.varint32(), customer: try body.varint32(), agent: try body.varint32(), unknown: try body.varint32(),
                question: try body.varint32())
            let calls = CallCounts(
                count: try body.varint32(), customer: try body.varint32(), agent: try body.varint32(), unknown: try body.varint32(),
                question: try body.varint32(), customerSide: try body.varint32(), agentSide: try body.varint32())
            figures[phrase] = NGramStats(occurrences: occurrences, calls: calls)
        }
        var calls: [NGramKey: CallSketch] = [:]
        for _ in 0..<(try body.int()) {
            let phrase = try key()
            let isExact = try body.int() == 1
            let count = try body.int()
            guard count <= CallSketch.capacity else { throw .corrupt(path: path, reason: "a phrase's call sketch is too large") }
            var hashes: [UInt64] = []
            hashes.reserveCapacity(count)
            for _ in 0..<count { hashes.append(try body.u64()) }
            calls[phrase] = CallSketch(restoring: hashes, isExact: isExact)
        }
        scan = (examples, figures, calls)
    }
}

/// The quote results of one final merge, checked to be what it needs: of this plan, every
/// partial scanned once; their sum is the scan of every partial.
struct QuoteResultSet {
    let scan: ExampleFinder.Scan
    /// The request the plan was made for (compared with the final merge's own ranking).
    let request: String
    let planPath: String

    /// - Parameters:
    ///   - plan: the plan the tasks were given (checked against the partials merged here).
    ///   - partials: the checksums of the partials merged, in merge order.
    init(_ paths: [String], plan planPath: String, partials: [String]) throws(PartialError) {
        self.planPath = planPath
        let plan = try QuotePlan(path: planPath)
        guard plan.header.partials == partials else {
            throw .quoteMismatch(path: planPath, reason: "it was made from other partials than the ones given")
        }
        var scannedBy = [String?](repeating: nil, count: partials.count)
        var results: [QuoteResult] = []
        for path in paths {
            let result = try QuoteResult(path: path, tokens: plan.header.tokens)
            guard result.header.plan == String(plan.checksum, radix: 16) else {
                throw .quoteMismatch(path: path, reason: "it was made for another quote plan than \(planPath)")
            }
            for place in result.header.partials {
                guard place >= 0, place < partials.count else { throw .corrupt(path: path, reason: "it names a partial out of range") }
                if let earlier = scannedBy[place] {
                    throw .quoteMismatch(path: path, reason: "partial \(place + 1) was scanned twice (also by \(earlier))")
                }
                scannedBy[place] = path
            }
            results.append(result)
        }
        let missing = scannedBy.indices.filter { scannedBy[$0] == nil }
        guard missing.isEmpty else {
            throw .quoteMismatch(
                path: planPath,
                reason: "no quote result scanned partial(s) \(missing.prefix(5).map { String($0 + 1) }.joined(separator: ", "))\(missing.count > 5 ? ", …" : "")")
        }
        // In the partials' order, as one scan adds its spools.
        results.sort { ($0.header.partials.first ?? 0) < ($1.header.partials.first ?? 0) }
        var examples: [NGramKey: ExampleFinder.Examples] = [:]
        var figures: [NGramKey: NGramStats] = Dictionary(uniqueKeysWithValues: plan.request.long.map { ($0, NGramStats()) })
        var calls: [NGramKey: CallSketch] = [:]
        for result in results {
            for (key, found) in result.scan.examples { examples[key, default: ExampleFinder.Examples()].merge(found) }
            for (key, stats) in result.scan.figures {
                figures[key, default: NGramStats()].occurrences.add(stats.occurrences)
                figures[key, default: NGramStats()].calls.add(stats.calls)
            }
            for (key, sketch) in result.scan.calls { calls[key, default: CallSketch()].merge(sketch) }
        }
        scan = (examples, figures, calls)
        request = plan.header.request
    }
}

/// A quotable occurrence: the turn in a spool and where the phrase (or rule match) starts in it.
struct ExampleSlot: Sendable {
    /// Lower is better: customer questions first, then customer, unknown and agent turns,
    /// then a hash of the call and the phrase's bytes, so that examples spread over calls yet
    /// never depend on scheduling or on token ids.
    var priority: UInt64
    var snippet: SnippetReference
    var tokenStart: UInt16
    /// Tokens to highlight; 0 means "the n-gram's own length".
    var tokenCount: UInt16 = 0

    static let empty = ExampleSlot(priority: .max, snippet: SnippetReference(spool: 0, offset: 0), tokenStart: 0)
    var isEmpty: Bool { priority == .max }
}

/// Up to three examples, kept by lowest priority. Offering and merging are order-independent,
/// which keeps reports identical for any thread count.
struct ExampleSlots: Sendable {
    static let capacity = 3
    var slots: (ExampleSlot, ExampleSlot, ExampleSlot) = (.empty, .empty, .empty)

    var all: [ExampleSlot] { [slots.0, slots.1, slots.2].filter { !$0.isEmpty } }

    @inline(__always)
    mutating func offer(_ candidate: ExampleSlot) {
        if candidate.priority < slots.0.priority {
            slots.2 = slots.1; slots.1 = slots.0; slots.0 = candidate
        } else if candidate.priority < slots.1.priority {
            slots.2 = slots.1; slots.1 = candidate
        } else if candidate.priority < slots.2.priority {
            slots.2 = candidate
        }
    }

    mutating func merge(_ other: ExampleSlots) {
        for slot in other.all { offer(slot) }
    }
}

/// Occurrence counts of one n-gram, updated for every occurrence.
struct OccurrenceCounts: Sendable {
    var count: UInt32 = 0
    var customer: UInt32 = 0
    var agent: UInt32 = 0
    var unknown: UInt32 = 0
    /// Occurrences in questions asked by the customer (or by an unlabelled speaker).
    var question: UInt32 = 0

    mutating func add(_ other: OccurrenceCounts) {
        count &+= other.count; customer &+= other.customer; agent &+= other.agent
        unknown &+= other.unknown; question &+= other.question
    }
}

/// What is known of one n-gram, assembled from the table's parallel arrays for ranking and reports.
struct NGramStats: Sendable {
    var occurrences = OccurrenceCounts()
    var calls = OccurrenceCounts()
    var examples = ExampleSlots()
    var agentExamples = ExampleSlots()

    var count: UInt32 { occurrences.count }
    var callCount: UInt32 { calls.count }

    func count(for speaker: Speaker) -> UInt32 {
        switch speaker { case .customer: occurrences.customer; case .agent: occurrences.agent; case .unknown: occurrences.unknown }
    }

    func calls(for speaker: Speaker) -> UInt32 {
        switch speaker { case .customer: calls.customer; case .agent: calls.agent; case .unknown: calls.unknown }
    }
}

/// The folded n-gram and the surface (displayed) n-gram of occurrences that differ (accents).
struct SurfaceKey: PackedKey, Sendable {
    var folded: NGramKey
    var display: NGramKey

    var hash64: UInt64 { mix64(folded.hash64 &+ display.hash64 &* 0x9E37_79B9_7F4A_7C15) }
}

/// A worker's n-gram counts: 1..maxN-grams inside each sentence of each turn, counted on the
/// accent-folded form, with per-call, per-speaker and question figures, surface forms and
/// example references. Values live in arrays parallel to the key index ("structure of arrays"):
/// the per-token loop touches one 8-byte slot and one 20-byte counter.
/// Tables merge into one another; the result does not depend on the order of merging.
struct CountTable: Sendable {
    let maxN: Int
    var tokens = TokenInterner()
    /// For each interned token, the id of its accent-folded form (itself when it has no accent).
    var foldedIDs: [UInt32] = []

    private(set) var index = OpenIndex<NGramKey>(capacity: 1 << 14)
    private(set) var occurrences: [OccurrenceCounts] = []
    private(set) var calls: [OccurrenceCounts] = []
    private(set) var examples: [ExampleSlots] = []
    private(set) var agentExamples: [ExampleSlots] = []
    /// Occurrences whose displayed form differs from the folded one, by (folded, display) pair.
    private(set) var surfaceIndex = OpenIndex<SurfaceKey>(capacity: 1 << 10)
    private(set) var surfaceCounts: [UInt32] = []

    // Per-call state: an entry's `callStamp` equals `currentCall` once the call has touched it,
    // and `callSlot` points into `callEntries`. No hashing is needed to deduplicate per call.
    private var callStamp: [UInt32] = []
    private var callSlot: [UInt32] = []
    private var currentCall: UInt32 = 0
    private var callEntries: [CallOccurrence] = []
    private var callHash: UInt64 = 0
    private var displayIDs: [UInt32] = []
    private var foldedTokenIDs: [UInt32] = []

    private struct CallOccurrence {
        var entry: UInt32
        var mask: UInt8          // bit per speaker, bit 3 = customer question
        var example: ExampleSlot = .empty
        var agentExample: ExampleSlot = .empty
    }

    init(maxN: Int) {
        precondition(maxN >= 1 && maxN <= NGramKey.maxLength)
        self.maxN = maxN
    }

    /// Number of distinct n-grams.
    var count: Int { index.count }

    /// The key of entry `entry`.
    func key(_ entry: Int) -> NGramKey { index.keys[entry] }

    /// Everything known of `key`, or nil when it was never seen.
    func stats(_ key: NGramKey) -> NGramStats? {
        index.find(key).map(stats(entry:))
    }

    func stats(entry: Int) -> NGramStats {
        NGramStats(occurrences: occurrences[entry], calls: calls[entry], examples: examples[entry], agentExamples: agentExamples[entry])
    }

    /// Token id of a display form and its folded form, interning both when new.
    @inline(__always)
    mutating func tokenID<D: Collection, F: Collection>(display: D, folded: F) -> (display: UInt32, folded: UInt32)
    where D.Element == UInt8, F.Element == UInt8 {
        let displayID = tokens.intern(display)
        if Int(displayID) < foldedIDs.count { return (displayID, foldedIDs[Int(displayID)]) }
        foldedIDs.append(displayID)          // placeholder, fixed below when the folded form differs
        if !display.elementsEqual(folded) {
            let foldedID = tokens.intern(folded)
            if Int(foldedID) >= foldedIDs.count { foldedIDs.append(foldedID) }
            foldedIDs[Int(displayID)] = foldedID
        }
        return (displayID, foldedIDs[Int(displayID)])
    }

    @inline(__always)
    private mutating func entry(for key: NGramKey) -> Int {
        let (entry, inserted) = index.findOrInsert(key)
        if inserted {
            occurrences.append(OccurrenceCounts())
            calls.append(OccurrenceCounts())
            examples.append(ExampleSlots())
            agentExamples.append(ExampleSlots())
            callStamp.append(0)
            callSlot.append(0)
        }
        return entry
    }

    mutating func beginCall(id: String) {
        callEntries.removeAll(keepingCapacity: true)
        currentCall &+= 1
        if currentCall == 0 {   // wrapped: stale stamps could collide, clear them once
            for position in callStamp.indices { callStamp[position] = 0 }
            currentCall = 1
        }
        callHash = TokenInterner.hash(id.utf8)
    }

    /// Counts every n-gram of one normalized turn, sentence by sentence (n-grams never cross
    /// sentence punctuation), with the sentence's question flag.
    /// - Complexity: O(tokens × maxN) table updates; no allocation once buffers have grown.
    mutating func add(_ turn: NormalizedTurn, speaker: Speaker, snippet: SnippetReference) {
        let tokenCount = turn.tokenCount
        guard tokenCount > 0 else { return }
        displayIDs.removeAll(keepingCapacity: true)
        foldedTokenIDs.removeAll(keepingCapacity: true)
        for position in 0..<tokenCount {
            let ids = tokenID(display: turn.display[turn.displayTokens[position]], folded: turn.folded[turn.foldedTokens[position]])
            displayIDs.append(ids.display)
            foldedTokenIDs.append(ids.folded)
        }
        let isAgent = speaker == .agent
        let speakerBit: UInt8 = 1 << UInt8(speaker.rawValue)
        for (sentenceIndex, sentence) in turn.sentences.enumerated() {
            let isCustomerQuestion = turn.sentenceIsQuestion[sentenceIndex] && !isAgent
            let mask = speakerBit | (isCustomerQuestion ? 0x08 : 0)
            // Customer questions quote best, then customer turns, then unlabelled ones.
            let rank: UInt64 = isAgent ? 0 : (speaker == .customer ? 0 : 2) + (isCustomerQuestion ? 0 : 1)
            for start in sentence {
                var key = NGramKey()
                var surface = NGramKey()
                var accented = false
                // Built from token bytes, not ids: ids differ between workers, examples must not.
                var contentHash = callHash
                for position in start..<min(start + maxN, sentence.upperBound) {
                    key.append(foldedTokenIDs[position])
                    surface.append(displayIDs[position])
                    if displayIDs[position] != foldedTokenIDs[position] { accented = true }
                    contentHash = (contentHash ^ tokens.contentHash(foldedTokenIDs[position])) &* 0x9E37_79B9_7F4A_7C15
                    contentHash ^= contentHash >> 32
                    let entry = entry(for: key)
                    occurrences[entry].count &+= 1
                    switch speaker {
                    case .customer: occurrences[entry].customer &+= 1
                    case .agent: occurrences[entry].agent &+= 1
                    case .unknown: occurrences[entry].unknown &+= 1
                    }
                    if isCustomerQuestion { occurrences[entry].question &+= 1 }
                    if accented {
                        let (surfaceEntry, inserted) = surfaceIndex.findOrInsert(SurfaceKey(folded: key, display: surface))
                        if inserted { surfaceCounts.append(0) }
                        surfaceCounts[surfaceEntry] &+= 1
                    }
                    let candidate = ExampleSlot(priority: rank << 61 | contentHash >> 3, snippet: snippet, tokenStart: UInt16(clamping: start))
                    if callStamp[entry] != currentCall {
                        callStamp[entry] = currentCall
                        callSlot[entry] = UInt32(callEntries.count)
                        callEntries.append(CallOccurrence(entry: UInt32(entry), mask: 0))
                    }
                    let slot = Int(callSlot[entry])
                    callEntries[slot].mask |= mask
                    if isAgent {
                        if candidate.priority < callEntries[slot].agentExample.priority { callEntries[slot].agentExample = candidate }
                    } else if candidate.priority < callEntries[slot].example.priority {
                        callEntries[slot].example = candidate
                    }
                }
            }
        }
    }

    /// Adds the call-level figures (distinct calls, example candidates) of the call just counted.
    mutating func endCall() {
        for occurrence in callEntries {
            let entry = Int(occurrence.entry)
            let mask = occurrence.mask
            calls[entry].count &+= 1
            if mask & 1 != 0 { calls[entry].customer &+= 1 }
            if mask & 2 != 0 { calls[entry].agent &+= 1 }
            if mask & 4 != 0 { calls[entry].unknown &+= 1 }
            if mask & 8 != 0 { calls[entry].question &+= 1 }
            if !occurrence.example.isEmpty { examples[entry].offer(occurrence.example) }
            if !occurrence.agentExample.isEmpty { agentExamples[entry].offer(occurrence.agentExample) }
        }
        callEntries.removeAll(keepingCapacity: true)
    }

    /// Adds another worker's table into this one, translating its token ids.
    mutating func merge(_ other: CountTable) {
        var remap = [UInt32](repeating: 0, count: other.tokens.count)
        for id in 0..<other.tokens.count {
            let newID = tokens.intern(other.tokens.bytes(UInt32(id)))
            if Int(newID) >= foldedIDs.count { foldedIDs.append(newID) }
            remap[id] = newID
        }
        for id in 0..<other.tokens.count {
            foldedIDs[Int(remap[id])] = remap[Int(other.foldedIDs[id])]
        }
        func translate(_ key: NGramKey) -> NGramKey {
            var translated = NGramKey()
            for position in 0..<key.length { translated.append(remap[Int(key.id(at: position))]) }
            return translated
        }
        index.reserveCapacity(index.count + other.index.count / 2)
        for otherEntry in 0..<other.index.count {
            let entry = entry(for: translate(other.index.keys[otherEntry]))
            occurrences[entry].add(other.occurrences[otherEntry])
            calls[entry].add(other.calls[otherEntry])
            examples[entry].merge(other.examples[otherEntry])
            agentExamples[entry].merge(other.agentExamples[otherEntry])
        }
        for otherEntry in 0..<other.surfaceIndex.count {
            let key = other.surfaceIndex.keys[otherEntry]
            let (entry, inserted) = surfaceIndex.findOrInsert(SurfaceKey(folded: translate(key.folded), display: translate(key.display)))
            if inserted { surfaceCounts.append(0) }
            surfaceCounts[entry] &+= other.surfaceCounts[otherEntry]
        }
    }

    /// The phrase text of a key, space-separated.
    func text(of key: NGramKey) -> String {
        var bytes: [UInt8] = []
        for position in 0..<key.length {
            if position > 0 { bytes.append(0x20) }
            bytes.append(contentsOf: tokens.bytes(key.id(at: position)))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The most frequent way each of `keys` was written (ties: the accented form, then bytes).
    /// One pass over the surface table, whatever the number of keys.
    func surfaceTexts(for keys: Set<NGramKey>) -> [NGramKey: String] {
        var variants: [NGramKey: [(count: UInt32, text: String)]] = [:]
        for entry in 0..<surfaceIndex.count where keys.contains(surfaceIndex.keys[entry].folded) {
            let surface = surfaceIndex.keys[entry]
            variants[surface.folded, default: []].append((surfaceCounts[entry], text(of: surface.display)))
        }
        var result: [NGramKey: String] = [:]
        for key in keys {
            let total = stats(key)?.count ?? 0
            var candidates = variants[key] ?? []
            let accented = candidates.reduce(UInt32(0)) { $0 &+ $1.count }
            candidates.append((total &- accented, text(of: key)))
            // Ties go to the accented form (ASR drops accents; people who write them are careful), then bytes.
            let best = candidates.min { left, right in
                if left.count != right.count { return left.count > right.count }
                if left.text.utf8.count != right.text.utf8.count { return left.text.utf8.count > right.text.utf8.count }
                return left.text.utf8.lexicographicallyPrecedes(right.text.utf8)
            }
            result[key] = best?.text ?? text(of: key)
        }
        return result
    }
}

/// A quotable occurrence of an n-gram: the turn in a spool and where the phrase starts in it.
struct ExampleSlot: Sendable {
    /// Lower is better: customer questions first, then customer, unknown and agent turns,
    /// then a stable hash so that examples spread over calls yet never depend on scheduling.
    var priority: UInt64
    var snippet: SnippetReference
    var tokenStart: UInt16
    /// Tokens to highlight; 0 means "the n-gram's own length".
    var tokenCount: UInt16 = 0
}

/// Up to three examples from three different calls, kept by lowest priority. Merging is
/// order-independent, which keeps reports identical for any thread count.
struct ExampleSlots: Sendable {
    static let capacity = 3
    var slots: (ExampleSlot?, ExampleSlot?, ExampleSlot?) = (nil, nil, nil)

    var all: [ExampleSlot] { [slots.0, slots.1, slots.2].compactMap { $0 } }

    @inline(__always)
    mutating func offer(_ candidate: ExampleSlot) {
        if slots.0 == nil || candidate.priority < slots.0!.priority {
            slots.2 = slots.1; slots.1 = slots.0; slots.0 = candidate
        } else if slots.1 == nil || candidate.priority < slots.1!.priority {
            slots.2 = slots.1; slots.1 = candidate
        } else if slots.2 == nil || candidate.priority < slots.2!.priority {
            slots.2 = candidate
        }
    }

    mutating func merge(_ other: ExampleSlots) {
        for slot in other.all { offer(slot) }
    }
}

/// What is known of one n-gram. Every field merges by addition (examples by priority).
struct NGramStats: Sendable {
    var count: UInt32 = 0
    var calls: UInt32 = 0
    var speakerCounts: (UInt32, UInt32, UInt32) = (0, 0, 0)
    var speakerCalls: (UInt32, UInt32, UInt32) = (0, 0, 0)
    /// Occurrences and calls in questions asked by the customer (or by an unlabelled speaker).
    var questionCount: UInt32 = 0
    var questionCalls: UInt32 = 0
    /// Examples from customer turns (questions first) or, failing those, unlabelled turns.
    var examples = ExampleSlots()
    /// Examples from agent turns, quoted in the agent ranking.
    var agentExamples = ExampleSlots()

    func count(for speaker: Speaker) -> UInt32 {
        switch speaker { case .customer: speakerCounts.0; case .agent: speakerCounts.1; case .unknown: speakerCounts.2 }
    }

    func calls(for speaker: Speaker) -> UInt32 {
        switch speaker { case .customer: speakerCalls.0; case .agent: speakerCalls.1; case .unknown: speakerCalls.2 }
    }

    mutating func merge(_ other: NGramStats) {
        count &+= other.count
        calls &+= other.calls
        speakerCounts.0 &+= other.speakerCounts.0; speakerCounts.1 &+= other.speakerCounts.1; speakerCounts.2 &+= other.speakerCounts.2
        speakerCalls.0 &+= other.speakerCalls.0; speakerCalls.1 &+= other.speakerCalls.1; speakerCalls.2 &+= other.speakerCalls.2
        questionCount &+= other.questionCount
        questionCalls &+= other.questionCalls
        examples.merge(other.examples)
        agentExamples.merge(other.agentExamples)
    }
}

/// The folded n-gram and the surface (displayed) n-gram of one occurrence, when they differ.
struct SurfaceKey: Hashable, Sendable {
    var folded: NGramKey
    var display: NGramKey
}

/// A worker's n-gram counts: 1..maxN-grams inside each turn, counted on the accent-folded form,
/// with per-call, per-speaker and question figures, surface forms and example references.
/// Tables merge into one another; the result does not depend on the order of merging.
struct CountTable: Sendable {
    let maxN: Int
    var tokens = TokenInterner()
    /// For each interned token, the id of its accent-folded form (itself when it has no accent).
    var foldedIDs: [UInt32] = []
    var table: [NGramKey: NGramStats] = [:]
    /// Occurrences whose displayed form differs from the folded form (accents), by surface.
    var surfaces: [SurfaceKey: UInt32] = [:]

    private struct CallOccurrence {
        var mask: UInt8          // bit per speaker, bit 3 = customer question
        var example: ExampleSlot?
        var agentExample: ExampleSlot?

        @inline(__always)
        mutating func offer(_ candidate: ExampleSlot, agent: Bool) {
            if agent {
                if agentExample == nil || candidate.priority < agentExample!.priority { agentExample = candidate }
            } else if example == nil || candidate.priority < example!.priority {
                example = candidate
            }
        }
    }
    private var callSeen: [NGramKey: CallOccurrence] = [:]
    private var callHash: UInt64 = 0
    private var displayIDs: [UInt32] = []
    private var foldedTokenIDs: [UInt32] = []

    init(maxN: Int) {
        precondition(maxN >= 1 && maxN <= NGramKey.maxLength)
        self.maxN = maxN
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

    mutating func beginCall(id: String) {
        callSeen.removeAll(keepingCapacity: true)
        callHash = TokenInterner.hash(id.utf8)
    }

    /// Counts every n-gram of one normalized turn, sentence by sentence (n-grams never cross
    /// sentence punctuation), with the sentence's question flag.
    /// - Complexity: O(tokens × maxN) hash-table updates; no allocation once buffers have grown.
    mutating func add(_ turn: NormalizedTurn, speaker: Speaker, snippet: SnippetReference) {
        let tokenCount = turn.tokenCount
        guard tokenCount > 0 else { return }
        displayIDs.removeAll(keepingCapacity: true)
        foldedTokenIDs.removeAll(keepingCapacity: true)
        for index in 0..<tokenCount {
            let ids = tokenID(display: turn.display[turn.displayTokens[index]], folded: turn.folded[turn.foldedTokens[index]])
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
                    table[key, default: NGramStats()].record(speaker: speaker, question: isCustomerQuestion)
                    if accented { surfaces[SurfaceKey(folded: key, display: surface), default: 0] &+= 1 }
                    let candidate = ExampleSlot(priority: rank << 61 | contentHash >> 3,
                                                snippet: snippet, tokenStart: UInt16(clamping: start))
                    if let index = callSeen.index(forKey: key) {
                        callSeen.values[index].mask |= mask
                        callSeen.values[index].offer(candidate, agent: isAgent)
                    } else {
                        var occurrence = CallOccurrence(mask: mask)
                        occurrence.offer(candidate, agent: isAgent)
                        callSeen[key] = occurrence
                    }
                }
            }
        }
    }

    /// Adds the call-level figures (distinct calls, example candidates) of the call just counted.
    mutating func endCall() {
        for (key, seen) in callSeen {
            table[key]?.recordCall(mask: seen.mask, example: seen.example, agentExample: seen.agentExample)
        }
        callSeen.removeAll(keepingCapacity: true)
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
        table.reserveCapacity(table.count + other.table.count / 2)
        for (key, stats) in other.table {
            table[translate(key), default: NGramStats()].merge(stats)
        }
        for (key, count) in other.surfaces {
            surfaces[SurfaceKey(folded: translate(key.folded), display: translate(key.display)), default: 0] &+= count
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

    /// The most frequent way each of `keys` was written (ties: the byte-smallest form).
    /// One pass over the surface table, whatever the number of keys.
    func surfaceTexts(for keys: Set<NGramKey>) -> [NGramKey: String] {
        var variants: [NGramKey: [(count: UInt32, text: String)]] = [:]
        for (surface, count) in surfaces where keys.contains(surface.folded) {
            variants[surface.folded, default: []].append((count, text(of: surface.display)))
        }
        var result: [NGramKey: String] = [:]
        for key in keys {
            let total = table[key]?.count ?? 0
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

extension NGramStats {
    @inline(__always)
    mutating func record(speaker: Speaker, question: Bool) {
        count &+= 1
        switch speaker {
        case .customer: speakerCounts.0 &+= 1
        case .agent: speakerCounts.1 &+= 1
        case .unknown: speakerCounts.2 &+= 1
        }
        if question { questionCount &+= 1 }
    }

    @inline(__always)
    mutating func recordCall(mask: UInt8, example: ExampleSlot?, agentExample: ExampleSlot?) {
        calls &+= 1
        if mask & 1 != 0 { speakerCalls.0 &+= 1 }
        if mask & 2 != 0 { speakerCalls.1 &+= 1 }
        if mask & 4 != 0 { speakerCalls.2 &+= 1 }
        if mask & 8 != 0 { questionCalls &+= 1 }
        if let example { examples.offer(example) }
        if let agentExample { agentExamples.offer(agentExample) }
    }
}

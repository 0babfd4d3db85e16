/// A quotable occurrence: the turn in a spool and where the phrase (or rule match) starts in it.
struct ExampleSlot: Sendable {
    /// Lower is better: customer questions first, then customer and unlabelled turns, then a
    /// hash of the call and the phrase's bytes, so that examples spread over calls yet never
    /// depend on scheduling or on token ids.
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

/// Slots as a partial stores them: the priority in hexadecimal (JSON numbers lose 64-bit
/// precision in some readers) and the turn's offset in the partial's spool section; the spool
/// is the reader's to set (`LexiconTally.moveExamples`).
extension ExampleSlot: Codable {
    private enum CodingKeys: String, CodingKey { case priority, offset, tokenStart, tokenCount }

    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let text = try container.decode(String.self, forKey: .priority)
        guard let priority = UInt64(text, radix: 16) else {
            throw DecodingError.dataCorruptedError(forKey: .priority, in: container, debugDescription: "an example's priority is not hexadecimal")
        }
        self.priority = priority
        snippet = SnippetReference(spool: 0, offset: try container.decode(Int.self, forKey: .offset))
        tokenStart = UInt16(clamping: try container.decode(Int.self, forKey: .tokenStart))
        tokenCount = UInt16(clamping: try container.decode(Int.self, forKey: .tokenCount))
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(String(priority, radix: 16), forKey: .priority)
        try container.encode(snippet.offset, forKey: .offset)
        try container.encode(Int(tokenStart), forKey: .tokenStart)
        try container.encode(Int(tokenCount), forKey: .tokenCount)
    }
}

extension ExampleSlots: Codable {
    init(from decoder: Decoder) throws {
        self.init()
        for slot in try decoder.singleValueContainer().decode([ExampleSlot].self) { offer(slot) }
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(all)
    }
}

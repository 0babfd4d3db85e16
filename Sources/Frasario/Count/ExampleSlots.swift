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


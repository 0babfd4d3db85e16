/// Occurrence counts of one n-gram, updated for every occurrence.
struct OccurrenceCounts: Sendable, Equatable {
    var count: UInt32 = 0
    var customer: UInt32 = 0
    var agent: UInt32 = 0
    var unknown: UInt32 = 0
    /// Occurrences in questions asked by the customer (or by an unlabelled speaker), counted
    /// from the question's opening word (see `QuestionOpeners`).
    var question: UInt32 = 0

    /// Occurrences in customer or unlabelled turns, and in agent or unlabelled turns: what a
    /// ranking needs when unlabelled turns are attributed to one side.
    var customerSide: UInt32 { customer &+ unknown }
    var agentSide: UInt32 { agent &+ unknown }

    mutating func add(_ other: OccurrenceCounts) {
        count &+= other.count; customer &+= other.customer; agent &+= other.agent
        unknown &+= other.unknown; question &+= other.question
    }

    /// The figures in the order partial files store them, one at a time (no array per n-gram).
    @inline(__always)
    func forEachStored(_ body: (UInt32) -> Void) {
        body(count); body(customer); body(agent); body(unknown); body(question)
    }

    /// The figures in `forEachStored`'s order.
    var stored: [UInt32] {
        var values: [UInt32] = []
        forEachStored { values.append($0) }
        return values
    }
}

/// Distinct calls of one n-gram: as `OccurrenceCounts`, plus the calls with a customer or
/// unlabelled turn and with an agent or unlabelled turn, which are not sums of the speaker
/// figures (a call with both kinds of turn counts once).
struct CallCounts: Sendable, Equatable {
    var count: UInt32 = 0
    var customer: UInt32 = 0
    var agent: UInt32 = 0
    var unknown: UInt32 = 0
    var question: UInt32 = 0
    var customerSide: UInt32 = 0
    var agentSide: UInt32 = 0

    mutating func add(_ other: CallCounts) {
        count &+= other.count; customer &+= other.customer; agent &+= other.agent
        unknown &+= other.unknown; question &+= other.question
        customerSide &+= other.customerSide; agentSide &+= other.agentSide
    }

    /// The figures in the order partial files store them, one at a time (no array per n-gram).
    @inline(__always)
    func forEachStored(_ body: (UInt32) -> Void) {
        body(count); body(customer); body(agent); body(unknown); body(question); body(customerSide); body(agentSide)
    }

    /// The figures in `forEachStored`'s order.
    var stored: [UInt32] {
        var values: [UInt32] = []
        forEachStored { values.append($0) }
        return values
    }
}

/// What is known of one n-gram, assembled from the table's parallel arrays for ranking and reports.
struct NGramStats: Sendable {
    var occurrences = OccurrenceCounts()
    var calls = CallCounts()

    var count: UInt32 { occurrences.count }
    var callCount: UInt32 { calls.count }

}

/// Finds which of a fixed set of literal byte strings occur in a text, all at once, in one
/// pass over the text's bytes: an Aho-Corasick automaton compiled to a dense DFA over the
/// bytes that literals use (every other byte sends the automaton back to its root).
/// Built once per lexicon and shared read-only by every worker.
/// - Complexity: O(text bytes + literals found) per scan.
struct LiteralScanner: Sendable {
    /// Byte → column in the transition table; 0 is "a byte no literal contains".
    private let columns: [UInt8]
    private let width: Int
    /// transitions[state * width + column] = the next state's row (next state × width), with
    /// `outputBit` set when literals end at that state: the scan reads one cell per byte, no
    /// multiply and no output table unless a literal ends.
    private let transitions: [UInt32]
    private static let outputBit: UInt32 = 1 << 31
    /// Literal ids ending at each state (its own and those reached by failure links).
    private let outputStart: [UInt32]
    private let outputs: [UInt32]
    let literalCount: Int

    init(literals: [[UInt8]]) {
        literalCount = literals.count
        var columns = [UInt8](repeating: 0, count: 256)
        var width = 1
        for literal in literals {
            for byte in literal where columns[Int(byte)] == 0 {
                columns[Int(byte)] = UInt8(width)
                width += 1
            }
        }
        precondition(width <= 256)
        // The trie, one row of `width` children per state (0 = none: the root is no one's child).
        var children = [Int](repeating: 0, count: width)
        var ownOutputs: [[UInt32]] = [[]]
        for (id, literal) in literals.enumerated() {
            var state = 0
            for byte in literal {
                let cell = state * width + Int(columns[Int(byte)])
                if children[cell] != 0 {
                    state = children[cell]
                } else {
                    let fresh = ownOutputs.count
                    children.append(contentsOf: repeatElement(0, count: width))
                    ownOutputs.append([])
                    children[cell] = fresh
                    state = fresh
                }
            }
            ownOutputs[state].append(UInt32(id))
        }
        // Breadth-first: failure links, then a dense DFA.
        let stateCount = ownOutputs.count
        var transitions = [UInt32](repeating: 0, count: stateCount * width)
        var failure = [Int](repeating: 0, count: stateCount)
        var allOutputs = ownOutputs
        var queue: [Int] = []
        for column in 1..<width where children[column] != 0 {
            transitions[column] = UInt32(children[column])
            queue.append(children[column])
        }
        var head = 0
        while head < queue.count {
            let state = queue[head]; head += 1
            if !allOutputs[failure[state]].isEmpty { allOutputs[state] += allOutputs[failure[state]] }
            for column in 1..<width {
                let child = children[state * width + column]
                if child != 0 {
                    failure[child] = Int(transitions[failure[state] * width + column])
                    transitions[state * width + column] = UInt32(child)
                    queue.append(child)
                } else {
                    transitions[state * width + column] = transitions[failure[state] * width + column]
                }
            }
        }
        var outputStart: [UInt32] = [0]
        var outputs: [UInt32] = []
        for state in 0..<stateCount {
            if allOutputs[state].count > 1 {
                outputs += Set(allOutputs[state]).sorted()
            } else {
                outputs += allOutputs[state]
            }
            outputStart.append(UInt32(outputs.count))
        }
        // State numbers become row offsets, flagged when literals end there.
        for cell in transitions.indices {
            let target = Int(transitions[cell])
            transitions[cell] = UInt32(target * width) | (allOutputs[target].isEmpty ? 0 : Self.outputBit)
        }
        self.columns = columns
        self.width = width
        self.transitions = transitions
        self.outputStart = outputStart
        self.outputs = outputs
    }

    /// Calls `found` with the id of every literal occurring in `text` (possibly more than once).
    @inline(__always)
    func scan(_ text: UnsafeBufferPointer<UInt8>, _ found: (Int) -> Void) {
        transitions.withUnsafeBufferPointer { transitions in
            columns.withUnsafeBufferPointer { columns in
                // SAFETY: every cell holds a row offset of this table (built above), and
                // `columns` has 256 entries, each below `width`.
                var row = 0
                for byte in text {
                    let next = transitions[row &+ Int(columns[Int(byte)])]
                    row = Int(next & ~Self.outputBit)
                    if next & Self.outputBit != 0 {
                        let state = row / width
                        for index in Int(outputStart[state])..<Int(outputStart[state &+ 1]) { found(Int(outputs[index])) }
                    }
                }
            }
        }
    }
}

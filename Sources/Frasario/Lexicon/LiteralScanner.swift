/// Finds which of a fixed set of literal byte strings occur in a text, all at once, in one
/// pass over the text's bytes: an Aho-Corasick automaton compiled to a dense DFA over the
/// bytes that literals use (every other byte sends the automaton back to its root).
/// Built once per lexicon and shared read-only by every worker.
/// - Complexity: O(text bytes + literals found) per scan.
struct LiteralScanner: Sendable {
    /// Byte → column in the transition table; 0 is "a byte no literal contains".
    private let columns: [UInt8]
    private let width: Int
    /// transitions[state * width + column] = next state.
    private let transitions: [UInt32]
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
        self.columns = columns
        self.width = width
        self.transitions = transitions
        self.outputStart = outputStart
        self.outputs = outputs
    }

    /// Calls `found` with the id of every literal occurring in `text` (possibly more than once).
    @inline(__always)
    func scan(_ text: UnsafeBufferPointer<UInt8>, _ found: (Int) -> Void) {
        var state = 0
        for byte in text {
            state = Int(transitions[state &* width &+ Int(columns[Int(byte)])])
            let start = Int(outputStart[state]), end = Int(outputStart[state &+ 1])
            if start != end {
                for index in start..<end { found(Int(outputs[index])) }
            }
        }
    }
}

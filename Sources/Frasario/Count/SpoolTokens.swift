/// A spooled turn read back as token ids of a count table, sentence by sentence: what the
/// scans after counting (examples, whole phrases) match ranked phrases against.
struct SpoolTokens {
    let counts: CountTable
    /// Per token: the id it is counted under (accent-folded, numbers canonical);
    /// `UInt32.max` when the table does not know the token.
    private(set) var folded: [UInt32] = []
    /// Per token, the index of its sentence; per sentence, whether the spool marked it a question.
    private(set) var sentence: [Int] = []
    private(set) var sentenceIsQuestion: [Bool] = []
    /// The written forms, kept as bytes and looked up only when asked for (`display()`).
    private var displayArena: [UInt8] = []
    private var displayEnds: [Int] = []
    private var displayIDs: [UInt32] = []
    private var foldedBytes: [UInt8] = []

    init(counts: CountTable) { self.counts = counts }

    /// Reads one turn in spool form (see `SpoolText`).
    mutating func read(_ text: ArraySlice<UInt8>) {
        folded.removeAll(keepingCapacity: true)
        sentence.removeAll(keepingCapacity: true)
        sentenceIsQuestion.removeAll(keepingCapacity: true)
        displayArena.removeAll(keepingCapacity: true)
        displayEnds.removeAll(keepingCapacity: true)
        displayIDs.removeAll(keepingCapacity: true)
        foldedBytes.removeAll(keepingCapacity: true)
        var index = text.startIndex
        while index < text.endIndex {
            let byte = text[index]
            index += 1
            if byte == SpoolText.questionMarker || byte == SpoolText.statementMarker {
                closeToken()
                sentenceIsQuestion.append(byte == SpoolText.questionMarker)
            } else if byte == 0x20 {
                closeToken()
            } else if byte == 0xC3 && index < text.endIndex {
                let second = text[index]
                index += 1
                displayArena.append(byte); displayArena.append(second)
                let ascii = SpanishText.foldedASCII(secondByte: second)
                if ascii != 0 { foldedBytes.append(ascii) } else { foldedBytes.append(0xC3); foldedBytes.append(second) }
            } else {
                displayArena.append(byte)
                foldedBytes.append(byte)
            }
        }
        closeToken()
    }

    /// Written-form ids of the turn's tokens (`UInt32.max` when unknown), looked up on first use.
    mutating func display() -> [UInt32] {
        if displayIDs.count != folded.count {
            displayIDs.removeAll(keepingCapacity: true)
            var start = 0
            for end in displayEnds {
                displayIDs.append(counts.tokens.lookup(displayArena[start..<end]) ?? .max)
                start = end
            }
        }
        return displayIDs
    }

    private mutating func closeToken() {
        guard !foldedBytes.isEmpty else { return }
        folded.append(counts.tokens.lookup(foldedBytes).map { counts.foldedIDs[Int($0)] } ?? .max)
        displayEnds.append(displayArena.count)
        sentence.append(sentenceIsQuestion.count - 1)
        foldedBytes.removeAll(keepingCapacity: true)
    }
}

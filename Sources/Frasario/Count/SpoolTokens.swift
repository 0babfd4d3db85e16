/// A spooled turn read back as token ids of a count table, sentence by sentence: what the
/// scans after counting (examples, whole phrases) match ranked phrases against.
struct SpoolTokens {
    let counts: CountTable
    /// Per token: the id it is counted under (accent-folded, numbers canonical), and the id of
    /// its written form; `UInt32.max` when the table does not know the token.
    private(set) var folded: [UInt32] = []
    private(set) var display: [UInt32] = []
    /// Per token, the index of its sentence; per sentence, whether the spool marked it a question.
    private(set) var sentence: [Int] = []
    private(set) var sentenceIsQuestion: [Bool] = []
    private var displayBytes: [UInt8] = []
    private var foldedBytes: [UInt8] = []

    init(counts: CountTable) { self.counts = counts }

    /// Reads one turn in spool form (see `SpoolText`).
    mutating func read(_ text: ArraySlice<UInt8>) {
        folded.removeAll(keepingCapacity: true)
        display.removeAll(keepingCapacity: true)
        sentence.removeAll(keepingCapacity: true)
        sentenceIsQuestion.removeAll(keepingCapacity: true)
        displayBytes.removeAll(keepingCapacity: true)
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
                displayBytes.append(byte); displayBytes.append(second)
                let ascii = SpanishText.foldedASCII(secondByte: second)
                if ascii != 0 { foldedBytes.append(ascii) } else { foldedBytes.append(0xC3); foldedBytes.append(second) }
            } else {
                displayBytes.append(byte)
                foldedBytes.append(byte)
            }
        }
        closeToken()
    }

    private mutating func closeToken() {
        guard !foldedBytes.isEmpty else { return }
        folded.append(counts.tokens.lookup(foldedBytes).map { counts.foldedIDs[Int($0)] } ?? .max)
        display.append(counts.tokens.lookup(displayBytes) ?? .max)
        sentence.append(sentenceIsQuestion.count - 1)
        displayBytes.removeAll(keepingCapacity: true)
        foldedBytes.removeAll(keepingCapacity: true)
    }
}

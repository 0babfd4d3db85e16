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
    /// The written forms, as ranges of the turn's text, looked up only when asked for (`display()`).
    private var text: ArraySlice<UInt8> = []
    private var displayRanges: [Range<Int>] = []
    private var tokenStart = -1
    private var displayIDs: [UInt32] = []
    private var foldedBytes: [UInt8] = []

    init(counts: CountTable) { self.counts = counts }

    /// Reads one turn in spool form (see `SpoolText`).
    mutating func read(_ text: ArraySlice<UInt8>) {
        folded.removeAll(keepingCapacity: true)
        sentence.removeAll(keepingCapacity: true)
        sentenceIsQuestion.removeAll(keepingCapacity: true)
        displayRanges.removeAll(keepingCapacity: true)
        displayIDs.removeAll(keepingCapacity: true)
        foldedBytes.removeAll(keepingCapacity: true)
        self.text = text
        tokenStart = -1
        var index = text.startIndex
        while index < text.endIndex {
            let byte = text[index]
            if byte == SpoolText.questionMarker || byte == SpoolText.statementMarker {
                closeToken(at: index)
                sentenceIsQuestion.append(byte == SpoolText.questionMarker)
            } else if byte == 0x20 {
                closeToken(at: index)
            } else {
                if tokenStart < 0 { tokenStart = index }
                if byte == 0xC3 && index + 1 < text.endIndex {
                    let second = text[index + 1]
                    index += 1
                    let ascii = SpanishText.foldedASCII(secondByte: second)
                    if ascii != 0 { foldedBytes.append(ascii) } else { foldedBytes.append(0xC3); foldedBytes.append(second) }
                } else {
                    foldedBytes.append(byte)
                }
            }
            index += 1
        }
        closeToken(at: text.endIndex)
    }

    /// Written-form ids of the turn's tokens (`UInt32.max` when unknown), looked up on first use.
    mutating func display() -> [UInt32] {
        if displayIDs.count != folded.count {
            displayIDs.removeAll(keepingCapacity: true)
            for range in displayRanges { displayIDs.append(counts.tokens.lookup(text[range]) ?? .max) }
        }
        return displayIDs
    }

    private mutating func closeToken(at end: Int) {
        defer { tokenStart = -1 }
        guard !foldedBytes.isEmpty, tokenStart >= 0 else { return }
        folded.append(counts.tokens.lookup(foldedBytes).map { counts.foldedIDs[Int($0)] } ?? .max)
        displayRanges.append(tokenStart..<end)
        sentence.append(sentenceIsQuestion.count - 1)
        foldedBytes.removeAll(keepingCapacity: true)
    }
}

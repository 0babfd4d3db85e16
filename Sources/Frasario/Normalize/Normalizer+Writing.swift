import Foundation

/// Writing the scanned tokens into a `NormalizedTurn`: its display, folded and verbatim views,
/// token ranges, sentences and question flags.
extension Normalizer {

    func write(into turn: inout NormalizedTurn) {
        var sentenceStart = 0
        for (index, token) in raw.enumerated() where index > 0 && token.startsSentence {
            appendSentence(sentenceStart..<index, into: &turn)
            sentenceStart = index
        }
        if !raw.isEmpty { appendSentence(sentenceStart..<raw.count, into: &turn) }
        for (index, token) in raw.enumerated() where token.opensQuestion { turn.questionOpenings.append(index) }
        writeTokens(from: lowered, display: true, into: &turn.display, tokens: &turn.displayTokens)
        writeTokens(from: foldedScratch, display: false, into: &turn.folded, tokens: &turn.foldedTokens)
        writeVerbatim(into: &turn)
    }

    /// Writes the tokens' bytes from `scratch` (their display or folded ranges; a mask's token for
    /// a mask) after `text`, one space between tokens, and each token's range into `tokens`:
    /// sized once, then copied in place.
    private func writeTokens(from scratch: [UInt8], display: Bool, into text: inout [UInt8], tokens: inout [Range<Int>]) {
        guard !raw.isEmpty else { return }
        var length = text.isEmpty ? raw.count - 1 : raw.count
        for token in raw { length += token.mask?.bytes.count ?? (display ? token.display : token.folded).count }
        var position = text.count
        if !text.isEmpty { position += 1 }
        text.append(contentsOf: repeatElement(0x20, count: length))
        tokens.reserveCapacity(raw.count)
        text.withUnsafeMutableBufferPointer { text in
            scratch.withUnsafeBufferPointer { scratch in
                // SAFETY: `text` was just sized to hold every token and its space; each token's
                // range was made by the scan over `scratch`, so every copy is in bounds.
                for token in raw {
                    let start = position
                    if let mask = token.mask {
                        for byte in mask.bytes { text[position] = byte; position &+= 1 }
                    } else {
                        let range = display ? token.display : token.folded
                        if let source = scratch.baseAddress, let target = text.baseAddress {
                            (target + position).update(from: source + range.lowerBound, count: range.count)
                        }
                        position &+= range.count
                    }
                    tokens.append(start..<position)
                    position &+= 1
                }
            }
        }
    }

    /// The original text with personal data masked, and each token's range in it. Text between
    /// tokens (spaces, punctuation, dropped fillers) is copied as written; a mask's span (digits
    /// and the dashes or words between them) becomes its mask token.
    private func writeVerbatim(into turn: inout NormalizedTurn) {
        // SAFETY: `original` is only read, inside the closure; every range is clamped to it.
        original.withUnsafeBufferPointer { original in writeVerbatim(from: original, into: &turn) }
    }

    private func writeVerbatim(from original: UnsafeBufferPointer<UInt8>, into turn: inout NormalizedTurn) {
        // Most turns mask nothing and expand nothing: their tokens' sources ascend without
        // overlapping, and the verbatim text is the original, each token at its source.
        var ascending = true
        var previousEnd = 0
        for token in raw {
            if token.mask != nil || token.source.lowerBound < previousEnd || token.source.upperBound > original.count {
                ascending = false
                break
            }
            previousEnd = token.source.upperBound
        }
        if ascending {
            turn.verbatim.append(contentsOf: original)
            turn.verbatimTokens.reserveCapacity(raw.count)
            for token in raw { turn.verbatimTokens.append(token.source) }
            return
        }
        var copied = 0
        var previous: Range<Int> = 0..<0
        var previousSource: Range<Int>?
        for token in raw {
            let source = token.source.clamped(to: 0..<original.count)
            if let previousSource, source == previousSource {
                // A word of an expanded abbreviation: the abbreviation's range.
                turn.verbatimTokens.append(previous)
                continue
            }
            if source.lowerBound > copied { turn.verbatim.append(contentsOf: UnsafeBufferPointer(rebasing: original[copied..<source.lowerBound])) }
            let start = turn.verbatim.count
            if let mask = token.mask {
                turn.verbatim.append(contentsOf: mask.bytes)
            } else {
                turn.verbatim.append(
                    contentsOf: UnsafeBufferPointer(rebasing: original[max(copied, source.lowerBound)..<max(copied, source.upperBound)]))
            }
            previous = start..<turn.verbatim.count
            previousSource = source
            copied = max(copied, source.upperBound)
            turn.verbatimTokens.append(previous)
        }
        if copied < original.count { turn.verbatim.append(contentsOf: UnsafeBufferPointer(rebasing: original[copied...])) }
    }

    private func appendSentence(_ range: Range<Int>, into turn: inout NormalizedTurn) {
        let question = raw[range].contains { $0.question } || opensWithInterrogative(from: range.lowerBound, to: range.upperBound)
        turn.sentences.append(range)
        turn.sentenceIsQuestion.append(question)
        if question { turn.isQuestion = true }
    }
}

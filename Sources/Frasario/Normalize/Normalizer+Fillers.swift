import Foundation

/// Hesitations, back-channels and stutters: dropped before counting, so a phrase said with
/// one inside is still the phrase.
extension Normalizer {
    /// Hesitations such as eh, ehm, mmm, mhm, hmm, uh, um: never content in Spanish speech.
    @inline(__always)
    func isFiller(_ token: RawToken) -> Bool { token.classes.contains(.filler) }

    /// Whether the folded word `bytes` (no digits) is a hesitation.
    @inline(__always)
    static func isFillerWord(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count >= 2, bytes.count <= 6 else { return false }
        let first = bytes[0]
        guard first == UInt8(ascii: "e") || first == UInt8(ascii: "m") || first == UInt8(ascii: "h") || first == UInt8(ascii: "u") else { return false }
        // Collapse runs of a letter ("mmmh" → "mh") into a code of at most three letters:
        // e+h+ | e+m+ | e+h+m+ | m+ | m+h+m+ | mjm | h+m+ | u+h+ | u+m+
        var code: UInt32 = 0
        var last: UInt8 = 0
        var runs = 0
        for byte in bytes where byte != last {
            runs += 1
            if runs > 3 { return false }
            code = code << 8 | UInt32(byte)
            last = byte
        }
        switch code {
        // eh, em, ehm, m(m…), mhm, mjm, hm, uh, um as packed ASCII
        case 0x6568, 0x656D, 0x65686D, 0x6D, 0x6D686D, 0x6D6A6D, 0x686D, 0x7568, 0x756D: return true
        default: return false
        }
    }

    static let turnFillers: [[UInt8]] = ["aja", "aha", "ajam", "aham", "mjm", "aja"].map { Array($0.utf8) }

    /// Drops fillers and stutters in place: tokens kept move down over the dropped ones.
    mutating func dropFillersAndStutters() {
        var pendingSentenceStart = false
        var pendingQuestionOpening = false
        let hasContextualFiller = presentClasses.contains(.contextualFiller)
        // The contextual fillers are marked in the normalizer's own buffer, moved out while
        // marking (the marks read the tokens through `self`).
        var contextual: [Bool] = []
        swap(&contextual, &contextualFillers)
        if hasContextualFiller {
            SpokenFillers.mark(
                count: raw.count, word: { raw[$0].mask == nil ? foldedScratch[raw[$0].folded] : nil },
                startsSentence: { raw[$0].startsSentence }, into: &contextual)
        }
        defer { swap(&contextual, &contextualFillers) }
        // The tokens are moved out of `raw` while they are rewritten, so that comparing their
        // bytes (through `self`) does not overlap the writes.
        var tokens: [RawToken] = []
        swap(&tokens, &raw)
        var written = 0  // tokens[..<written] are the kept ones; never past the one being read
        for index in tokens.indices {
            var token = tokens[index]
            if token.classes.contains(.filler) || (hasContextualFiller && contextual[index]) {
                // Keep the sentence structure the filler carried.
                if token.startsSentence { pendingSentenceStart = true }
                if token.opensQuestion { pendingQuestionOpening = true }
                if token.question, !token.startsSentence, written > 0 { tokens[written - 1].question = true }
                continue
            }
            if pendingSentenceStart { token.startsSentence = true; pendingSentenceStart = false }
            if pendingQuestionOpening { token.opensQuestion = true; pendingQuestionOpening = false }
            if !token.startsSentence, !token.afterPause, written > 0, foldedBytesEqual(tokens[written - 1], token) {
                if token.question { tokens[written - 1].question = true }
                continue
            }
            tokens[written] = token
            written += 1
            if written >= 4 && !tokens[written - 2].startsSentence && !tokens[written - 1].startsSentence
                && foldedBytesEqual(tokens[written - 1], tokens[written - 3]) && foldedBytesEqual(tokens[written - 2], tokens[written - 4])
            {
                if tokens[written - 1].question || tokens[written - 2].question { tokens[written - 3].question = true }
                written -= 2
            }
        }
        tokens.removeLast(tokens.count - written)
        swap(&tokens, &raw)
        // "ajá" alone is a back-channel; inside a sentence it may carry meaning, so it stays.
        if !raw.isEmpty && raw.allSatisfy({ token in Self.turnFillers.contains { self.token(token, is: $0) } }) {
            raw.removeAll(keepingCapacity: true)
        }
        if !raw.isEmpty { raw[0].startsSentence = true }
    }
}

import Foundation

/// Chat shorthand expanded to the words it stands for.
extension Normalizer {
    /// Chat shorthand, expanded so that "xq no me llega el msj" counts with "porque no me llega el mensaje".
    /// Keys are folded tokens; values are the display words (their folded forms drop the accents).
    static let abbreviationWords: [String: [String]] = [
        "q": ["que"], "k": ["que"], "xq": ["porque"], "pq": ["porque"], "porq": ["porque"],
        "tb": ["también"], "tmb": ["también"], "tambn": ["también"], "msj": ["mensaje"],
        "porfa": ["por", "favor"], "xfa": ["por", "favor"], "pls": ["por", "favor"], "xfavor": ["por", "favor"],
        "bn": ["bien"], "dnd": ["dónde"],
    ]
    static let abbreviations: [UInt64: [String]] = abbreviationWords.reduce(into: [:]) { $0[Self.pack($1.key.utf8)] = $1.value }
    /// The shorthand forms, for the word-class table.
    static let abbreviationList = Array(abbreviationWords.keys)

    /// Up to 8 bytes as one number, for allocation-free lookups of short words.
    static func pack<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
        bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    mutating func expandChatAbbreviations() {
        let x = UInt64(UInt8(ascii: "x"))
        let abbreviations = Self.abbreviations
        kept.removeAll(keepingCapacity: true)
        for (index, token) in raw.enumerated() {
            guard token.classes.contains(.chatShorthand) else { kept.append(token); continue }
            let packed = Self.pack(foldedScratch[token.folded])
            var words = abbreviations[packed]
            if words == nil, packed == x, index + 1 < raw.count, self.token(raw[index + 1], is: Self.favor) {
                words = ["por"]
            }
            guard let words else { kept.append(token); continue }
            for (position, word) in words.enumerated() {
                let displayStart = lowered.count, foldedStart = foldedScratch.count
                lowered.append(contentsOf: word.utf8)
                foldedScratch.append(contentsOf: SpanishText.folded(word).utf8)
                var expanded = token
                expanded.display = displayStart..<lowered.count
                expanded.folded = foldedStart..<foldedScratch.count
                expanded.letters = word.count
                if position > 0 { expanded.startsSentence = false; expanded.joinedToPrevious = false }
                expanded.classes = foldedScratch.withUnsafeBufferPointer { folded in
                    // SAFETY: the range was just appended to this buffer.
                    classify(folded: UnsafeBufferPointer(rebasing: folded[expanded.folded]), digits: 0)
                }
                presentClasses.formUnion(expanded.classes)
                kept.append(expanded)
            }
        }
        swap(&raw, &kept)
    }

    static let favor = Array("favor".utf8)
}

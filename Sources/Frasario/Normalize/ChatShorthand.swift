import Foundation

/// Chat shorthand expanded to the words it stands for.
extension Normalizer {
    /// Chat shorthand, expanded so that "xq no me llega el msj" counts with "porque no me llega el mensaje".
    /// Keys are folded tokens; values are the display words (their folded forms drop the accents).
    static let abbreviations: [UInt64: [String]] = [
        "q": ["que"], "k": ["que"], "xq": ["porque"], "pq": ["porque"], "porq": ["porque"],
        "tb": ["también"], "tmb": ["también"], "tambn": ["también"], "msj": ["mensaje"],
        "porfa": ["por", "favor"], "xfa": ["por", "favor"], "pls": ["por", "favor"], "xfavor": ["por", "favor"],
        "bn": ["bien"], "dnd": ["dónde"],
    ].reduce(into: [:]) { $0[Self.pack($1.key.utf8)] = $1.value }

    /// Up to 8 bytes as one number, for allocation-free lookups of short words.
    static func pack<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
        bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    mutating func expandChatAbbreviations() {
        let x = UInt64(UInt8(ascii: "x"))
        let abbreviations = Self.abbreviations
        // Fast check without hashing: the packed forms of q k xq pq porq tb tmb tambn msj porfa xfa pls xfavor bn dnd x.
        guard
            raw.contains(where: { token in
                guard token.mask == nil, token.digits == 0, token.folded.count <= 6 else { return false }
                switch Self.pack(foldedScratch[token.folded]) {
                case 0x71, 0x6B, 0x7871, 0x7071, 0x706F7271, 0x7462, 0x746D62, 0x74616D626E, 0x6D736A, 0x706F726661, 0x786661,
                    0x706C73, 0x786661766F72, 0x626E, 0x646E64, 0x78:
                    return true
                default:
                    return false
                }
            })
        else { return }
        kept.removeAll(keepingCapacity: true)
        for (index, token) in raw.enumerated() {
            guard token.mask == nil, token.digits == 0, token.folded.count <= 6 else { kept.append(token); continue }
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
                kept.append(expanded)
            }
        }
        swap(&raw, &kept)
    }

    static let favor = Array("favor".utf8)
}

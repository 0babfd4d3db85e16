/// Where sentences end: at `.`, `!`, `?`, `;`, `:` and `…`, but not inside a number (1.500) or a
/// time (10:30), after a title (Sr. García) or at a pause before a lowercase word («Quiero...
/// dar de baja»). Patterns read one sentence at a time and n-grams never cross one, so a
/// wrong split hides what was said.
extension Normalizer {
    /// Whether the byte at `index` has a digit on each side (1.500, 10:30).
    @inline(__always) static func isBetweenDigits(_ bytes: UnsafeBufferPointer<UInt8>, _ index: Int) -> Bool {
        index > 0 && index + 1 < bytes.count && bytes[index - 1] >= 0x30 && bytes[index - 1] <= 0x39
            && bytes[index + 1] >= 0x30 && bytes[index + 1] <= 0x39
    }

    /// Whether the next word after `start` (past spaces) begins with a lowercase letter.
    static func continuesInLowercase(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Bool {
        var position = start
        while position < bytes.count && isSpace(bytes[position]) { position += 1 }
        guard position < bytes.count else { return false }
        let byte = bytes[position]
        if byte >= 0x61 && byte <= 0x7A { return true }
        return byte == 0xC3 && position + 1 < bytes.count && bytes[position + 1] >= 0xA0 && bytes[position + 1] <= 0xBF
    }

    /// Courtesy titles and common abbreviations whose period does not end a sentence.
    static let periodAbbreviations: [[UInt8]] = [
        "sr", "sra", "srta", "sres", "dr", "dra", "ud", "uds", "vd", "vds", "lic", "ing", "av", "avda", "c", "pza", "num",
        "tel", "dpto", "depto", "pag", "art", "aprox", "ej", "admon", "cia",
    ].map { Array($0.utf8) }

    /// Whether the period at `index` closes an abbreviation written just before it («Sr.»).
    func endsAbbreviation(at index: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard index > 0, let last = raw.last, last.source.upperBound == index else { return false }
        let folded = foldedScratch[last.folded]
        return folded.count <= 6 && Self.periodAbbreviations.contains { $0.elementsEqual(folded) }
    }

}

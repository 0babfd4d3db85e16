/// What a token is to the masking and filler passes, looked up once when the token is made.
///
/// Every pass after the scan asks of a token «is it a number word? a street type? a filler?»;
/// asked pass after pass, those lookups were most of normalization. The scan now answers them
/// all in one table lookup per token, and records which classes the turn holds at all, so a
/// pass whose cue is absent (no «arroba», no street type, fewer than four numbers) is skipped.
struct WordClasses: OptionSet, Sendable {
    let rawValue: UInt16

    /// cero, uno … nueve: a digit said in words.
    static let spokenDigit = WordClasses(rawValue: 1 << 0)
    /// diez … mil: a number said in words that is not a single digit.
    static let numberWord = WordClasses(rawValue: 1 << 1)
    /// A word that opens a street address (calle, avenida…).
    static let street = WordClasses(rawValue: 1 << 2)
    /// A word after which a birth date is said (nací, nacimiento…).
    static let birthCue = WordClasses(rawValue: 1 << 3)
    /// A month's name.
    static let month = WordClasses(rawValue: 1 << 4)
    /// The word of a name introduction that follows «me», «mi», «a», «se»: llamo, nombre, llama, llaman.
    static let nameCue = WordClasses(rawValue: 1 << 5)
    /// «arroba»: an e-mail address is being dictated.
    static let arroba = WordClasses(rawValue: 1 << 6)
    /// Chat shorthand that expands to words (xq, tb, msj…), or the «x» of «x favor».
    static let chatShorthand = WordClasses(rawValue: 1 << 7)
    /// A hesitation (eh, ehm, mmm, mhm…).
    static let filler = WordClasses(rawValue: 1 << 8)
    /// «este» or «o»: a filler or not depending on the words around it.
    static let contextualFiller = WordClasses(rawValue: 1 << 9)

    /// A word a question may open with before its interrogative (bueno, oiga, pues…).
    static let leadingMarker = WordClasses(rawValue: 1 << 10)
    /// An interrogative that asks even unaccented (donde, cuanto, puedo…).
    static let interrogative = WordClasses(rawValue: 1 << 11)
    /// The folded form of an accented interrogative (qué, cómo…): it asks only if written accented.
    static let accentedInterrogative = WordClasses(rawValue: 1 << 12)
    /// The first word of a two-word question opening (por qué, me puede, se puede).
    static let questionPrefix = WordClasses(rawValue: 1 << 13)
    /// A common given name (juan, maría…): after «soy» or «habla» it is a name being given.
    static let givenName = WordClasses(rawValue: 1 << 14)

    /// A number said in words.
    static let number: WordClasses = [.spokenDigit, .numberWord]
}

extension Normalizer {
    /// The folded words of each class, in one open-addressing table keyed by a word's length and
    /// its first and last eight bytes (exact for words of up to 16 bytes, which all of them are).
    struct WordClassTable: Sendable {
        private let keys: [FoldedWordKey]
        private let classes: [WordClasses]
        private let shift: UInt64
        private let mask: Int
        /// Longest word in the table: longer tokens are no class word.
        private let longest: Int
        /// For each first byte, the lengths (bit n for n bytes) of the words starting with it:
        /// most tokens are turned away by these alone.
        private let lengthsByFirstByte: [UInt32]

        init(_ words: [(String, WordClasses)]) {
            var merged: [FoldedWordKey: WordClasses] = [:]
            for (word, wordClasses) in words { merged[FoldedWordKey(word), default: []].formUnion(wordClasses) }
            var bits = 4
            while 1 << bits < merged.count * 4 { bits += 1 }
            var keys = [FoldedWordKey](repeating: FoldedWordKey(""), count: 1 << bits)
            var classes = [WordClasses](repeating: [], count: 1 << bits)
            shift = UInt64(64 - bits)
            mask = (1 << bits) - 1
            for (key, wordClasses) in merged.sorted(by: { $0.key < $1.key }) {
                var slot = Self.slot(key, shift: shift)
                while !classes[slot].isEmpty { slot = (slot + 1) & mask }
                keys[slot] = key
                classes[slot] = wordClasses
            }
            self.keys = keys
            self.classes = classes
            longest = min(31, merged.keys.map(\.length).max() ?? 0)
            var lengths = [UInt32](repeating: 0, count: 256)
            for (word, _) in words {
                let bytes = Array(word.utf8)
                if let first = bytes.first, bytes.count <= 31 { lengths[Int(first)] |= 1 << UInt32(bytes.count) }
            }
            lengthsByFirstByte = lengths
        }

        @inline(__always)
        private static func slot(_ key: FoldedWordKey, shift: UInt64) -> Int {
            let mixed = (key.head &* 0x9E37_79B9_7F4A_7C15) ^ (key.tail &* 0xC2B2_AE3D_27D4_EB4F) ^ UInt64(key.length)
            return Int(truncatingIfNeeded: (mixed &* 0xFF51_AFD7_ED55_8CCD) >> shift)
        }

        /// The classes of the folded word `bytes`; empty for any other word.
        @inline(__always)
        func classes(of bytes: UnsafeBufferPointer<UInt8>) -> WordClasses {
            guard !bytes.isEmpty, bytes.count <= longest,
                lengthsByFirstByte[Int(bytes[0])] & (1 << UInt32(truncatingIfNeeded: bytes.count)) != 0
            else { return [] }
            let key = FoldedWordKey(bytes)
            var slot = Self.slot(key, shift: shift)
            while true {
                let found = classes[slot]
                if found.isEmpty { return [] }
                if keys[slot] == key { return found }
                slot = (slot + 1) & mask
            }
        }
    }

    static let wordClassTable: WordClassTable = {
        var words: [(String, WordClasses)] = []
        for word in ["cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"] { words.append((word, .spokenDigit)) }
        for word in numberWordList { words.append((word, .numberWord)) }
        for word in streetWordList { words.append((word, .street)) }
        for word in birthCueList { words.append((word, .birthCue)) }
        for word in monthList { words.append((word, .month)) }
        for word in ["llamo", "nombre", "llama", "llaman"] { words.append((word, .nameCue)) }
        for word in givenNameList { words.append((word, .givenName)) }
        words.append(("arroba", .arroba))
        for word in abbreviationList + ["x"] { words.append((word, .chatShorthand)) }
        for word in ["este", "o"] { words.append((word, .contextualFiller)) }
        for word in leadingMarkers { words.append((String(decoding: word, as: UTF8.self), .leadingMarker)) }
        for word in interrogativesFolded { words.append((String(decoding: word, as: UTF8.self), .interrogative)) }
        for word in interrogativesAccented {
            words.append((SpanishText.folded(String(decoding: word, as: UTF8.self)), .accentedInterrogative))
        }
        for (word, _) in secondWordQuestions { words.append((String(decoding: word, as: UTF8.self), .questionPrefix)) }
        return WordClassTable(words)
    }()

    /// The classes of a token made from the folded bytes `folded` holding `digits` digits:
    /// the table's, plus `.filler` for a hesitation. Masks and tokens with digits have none.
    @inline(__always)
    func classify(folded: UnsafeBufferPointer<UInt8>, digits: Int) -> WordClasses {
        guard digits == 0 else { return [] }
        var found = wordClasses.classes(of: folded)
        if Self.isFillerWord(folded) { found.insert(.filler) }
        return found
    }

    /// The classes of a token the scan makes from `folded` (a range of `foldedScratch`), recorded
    /// as present in the turn.
    mutating func classifyScanned(folded: Range<Int>, digits: Int, letters: Int) -> WordClasses {
        let found = foldedScratch.withUnsafeBufferPointer { scratch in
            // SAFETY: the range was just written to this buffer by the scan.
            classify(folded: UnsafeBufferPointer(rebasing: scratch[folded]), digits: digits)
        }
        presentClasses.formUnion(found)
        if !found.isDisjoint(with: .number) || (letters == 0 && digits >= 1 && digits <= 3) { numberTokens &+= 1 }
        return found
    }
}

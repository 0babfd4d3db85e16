/// Fillers that only context tells apart from words: the hesitation «este» of Latin American
/// speech («no me llega el este código») and the discourse marker «o sea». Like «eh», they are
/// dropped before counting, so a phrase said with one inside is still the phrase.
enum SpokenFillers {
    /// Words after which «este» cannot be a demonstrative: articles, possessives, clitics.
    static let beforeHesitation: Set<[UInt8]> = Set(
        [
            "el", "la", "los", "las", "un", "una", "unos", "unas", "lo", "me", "te", "se",
            "le", "les", "nos", "mi", "tu", "su", "mis", "tus", "sus", "este", "o", "no",
        ].map { Array($0.utf8) })
    /// Words before which «este» cannot be a demonstrative: articles, prepositions, clitics,
    /// conjunctions, negation («llega este el código», «código este de verificación»).
    static let afterHesitation: Set<[UInt8]> = Set(
        [
            "el", "la", "los", "las", "un", "una", "unos", "unas", "de", "del", "a", "al",
            "en", "con", "por", "para", "que", "y", "o", "me", "te", "se", "le", "les", "lo",
            "nos", "no", "mi", "su", "tu", "este", "esta", "ese", "esa", "pues", "bueno",
        ].map { Array($0.utf8) })
    /// Endings of feminine nouns, which the masculine «este» cannot determine («de este verificación»).
    static let feminineEndings: [[UInt8]] = ["cion", "sion", "dad", "tad", "tud"].map { Array($0.utf8) }

    static let este = Array("este".utf8), o = Array("o".utf8), sea = Array("sea".utf8)

    /// Which tokens of a turn are contextual fillers, written into `filler` (one flag per
    /// token; its memory is the caller's, reused turn after turn). `word(i)` is token i's
    /// folded bytes (nil for a mask); `startsSentence(i)` says a sentence starts at token i.
    static func mark(
        count: Int, word: (Int) -> ArraySlice<UInt8>?, startsSentence: (Int) -> Bool, into filler: inout [Bool]
    ) {
        filler.removeAll(keepingCapacity: true)
        filler.append(contentsOf: repeatElement(false, count: count))
        for index in 0..<count {
            guard let current = word(index) else { continue }
            let sameSentenceNext = index + 1 < count && !startsSentence(index + 1)
            if current.elementsEqual(o), sameSentenceNext, let next = word(index + 1), next.elementsEqual(sea) {
                filler[index] = true
                filler[index + 1] = true
            } else if current.elementsEqual(este) {
                let previous = index > 0 && !startsSentence(index) ? word(index - 1) : nil
                let next = sameSentenceNext ? word(index + 1) : nil
                if let previous, beforeHesitation.contains(Array(previous)) {
                    filler[index] = true
                } else if let next,
                    afterHesitation.contains(Array(next))
                        || feminineEndings.contains(where: { next.count > $0.count + 1 && next.suffix($0.count).elementsEqual($0) })
                {
                    filler[index] = true
                }
            }
        }
    }
}

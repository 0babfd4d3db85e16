/// Where a customer's question starts in a sentence, by token id: most ASR output has no «¿?»,
/// so a question is recognised by its opening word, wherever it is in the turn: an accented
/// interrogative («qué», «cómo», «cuánto», «dónde», «por qué»…), an unambiguous one without
/// accent («cuánto», «cuál»), or an opener such as «me puede(n)», «se puede», «podría».
/// Unaccented «como» and «donde» open a question only as the sentence's first content word;
/// unaccented «que» and «cuando» never: they usually do not ask.
///
/// Token ids are classified once, as the interner grows, so the hot loop reads one byte per token.
struct QuestionOpeners: Sendable {
    /// Per token id: `opener`, `pairFirst`, `pairSecond`, `por`, `skippable`, `clitic` bits.
    private var flags: [UInt8] = []

    private static let opener: UInt8 = 1, pairFirst: UInt8 = 2, pairSecond: UInt8 = 4, por: UInt8 = 8, skippable: UInt8 = 16, clitic: UInt8 = 32, openerAtStart: UInt8 = 64

    /// Display forms (lowercase, accents as written) that open a question by themselves.
    static let openingWords: Set<String> = [
        "qué", "cómo", "cuándo", "dónde", "adónde", "cuánto", "cuánta", "cuántos", "cuántas", "cuál", "cuáles", "quién",
        "quiénes", "cuanto", "cuanta", "cuantos", "cuantas", "cual", "cuales", "podría", "podrían", "podrías", "podria",
        "podrian", "podrias",
    ]
    /// Openers of two words: a clitic, then a form of «poder» («me pueden mandar…», «se puede pagar…»).
    static let pairFirstWords: Set<String> = ["me", "se", "nos", "le"]
    static let pairSecondWords: Set<String> = ["puede", "pueden", "puedes", "podés", "podes", "podría", "podrían", "podria", "podrian"]
    /// Object clitics that may stand between the two words of an opener («me la pueden rastrear»).
    static let objectClitics: Set<String> = ["la", "lo", "las", "los", "le", "les"]
    /// Words before a question that are not part of it: greetings, markers, articles.
    static let skippableWords: Set<String> = [
        "bueno", "oiga", "oye", "disculpe", "disculpa", "perdón", "perdon", "señorita", "senorita", "joven", "y", "pero",
        "entonces", "mire", "mira", "este", "pues", "hola", "ok", "okay", "vale", "una", "pregunta", "ah", "a", "ver", "sí",
        "si", "no", "buenas", "buenos", "tardes", "días", "dias", "noches", "eh", "otra", "cosa", "más", "mas", "el", "la",
        "los", "las", "un", "unos", "unas", "o", "que", "y",
    ]

    var count: Int { flags.count }

    /// Every listed word with all its flags: one lookup per new token.
    private static let flagsByWord: [String: UInt8] = {
        var table: [String: UInt8] = [:]
        for word in openingWords { table[word, default: 0] |= opener }
        for word in pairFirstWords { table[word, default: 0] |= pairFirst }
        for word in pairSecondWords { table[word, default: 0] |= pairSecond }
        for word in skippableWords { table[word, default: 0] |= skippable }
        for word in objectClitics { table[word, default: 0] |= clitic }
        table["por", default: 0] |= por
        for word in ["como", "donde"] { table[word, default: 0] |= openerAtStart }
        return table
    }()
    /// The longest listed word in bytes: longer tokens (most of a growing vocabulary) are
    /// classified without building a string.
    private static let longestWord = flagsByWord.keys.map(\.utf8.count).max() ?? 0

    /// Classifies the tokens interned since the last call.
    /// - Complexity: O(1) per new token; no allocation for tokens longer than any listed word.
    mutating func learn(_ tokens: TokenInterner) {
        while flags.count < tokens.count {
            let bytes = tokens.bytes(UInt32(flags.count))
            flags.append(bytes.count > Self.longestWord ? 0 : Self.flagsByWord[String(decoding: bytes, as: UTF8.self)] ?? 0)
        }
    }

    /// Positions in `sentence` where a question starts (ascending), appended to `result`
    /// (emptied first). «por qué» starts at «por», «me pueden» at «me».
    func starts(in sentence: Range<Int>, display: [UInt32], into result: inout [Int]) {
        result.removeAll(keepingCapacity: true)
        // Without accents («oiga como cambio mi contraseña») «como» and «donde» ask only where
        // the sentence's content starts.
        let first = firstContentWord(in: sentence, display: display)
        if flag(display[first]) & Self.openerAtStart != 0 { result.append(first) }
        for position in sentence {
            let flag = flag(display[position])
            guard flag & (Self.opener | Self.pairFirst) != 0 else { continue }
            if flag & Self.opener != 0 {
                let previous = position - 1
                let start = previous >= sentence.lowerBound && self.flag(display[previous]) & Self.por != 0 ? previous : position
                if result.last != start { result.append(start) }
            } else if position + 1 < sentence.upperBound {
                var second = position + 1
                if self.flag(display[second]) & Self.clitic != 0 && second + 1 < sentence.upperBound { second += 1 }
                if self.flag(display[second]) & Self.pairSecond != 0 && result.last != position { result.append(position) }
            }
        }
    }

    /// Positions in `sentence` where a question starts, as a new array (outside hot loops).
    func starts(in sentence: Range<Int>, display: [UInt32]) -> [Int] {
        var result: [Int] = []
        starts(in: sentence, display: display, into: &result)
        return result
    }

    /// The first word of a sentence after greetings, markers and articles: where a question
    /// marked «¿…?» without an interrogative starts («¿La oficina tiene aparcamiento?»).
    func firstContentWord(in sentence: Range<Int>, display: [UInt32]) -> Int {
        var position = sentence.lowerBound
        while position < sentence.upperBound - 1 && flag(display[position]) & Self.skippable != 0 { position += 1 }
        return position
    }

    @inline(__always)
    private func flag(_ id: UInt32) -> UInt8 { Int(id) < flags.count ? flags[Int(id)] : 0 }
}

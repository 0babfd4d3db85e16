import Foundation

/// Whether a sentence opens as a question: its interrogative, after leading markers.
extension Normalizer {
    static let leadingMarkers: [[UInt8]] = [
        "bueno", "oiga", "oye", "disculpe", "disculpa", "perdon", "señorita", "senorita", "joven", "y", "pero",
        "entonces", "mire", "mira", "este", "pues", "hola", "ok", "vale", "che", "una", "pregunta", "ah", "a", "ver",
    ].map { Array($0.utf8) }

    static let interrogativesAccented: [[UInt8]] = [
        "qué", "cómo", "cuándo", "dónde", "cuánto", "cuánta", "cuántos", "cuántas", "cuál", "cuáles", "quién", "quiénes",
    ].map { Array($0.utf8) }

    /// Folded forms that open a question even without accents (ASR output drops them).
    /// `como`, `cuando` and `que` are left out: unaccented they usually do not ask.
    static let interrogativesFolded: [[UInt8]] = [
        "donde", "cuanto", "cuanta", "cuantos", "cuantas", "cual", "cuales", "puedo", "podria", "podrian", "podrias",
    ].map { Array($0.utf8) }

    static let secondWordQuestions: [([UInt8], [[UInt8]])] = [
        (Array("por".utf8), ["que"].map { Array($0.utf8) }),
        (Array("me".utf8), ["puede", "pueden", "puedes", "podes", "podria", "podrian", "podrias", "dice", "dicen", "explica"].map { Array($0.utf8) }),
        (Array("se".utf8), ["puede", "pueden", "podria"].map { Array($0.utf8) }),
    ]

    func displayToken(_ token: RawToken, is word: [UInt8]) -> Bool {
        guard token.mask == nil, token.display.count == word.count else { return false }
        return lowered[token.display].elementsEqual(word)
    }

    /// True when the sentence starting at token `start` (and ending before `end`) opens with an interrogative.
    func opensWithInterrogative(from start: Int, to end: Int) -> Bool {
        // The scan classed each token against these lists: most sentences are turned away by
        // their first token's classes alone.
        var index = start
        while index < end - 1 && raw[index].classes.contains(.leadingMarker) { index += 1 }
        guard index < end else { return false }
        let first = raw[index]
        if first.classes.contains(.accentedInterrogative), Self.interrogativesAccented.contains(where: { displayToken(first, is: $0) }) {
            return true
        }
        if first.classes.contains(.interrogative) { return true }
        guard index + 1 < end, first.classes.contains(.questionPrefix) else { return false }
        for (opening, seconds) in Self.secondWordQuestions where token(first, is: opening) {
            if seconds.contains(where: { token(raw[index + 1], is: $0) }) { return true }
        }
        return false
    }
}

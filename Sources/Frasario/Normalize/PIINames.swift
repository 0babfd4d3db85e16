/// Names masked before anything is counted: a name given after an introduction («me llamo»,
/// «mi nombre es»), or a common given name after «soy», «habla», «atiende», «saluda».
extension Normalizer {
    /// The words that introduce a person's name, folded.
    static let nameIntroductions: [[[UInt8]]] = [
        ["me", "llamo"], ["mi", "nombre", "es"], ["a", "nombre", "de"],
        ["se", "llama"],
    ].map { $0.map { Array($0.utf8) } }
    /// Words after which a given name (see `givenNameList`) is the speaker's or a caller's:
    /// «soy juan pérez», «le habla rodrigo villalobos», an agent's «le atiende carmen», «te
    /// saluda camila». Without a known given name after them they introduce nothing («soy
    /// cliente», «habla inglés»).
    static let givenNameIntroductions: [[[UInt8]]] = [["soy"], ["habla"], ["atiende"], ["saluda"]].map { $0.map { Array($0.utf8) } }
    /// Joiners inside a full name («maría del carmen», «rodríguez de la fuente»).
    static let nameJoiners: Set<[UInt8]> = Set(["de", "del", "la", "los", "las"].map { Array($0.utf8) })
    /// Tokens of a name with its joiners, at most.
    static let longestNameWithJoiners = 7

    /// Words that end a name: what usually follows it in a sentence.
    static let afterName: Set<[UInt8]> = Set(
        [
            "y", "e", "o", "u", "que", "porque", "pero", "de", "del", "la", "el", "los",
            "las", "con", "para", "por", "a", "al", "en", "es", "soy", "no", "si", "bueno", "pues", "entonces", "mire", "oiga",
            "gracias", "senorita", "senor", "como", "le", "les", "lo", "me", "mi", "su", "tu", "quiero", "queria", "llamo",
            "tengo", "necesito", "ya", "ahora", "aqui", "ok", "vale", "claro", "perdon", "disculpe", "digame", "dime", "un", "una",
        ]
        .map { Array($0.utf8) })
    /// Words of a name masked at most after its introduction (two given names, two surnames).
    static let longestName = 4

    /// «llamó» as written (with its accent): a past call, not «me llamo».
    private func isPastTenseCall(_ token: RawToken) -> Bool {
        let display = lowered[token.display]
        return display.count >= 2 && display.suffix(2).elementsEqual([0xC3, 0xB3])  // ó
    }

    /// «me llamo juan pérez», «a nombre de maría lópez»: up to four words after the
    /// introduction, until a word that usually follows a name, become one `<nombre>` mask.
    mutating func maskIntroducedNames(into turn: inout NormalizedTurn) {
        var runs: [(range: Range<Int>, mask: RawToken)] = []
        var index = 0
        while index < raw.count {
            func introduced(by list: [[[UInt8]]]) -> [[UInt8]]? {
                list.first { words in
                    index + words.count <= raw.count && words.indices.allSatisfy { token(raw[index + $0], is: words[$0]) }
                }
            }
            let byGivenName = introduced(by: Self.givenNameIntroductions).flatMap { words in
                index + words.count < raw.count && raw[index + words.count].classes.contains(.givenName) ? words : nil
            }
            guard
                let introduction = byGivenName ?? introduced(by: Self.nameIntroductions),
                // «me llamó ayer un señor» (he called me) is no introduction, when the accent was written.
                !isPastTenseCall(raw[index + introduction.count - 1])
            else {
                index += 1
                continue
            }
            let start = index + introduction.count
            var end = start, nameWords = 0
            // The name's first word may follow a colon or an ellipsis («mi nombre es: juan pérez»).
            func isNameWord(_ position: Int) -> Bool {
                position < raw.count && raw[position].mask == nil && raw[position].digits == 0
                    && (position == start || !raw[position].startsSentence) && raw[position].letters > 1
                    && !Self.afterName.contains(Array(foldedScratch[raw[position].folded]))
            }
            while end < raw.count, nameWords < Self.longestName, end - start < Self.longestNameWithJoiners {
                if isNameWord(end) {
                    end += 1
                    nameWords += 1
                    continue
                }
                // «del carmen», «de jesús»: a joiner before a given name; «de la fuente»: joiners
                // before a word, once a given name and a surname are said.
                var joined = end
                while joined < raw.count, joined - end < 2, !raw[joined].startsSentence,
                    Self.nameJoiners.contains(Array(foldedScratch[raw[joined].folded]))
                {
                    joined += 1
                }
                guard nameWords > 0, joined > end, isNameWord(joined),
                    raw[joined].classes.contains(.givenName) || nameWords >= 2,
                    joined + 1 - start <= Self.longestNameWithJoiners
                else { break }
                end = joined + 1
                nameWords += 1
            }
            if end > start {
                var masked = RawToken.masking(.name, from: raw[start], to: raw[end - 1])
                masked.question = raw[start..<end].contains { $0.question }
                runs.append((start..<end, masked))
                turn.maskCounts[PIIMask.name.rawValue] += 1
            }
            index = max(end, start + 1)
        }
        replaceRuns(runs)
    }
}

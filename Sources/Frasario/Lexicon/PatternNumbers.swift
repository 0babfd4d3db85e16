/// Number and ordinal folding for patterns, as for counting: a QA analyst writes the words as
/// said, and the pattern also matches the digits ASR and agents write. `\btercera vez\b` reads
/// «tercera vez», «3ª vez», «3a vez», «3er vez» and «tercer vez»; `\btres veces\b` reads
/// «3 veces», and `\b3 veces\b` reads «tres veces». Numbers 0 to 99 said as one word and the
/// ordinals 1 to 10 (`SpanishText.canonicalNumber`), as whole words of the pattern only.
enum PatternNumbers {
    /// `pattern` (accent-folded) with every whole-word number or ordinal replaced by the group
    /// of its forms. Left alone: escapes, character classes, quantifier braces, lookbehinds
    /// (which must keep a fixed length) and words a quantifier or class continues (`tres?`).
    static func folded(_ pattern: String) -> String {
        let characters = Array(pattern)
        var output = ""
        var index = 0
        var inClass = false
        var groups: [Bool] = []  // per open group: is it a lookbehind
        func isWordCharacter(_ character: Character) -> Bool {
            (character.isASCII && (character.isLetter || character.isNumber)) || character == "º" || character == "ª"
                || (character.isLetter && !character.isASCII)
        }
        while index < characters.count {
            let character = characters[index]
            if character == "\\" {
                output.append(character)
                if index + 1 < characters.count { output.append(characters[index + 1]) }
                index += 2
                continue
            }
            if inClass {
                if character == "]" { inClass = false }
                output.append(character)
                index += 1
                continue
            }
            switch character {
            case "[":
                inClass = true
            case "(":
                let lookbehind =
                    index + 3 < characters.count && characters[index + 1] == "?" && characters[index + 2] == "<"
                    && (characters[index + 3] == "=" || characters[index + 3] == "!")
                groups.append(lookbehind || (groups.last ?? false))
            case ")":
                if !groups.isEmpty { groups.removeLast() }
            case "{":
                // A quantifier's braces ({2}, {0,3}) or a macro left as is: copied whole.
                if let close = characters[index...].firstIndex(of: "}") {
                    output.append(contentsOf: characters[index...close])
                    index = close + 1
                    continue
                }
            default:
                break
            }
            guard isWordCharacter(character), !(groups.last ?? false) else {
                output.append(character)
                index += 1
                continue
            }
            var end = index
            while end < characters.count && isWordCharacter(characters[end]) { end += 1 }
            let word = String(characters[index..<end])
            let after: Character? = end < characters.count ? characters[end] : nil
            let before: Character? = index > 0 ? characters[index - 1] : nil
            // Glued to a group or a quantifier («tres?», «0(?:xx|…)» in a word list's trie, «)dos»):
            // not a whole word of the pattern.
            let continued = (after.map { "?*+{[(".contains($0) } ?? false) || before == ")"
            if !continued, let forms = forms(of: word), forms.count > 1 {
                output += "(?:" + forms.joined(separator: "|") + ")"
            } else {
                output += word
            }
            index = end
        }
        return output
    }

    /// `{numero}`: any number, as turns hold it: masked (`<numero>`, 4 digits or more), in
    /// digits (`3`, `12,50`) or in words (`tres`, `veinte`, `ciento veinte`, `mil doscientos`).
    /// `{numero:A-B}`: a whole number from A to B (0 ≤ A ≤ B ≤ 99), in digits or in words.
    /// Nil for anything else.
    static func placeholder(_ name: String) -> String? {
        if name == "numero" {
            let words = (Array(SpanishText.numberWords.keys) + bigNumberWords + ["un", "uno", "una"]).sorted { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }
            let word = "(?:" + words.joined(separator: "|") + ")"
            return "(?:<numero>|\\d+(?:[.,]\\d+)?|\\b\(word)(?: (?:y )?\(word))*\\b)"
        }
        let bounds = name.dropFirst("numero:".count).split(separator: "-").compactMap { Int($0) }
        guard bounds.count == 2, bounds[0] >= 0, bounds[0] <= bounds[1], bounds[1] <= 99 else { return nil }
        var forms: [String] = []
        for value in bounds[0]...bounds[1] { forms += writtenForms(of: value) }
        return "(?:" + forms.sorted { $0.count > $1.count }.joined(separator: "|") + ")"
    }

    /// Number words above 99, for `{numero}`.
    private static let bigNumberWords = [
        "cien", "ciento", "doscientos", "doscientas", "trescientos", "trescientas", "cuatrocientos", "cuatrocientas",
        "quinientos", "quinientas", "seiscientos", "seiscientas", "setecientos", "setecientas", "ochocientos",
        "ochocientas", "novecientos", "novecientas", "mil", "millon", "millones",
    ]

    /// `value` (0–99) in digits and in words («32», «treinta y dos»; «1», «uno», «una», «un»).
    static func writtenForms(of value: Int) -> [String] {
        var forms = [String(value)]
        if value == 1 { forms += ["uno", "una", "un"] }
        if let word = SpanishText.numberWords.first(where: { $0.value == value })?.key { forms.append(word) }
        if value > 30 && value % 10 != 0, let tens = SpanishText.numberWords.first(where: { $0.value == value / 10 * 10 })?.key {
            let units = value % 10 == 1 ? ["uno", "un", "una"] : SpanishText.numberWords.filter { $0.value == value % 10 }.map(\.key)
            forms += units.map { "\(tens) y \($0)" }
        }
        return forms
    }

    /// Every written form sharing `word`'s counting form, longest first; nil for other words.
    static func forms(of word: String) -> [String]? {
        // Digits count as themselves («3»); the number words and ordinals fold to them.
        if word.count <= 2, word.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(word) {
            return formsByCanonical[String(value)]
        }
        guard let canonical = SpanishText.canonicalNumber(word) else { return nil }
        return formsByCanonical[canonical]
    }

    /// Counting form → the forms written in turns.
    private static let formsByCanonical: [String: [String]] = {
        var table: [String: Set<String>] = [:]
        for (word, value) in SpanishText.numberWords { table[String(value), default: []].formUnion([word, String(value)]) }
        for (word, value) in SpanishText.ordinalWords {
            table["\(value)º", default: []].insert(word)
            for suffix in ["º", "ª", "o", "a", "er", "ero", "era"] { table["\(value)º", default: []].insert("\(value)\(suffix)") }
        }
        return table.mapValues { $0.sorted { $0.count != $1.count ? $0.count > $1.count : $0 < $1 } }
    }()
}

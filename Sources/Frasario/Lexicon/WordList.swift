/// A word-list file of a lexicon folder (`competidores.txt`: one word or phrase per line, `#`
/// for comments) is the macro `{COMPETIDORES}`, usable in every file's patterns. It compiles to
/// a trie («mov(?:istar|il)»), far smaller than one alternation of every word, so thousands of
/// names fit under PCRE2's pattern size.
enum WordList {
    /// Files read as word lists.
    static func isWordList(_ fileName: String) -> Bool { fileName.hasSuffix(".txt") }

    /// The macro a list file defines: its name without extension, in capitals, `_` for any
    /// other character (`marcas-rivales.txt` → `MARCAS_RIVALES`); nil when nothing is left.
    static func macroName(_ fileName: String) -> String? {
        let stem = SpanishText.foldedAccents(String(fileName.dropLast(".txt".count))).uppercased()
        let name = String(stem.map { ($0.isASCII && ($0.isLetter || $0.isNumber)) ? $0 : "_" })
        guard let first = name.first, first.isLetter else { return nil }
        return name
    }

    /// The trie pattern of the list's words, accent-folded and lowercase; nil for an empty list.
    static func pattern(_ text: String) -> String? {
        final class Node {
            var children: [Character: Node] = [:]
            var terminal = false
        }
        let root = Node()
        for line in text.split(whereSeparator: \.isNewline) {
            let entry = line.trimmingCharacters(in: .whitespaces)
            guard !entry.isEmpty, !entry.hasPrefix("#") else { continue }
            let words = SpanishText.foldedAccents(entry.lowercased()).split(separator: " ").joined(separator: " ")
            var node = root
            for character in words {
                if let next = node.children[character] {
                    node = next
                } else {
                    let next = Node()
                    node.children[character] = next
                    node = next
                }
            }
            node.terminal = true
        }
        func emit(_ node: Node) -> String {
            let parts = node.children.keys.sorted().map { key in escaped(key) + emit(node.children[key]!) }
            if parts.isEmpty { return "" }
            if parts.count == 1 && !node.terminal { return parts[0] }
            return "(?:" + parts.joined(separator: "|") + ")" + (node.terminal ? "?" : "")
        }
        guard !root.children.isEmpty else { return nil }
        return emit(root)
    }

    private static func escaped(_ character: Character) -> String {
        "\\^$.|?*+()[]{}".contains(character) ? "\\" + String(character) : String(character)
    }
}

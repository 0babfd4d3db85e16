import Yams

/// `near:`, unordered proximity (Verint's NEAR, Contact Lens's proximity): two expressions in
/// one sentence of a turn, in either order, with at most `within:` words between them
/// (default 3).
///
/// ```yaml
/// - id: cancelar_contrato
///   near: ['cancel\w*', 'contrato']
///   within: 4
/// ```
/// It compiles to one pattern over the normalized turn (tokens separated by single spaces),
/// so the fast path, lint, explain and the limits treat it as any other pattern.
extension LexiconLoader {
    static let defaultNearWords = 3

    static func compileNear(
        _ node: Node, within: Node?, file: String, rule: String, macros: [String: MacroDefinition]
    ) throws(LexiconError) -> PCRE2Regex {
        guard let items = node.sequence, items.count == 2, let first = items[0].scalar?.string, let second = items[1].scalar?.string
        else {
            throw .invalid(file: file, line: line(node), rule: rule, problem: "near: takes a list of two patterns, ['a', 'b'].")
        }
        var words = defaultNearWords
        if let within {
            guard let value = within.int, value >= 0, value <= 20 else {
                throw .invalid(file: file, line: line(within), rule: rule, problem: "within: must be a whole number of words from 0 to 20.")
            }
            words = value
        }
        // Each side is checked alone first, so its errors point at its own text.
        _ = try compile(first, file: file, line: line(items[0]), rule: rule, macros: macros)
        _ = try compile(second, file: file, line: line(items[1]), rule: rule, macros: macros)
        return try compile(nearPattern(first, second, words: words), file: file, line: line(node), rule: rule, macros: macros)
    }

    /// `a` and `b` as whole tokens, either order, with 0 to `words` tokens between them.
    static func nearPattern(_ first: String, _ second: String, words: Int) -> String {
        func token(_ pattern: String) -> String { "(?<![^ ])(?:\(pattern))(?![^ ])" }
        let gap = "(?: [^ ]+){0,\(words)} "
        return "\(token(first))\(gap)\(token(second))|\(token(second))\(gap)\(token(first))"
    }
}

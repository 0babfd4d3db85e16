import Foundation
import Yams

/// `suggestions.yaml`: a draft lexicon file with one candidate rule per uncovered question or
/// complaint (pattern built from the phrase, its examples as `match:` examples), for QA to
/// review and copy into a lexicon. It loads as a lexicon as is.
enum SuggestionsFile {
    static func render(_ result: RunResult) -> String {
        var header = """
            # Borrador de reglas: frases frecuentes de los clientes que ninguna regla reconoce
            # (noche del \(result.summary.runDate), \(result.summary.callsProcessed) llamadas).
            # Revise cada patrón, añada ejemplos no_match y copie las reglas útiles a un léxico.

            """
        guard let coverage = result.coverage else {
            return header + "# Esta ejecución no usó léxicos (--no-lexicons): no hay nada que comparar.\n"
        }
        let rows = coverage.questions.map { ($0, "Pregunta") } + coverage.frustrations.map { ($0, "Queja") }
        guard !rows.isEmpty else { return header + "# Nada que sugerir: los léxicos reconocen las frases frecuentes de esta noche.\n" }
        var used = Set<String>()
        var rules: [Node] = []
        for (row, kind) in rows {
            var id = "sugerida_" + identifier(row.text)
            if used.contains(id) { var suffix = 2; while used.contains("\(id)_\(suffix)") { suffix += 1 }; id += "_\(suffix)" }
            used.insert(id)
            var pairs: [(Node, Node)] = [
                ("id", Node(id)),
                ("label", Node("\(kind): «\(row.text)»")),
                ("description", Node("\(kind) frecuente sin regla: \(Facts.calls(row.calls)) (\(MarkdownReport.percent(row.shareOfCalls))) el \(result.summary.runDate).")),
                ("pattern", Node(pattern(row.text), Tag(.str), .singleQuoted)),
            ]
            let examples = row.examples.map { example in
                Node(example.text.replacingOccurrences(of: "…", with: "").trimmingCharacters(in: .whitespaces))
            }
            if !examples.isEmpty { pairs.append(("examples", Node.mapping(Node.Mapping([("match", Node.sequence(Node.Sequence(examples)))])))) }
            rules.append(.mapping(Node.Mapping(pairs)))
        }
        let root = Node.mapping(
            Node.Mapping([
                ("category", "sugerencias"),
                ("title", "Sugerencias (borrador)"),
                ("description", Node("Frases frecuentes de los clientes sin regla, la noche del \(result.summary.runDate).")),
                ("rules", .sequence(Node.Sequence(rules))),
            ]))
        header += (try? Yams.serialize(node: root, allowUnicode: true, sortKeys: false)) ?? ""
        return header
    }

    /// The phrase as a pattern: its words in order, whole words, any spacing; accents are
    /// folded when the lexicon loads, so «cuándo» also catches «cuando».
    static func pattern(_ phrase: String) -> String {
        let words = phrase.split(separator: " ").map { word in
            String(
                word.flatMap { character -> String in
                    character.isLetter || character.isNumber ? String(character) : "\\" + String(character)
                })
        }
        return "\\b" + words.joined(separator: "\\s+") + "\\b"
    }

    /// snake_case ASCII from a phrase: "cuándo sale la app" → "cuando_sale_la_app".
    static func identifier(_ phrase: String) -> String {
        let folded = SpanishText.folded(phrase).replacingOccurrences(of: "ñ", with: "n")
        let words = folded.split { !($0.isASCII && ($0.isLetter || $0.isNumber)) }
        return String(words.joined(separator: "_").prefix(48))
    }
}

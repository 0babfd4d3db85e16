/// `report.md`: a short Spanish report a product team can read in two minutes.
enum MarkdownReport {
    /// Rows per ranking shown in the Markdown report (the CSV and JSON carry `--top`).
    static let rowsShown = 20

    static func render(_ result: RunResult) -> String {
        let summary = result.summary
        var lines: [String] = []
        lines.append("# Frasario: lo que dicen las llamadas")
        lines.append("")
        var scope = "\(thousands(summary.callsProcessed)) llamadas analizadas"
        if let first = summary.dates.first, let last = summary.dates.last {
            scope += first == last ? " del \(first)" : " del \(first) al \(last)"
        }
        lines.append("\(scope). Generado por \(result.generator).")
        lines.append("")
        lines.append("## En cifras")
        lines.append("")
        lines.append("| | |")
        lines.append("|---|---:|")
        lines.append("| Llamadas leídas | \(thousands(summary.callsRead)) |")
        lines.append("| Llamadas analizadas | \(thousands(summary.callsProcessed)) |")
        lines.append("| Llamadas rechazadas (ver `rejects.csv`) | \(thousands(summary.callsRejected)) |")
        lines.append(
            "| Turnos del cliente / del agente / sin etiqueta | \(thousands(summary.turnsBySpeaker.customer)) / \(thousands(summary.turnsBySpeaker.agent)) / \(thousands(summary.turnsBySpeaker.unknown)) |"
        )
        lines.append("| Preguntas del cliente | \(thousands(summary.customerQuestionTurns)) |")
        lines.append("| Palabras | \(thousands(summary.tokens)) |")
        let masked = summary.piiMasked
        let known = { (value: Int?) in value.map(String.init) ?? "desconocido" }
        lines.append(
            "| Datos personales enmascarados (correos / tarjetas / otros números / enlaces / nombres / direcciones / fechas de nacimiento) | \(masked.email) / \(masked.card) / \(masked.number) / \(masked.url) / \(known(masked.name)) / \(known(masked.address)) / \(known(masked.birthDate)) |"
        )
        if summary.countErrorBound > 0 {
            lines.append("| Margen de error de los conteos (memoria limitada) | ±\(summary.countErrorBound) |")
        }
        lines.append("")
        lines += TopicReport.markdown(result)

        if let history = result.history {
            lines.append("## Frases emergentes")
            lines.append("")
            if history.baselineDates.isEmpty {
                lines.append("Primera noche del historial: las tendencias aparecen a partir de la segunda.")
            } else if result.emerging.isEmpty {
                lines.append("Ninguna frase sube más de lo que explica el azar frente a \(Facts.earlierNights(history.baselineDates.count)).")
            } else {
                lines.append(
                    "Frente a \(Facts.earlierNights(history.baselineDates.count)) (\(history.baselineDates.first!) a \(history.baselineDates.last!)), por fuerza de la evidencia:")
                lines.append("")
                lines += phraseTable(result.emerging)
            }
            if result.emerging.isEmpty || history.baselineDates.isEmpty { lines.append("") }
        }

        if !result.categories.isEmpty {
            lines.append("## Temas detectados por el léxico")
            lines.append("")
            lines.append("| Categoría | Llamadas | % llamadas | Regla más frecuente del cliente | Lo que dijeron |")
            lines.append("|---|---:|---:|---|---|")
            // Most frequent first, courtesy last; the rule shown is the category's most frequent
            // customer rule (the category counts only those).
            for category in Self.chartOrder(result.categories) {
                let top = category.rules.filter { $0.calls > 0 && $0.speaker != RuleSpeaker.agent.rawValue }.mostCallsFirst(\.calls).first
                lines.append(
                    "| \(cell(category.title))\(DigestReport.arrowSuffix(category.trend)) | \(category.calls) | \(percent(category.shareOfCalls)) | \(cell(top?.label ?? "—")) | \(cell(top?.topMatches.first.map { "«\($0.text)»" } ?? "—")) |"
                )
            }
            lines.append("")
            for category in result.categories where category.calls > 0 {
                lines.append("### \(category.title)")
                lines.append("")
                if !category.description.isEmpty { lines.append(category.description); lines.append("") }
                lines.append("| Regla | Llamadas | % llamadas | Turnos | Ejemplo |")
                lines.append("|---|---:|---:|---:|---|")
                let customerRules = category.rules.filter { $0.speaker != RuleSpeaker.agent.rawValue }
                for rule in customerRules where rule.calls > 0 {
                    let example = rule.examples.first.map { "«\(cell($0.text))» (\(cell($0.callId)))" } ?? ""
                    lines.append("| \(cell(rule.label)) | \(rule.calls) | \(percent(rule.shareOfCalls)) | \(rule.turns) | \(example) |")
                }
                let silent = customerRules.filter { $0.calls == 0 }.map(\.id)
                if !silent.isEmpty {
                    lines.append("")
                    lines.append("Sin coincidencias esta vez: \(silent.joined(separator: ", ")).")
                }
                lines.append("")
            }
            lines += agentProtocolLines(result)
        }
        if let coverage = result.coverage {
            lines.append("## Preguntas sin categoría")
            lines.append("")
            lines.append("Preguntas frecuentes de los clientes que ninguna regla del léxico reconoce; `suggestions.yaml` trae un borrador de regla para cada una.")
            lines.append("")
            if coverage.questions.isEmpty {
                lines.append("Ninguna: los léxicos reconocen las preguntas frecuentes de esta noche."); lines.append("")
            } else {
                lines += phraseTable(coverage.questions)
            }
            if !coverage.frustrations.isEmpty {
                lines.append("### Quejas sin categoría")
                lines.append("")
                lines += phraseTable(coverage.frustrations)
            }
        }
        if !result.ruleErrors.isEmpty {
            lines.append("## Reglas con errores")
            lines.append("")
            lines.append("Estas reglas superaron el límite de PCRE2 en algunos turnos; esos turnos no cuentan para la regla. Conviene simplificar el patrón.")
            lines.append("")
            for error in result.ruleErrors {
                lines.append("- `\(error.category)/\(error.rule)`: \(error.turns) turnos (\(error.message)).")
            }
            lines.append("")
        }

        for kind in [RankingKind.customer, .keywords, .customerQuestions, .agent] {
            let rows = result.ranking(kind)
            lines.append("## \(kind.spanishTitle)")
            lines.append("")
            if rows.isEmpty {
                lines.append("Ninguna frase alcanza los mínimos (\(result.options.minCount) veces en \(result.options.minCalls) llamadas).")
                lines.append("")
                continue
            }
            lines += phraseTable(rows, heading: kind == .keywords ? "Palabra" : "Frase")
        }
        if result.ranking(.customer).isEmpty && result.ranking(.agent).isEmpty {
            let rows = result.ranking(.all)
            if !rows.isEmpty {
                lines.append("## \(RankingKind.all.spanishTitle)")
                lines.append("")
                lines.append("Las transcripciones no indican quién habla; esta lista reúne a todos los hablantes.")
                lines.append("")
                lines += phraseTable(rows)
            }
        }
        if !summary.warnings.isEmpty {
            lines.append("## Avisos")
            lines.append("")
            for warning in summary.warnings { lines.append("- \(cell(warning))") }
            lines.append("")
        }
        lines.append("## Cómo leer este informe")
        lines.append("")
        lines.append(
            "- Una frase es una secuencia de 1 a \(result.options.maxN) palabras dentro de un mismo turno; una fila crece hasta la frase entera (de hasta \(NGramKey.maxLength) palabras, contada también) cuando se dice igual. Se cuenta sin tildes (\"cuando\" y \"cuándo\" son la misma) y se muestra en su forma más frecuente."
        )
        lines.append(
            "- Solo aparecen frases dichas al menos \(result.options.minCount) veces en al menos \(result.options.minCalls) llamadas distintas. Se descartan las que empiezan o terminan en palabras vacías (de, la, que…) y las que casi siempre aparecen dentro de una frase más larga ya listada."
        )
        lines.append(
            "- Una frase de varias palabras solo entra si sus palabras van juntas más de lo que el azar explica (cohesión ≥ \(Facts.decimal(result.options.minCohesion ?? RankOptions().minCohesion))) y no empieza ni termina en una palabra funcional (de, la, que, es, tiene…); una pregunta empieza en su interrogativo (qué, cómo, cuánto, me pueden…)."
        )
        lines.append(
            "- El orden favorece las frases dichas en muchas llamadas distintas, cohesionadas y propias de estas llamadas: puntuación = llamadas × cohesión × especificidad × (1 + 0,25 × (palabras − 1)); la especificidad mide cuánto más que el español general se usa su palabra más distintiva."
        )
        lines.append(
            "- Las palabras sueltas van en «Palabras clave»: las que los clientes usan al menos \(Facts.decimal(result.options.minKeyness ?? RankOptions().minKeyness)) veces más que el español general (lista de frecuencias wordfreq), ordenadas por llamadas × log2(clave)."
        )
        lines.append(
            "- Una posición que llenan muchas palabras distintas (nombres de agentes, importes) es un hueco: «le atiende ‹nombre›» es una sola fila, con sus palabras más frecuentes."
        )
        lines.append(
            "- Los turnos sin hablante cuentan como del cliente, salvo las frases que los turnos etiquetados muestran como de los agentes (al menos el 80 % de sus apariciones etiquetadas)."
        )
        lines.append("- Los datos personales se enmascaran antes de contar: `<email>`, `<tarjeta>`, `<numero>`.")
        lines.append("- Las listas completas están en `phrases.csv` y `report.json`.")
        lines.append("")
        return lines.joined(separator: "\n")
    }

    /// A ranking as a Markdown table, with one highlighted example per phrase.
    static func phraseTable(_ rows: [PhraseRow], heading: String = "Frase") -> [String] {
        let trends = rows.contains { $0.trend != nil }
        var lines =
            trends
            ? ["| # | \(heading) | Llamadas | % llamadas | Veces | Tendencia | Ejemplo |", "|---:|---|---:|---:|---:|---|---|"]
            : ["| # | \(heading) | Llamadas | % llamadas | Veces | Ejemplo |", "|---:|---|---:|---:|---:|---|"]
        for row in rows.prefix(rowsShown) {
            let example = row.examples.first.map { "«\(highlight($0))» (\(cell($0.callId)))" } ?? ""
            let trend = trends ? " \(trendCell(row.trend)) |" : ""
            let slot = row.slotSummary.map { " (\(cell($0)))" } ?? ""
            lines.append("| \(row.rank) | **\(cell(row.text))**\(slot) | \(row.calls) | \(percent(row.shareOfCalls)) | \(row.count) |\(trend) \(example) |")
        }
        lines.append("")
        return lines
    }

    /// "▲ media 2,3", "nueva", "= media 4"…
    static func trendCell(_ trend: Trend?) -> String {
        guard let trend else { return "" }
        switch trend.direction {
        case .new: return "nueva"
        case .up, .down:
            let arrow = trend.direction == .up ? "▲" : "▼"
            if let steady = trend.steady, trend.pValue >= TrendAnalysis.arrowLevel { return "\(arrow) \(Facts.steady(steady))" }
            return "\(arrow) \(Facts.mean(trend))"
        case .flat: return "= \(Facts.mean(trend))"
        }
    }

    static func highlight(_ example: PhraseExample) -> String {
        let text = cell(example.text)
        let match = cell(example.match)
        guard !match.isEmpty, let range = text.range(of: match) else { return text }
        return text.replacingCharacters(in: range, with: "**\(match)**")
    }

    /// Text taken from input, safe in a Markdown table: HTML is escaped (a call id such as
    /// `<img src=x onerror=…>` is shown, never run), `|` cannot break the table, one line.
    /// `text` for a Markdown table cell or line: escaped, and the masks of personal data shown
    /// as ‹nombre›, which reads the same as plain text and rendered (an escaped <nombre> reads
    /// «&lt;nombre&gt;» in a text editor).
    static func cell(_ text: String) -> String {
        var text = text
        if text.contains("<") {
            for mask in PIIMask.allCases { text = text.replacingOccurrences(of: mask.token, with: "‹" + mask.token.dropFirst().dropLast() + "›") }
        }
        return HTMLPage.escape(text, quotes: false, tableCell: true)
    }

    /// Categories for charts and tables: most calls first, courtesy after every other kind
    /// (thanks and greetings fill most calls and say nothing about customers' needs).
    static func chartOrder(_ categories: [CategoryResult]) -> [CategoryResult] {
        let ordered = categories.mostCallsFirst(\.calls)
        return ordered.filter { $0.kind != .courtesy } + ordered.filter { $0.kind == .courtesy }
    }

    /// The agents' protocol rules as a section; empty when the lexicons have none.
    static func agentProtocolLines(_ result: RunResult) -> [String] {
        let rules = HTMLReport.agentProtocolRules(result)
        guard !rules.isEmpty else { return [] }
        var lines = [
            "## Protocolo del agente", "",
            "Lo que dicen los agentes; no cuenta en las categorías, que miden a los clientes.", "",
            "| Regla | Categoría | Llamadas | % llamadas | Ejemplo |", "|---|---|---:|---:|---|",
        ]
        for (category, rule) in rules {
            let example = rule.examples.first.map { "«\(cell($0.text))» (\(cell($0.callId)))" } ?? ""
            lines.append("| \(cell(rule.label))\(DigestReport.arrowSuffix(rule.trend)) | \(cell(category.title)) | \(rule.calls) | \(percent(rule.shareOfCalls)) | \(example) |")
        }
        lines.append("")
        return lines
    }

    static func percent(_ share: Double) -> String {
        let value = (share * 1000).rounded() / 10
        let text = value == value.rounded() ? String(Int(value)) : String(value)
        return text.replacingOccurrences(of: ".", with: ",") + " %"
    }

    /// 12345 → "12.345", the Spanish way.
    static func thousands(_ value: Int) -> String {
        let digits = String(value)
        guard digits.count > 4 else { return digits }
        var result = ""
        for (index, character) in digits.reversed().enumerated() {
            if index > 0 && index % 3 == 0 { result.append(".") }
            result.append(character)
        }
        return String(result.reversed())
    }
}

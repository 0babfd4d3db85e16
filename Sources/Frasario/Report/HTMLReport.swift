import Foundation

/// `report.html`: one self-contained page for product teams (inline CSS, inline SVG charts, a
/// small inline script to sort and filter tables; no network). The markup is also well-formed
/// XML, so tests can parse it; without the script every figure and example is still there.
enum HTMLReport {
    static let barsShown = 10
    static let tableRows = 50

    static func render(_ result: RunResult) -> String {
        let summary = result.summary
        var page = HTMLPage()
        page.open("header")
        page.element("h1", "Lo que dicen las llamadas")
        var subtitle = "Noche del \(summary.runDate) · \(Facts.calls(summary.callsProcessed)) analizadas"
        if let first = summary.dates.first, let last = summary.dates.last, first != last { subtitle += " (del \(first) al \(last))" }
        page.element("p", subtitle + " · \(result.generator)", attributes: ["class": "subtitle"])
        page.close("header")

        let hasSpeakers = !(result.ranking(.customer).isEmpty && result.ranking(.agent).isEmpty)
        let sections: [(id: String, title: String)] = [
            ("cifras", "Cifras"), ("temas", "Temas"), ("sabia-que", "¿Sabía que…?"), ("emergentes", "Emergentes"),
            ("preguntas", hasSpeakers ? "Preguntas y quejas" : "Frases"), ("categorias", "Categorías"),
            ("protocolo", "Protocolo del agente"), ("sin-categoria", "Sin categoría"), ("tablas", "Tablas"), ("llamadas", "Llamadas"),
            ("metodo", "Método y avisos"),
        ]
        let hasProtocol = !agentProtocolRules(result).isEmpty
        page.open("nav", attributes: ["aria-label": "Secciones del informe"])
        for section in sections
        where (!["categorias", "sin-categoria"].contains(section.id) || !result.categories.isEmpty)
            && (section.id != "protocolo" || hasProtocol) && (section.id != "temas" || !(result.topics ?? []).isEmpty)
            && (section.id != "llamadas" || !(result.quotedCalls ?? []).isEmpty)
        {
            page.element("a", section.title, attributes: ["href": "#" + section.id])
        }
        page.close("nav")
        page.open("main")
        figures(result, into: &page)
        TopicReport.html(result, linked: linkedCalls(result), into: &page)
        facts(result, into: &page)
        emerging(result, into: &page)
        highlights(result, hasSpeakers: hasSpeakers, into: &page)
        categories(result, into: &page)
        agentProtocol(result, into: &page)
        uncovered(result, into: &page)
        tables(result, hasSpeakers: hasSpeakers, into: &page)
        quotedCalls(result, into: &page)
        method(result, into: &page)
        page.close("main")
        page.open("footer")
        page.element(
            "p",
            "Generado por \(result.generator) · esquema \(result.schemaVersion) · frases de 1 a \(result.options.maxN) palabras (hasta \(NGramKey.maxLength) en frases enteras), mínimo \(result.options.minCount) veces en \(result.options.minCalls) llamadas · léxicos: \(result.options.lexicons.isEmpty ? "ninguno" : result.options.lexicons.joined(separator: ", "))."
        )
        page.close("footer")
        return page.document(title: "Frasario · \(summary.runDate)")
    }

    // MARK: Sections

    static func figures(_ result: RunResult, into page: inout HTMLPage) {
        let summary = result.summary
        page.open("section", attributes: ["id": "cifras", "aria-labelledby": "cifras-titulo"])
        page.element("h2", "Cifras de la noche", attributes: ["id": "cifras-titulo"])
        page.open("div", attributes: ["class": "cards"])
        var volumeDetail = ""
        if let runs = result.history?.runs, runs.count > 1 {
            let previous = runs[runs.count - 2]
            volumeDetail = "\(MarkdownReport.thousands(previous.callsProcessed)) el \(previous.date)"
            let points = runs.map { TrendPoint(date: $0.date, calls: $0.callsProcessed, callsProcessed: 1) }
            card(
                &page, label: "Llamadas analizadas", value: MarkdownReport.thousands(summary.callsProcessed), detail: volumeDetail,
                chart: SVGChart.sparkline(points, byShare: false, label: "Llamadas analizadas por noche"))
        } else {
            card(
                &page, label: "Llamadas analizadas", value: MarkdownReport.thousands(summary.callsProcessed),
                detail: "de \(MarkdownReport.thousands(summary.callsRead)) leídas")
        }
        card(&page, label: "Llamadas rechazadas", value: MarkdownReport.thousands(summary.callsRejected), detail: "listadas en rejects.csv")
        card(&page, label: "Preguntas de clientes", value: MarkdownReport.thousands(summary.customerQuestionTurns), detail: "turnos con pregunta")
        card(
            &page, label: "Turnos", value: MarkdownReport.thousands(summary.turns),
            detail:
                "cliente \(MarkdownReport.thousands(summary.turnsBySpeaker.customer)) · agente \(MarkdownReport.thousands(summary.turnsBySpeaker.agent)) · sin etiqueta \(MarkdownReport.thousands(summary.turnsBySpeaker.unknown))"
        )
        let masked = summary.piiMasked
        card(
            &page, label: "Datos personales enmascarados", value: MarkdownReport.thousands(masked.total),
            detail:
                "correos \(masked.email) · tarjetas \(masked.card) · números \(masked.number) · enlaces \(masked.url) · nombres \(masked.name.map(String.init) ?? "desconocido") · direcciones \(masked.address.map(String.init) ?? "desconocido") · fechas de nacimiento \(masked.birthDate.map(String.init) ?? "desconocido")"
        )
        page.close("div")
        page.close("section")
    }

    static func card(_ page: inout HTMLPage, label: String, value: String, detail: String, chart: String? = nil) {
        page.open("div", attributes: ["class": "card"])
        page.element("div", label, attributes: ["class": "label"])
        page.element("div", value, attributes: ["class": "value"])
        if let chart { page.raw(chart) }
        page.element("div", detail, attributes: ["class": "detail"])
        page.close("div")
    }

    static func facts(_ result: RunResult, into page: inout HTMLPage) {
        let facts = Facts.draw(result)
        guard !facts.isEmpty else { return }
        page.open("section", attributes: ["id": "sabia-que", "class": "facts", "aria-labelledby": "sabia-que-titulo"])
        page.element("h2", "¿Sabía que…?", attributes: ["id": "sabia-que-titulo"])
        page.open("ul")
        for fact in facts { page.element("li", fact.text) }
        page.close("ul")
        page.close("section")
    }

    static func emerging(_ result: RunResult, into page: inout HTMLPage) {
        page.open("section", attributes: ["id": "emergentes", "aria-labelledby": "emergentes-titulo"])
        page.element("h2", "Frases emergentes", attributes: ["id": "emergentes-titulo"])
        guard let history = result.history, !history.baselineDates.isEmpty else {
            page.element(
                "p", "Aún no hay noches anteriores en el historial: las frases emergentes y las tendencias aparecen a partir de la segunda noche.", attributes: ["class": "empty"])
            page.close("section")
            return
        }
        page.element(
            "p",
            "Frases de los clientes muy por encima de su media de las \(history.baselineDates.count == 1 ? "noche anterior" : "\(history.baselineDates.count) noches anteriores") (\(history.baselineDates.first!) a \(history.baselineDates.last!)), o nuevas, ordenadas por la fuerza de la evidencia.",
            attributes: ["class": "note"])
        if result.emerging.isEmpty {
            page.element("p", "Ninguna frase sube más de lo que explica el azar esta noche.", attributes: ["class": "empty"])
            page.close("section")
            return
        }
        phraseTable(
            result.emerging, id: "tabla-emergentes", caption: "Frases emergentes", showRanking: true,
            linked: linkedCalls(result), into: &page)
        page.close("section")
    }

    static func highlights(_ result: RunResult, hasSpeakers: Bool, into page: inout HTMLPage) {
        page.open("section", attributes: ["id": "preguntas", "aria-labelledby": "preguntas-titulo"])
        page.element("h2", hasSpeakers ? "Preguntas y quejas de los clientes" : "Frases más dichas", attributes: ["id": "preguntas-titulo"])
        page.open("div", attributes: ["class": "columns"])
        page.open("div")
        let questions = result.ranking(hasSpeakers ? .customerQuestions : .all)
        page.element("h3", hasSpeakers ? "Lo que más preguntan" : "En todas las llamadas")
        let frustrations = result.categories.filter { $0.kind == .frustration }
            .flatMap { category in category.rules.filter { $0.calls > 0 && $0.speaker != RuleSpeaker.agent.rawValue } }
            .mostCallsFirst(\.calls)
        // The two columns sit side by side: one scale for both.
        let scale = max(questions.prefix(barsShown).map(\.calls).max() ?? 0, frustrations.prefix(barsShown).map(\.calls).max() ?? 0)
        bars(questions.prefix(barsShown).map { ($0.text, $0.calls, $0.shareOfCalls, $0.trend) }, style: "bars", scale: scale, into: &page)
        page.close("div")
        page.open("div")
        page.element("h3", "Lo que más les frustra")
        if result.categories.contains(where: { $0.kind == .frustration }) {
            bars(frustrations.prefix(barsShown).map { ($0.label, $0.calls, $0.shareOfCalls, $0.trend) }, style: "bars frustration", scale: scale, into: &page)
        } else {
            page.element("p", "Ningún léxico de esta ejecución es de tipo frustracion (kind: frustracion).", attributes: ["class": "empty"])
        }
        page.close("div")
        page.close("div")
        page.close("section")
    }

    /// Bars scaled to `scale` (default: the largest item), so charts shown together compare.
    static func bars(
        _ items: [(label: String, calls: Int, share: Double, trend: Trend?)], style: String, scale: Int? = nil,
        into page: inout HTMLPage
    ) {
        guard let largest = items.map(\.calls).max(), largest > 0 else {
            page.element("p", "Nada alcanza los mínimos esta noche.", attributes: ["class": "empty"])
            return
        }
        page.open("ul", attributes: ["class": style])
        for item in items {
            page.open("li")
            page.open("span", attributes: ["class": "what"])
            page.text(item.label)
            trendBadge(item.trend, into: &page, leadingSpace: true)
            page.close("span")
            page.raw(SVGChart.bar(item.calls, of: max(scale ?? largest, largest), label: "\(Facts.calls(item.calls))"))
            page.element("span", "\(item.calls) · \(MarkdownReport.percent(item.share))", attributes: ["class": "figure"])
            page.close("li")
        }
        page.close("ul")
    }

    static func tables(_ result: RunResult, hasSpeakers: Bool, into page: inout HTMLPage) {
        page.open("section", attributes: ["id": "tablas", "aria-labelledby": "tablas-titulo"])
        page.element("h2", "Todas las frases", attributes: ["id": "tablas-titulo"])
        page.element("p", "Pulse un encabezado para ordenar; escriba para filtrar; despliegue una frase para ver ejemplos con su llamada.", attributes: ["class": "note"])
        let kinds: [RankingKind] = hasSpeakers ? [.customer, .keywords, .customerQuestions, .agent] : [.customer, .keywords, .customerQuestions]
        for kind in kinds {
            let rows = result.ranking(kind)
            let id = "tabla-\(kind.rawValue)"
            page.element("h3", kind.spanishTitle)
            if rows.isEmpty {
                page.element("p", "Ninguna frase alcanza los mínimos (\(result.options.minCount) veces en \(result.options.minCalls) llamadas).", attributes: ["class": "empty"])
                continue
            }
            page.open("div", attributes: ["class": "filter"])
            page.element("label", "Filtrar: ", attributes: ["for": "\(id)-filtro"])
            page.void("input", attributes: ["type": "search", "id": "\(id)-filtro", "data-filter": id, "placeholder": "p. ej. tarjeta"])
            page.element("span", "", attributes: ["id": "\(id)-status", "class": "note", "aria-live": "polite"])
            page.close("div")
            phraseTable(Array(rows.prefix(tableRows)), id: id, caption: kind.spanishTitle, showRanking: false, into: &page)
        }
        page.close("section")
    }

    static func method(_ result: RunResult, into page: inout HTMLPage) {
        let summary = result.summary
        page.open("section", attributes: ["id": "metodo", "aria-labelledby": "metodo-titulo"])
        page.element("h2", "Método y avisos", attributes: ["id": "metodo-titulo"])
        page.open("ul")
        page.element(
            "li",
            "Cada llamada leída se analiza o se rechaza: \(summary.callsRead) leídas = \(summary.callsProcessed) analizadas + \(summary.callsRejected) rechazadas (ver rejects.csv)."
        )
        page.element("li", "Las frases se cuentan sin tildes ni mayúsculas y se muestran en su forma más frecuente; los datos personales se enmascaran antes de contar.")
        page.element(
            "li",
            "Orden: llamadas × cohesión × especificidad × (1 + 0,25 × (palabras − 1)); solo frases dichas al menos \(result.options.minCount) veces en \(result.options.minCalls) llamadas, cuyas palabras van juntas (cohesión ≥ \(Facts.decimal(result.options.minCohesion ?? RankOptions().minCohesion))) y que no empiezan ni terminan en una palabra funcional."
        )
        page.element(
            "li",
            "Palabras clave: palabras sueltas que los clientes usan al menos \(Facts.decimal(result.options.minKeyness ?? RankOptions().minKeyness)) veces más que el español general (frecuencias de wordfreq 3.1.1, CC BY-SA 4.0). Los turnos sin hablante cuentan como del cliente, salvo frases que los turnos etiquetados muestran como de los agentes."
        )
        if result.history != nil {
            let level = Facts.level(TrendAnalysis.arrowLevel)
            page.element(
                "li",
                "Tendencias: las llamadas de esta noche frente a la media de hasta \(TrendAnalysis.baselineRuns) noches anteriores (prueba exacta de Poisson) y frente a la noche anterior (prueba de dos proporciones). ▲ sube y ▼ baja solo cuando el azar no lo explica (p < \(level); si las noches anteriores ya varían mucho, la prueba lo tiene en cuenta), o cuando la frase sube o baja noche tras noche: Mann-Kendall sobre su porcentaje y regresión de Poisson sobre sus llamadas, ambas p < \(level), en al menos \(TrendAnalysis.steadyMinimumNights) de hasta \(TrendAnalysis.steadyRuns + 1) noches. Una frase es emergente con p < \(Facts.level(TrendAnalysis.emergingLevel)) y al menos \(TrendAnalysis.emergingMinimumCalls) llamadas; «nueva» solo si el historial prueba que no se dijo en ninguna de esas noches. Una cifra que el historial no guarda se muestra como desconocida, nunca como 0."
            )
        }
        if summary.countErrorBound > 0 {
            page.element("li", "Memoria limitada: cada conteo puede quedarse hasta \(summary.countErrorBound) por debajo del real.")
        }
        page.close("ul")
        if !summary.warnings.isEmpty || !result.ruleErrors.isEmpty {
            page.element("h3", "Avisos")
            page.open("ul")
            for warning in summary.warnings { page.element("li", warning) }
            for error in result.ruleErrors {
                page.element("li", "La regla \(error.category)/\(error.rule) superó el límite de PCRE2 en \(error.turns) turnos (\(error.message)).")
            }
            page.close("ul")
        }
        page.close("section")
    }

    // MARK: Tables

    static func phraseTable(
        _ rows: [PhraseRow], id: String, caption: String, showRanking: Bool, linked: [String: Int] = [:],
        into page: inout HTMLPage
    ) {
        let hasTrends = rows.contains { $0.trend != nil }
        page.open("table", attributes: ["class": "sortable", "id": id])
        page.element("caption", caption, attributes: ["class": "note"])
        page.open("thead")
        page.open("tr")
        sortableHeader("#", numeric: true, into: &page)
        sortableHeader(rows.first?.ranking == .keywords ? "Palabra" : "Frase", numeric: false, into: &page)
        if showRanking { sortableHeader("Dónde", numeric: false, into: &page) }
        sortableHeader("Llamadas", numeric: true, into: &page)
        sortableHeader("% llamadas", numeric: true, into: &page)
        sortableHeader("Veces", numeric: true, into: &page)
        if hasTrends {
            sortableHeader("Tendencia", numeric: true, into: &page)
            page.element("th", "Últimas noches", attributes: ["scope": "col"])
        }
        page.close("tr")
        page.close("thead")
        page.open("tbody")
        for row in rows {
            page.open("tr")
            page.element("td", "\(row.rank)", attributes: ["class": "number", "data-value": "\(row.rank)"])
            page.open("td")
            expandable(row.text, examples: row.examples, linked: linked, into: &page)
            if let slot = row.slotSummary { page.element("div", slot, attributes: ["class": "note"]) }
            page.close("td")
            if showRanking { page.element("td", row.ranking == .customerQuestions ? "preguntas" : "cliente") }
            page.element("td", "\(row.calls)", attributes: ["class": "number", "data-value": "\(row.calls)"])
            page.element("td", MarkdownReport.percent(row.shareOfCalls), attributes: ["class": "number", "data-value": "\(row.shareOfCalls)"])
            page.element("td", "\(row.count)", attributes: ["class": "number", "data-value": "\(row.count)"])
            if hasTrends { trendCells(row.trend, into: &page) }
            page.close("tr")
        }
        page.close("tbody")
        page.close("table")
    }

    static func sortableHeader(_ title: String, numeric: Bool, into page: inout HTMLPage) {
        page.open("th", attributes: numeric ? ["scope": "col", "class": "number"] : ["scope": "col"])
        page.element("button", title, attributes: ["type": "button"])
        page.close("th")
    }

    /// The phrase, unfolding to its examples: the turn around it, the phrase marked, the call id.
    /// - Parameter linked: the calls the page holds whole (`quotedCalls`), by anchor number.
    static func expandable(_ text: String, examples: [PhraseExample], linked: [String: Int] = [:], into page: inout HTMLPage) {
        guard !examples.isEmpty else {
            page.element("span", text, attributes: ["class": "phrase"])
            return
        }
        page.open("details")
        page.open("summary")
        page.element("span", text, attributes: ["class": "phrase"])
        page.close("summary")
        page.open("ul", attributes: ["class": "examples"])
        for example in examples {
            page.open("li")
            if !example.match.isEmpty, let range = example.text.range(of: example.match) {
                page.text("«" + example.text[..<range.lowerBound])
                page.element("mark", String(example.text[range]))
                page.text(example.text[range.upperBound...] + "» ")
            } else {
                page.text("«\(example.text)» ")
            }
            page.element("span", "\(example.speaker == .agent ? "agente" : "cliente") · \(example.callId)", attributes: ["class": "call"])
            if let anchor = linked[example.callId] {
                page.text(" ")
                page.element("a", "ver la llamada", attributes: ["href": "#llamada-\(anchor)"])
            }
            page.close("li")
        }
        page.close("ul")
        page.close("details")
    }

    static func trendCells(_ trend: Trend?, into page: inout HTMLPage) {
        guard let trend else {
            page.element("td", "")
            page.element("td", "")
            return
        }
        // Sorting by trend puts the strongest rises first: signed evidence.
        let evidence = -log10(max(trend.pValue, 1e-300)) * (trend.changeVsBaseline >= 0 ? 1 : -1)
        page.open("td", attributes: ["data-value": String(format: "%.3f", evidence)])
        trendBadge(trend, into: &page, leadingSpace: false)
        let mean = trend.baselineMeanCalls.map { "media: \(Facts.decimal($0)) (\(MarkdownReport.percent(trend.baselineShare)))" } ?? "media: desconocida"
        let before = trend.direction == .new ? "antes: nunca" : mean
        page.element("div", "\(before) · p \(pValueText(trend.pValue))", attributes: ["class": "note"])
        if let steady = trend.steady {
            page.element("div", "\(Facts.steady(steady)) · p \(pValueText(steady.pValue))", attributes: ["class": "note"])
        }
        page.close("td")
        page.open("td")
        page.raw(SVGChart.sparkline(trend.series, byShare: true, label: "Llamadas por noche"))
        page.close("td")
    }

    static func trendBadge(_ trend: Trend?, into page: inout HTMLPage, leadingSpace: Bool) {
        guard let trend else { return }
        let text: String
        switch trend.direction {
        case .up: text = "▲ sube"
        case .down: text = "▼ baja"
        case .new: text = "● nueva"
        case .flat: text = "= estable"
        }
        if leadingSpace { page.text(" ") }
        page.element(
            "span", text,
            attributes: [
                "class": "trend \(trend.direction.rawValue)",
                "title": "Noche anterior: \(trend.previousCalls.map { "\($0) llamadas" } ?? "desconocida"); \(Facts.mean(trend)) de \(trend.baselineRuns) noches",
            ])
    }

    /// "< 0,001" or "= 0,042".
    static func pValueText(_ value: Double) -> String {
        value < 0.001 ? "< 0,001" : "= " + String(format: "%.3f", value).replacingOccurrences(of: ".", with: ",")
    }
}

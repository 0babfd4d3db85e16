/// The topics of the night in report.md, report.html and digest.md: each reports lead with
/// them, since one incident said in several wordings is one thing to act on.
enum TopicReport {
    /// Topics shown in report.md and report.html (report.json carries them all).
    static let shown = 10
    /// Topics named in the digest.
    static let inDigest = 5
    /// Other wordings listed per topic.
    static let membersListed = 4

    /// "16 llamadas" or "≈ 16.300 llamadas" when counted from a sample of call ids.
    /// «Temas de la noche», or «Temas del periodo» for a run over several days' calls.
    static func title(_ result: RunResult) -> String {
        let dates = result.summary.dates
        return dates.first != dates.last ? "Temas del periodo" : "Temas de la noche"
    }

    static func calls(_ topic: TopicRow) -> String {
        (topic.callsEstimated ? "≈ " : "") + Facts.calls(topic.calls)
    }

    /// «no recibo el sms» (6), «clave para confirmar el pago» (6) y 7 más.
    static func otherWordings(_ topic: TopicRow) -> String {
        let others = topic.members.dropFirst()
        guard !others.isEmpty else { return "" }
        var text = others.prefix(membersListed).map { "«\($0.text)» (\($0.calls))" }.joined(separator: ", ")
        if others.count > membersListed { text += " y \(others.count - membersListed) más" }
        return text
    }

    static func markdown(_ result: RunResult) -> [String] {
        guard let topics = result.topics, !topics.isEmpty else { return [] }
        var lines = [
            "## \(title(result))", "",
            "Frases de los clientes dichas en buena parte en las mismas llamadas: un tema por necesidad o incidencia, con el nombre de su frase más dicha. Llamadas: las que mencionan alguna de sus frases (el cliente o el agente); la tendencia es la de la frase que le da nombre.",
            "",
        ]
        let trends = topics.contains { $0.trend != nil }
        lines.append(
            trends
                ? "| # | Tema | Llamadas | % llamadas | Tendencia de la frase principal | También dicho como | Ejemplo |"
                : "| # | Tema | Llamadas | % llamadas | También dicho como | Ejemplo |")
        lines.append(trends ? "|---:|---|---:|---:|---|---|---|" : "|---:|---|---:|---:|---|---|")
        for topic in topics.prefix(shown) {
            let name = "**\(MarkdownReport.cell(topic.name))**" + (topic.emerging ? " (emergente)" : "")
            let trend = trends ? " \(MarkdownReport.trendCell(topic.trend)) |" : ""
            let example = topic.examples.first.map { "«\(MarkdownReport.highlight($0))» (\(MarkdownReport.cell($0.callId)))" } ?? ""
            lines.append(
                "| \(topic.rank) | \(name) | \((topic.callsEstimated ? "≈ " : "") + MarkdownReport.thousands(topic.calls)) | \(MarkdownReport.percent(topic.shareOfCalls)) |\(trend) \(MarkdownReport.cell(otherWordings(topic))) | \(example) |"
            )
        }
        lines.append("")
        return lines
    }

    static func digest(_ result: RunResult) -> [String] {
        guard let topics = result.topics, !topics.isEmpty else { return [] }
        var lines = ["## \(title(result))", ""]
        for topic in topics.prefix(inDigest) {
            var line = "\(topic.rank). «\(MarkdownReport.cell(topic.name))»: \(calls(topic)) (\(MarkdownReport.percent(topic.shareOfCalls)))"
            line += DigestReport.arrowSuffix(topic.trend)
            if topic.members.count > 1 { line += "; también «" + topic.members.dropFirst().prefix(2).map { MarkdownReport.cell($0.text) }.joined(separator: "», «") + "»" }
            if topic.members.count > 3 { line += " y \(topic.members.count - 3) más" }
            lines.append(line + ".")
        }
        lines.append("")
        return lines
    }

    static func html(_ result: RunResult, linked: [String: Int], into page: inout HTMLPage) {
        guard let topics = result.topics, !topics.isEmpty else { return }
        page.open("section", attributes: ["id": "temas", "aria-labelledby": "temas-titulo"])
        page.element("h2", title(result), attributes: ["id": "temas-titulo"])
        page.element(
            "p",
            "Frases de los clientes dichas en buena parte en las mismas llamadas: un tema por necesidad o incidencia, con el nombre de su frase más dicha. Llamadas: las que mencionan alguna de sus frases (el cliente o el agente); la tendencia es la de la frase que le da nombre.",
            attributes: ["class": "note"])
        let hasTrends = topics.contains { $0.trend != nil }
        page.open("table", attributes: ["class": "sortable", "id": "tabla-temas"])
        page.element("caption", title(result), attributes: ["class": "note"])
        page.open("thead")
        page.open("tr")
        HTMLReport.sortableHeader("#", numeric: true, into: &page)
        HTMLReport.sortableHeader("Tema", numeric: false, into: &page)
        HTMLReport.sortableHeader("Llamadas", numeric: true, into: &page)
        HTMLReport.sortableHeader("% llamadas", numeric: true, into: &page)
        if hasTrends {
            HTMLReport.sortableHeader("Tendencia de la frase principal", numeric: true, into: &page)
            page.element("th", "Últimas noches", attributes: ["scope": "col"])
        }
        page.element("th", "También dicho como", attributes: ["scope": "col"])
        page.close("tr")
        page.close("thead")
        page.open("tbody")
        for topic in topics.prefix(shown) {
            page.open("tr")
            page.element("td", "\(topic.rank)", attributes: ["class": "number", "data-value": "\(topic.rank)"])
            page.open("td")
            HTMLReport.expandable(topic.name + (topic.emerging ? " (emergente)" : ""), examples: topic.examples, linked: linked, into: &page)
            page.close("td")
            page.element("td", (topic.callsEstimated ? "≈ " : "") + "\(topic.calls)", attributes: ["class": "number", "data-value": "\(topic.calls)"])
            page.element("td", MarkdownReport.percent(topic.shareOfCalls), attributes: ["class": "number", "data-value": "\(topic.shareOfCalls)"])
            if hasTrends { HTMLReport.trendCells(topic.trend, into: &page) }
            page.element("td", otherWordings(topic))
            page.close("tr")
        }
        page.close("tbody")
        page.close("table")
        page.close("section")
    }
}

extension HTMLReport {
    /// The anchor number of each call the page holds whole.
    static func linkedCalls(_ result: RunResult) -> [String: Int] {
        Dictionary((result.quotedCalls ?? []).enumerated().map { ($1.callId, $0 + 1) }, uniquingKeysWith: { first, _ in first })
    }

    /// The quoted calls, whole and masked, each collapsed until opened from an example.
    static func quotedCalls(_ result: RunResult, into page: inout HTMLPage) {
        guard let calls = result.quotedCalls, !calls.isEmpty else { return }
        page.open("section", attributes: ["id": "llamadas", "aria-labelledby": "llamadas-titulo"])
        page.element("h2", "Llamadas citadas", attributes: ["id": "llamadas-titulo"])
        page.element(
            "p", "Las llamadas de los ejemplos de temas y frases emergentes, tal como se transcribieron, con los datos personales enmascarados.",
            attributes: ["class": "note"])
        for (index, call) in calls.enumerated() {
            page.open("details", attributes: ["id": "llamada-\(index + 1)", "class": "call"])
            page.open("summary")
            page.text("\(call.callId) · \(call.turns.count == 1 ? "1 turno" : "\(call.turns.count) turnos")")
            page.close("summary")
            page.open("ol", attributes: ["class": "turns"])
            for turn in call.turns {
                page.open("li")
                page.element(
                    "span", turn.speaker == .agent ? "agente" : turn.speaker == .customer ? "cliente" : "sin etiqueta",
                    attributes: ["class": "call"])
                page.text(" " + turn.text)
                page.close("li")
            }
            page.close("ol")
            page.close("details")
        }
        page.close("section")
    }
}

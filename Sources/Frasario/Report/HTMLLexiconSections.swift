/// The lexicon sections of report.html: categories (what customers said), the agents'
/// protocol, and what the lexicons miss.
extension HTMLReport {
    static func categories(_ result: RunResult, into page: inout HTMLPage) {
        guard !result.categories.isEmpty else { return }
        page.open("section", attributes: ["id": "categorias", "aria-labelledby": "categorias-titulo"])
        page.element("h2", "Categorías del léxico", attributes: ["id": "categorias-titulo"])
        let byCalls = MarkdownReport.chartOrder(result.categories)
        bars(byCalls.map { ($0.title, $0.calls, $0.shareOfCalls, $0.trend) }, style: "bars", into: &page)
        for category in byCalls {
            page.open("div", attributes: ["class": "category", "id": "categoria-\(category.category)"])
            page.open("h3")
            page.text("\(category.title): \(Facts.calls(category.calls)) (\(MarkdownReport.percent(category.shareOfCalls)))")
            trendBadge(category.trend, into: &page, leadingSpace: true)
            page.close("h3")
            if !category.description.isEmpty { page.element("p", category.description, attributes: ["class": "note"]) }
            // The agents' protocol rules have their own section (`agentProtocol`).
            let customerRules = category.rules.filter { $0.speaker != RuleSpeaker.agent.rawValue }
            let matched = customerRules.filter { $0.calls > 0 }
            if matched.isEmpty {
                page.element("p", "Ninguna regla coincidió esta noche.", attributes: ["class": "empty"])
            } else {
                ruleTable(matched, id: "reglas-\(category.category)", caption: "Reglas de \(category.title)", into: &page)
            }
            let silent = customerRules.filter { $0.calls == 0 }.map(\.id)
            if !silent.isEmpty { page.element("p", "Sin coincidencias: \(silent.joined(separator: ", ")).", attributes: ["class": "note"]) }
            page.close("div")
        }
        page.close("section")
    }

    static func uncovered(_ result: RunResult, into page: inout HTMLPage) {
        guard let coverage = result.coverage else { return }
        page.open("section", attributes: ["id": "sin-categoria", "aria-labelledby": "sin-categoria-titulo"])
        page.element("h2", "Lo que el léxico no reconoce", attributes: ["id": "sin-categoria-titulo"])
        page.element(
            "p", "Preguntas y quejas frecuentes de los clientes que ninguna regla reconoce. suggestions.yaml trae un borrador de regla para cada una.",
            attributes: ["class": "note"])
        for (title, rows, id) in [
            ("Preguntas sin categoría", coverage.questions, "tabla-preguntas-sin-categoria"),
            ("Quejas sin categoría", coverage.frustrations, "tabla-quejas-sin-categoria"),
        ] {
            page.element("h3", title)
            if rows.isEmpty {
                page.element("p", "Ninguna esta noche.", attributes: ["class": "empty"])
            } else {
                phraseTable(rows, id: id, caption: title, showRanking: false, into: &page)
            }
        }
        page.close("section")
    }

    /// The agents' protocol rules of every category (greeting, apology, offer of more help,
    /// farewell), most calls first: figures about the agents, kept out of the categories.
    static func agentProtocolRules(_ result: RunResult) -> [(category: CategoryResult, rule: RuleResult)] {
        result.categories.flatMap { category in
            category.rules.filter { $0.speaker == RuleSpeaker.agent.rawValue }.map { (category, $0) }
        }.mostCallsFirst(\.rule.calls)
    }

    static func agentProtocol(_ result: RunResult, into page: inout HTMLPage) {
        let rules = agentProtocolRules(result)
        guard !rules.isEmpty else { return }
        page.open("section", attributes: ["id": "protocolo", "aria-labelledby": "protocolo-titulo"])
        page.element("h2", "Protocolo del agente", attributes: ["id": "protocolo-titulo"])
        page.element(
            "p", "Lo que dicen los agentes (saludo, disculpa, oferta de más ayuda, despedida): no cuenta en las categorías, que miden a los clientes.",
            attributes: ["class": "note"])
        ruleTable(rules.map(\.rule), id: "reglas-protocolo", caption: "Reglas del agente", into: &page)
        page.close("section")
    }

    static func ruleTable(_ rules: [RuleResult], id: String, caption: String, into page: inout HTMLPage) {
        let hasTrends = rules.contains { $0.trend != nil }
        page.open("table", attributes: ["class": "sortable", "id": id])
        page.element("caption", caption, attributes: ["class": "note"])
        page.open("thead")
        page.open("tr")
        sortableHeader("Regla", numeric: false, into: &page)
        sortableHeader("Quién", numeric: false, into: &page)
        sortableHeader("Llamadas", numeric: true, into: &page)
        sortableHeader("% llamadas", numeric: true, into: &page)
        if hasTrends {
            sortableHeader("Tendencia", numeric: true, into: &page)
            page.element("th", "Últimas noches", attributes: ["scope": "col"])
        }
        page.element("th", "Lo que dijeron", attributes: ["scope": "col"])
        page.close("tr")
        page.close("thead")
        page.open("tbody")
        for rule in rules {
            page.open("tr")
            page.open("td")
            expandable(rule.label, examples: rule.examples, into: &page)
            page.close("td")
            page.element("td", rule.speaker)
            page.element("td", "\(rule.calls)", attributes: ["class": "number", "data-value": "\(rule.calls)"])
            page.element("td", MarkdownReport.percent(rule.shareOfCalls), attributes: ["class": "number", "data-value": "\(rule.shareOfCalls)"])
            if hasTrends { trendCells(rule.trend, into: &page) }
            page.element("td", rule.topMatches.prefix(3).map { "«\($0.text)» (\($0.count))" }.joined(separator: ", "))
            page.close("tr")
        }
        page.close("tbody")
        page.close("table")
    }

}

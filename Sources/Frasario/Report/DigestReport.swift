/// `digest.md`: the night in a few lines for an intranet post or a newsletter: the
/// "¿Sabía que…?" facts, what changed most, and what customers asked most.
enum DigestReport {
    static let changesShown = 6
    static let questionsShown = 5

    static func render(_ result: RunResult) -> String {
        let summary = result.summary
        var lines = ["# Frasario · resumen del \(summary.runDate)", ""]
        lines += [DigestSummary.sentences(result).joined(separator: " "), ""]
        lines += TopicReport.digest(result)

        let facts = Facts.draw(result)
        if !facts.isEmpty {
            lines += ["## ¿Sabía que…?", ""]
            lines += facts.map { "- \($0.text)" }
            lines.append("")
        }

        lines += ["## Lo que más cambió", ""]
        if result.history == nil {
            lines += ["Sin historial (--no-history): esta ejecución no se compara con noches anteriores.", ""]
        } else if result.history?.previousDate == nil {
            lines += ["Es la primera noche del historial: los cambios se verán a partir de la próxima.", ""]
        } else {
            let changes = changeLines(result)
            lines += changes.isEmpty ? ["Nada cambió más de lo que explica el azar respecto a las noches anteriores."] : changes
            lines.append("")
        }

        let questions = result.ranking(.customerQuestions).prefix(questionsShown)
        if !questions.isEmpty {
            lines += ["## Lo más preguntado", ""]
            for row in questions {
                lines.append("\(row.rank). «\(MarkdownReport.cell(row.text))»: \(Facts.calls(row.calls)) (\(MarkdownReport.percent(row.shareOfCalls)))\(arrowSuffix(row.trend))")
            }
            lines.append("")
        }
        lines.append("Un cambio se marca solo cuando el azar no lo explica; el método y sus umbrales están en `report.html`.")
        lines.append("")
        return lines.joined(separator: "\n")
    }

    /// Falls kept among the changes shown, when there are any: a page of rises only would hide
    /// that a complaint went away.
    static let fallsShown = 2

    /// Emerging phrases, customer phrases that fell and categories that moved significantly,
    /// strongest evidence first, the rises and then the falls (up to `fallsShown` of them).
    static func changeLines(_ result: RunResult) -> [String] {
        var entries: [(pValue: Double, line: String)] = []
        var falls: [(pValue: Double, line: String)] = []
        var fallen: Set<String> = []
        for kind in [RankingKind.customer, .customerQuestions] {
            for row in result.ranking(kind) where row.trend?.direction == .down && !fallen.contains(row.text) {
                guard let trend = row.trend, trend.pValue < TrendAnalysis.arrowLevel else { continue }
                fallen.insert(row.text)
                falls.append(
                    (
                        trend.pValue,
                        "- ▼ «\(MarkdownReport.cell(row.text))»: \(Facts.calls(row.calls)) (\(MarkdownReport.percent(row.shareOfCalls))); \(Facts.mean(trend, earlier: true))."
                    ))
            }
        }
        for row in result.emerging {
            guard let trend = row.trend else { continue }
            let was = trend.direction == .new ? "nueva" : Facts.mean(trend, earlier: true)
            entries.append((trend.pValue, "- ▲ «\(MarkdownReport.cell(row.text))»: \(Facts.calls(row.calls)) (\(MarkdownReport.percent(row.shareOfCalls))); \(was)."))
        }
        for category in result.categories {
            guard let trend = category.trend, trend.direction == .up || trend.direction == .down else { continue }
            let arrow = trend.direction == .up ? "▲" : "▼"
            let change: String
            if let steady = trend.steady, trend.pValue >= TrendAnalysis.arrowLevel {
                change = Facts.steady(steady)
            } else {
                change = "\(Facts.mean(trend, earlier: true)) (\(MarkdownReport.percent(trend.baselineShare)))"
            }
            let entry = (
                min(trend.pValue, trend.steady?.pValue ?? 1),
                "- \(arrow) \(MarkdownReport.cell(category.title)): \(Facts.calls(category.calls)) (\(MarkdownReport.percent(category.shareOfCalls))); \(change)."
            )
            if trend.direction == .down { falls.append(entry) } else { entries.append(entry) }
        }
        func strongestFirst(_ list: [(pValue: Double, line: String)]) -> [String] {
            list.enumerated()
                .sorted { $0.element.pValue != $1.element.pValue ? $0.element.pValue < $1.element.pValue : $0.offset < $1.offset }
                .map(\.element.line)
        }
        let rises = strongestFirst(entries), drops = strongestFirst(falls)
        let fallCount = min(drops.count, max(fallsShown, changesShown - rises.count))
        return Array(rises.prefix(changesShown - fallCount)) + drops.prefix(fallCount)
    }

    static func arrowSuffix(_ trend: Trend?) -> String {
        switch trend?.direction {
        case .up: return " ▲"
        case .down: return " ▼"
        case .new: return " (nueva)"
        case .flat, nil: return ""
        }
    }
}

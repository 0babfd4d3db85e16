/// The paragraph that opens digest.md: five or six sentences a manager can paste into a
/// newsletter. The night's volume, its main topics, what is new, what rose and what fell,
/// one customer's words, and where the full report is. No p-values: the claims are the ones
/// the report makes, its method is in report.html.
enum DigestSummary {
    static let topicsNamed = 3

    static func sentences(_ result: RunResult) -> [String] {
        var sentences: [String] = []
        let summary = result.summary
        // A run over several days' calls says so: «esta noche» would claim one night's volume.
        var volume = "Esta noche (\(summary.runDate)) se analizaron \(Facts.calls(summary.callsProcessed))"
        if let first = summary.dates.first, let last = summary.dates.last, first != last {
            volume = "Del \(first) al \(last) se analizaron \(Facts.calls(summary.callsProcessed))"
        }
        if let previous = result.history?.runs.dropLast().last {
            let difference = summary.callsProcessed - previous.callsProcessed
            if difference == 0 {
                volume += ", las mismas que la noche anterior"
            } else {
                volume += ", \(MarkdownReport.thousands(abs(difference))) \(difference > 0 ? "más" : "menos") que la noche anterior"
            }
        }
        sentences.append(volume + ".")

        let topics = (result.topics ?? []).prefix(topicsNamed)
        if let first = topics.first {
            var named = "«\(MarkdownReport.cell(first.name))» (\(TopicReport.calls(first)))"
            let rest = topics.dropFirst().map { "«\(MarkdownReport.cell($0.name))» (\(($0.callsEstimated ? "≈ " : "") + MarkdownReport.thousands($0.calls)))" }
            if !rest.isEmpty { named += rest.count == 1 ? " y \(rest[0])" : ", " + rest.dropLast().joined(separator: ", ") + " y \(rest.last!)" }
            sentences.append("Los clientes hablaron sobre todo de \(named).")
        }

        let nights = result.history?.baselineDates.count ?? 0
        let new = result.emerging.filter { $0.trend?.direction == .new }
        if !new.isEmpty {
            let names = new.prefix(3).map { "«\($0.text)» (\(Facts.calls($0.calls)))" }
            let list = names.count == 1 ? names[0] : names.dropLast().joined(separator: ", ") + " y " + names.last!
            sentences.append("\(new.count == 1 ? "Es nueva" : "Son nuevas") \(list): no se \(new.count == 1 ? "oyó" : "oyeron") en \(Facts.earlierNights(nights, none: true)).")
        }
        if let rise = strongestMove(result, direction: .up) { sentences.append("Subió \(rise).") }
        if let fall = strongestMove(result, direction: .down) { sentences.append("Bajó \(fall).") }

        // A customer's sentence worth quoting: some words, not mostly masked data, about a
        // phrase that is not itself masked data.
        func quotable(_ example: PhraseExample) -> Bool {
            let words = example.text.split(separator: " ")
            let masks = words.filter { word in PIIMask.allCases.contains { word.contains($0.token) } }.count
            let maskedMatch = PIIMask.allCases.contains { example.match.contains($0.token) }
            return example.speaker == .customer && words.count >= 5 && masks * 3 < words.count && !maskedMatch
        }
        let quoted =
            (result.topics ?? []).lazy.flatMap(\.examples).first(where: quotable)
            ?? result.ranking(.customer).lazy.flatMap(\.examples).first(where: quotable)
        if let quote = quoted {
            sentences.append("Un cliente lo dijo así: «\(MarkdownReport.cell(quote.text))».")
        }
        sentences.append("El informe completo, con ejemplos y gráficos, está en report.html, junto a este resumen.")
        return sentences
    }

    /// The phrase (emerging rows, then customer rows) or category that moved `direction` with
    /// the strongest evidence, in words: «código de verificación», de una media de 2,3 a 15 llamadas.
    static func strongestMove(_ result: RunResult, direction: TrendDirection) -> String? {
        var moves: [(evidence: Double, text: String)] = []
        func describe(_ name: String, calls: Int, share: Double, trend: Trend) -> String {
            if let steady = trend.steady, steady.direction == direction, trend.pValue >= TrendAnalysis.arrowLevel {
                return "\(name): de \(Facts.percent(steady.fromShare)) a \(Facts.percent(steady.toShare)) de las llamadas en \(steady.nights) noches"
            }
            let before = trend.baselineMeanCalls.map { "una media de \(Facts.decimal($0))" } ?? "una media desconocida"
            return "\(name): \(Facts.calls(calls)) (\(Facts.percent(share))) frente a \(before) en \(Facts.earlierNights(trend.baselineRuns))"
        }
        let phrases = result.emerging + result.ranking(.customer)
        for row in phrases {
            guard let trend = row.trend, trend.direction == direction else { continue }
            moves.append((min(trend.pValue, trend.steady?.pValue ?? 1), describe("«\(row.text)»", calls: row.calls, share: row.shareOfCalls, trend: trend)))
        }
        for category in result.categories where category.kind != .courtesy {
            guard let trend = category.trend, trend.direction == direction else { continue }
            moves.append((min(trend.pValue, trend.steady?.pValue ?? 1), describe("«\(category.title)»", calls: category.calls, share: category.shareOfCalls, trend: trend)))
        }
        return moves.enumerated().min { $0.element.evidence != $1.element.evidence ? $0.element.evidence < $1.element.evidence : $0.offset < $1.offset }?.element.text
    }
}

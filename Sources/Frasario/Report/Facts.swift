/// A "¿Sabía que…?" fact: one plain-Spanish sentence drawn from a run, with the figure it
/// quotes, so a reader can trust it and a test can check it.
public struct Fact: Sendable, Equatable {
    public var text: String
    /// The phrase, category title or rule label the fact is about, as quoted in `text`.
    public var subject: String
    /// Calls the fact quotes.
    public var calls: Int
}

/// Draws the facts of a run, most newsworthy first: what emerged, what customers asked most,
/// the most repeated frustration, the topic that grew, the main topic, the night's volume.
enum Facts {
    static let limit = 6

    static func draw(_ result: RunResult) -> [Fact] {
        var facts: [Fact] = []
        let baselineRuns = result.history?.baselineDates.count ?? 0
        for row in result.emerging.prefix(2) {
            guard let trend = row.trend else { continue }
            let said = "¿Sabía que «\(row.text)» se oyó en \(calls(row.calls)) de esta noche (\(percent(row.shareOfCalls)))"
            if trend.direction == .new {
                facts.append(Fact(text: "\(said) y no figuraba en \(earlierNights(baselineRuns, none: true))?", subject: row.text, calls: row.calls))
            } else if let mean = trend.baselineMeanCalls, mean > 0 {
                // The ratio of calls to the mean calls shown beside it; the share ratio (which
                // allows for the night's volume) would not match the figures the reader sees.
                facts.append(
                    Fact(
                        text: "\(said), \(decimal(Double(row.calls) / mean)) veces la media de \(decimal(mean)) llamadas de \(earlierNights(baselineRuns))?",
                        subject: row.text, calls: row.calls))
            }
        }
        if let question = result.ranking(.customerQuestions).first {
            facts.append(
                Fact(
                    text: "¿Sabía que en \(calls(question.calls)) (\(percent(question.shareOfCalls))) los clientes preguntaron «\(question.text)»?",
                    subject: question.text, calls: question.calls))
        }
        let customerRules = { (category: CategoryResult) in category.rules.filter { $0.speaker != RuleSpeaker.agent.rawValue && $0.calls > 0 } }
        let frustration = result.categories.filter { $0.kind == .frustration }.flatMap(customerRules)
            .mostCallsFirst(\.calls).first
        // A "most repeated" complaint needs a few calls to be a pattern: one call is an anecdote.
        if let frustration, frustration.calls >= TrendAnalysis.emergingMinimumCalls {
            facts.append(
                Fact(
                    text: "¿Sabía que la queja más repetida fue «\(frustration.label)», en \(calls(frustration.calls)) (\(percent(frustration.shareOfCalls)))?",
                    subject: frustration.label, calls: frustration.calls))
        }
        let topics = result.categories.filter { $0.kind != .courtesy && $0.calls > 0 }
        let growing = topics.filter { $0.trend?.direction == .up }
            .max { ($0.trend?.pValue ?? 1) != ($1.trend?.pValue ?? 1) ? ($0.trend?.pValue ?? 1) > ($1.trend?.pValue ?? 1) : $0.category > $1.category }
        if let growing, let trend = growing.trend {
            if let steady = trend.steady, trend.pValue >= TrendAnalysis.arrowLevel {
                facts.append(
                    Fact(
                        text:
                            "¿Sabía que las llamadas sobre «\(growing.title)» suben noche tras noche: de \(percent(steady.fromShare)) a \(percent(steady.toShare)) en \(steady.nights) noches?",
                        subject: growing.title, calls: growing.calls))
            } else if let mean = trend.baselineMeanCalls {
                facts.append(
                    Fact(
                        text:
                            "¿Sabía que las llamadas sobre «\(growing.title)» subieron a \(growing.calls) (\(percent(growing.shareOfCalls))), frente a una media de \(decimal(mean)) en \(earlierNights(trend.baselineRuns))?",
                        subject: growing.title, calls: growing.calls))
            }
        }
        if let main = topics.mostCallsFirst(\.calls).first,
            main.category != growing?.category
        {
            facts.append(
                Fact(
                    text: "¿Sabía que el \(percent(main.shareOfCalls)) de las llamadas (\(main.calls)) trataron de «\(main.title)»?",
                    subject: main.title, calls: main.calls))
        }
        let processed = result.summary.callsProcessed
        if let previous = result.history?.runs.dropLast().last, previous.callsProcessed > 0 {
            let change = Double(processed - previous.callsProcessed) / Double(previous.callsProcessed)
            let direction = change >= 0 ? "más" : "menos"
            facts.append(
                Fact(
                    text: "¿Sabía que esta noche se analizaron \(calls(processed)), un \(percent(abs(change))) \(direction) que el \(previous.date)?",
                    subject: "llamadas analizadas", calls: processed))
        }
        let masked = result.summary.piiMasked
        let personalData = masked.total
        if personalData > 0 {
            let what = personalData == 1 ? "se enmascaró 1 dato personal" : "se enmascararon \(MarkdownReport.thousands(personalData)) datos personales"
            facts.append(
                Fact(
                    text:
                        "¿Sabía que \(what) (correos, tarjetas, teléfonos, documentos, nombres, direcciones, fechas de nacimiento) antes de contar nada, en \(calls(processed)) analizadas?",
                    subject: "datos personales", calls: processed))
        }
        return Array(facts.prefix(limit))
    }

    static func calls(_ count: Int) -> String { count == 1 ? "1 llamada" : "\(MarkdownReport.thousands(count)) llamadas" }

    static func percent(_ share: Double) -> String { MarkdownReport.percent(share) }

    /// "la noche anterior", "las 7 noches anteriores", "ninguna de las 7 noches anteriores".
    static func earlierNights(_ count: Int, none: Bool = false) -> String {
        count == 1 ? "la noche anterior" : "\(none ? "ninguna de las" : "las") \(count) noches anteriores"
    }

    /// 3.25 → "3,3"; 4.0 → "4".
    /// "media 2,3" or "media desconocida" (a baseline night the history does not hold);
    /// "media anterior 2,3" with `earlier`.
    static func mean(_ trend: Trend, earlier: Bool = false) -> String {
        let noun = earlier ? "media anterior" : "media"
        return trend.baselineMeanCalls.map { "\(noun) \(decimal($0))" } ?? "\(noun) desconocida"
    }

    /// "baja de 16 % a 2 % en 14 noches", the steady move in words.
    static func steady(_ steady: SteadyTrend) -> String {
        "\(steady.direction == .up ? "sube" : "baja") de \(percent(steady.fromShare)) a \(percent(steady.toShare)) en \(steady.nights) noches"
    }

    /// A significance level the Spanish way: 0.01 → "0,01".
    static func level(_ value: Double) -> String {
        "\(value)".replacingOccurrences(of: ".", with: ",")
    }

    static func decimal(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        let text = rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
        return text.replacingOccurrences(of: ".", with: ",")
    }
}

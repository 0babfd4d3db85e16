/// `categories.csv`: one row per rule, plus one summary row per category (rule column empty).
enum CategoryReport {
    static func csv(_ result: RunResult) -> String {
        var csv = CSV(
            header: [
                "category", "rule", "label", "calls", "share_of_calls", "turns", "errors",
                "top_match", "top_match_count", "example_call_id", "example",
            ] + ReportWriter.trendHeader)
        for category in result.categories {
            let errors = category.rules.reduce(0) { $0 + $1.errors }
            csv.append(
                [
                    category.category, "", category.title, "\(category.calls)", CSV.number(category.shareOfCalls),
                    "\(category.turns)", "\(errors)", "", "", "", "",
                ] + ReportWriter.trendFields(category.trend))
            for rule in category.rules {
                csv.append(
                    [
                        category.category, rule.id, rule.label, "\(rule.calls)", CSV.number(rule.shareOfCalls),
                        "\(rule.turns)", "\(rule.errors)", rule.topMatches.first?.text ?? "",
                        rule.topMatches.first.map { "\($0.count)" } ?? "",
                        rule.examples.first?.callId ?? "", rule.examples.first?.text ?? "",
                    ] + ReportWriter.trendFields(rule.trend))
            }
        }
        return csv.text
    }
}

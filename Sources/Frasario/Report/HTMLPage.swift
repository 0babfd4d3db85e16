import Foundation

/// Inline SVG charts: bars and sparklines, each an image with a text alternative.
enum SVGChart {
    static func bar(_ value: Int, of maximum: Int, label: String) -> String {
        let width = maximum > 0 ? Double(value) / Double(maximum) * 100 : 0
        return
            "<svg viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"\(HTMLPage.escape(label))\"><rect class=\"bar\" x=\"0\" y=\"0\" height=\"10\" width=\"\(format(max(width, 0.8)))\"/></svg>"
    }

    /// A line through the points, by share of calls (or raw calls), the last point marked.
    static func sparkline(_ points: [TrendPoint], byShare: Bool, label: String) -> String {
        // Unknown nights leave a gap: the line joins the known ones, never drops to 0.
        let values: [Double?] = points.map { point in
            guard let calls = point.calls else { return nil }
            guard byShare else { return Double(calls) }
            return point.callsProcessed > 0 ? Double(calls) / Double(point.callsProcessed) : 0
        }
        let top = max(values.compactMap { $0 }.max() ?? 0, 1e-9)
        let width = 120.0, height = 28.0, margin = 3.0
        let step = points.count > 1 ? (width - 2 * margin) / Double(points.count - 1) : 0
        let coordinates: [(Double, Double)] = values.enumerated().compactMap { index, value in
            guard let value else { return nil }
            let x = margin + Double(index) * step
            return (x, height - margin - value / top * (height - 2 * margin))
        }
        let description = points.map { "\($0.date): \($0.calls.map(String.init) ?? "desconocido")" }.joined(separator: "; ")
        var svg = "<svg class=\"spark\" viewBox=\"0 0 120 28\" role=\"img\" aria-label=\"\(HTMLPage.escape(label + ": " + description))\">"
        svg += "<title>\(HTMLPage.escape(description))</title>"
        svg += "<polyline points=\"\(coordinates.map { "\(format($0.0)),\(format($0.1))" }.joined(separator: " "))\"/>"
        if let last = coordinates.last { svg += "<circle cx=\"\(format(last.0))\" cy=\"\(format(last.1))\" r=\"2.5\"/>" }
        return svg + "</svg>"
    }

    static func format(_ value: Double) -> String { String(format: "%.1f", value) }
}

/// A page under construction: elements are opened and closed explicitly, text is escaped.
struct HTMLPage {
    private(set) var body = ""

    mutating func open(_ tag: String, attributes: KeyValuePairs<String, String> = [:]) {
        body += "<\(tag)\(Self.attributes(attributes))>"
    }

    mutating func close(_ tag: String) { body += "</\(tag)>\n" }

    mutating func element(_ tag: String, _ text: String, attributes: KeyValuePairs<String, String> = [:]) {
        body += "<\(tag)\(Self.attributes(attributes))>\(Self.escape(text))</\(tag)>"
    }

    /// A void element (input, meta), closed XML-style.
    mutating func void(_ tag: String, attributes: KeyValuePairs<String, String>) {
        body += "<\(tag)\(Self.attributes(attributes))/>"
    }

    mutating func text<Text: StringProtocol>(_ text: Text) { body += Self.escape(String(text)) }

    /// Markup built elsewhere (SVG charts), already escaped.
    mutating func raw(_ markup: String) { body += markup }

    func document(title: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="es">
        <head>
        <meta charset="utf-8"/>
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="generator" content="frasario"/>
        <title>\(Self.escape(title))</title>
        <style>
        \(HTMLAssets.style)
        </style>
        </head>
        <body>
        \(body)
        <script>//<![CDATA[
        \(HTMLAssets.script)
        //]]></script>
        </body>
        </html>

        """
    }

    static func attributes(_ attributes: KeyValuePairs<String, String>) -> String {
        attributes.map { " \($0.key)=\"\(escape($0.value))\"" }.joined()
    }

    /// Text safe inside HTML (and attribute values). For a Markdown table cell, quotes may stay
    /// as typed, `|` is escaped and line breaks become spaces.
    static func escape(_ text: String, quotes: Bool = true, tableCell: Bool = false) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"" where quotes: escaped += "&quot;"
            case "'" where quotes: escaped += "&#39;"
            case "|" where tableCell: escaped += "\\|"
            case "\n" where tableCell, "\r" where tableCell, "\r\n" where tableCell: escaped += " "
            default: escaped.append(character)
            }
        }
        return escaped
    }
}

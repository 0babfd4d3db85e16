import Foundation

/// Reads WebVTT and SubRip caption files into labelled turns. Each cue is a turn; consecutive
/// cues of the same named speaker are joined into one turn, as captions split sentences.
enum CaptionParser {
    /// Cues in file order, or a reason the file is not a caption file.
    static func parse(_ text: String, format: InputFormat) -> Result<[LabelledTurn], RecordProblem> {
        var blocks: [[Substring]] = [[]]
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            if line.trimmingCharacters(in: .whitespaces).isEmpty {
                if !blocks[blocks.count - 1].isEmpty { blocks.append([]) }
            } else {
                blocks[blocks.count - 1].append(line)
            }
        }
        if format == .vtt {
            guard let first = blocks.first?.first, first.hasPrefix("WEBVTT") else {
                return .failure(RecordProblem(reason: "not a WebVTT file (no WEBVTT header)"))
            }
            blocks.removeFirst()
        }
        var turns: [LabelledTurn] = []
        for block in blocks where !block.isEmpty {
            if format == .vtt, let head = block.first, head.hasPrefix("NOTE") || head.hasPrefix("STYLE") || head.hasPrefix("REGION") { continue }
            guard let timingIndex = block.firstIndex(where: { $0.contains("-->") }) else { continue }
            let times = block[timingIndex].components(separatedBy: "-->")
            let start = timestamp(times[0])
            let end = times.count > 1 ? timestamp(String(times[1].trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "")) : nil
            var label: String?
            var pieces: [String] = []
            for raw in block[(timingIndex + 1)...] {
                var line = String(raw)
                if format == .vtt, let voice = voiceTag(line) { label = label ?? voice.name; line = voice.rest }
                line = stripTags(line)
                if line.hasPrefix("- ") { line.removeFirst(2) }
                if let (named, rest) = speakerPrefix(line) { label = label ?? named; line = rest }
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if !trimmed.isEmpty { pieces.append(trimmed) }
            }
            guard !pieces.isEmpty else { continue }
            let text = pieces.joined(separator: " ")
            if let label, let last = turns.last, last.label == label {
                turns[turns.count - 1].text += " " + text
                turns[turns.count - 1].end = end ?? last.end
            } else {
                turns.append(LabelledTurn(label: label, text: text, start: start, end: end))
            }
        }
        return .success(turns)
    }

    /// `00:01:02.500`, `01:02.500` or SubRip's `00:01:02,500` → seconds.
    static func timestamp(_ text: String) -> Double? {
        let parts = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: ".").split(separator: ":")
        guard (2...3).contains(parts.count) else { return nil }
        var seconds = 0.0
        for part in parts {
            guard let value = Double(part) else { return nil }
            seconds = seconds * 60 + value
        }
        return seconds
    }

    /// `<v Laura>hola` or `<v.loud Laura>hola</v>` → ("Laura", "hola").
    static func voiceTag(_ line: String) -> (name: String, rest: String)? {
        guard line.hasPrefix("<v"), let close = line.firstIndex(of: ">") else { return nil }
        let inside = line[line.index(line.startIndex, offsetBy: 2)..<close]
        guard inside.first == " " || inside.first == "." else { return nil }
        let name = inside.drop { $0 != " " }.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { return nil }
        return (name, String(line[line.index(after: close)...]))
    }

    /// Removes markup tags (`<i>`, `</v>`, `<00:00:01.000>`, `<font …>`) and the common entities.
    static func stripTags(_ line: String) -> String {
        var output = ""
        var inTag = false
        for character in line {
            if character == "<" { inTag = true; continue }
            if character == ">" && inTag { inTag = false; continue }
            if !inTag { output.append(character) }
        }
        return output.replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&nbsp;", with: " ")
    }

    /// `AGENTE: hola` or `Laura: hola` → ("AGENTE", "hola"): up to three words before a colon.
    static func speakerPrefix(_ line: String) -> (String, String)? {
        guard let colon = line.firstIndex(of: ":") else { return nil }
        let name = line[..<colon].trimmingCharacters(in: .whitespaces)
        let words = name.split(separator: " ")
        guard !name.isEmpty, words.count <= 3, name.count <= 30, !name.contains(where: \.isNumber),
            name.first?.isUppercase == true || Speaker(label: name) != nil
        else { return nil }
        return (name, String(line[line.index(after: colon)...]))
    }
}

import Foundation

/// What parsing one piece of raw input produced.
struct ParsedInput: Sendable {
    var calls: [Call] = []
    var rejects: [Reject] = []
    /// Lines (or whole files) that were not UTF-8 and were read as Windows-1252, by file name.
    var windows1252ByFile: [String: Int] = [:]
    /// Turns whose speaker label was not recognised, read as speaker unknown.
    var unrecognisedSpeakerLabels: [String: Int] = [:]
    /// Diarized calls whose agent was found by the greeting heuristic, and calls left unmapped.
    var callsMappedByGreeting = 0
    var callsWithUnmappedSpeakers = 0
}

/// Parses raw input pieces into calls. Pure and thread-safe: workers call it in parallel.
enum RecordParser {
    static func parse(_ input: RawInput, agentLabels: Set<String> = []) -> ParsedInput {
        var parsed = ParsedInput()
        switch input {
        case .rejected(let reject):
            parsed.rejects.append(reject)
        case .textFile(let name, let callID, let bytes):
            parseText(name: name, callID: callID, bytes: bytes, into: &parsed)
        case .jsonLines(let name, let firstLine, let bytes):
            parseJSONLines(name: name, firstLine: firstLine, bytes: bytes, into: &parsed)
        case .jsonDocument(let name, let callID, let bytes, let engine):
            parseJSONDocument(name: name, callID: callID, bytes: bytes, engine: engine, agentLabels: agentLabels, into: &parsed)
        case .captionFile(let name, let callID, let bytes, let format):
            let decoded = TextDecoding.decode(bytes)
            if decoded.usedWindows1252 { parsed.windows1252ByFile[name, default: 0] += 1 }
            let location = SourceLocation(file: name, line: 1)
            switch CaptionParser.parse(decoded.text, format: format) {
            case .failure(let problem):
                parsed.rejects.append(Reject(at: location, reason: problem.reason))
            case .success(let turns):
                addDiarizedCall(id: callID, location: location, turns: turns, agentLabels: agentLabels, into: &parsed)
            }
        }
        return parsed
    }

    // MARK: Plain text

    static func parseText(name: String, callID: String, bytes: [UInt8], into parsed: inout ParsedInput) {
        let decoded = TextDecoding.decode(bytes)
        if decoded.usedWindows1252 { parsed.windows1252ByFile[name, default: 0] += 1 }
        var turns: [Turn] = []
        var speaker = Speaker.unknown
        var pendingLine: Int?
        var lineNumber = 0
        // "\r\n" is one Character in Swift, so split on newline characters, not on "\n".
        for line in decoded.text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lineNumber += 1
            let (label, text) = splitSpeakerLabel(line)
            if let label { speaker = label }
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            if pendingLine == nil { pendingLine = lineNumber }
            turns.append(Turn(speaker: speaker, text: trimmed))
        }
        let location = SourceLocation(file: name, line: pendingLine ?? 0)
        guard !turns.isEmpty else {
            parsed.rejects.append(Reject(at: location, reason: "no transcript text (only blank lines or labels)"))
            return
        }
        parsed.calls.append(Call(id: callID, source: location, turns: turns))
    }

    /// Splits `AGENTE: hola` into (.agent, "hola"). A line may start with a time stamp such as `[00:01:02]`.
    /// Lines without a recognised label return (nil, line) and keep the previous speaker.
    static func splitSpeakerLabel(_ line: Substring) -> (Speaker?, Substring) {
        var rest = line.drop(while: { $0 == " " || $0 == "\t" })
        if let open = rest.first, open == "[" || open == "(", let close = rest.firstIndex(of: open == "[" ? "]" : ")"),
            rest[rest.index(after: rest.startIndex)..<close].allSatisfy({ $0.isNumber || $0 == ":" || $0 == "." || $0 == "," })
        {
            rest = rest[rest.index(after: close)...].drop(while: { $0 == " " || $0 == "\t" })
        }
        guard let colon = rest.prefix(24).firstIndex(of: ":") else { return (nil, line) }
        let label = rest[..<colon]
        guard let speaker = Speaker(label: String(label)), !label.isEmpty else { return (nil, line) }
        return (speaker, rest[rest.index(after: colon)...])
    }

    // MARK: JSON Lines

    static func parseJSONLines(name: String, firstLine: Int, bytes: [UInt8], into parsed: inout ParsedInput) {
        var lineNumber = firstLine
        var start = 0
        let end = bytes.count
        while start < end {
            var stop = start
            while stop < end && bytes[stop] != 0x0A { stop += 1 }
            var lineEnd = stop
            if lineEnd > start && bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            let line = bytes[start..<lineEnd]
            if line.contains(0) {
                parsed.rejects.append(Reject(at: SourceLocation(file: name, line: lineNumber), reason: "binary data (NUL bytes) in the record"))
            } else if line.contains(where: { $0 != 0x20 && $0 != 0x09 }) {
                parseJSONRecord(line, location: SourceLocation(file: name, line: lineNumber), into: &parsed)
            }
            lineNumber += 1
            start = stop + 1
        }
    }

    static func parseJSONDocument(
        name: String, callID: String, bytes: [UInt8], engine: InputFormat? = nil, agentLabels: Set<String>,
        into parsed: inout ParsedInput
    ) {
        let decoded = TextDecoding.decode(bytes)
        if let engine {
            // `--format` named the engine: the document is read as that engine's, or rejected saying why.
            let location = SourceLocation(file: name, line: 1)
            guard let document = (try? JSONSerialization.jsonObject(with: Data(decoded.text.utf8))) as? [String: Any] else {
                parsed.rejects.append(Reject(at: location, reason: "not a JSON object, so not a \(engine.rawValue) document (--format \(engine.rawValue))"))
                return
            }
            if decoded.usedWindows1252 { parsed.windows1252ByFile[name, default: 0] += 1 }
            switch TranscriptDocuments.read(document, defaultID: callID, engine: engine) {
            case .failure(let problem):
                parsed.rejects.append(Reject(at: location, reason: problem.reason))
            case .success(let call):
                addDiarizedCall(
                    id: call.id, location: location, turns: call.turns, agentLabels: agentLabels,
                    date: call.date, channel: call.channel, into: &parsed)
            }
            return
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(decoded.text.utf8)) else {
            // Not one document: read it as JSON Lines, which reports each bad line.
            parseJSONLines(name: name, firstLine: 1, bytes: bytes, into: &parsed)
            return
        }
        if decoded.usedWindows1252 { parsed.windows1252ByFile[name, default: 0] += 1 }
        if let document = object as? [String: Any], document["call_id"] == nil {
            let location = SourceLocation(file: name, line: 1)
            switch TranscriptDocuments.read(document, defaultID: callID) {
            case .failure(let problem):
                parsed.rejects.append(Reject(at: location, reason: problem.reason))
            case .success(let call):
                addDiarizedCall(
                    id: call.id, location: location, turns: call.turns, agentLabels: agentLabels,
                    date: call.date, channel: call.channel, into: &parsed)
            }
            return
        }
        let records = (object as? [Any]) ?? [object]
        // A call of an array is reported at the line its element starts on.
        let lines = object is [Any] ? Self.arrayElementLines(Array(decoded.text.utf8)) : []
        for (index, record) in records.enumerated() {
            let location = SourceLocation(file: name, line: lines.count == records.count ? lines[index] : 1)
            buildCall(from: record, location: location, into: &parsed)
        }
    }

    /// The line (1-based) on which each element of the JSON array `bytes` starts, for a
    /// document JSONSerialization has already read: strings and nesting are skipped.
    static func arrayElementLines(_ bytes: [UInt8]) -> [Int] {
        var lines: [Int] = []
        var line = 1, depth = 0, inString = false, escaped = false, expectingElement = false
        for byte in bytes {
            if byte == 0x0A { line += 1 }
            if inString {
                if escaped {
                    escaped = false
                } else if byte == 0x5C {
                    escaped = true
                } else if byte == 0x22 {
                    inString = false
                }
                continue
            }
            let isSpace = byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
            if expectingElement && !isSpace && byte != 0x5D {
                lines.append(line)
                expectingElement = false
            }
            switch byte {
            case 0x22: inString = true
            case 0x5B, 0x7B:  // [ {
                depth += 1
                if depth == 1 && byte == 0x5B { expectingElement = true }
            case 0x5D, 0x7D: depth -= 1  // ] }
            case 0x2C where depth == 1: expectingElement = true  // ,
            default: break
            }
        }
        return lines
    }

    /// Maps a diarized call's labels to speakers and records how.
    static func addDiarizedCall(
        id: String, location: SourceLocation, turns: [LabelledTurn], agentLabels: Set<String>,
        date: String? = nil, channel: String? = nil, into parsed: inout ParsedInput
    ) {
        let texted = turns.filter { $0.text.contains(where: { !$0.isWhitespace }) }
        guard !texted.isEmpty else {
            parsed.rejects.append(Reject(at: location, reason: "call \(id) has no turn with text"))
            return
        }
        let mapped = SpeakerMapping.map(texted, agentLabels: agentLabels)
        switch mapped.method {
        case .greeting: parsed.callsMappedByGreeting += 1
        case .unmapped: parsed.callsWithUnmappedSpeakers += 1
        case .labels, .agentSpeakerOption: break
        }
        parsed.calls.append(Call(id: id, source: location, date: date, channel: channel, turns: mapped.turns))
    }

    static func parseJSONRecord(_ line: ArraySlice<UInt8>, location: SourceLocation, into parsed: inout ParsedInput) {
        let line = line.dropFirst(TextDecoding.byteOrderMarkLength(line))
        // Valid UTF-8 (the usual case) goes to the JSON decoder as is; anything else is Windows-1252.
        let data: Data
        if TextDecoding.isValidUTF8(line) {
            data = Data(line)
        } else {
            parsed.windows1252ByFile[location.file, default: 0] += 1
            data = Data(TextDecoding.decode(line).text.utf8)
        }
        let record: DocumentCall
        do {
            // SAFETY: `data` holds bytes, so binding its raw memory to UInt8 is exact; the buffer is
            // used only inside this closure (the parser returns owned Strings).
            record = try data.withUnsafeBytes { raw throws(RecordProblem) in
                try JSONCallParser.parse(raw.bindMemory(to: UInt8.self))
            }
        } catch {
            parsed.rejects.append(Reject(at: location, reason: (error as? RecordProblem)?.reason ?? "not valid JSON"))
            return
        }
        var turns: [Turn] = []
        for turn in record.turns {
            let text = turn.text
            guard text.utf8.contains(where: { $0 > 0x20 }) else { continue }
            var speaker = Speaker.unknown
            if let label = turn.label {
                if let known = Speaker(label: label) {
                    speaker = known
                } else {
                    parsed.unrecognisedSpeakerLabels[label, default: 0] += 1
                }
            }
            turns.append(Turn(speaker: speaker, text: text, start: turn.start, end: turn.end))
        }
        guard !turns.isEmpty else {
            parsed.rejects.append(Reject(at: location, reason: "call \(record.id) has no turn with text"))
            return
        }
        parsed.calls.append(Call(id: record.id, source: location, date: record.date, channel: record.channel, turns: turns))
    }

    static func buildCall(from object: Any, location: SourceLocation, into parsed: inout ParsedInput) {
        guard let record = object as? [String: Any] else {
            parsed.rejects.append(Reject(at: location, reason: "not a JSON object"))
            return
        }
        let callID: String
        switch record["call_id"] {
        case let text as String where text.contains(where: { !$0.isWhitespace }):
            callID = text
        case let number as NSNumber where !(number is Bool) && !(record["call_id"] is String):
            callID = number.stringValue
        case nil:
            parsed.rejects.append(Reject(at: location, reason: "missing call_id"))
            return
        default:
            parsed.rejects.append(Reject(at: location, reason: "call_id is empty or not a string"))
            return
        }
        guard let rawTurns = record["turns"] else {
            parsed.rejects.append(Reject(at: location, reason: "call \(callID) has no turns field"))
            return
        }
        guard let turnList = rawTurns as? [Any] else {
            parsed.rejects.append(Reject(at: location, reason: "call \(callID): turns is not a list"))
            return
        }
        var turns: [Turn] = []
        for (index, element) in turnList.enumerated() {
            guard let turn = element as? [String: Any] else {
                parsed.rejects.append(Reject(at: location, reason: "call \(callID): turn \(index + 1) is not an object"))
                return
            }
            guard let text = turn["text"] as? String, text.utf8.contains(where: { $0 > 0x20 }) else { continue }
            var speaker = Speaker.unknown
            if let label = turn["speaker"] as? String {
                if let known = Speaker(label: label) {
                    speaker = known
                } else {
                    parsed.unrecognisedSpeakerLabels[label, default: 0] += 1
                }
            }
            turns.append(
                Turn(
                    speaker: speaker, text: text,
                    start: (turn["start"] as? NSNumber)?.doubleValue,
                    end: (turn["end"] as? NSNumber)?.doubleValue))
        }
        guard !turns.isEmpty else {
            parsed.rejects.append(Reject(at: location, reason: "call \(callID) has no turn with text"))
            return
        }
        parsed.calls.append(
            Call(
                id: callID, source: location,
                date: record["date"] as? String,
                channel: record["channel"] as? String,
                turns: turns))
    }
}

/// Why a JSON record cannot be a call, in words for `rejects.csv`.
struct RecordProblem: Error {
    var reason: String
}

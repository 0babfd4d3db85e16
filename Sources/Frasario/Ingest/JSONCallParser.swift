/// Reads one JSONL call record straight from UTF-8 bytes: the fields Frasario uses are decoded,
/// every other value is skipped after being checked for well-formedness. It is several times
/// faster than a general JSON decoder, which builds every value of the record.
/// Malformed records throw `RecordProblem` with the reason written to `rejects.csv`.
struct JSONCallParser {
    // SAFETY: the parser lives only inside `parse`, which is called within the caller's
    // `withUnsafeBytes` / `withUnsafeBufferPointer`; it never escapes, so the buffer outlives it.
    // Every read checks `position < bytes.count` first.
    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0

    private struct Malformed: Error {}
    private struct TooDeep: Error {}

    /// Arrays and objects nested deeper than this are refused: no transcript needs it, and a
    /// hostile line of 50,000 nested objects must cost one record, not the run.
    static let maximumDepth = 512

    /// Decodes `bytes` (one whole record) or throws `RecordProblem`.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(RecordProblem) -> DocumentCall {
        var parser = JSONCallParser(bytes: bytes)
        do {
            parser.skipWhitespace()
            guard parser.peek() == UInt8(ascii: "{") else {
                try parser.skipValue()
                parser.skipWhitespace()
                throw RecordProblem(reason: parser.position == bytes.count ? "not a JSON object" : "not valid JSON")
            }
            let record = try parser.parseCall()
            parser.skipWhitespace()
            guard parser.position == bytes.count else { throw RecordProblem(reason: parser.invalidHere("text after the record")) }
            return record
        } catch let problem as RecordProblem {
            throw problem
        } catch is TooDeep {
            throw RecordProblem(reason: "JSON nested more than \(maximumDepth) levels deep")
        } catch {
            throw RecordProblem(reason: parser.invalidHere(nil))
        }
    }

    /// «not valid JSON at byte 58 (unexpected 'x')»: where the reader gave up, so the line can be
    /// fixed. Only the one offending byte is named: an excerpt of the line could carry personal data.
    private func invalidHere(_ what: String?) -> String {
        guard position < bytes.count else { return "not valid JSON: the record ends before it is complete" }
        let byte = bytes[position]
        let shown = (0x21...0x7E).contains(byte) ? "'\(Character(UnicodeScalar(byte)))'" : String(format: "byte 0x%02X", byte)
        return "not valid JSON at byte \(position + 1)\(what.map { ": \($0)" } ?? "") (unexpected \(shown))"
    }

    private init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    // MARK: The record

    private enum Field { case callID, date, channel, turns, other }

    private mutating func parseCall() throws -> DocumentCall {
        var callID: String?
        var callIDProblem = false
        var date: String?, channel: String?
        var turns: [LabelledTurn]?
        var turnsProblem: String?
        try parseObject { (parser: inout JSONCallParser, key: Field) in
            switch key {
            case .callID:
                if parser.peek() == UInt8(ascii: "\"") {
                    let text = try parser.parseString()
                    if text.contains(where: { !$0.isWhitespace }) { callID = text; callIDProblem = false } else { callID = nil; callIDProblem = true }
                } else if let number = try parser.parseNumberText(), let integer = Int64(number) {
                    callID = String(integer); callIDProblem = false
                } else {
                    try parser.skipValue(); callID = nil; callIDProblem = true
                }
            case .date:
                date = try parser.optionalString()
            case .channel:
                channel = try parser.optionalString()
            case .turns:
                if parser.peek() == UInt8(ascii: "[") {
                    (turns, turnsProblem) = try parser.parseTurns()
                } else {
                    try parser.skipValue(); turns = nil; turnsProblem = "turns is not a list"
                }
            case .other:
                try parser.skipValue()
            }
        } classify: { (key: String) -> Field in
            switch key {
            case "call_id": return .callID
            case "date": return .date
            case "channel": return .channel
            case "turns": return .turns
            default: return .other
            }
        }
        guard let callID else {
            throw RecordProblem(reason: callIDProblem ? "call_id is empty or not a string" : "missing call_id")
        }
        if let turnsProblem { throw RecordProblem(reason: "call \(callID): \(turnsProblem)") }
        guard let turns else { throw RecordProblem(reason: "call \(callID) has no turns field") }
        return DocumentCall(id: callID, date: date, channel: channel, turns: turns)
    }

    private mutating func parseTurns() throws -> ([LabelledTurn]?, String?) {
        var turns: [LabelledTurn] = []
        var problem: String?
        try parseArray { parser in
            guard parser.peek() == UInt8(ascii: "{") else {
                try parser.skipValue()
                if problem == nil { problem = "turn \(turns.count + 1) is not an object" }
                return
            }
            var turn = LabelledTurn(label: nil, text: "")
            try parser.parseObject { (parser: inout JSONCallParser, key: Int) in
                switch key {
                case 0: turn.label = try parser.optionalString()
                case 1: turn.text = try parser.optionalString() ?? ""
                case 2: turn.start = try parser.optionalNumber()
                case 3: turn.end = try parser.optionalNumber()
                default: try parser.skipValue()
                }
            } classify: { (key: String) -> Int in
                switch key {
                case "speaker": return 0
                case "text": return 1
                case "start": return 2
                case "end": return 3
                default: return 4
                }
            }
            turns.append(turn)
        }
        return (problem == nil ? turns : nil, problem)
    }

    // MARK: JSON structure

    @inline(__always) private func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            let byte = bytes[position]
            guard byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { return }
            position += 1
        }
    }

    private mutating func expect(_ byte: UInt8) throws {
        guard peek() == byte else { throw Malformed() }
        position += 1
    }

    /// Calls `value` for each member, positioned at its value; keys are classified without building
    /// a String when they are plain ASCII.
    private mutating func parseObject<Key>(
        _ value: (inout JSONCallParser, Key) throws -> Void,
        classify: (String) -> Key
    ) throws {
        try expect(UInt8(ascii: "{"))
        skipWhitespace()
        if peek() == UInt8(ascii: "}") { position += 1; return }
        while true {
            skipWhitespace()
            let key = try parseString()
            skipWhitespace()
            try expect(UInt8(ascii: ":"))
            skipWhitespace()
            try value(&self, classify(key))
            skipWhitespace()
            guard let next = peek() else { throw Malformed() }
            position += 1
            if next == UInt8(ascii: "}") { return }
            guard next == UInt8(ascii: ",") else { throw Malformed() }
        }
    }

    private mutating func parseArray(_ element: (inout JSONCallParser) throws -> Void) throws {
        try expect(UInt8(ascii: "["))
        skipWhitespace()
        if peek() == UInt8(ascii: "]") { position += 1; return }
        while true {
            skipWhitespace()
            try element(&self)
            skipWhitespace()
            guard let next = peek() else { throw Malformed() }
            position += 1
            if next == UInt8(ascii: "]") { return }
            guard next == UInt8(ascii: ",") else { throw Malformed() }
        }
    }

    /// A string value, or nil (skipping the value) when it is of another type.
    private mutating func optionalString() throws -> String? {
        if peek() == UInt8(ascii: "\"") { return try parseString() }
        try skipValue()
        return nil
    }

    /// Skips one value of any shape, checking it is well-formed, without recursion: an explicit
    /// stack of the open containers' closing bytes, at most `maximumDepth` deep.
    private mutating func skipValue() throws {
        var closers: [UInt8] = []
        while true {
            skipWhitespace()
            guard let byte = peek() else { throw Malformed() }
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let closer = byte == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
                position += 1
                skipWhitespace()
                if peek() == closer {
                    position += 1
                } else {
                    guard closers.count < Self.maximumDepth else { throw TooDeep() }
                    closers.append(closer)
                    if closer == UInt8(ascii: "}") { try memberKey() }
                    continue
                }
            case UInt8(ascii: "\""): _ = try parseString()
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            default: guard try parseNumberText() != nil else { throw Malformed() }
            }
            // A value ended: close the containers it ends, or go on to the next element.
            while let closer = closers.last {
                skipWhitespace()
                guard let next = peek() else { throw Malformed() }
                position += 1
                if next == closer {
                    closers.removeLast()
                    continue
                }
                guard next == UInt8(ascii: ",") else { throw Malformed() }
                if closer == UInt8(ascii: "}") { try memberKey() }
                break
            }
            if closers.isEmpty { return }
        }
    }

    /// A member's key and colon, skipped.
    private mutating func memberKey() throws {
        skipWhitespace()
        _ = try parseString()
        skipWhitespace()
        try expect(UInt8(ascii: ":"))
    }

    private mutating func literal(_ word: StaticString) throws {
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count else { throw Malformed() }
        for index in 0..<count where bytes[position + index] != word.utf8Start[index] { throw Malformed() }
        position += count
    }

    /// A number value, or nil (skipping the value) when it is of another type.
    private mutating func optionalNumber() throws -> Double? {
        if let byte = peek(), byte == UInt8(ascii: "-") || (byte >= 0x30 && byte <= 0x39) {
            return try parseNumberText().flatMap(Double.init)
        }
        try skipValue()
        return nil
    }

    /// The text of a number (nil for `null`), checked against JSON's number grammar.
    private mutating func parseNumberText() throws -> String? {
        if peek() == UInt8(ascii: "n") { try literal("null"); return nil }
        let start = position
        if peek() == UInt8(ascii: "-") { position += 1 }
        func digits() -> Int {
            let first = position
            while let byte = peek(), byte >= 0x30 && byte <= 0x39 { position += 1 }
            return position - first
        }
        guard digits() > 0 else { throw Malformed() }
        if peek() == UInt8(ascii: ".") { position += 1; guard digits() > 0 else { throw Malformed() } }
        if let byte = peek(), byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
            position += 1
            if let sign = peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { position += 1 }
            guard digits() > 0 else { throw Malformed() }
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
    }

    /// A JSON string, unescaped. Plain strings (no backslash) are copied in one go.
    private mutating func parseString() throws -> String {
        try expect(UInt8(ascii: "\""))
        let start = position
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
                position += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            guard byte >= 0x20 else { throw Malformed() }
            position += 1
        }
        var output = Array(UnsafeBufferPointer(rebasing: bytes[start..<position]))
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: output, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard let escaped = peek() else { throw Malformed() }
                position += 1
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(escaped)
                case UInt8(ascii: "b"): output.append(0x08)
                case UInt8(ascii: "f"): output.append(0x0C)
                case UInt8(ascii: "n"): output.append(0x0A)
                case UInt8(ascii: "r"): output.append(0x0D)
                case UInt8(ascii: "t"): output.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800...0xDBFF).contains(scalar), peek() == UInt8(ascii: "\\"), position + 1 < bytes.count,
                        bytes[position + 1] == UInt8(ascii: "u")
                    {
                        position += 2
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw Malformed() }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    output.append(contentsOf: Array(String(Unicode.Scalar(scalar) ?? "\u{FFFD}").utf8))
                default:
                    throw Malformed()
                }
            default:
                guard byte >= 0x20 else { throw Malformed() }
                output.append(byte)
            }
        }
        throw Malformed()
    }

    private mutating func hex4() throws -> UInt32 {
        guard position + 4 <= bytes.count else { throw Malformed() }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            position += 1
            let digit: UInt8
            switch byte {
            case 0x30...0x39: digit = byte - 0x30
            case 0x41...0x46: digit = byte - 0x41 + 10
            case 0x61...0x66: digit = byte - 0x61 + 10
            default: throw Malformed()
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }
}

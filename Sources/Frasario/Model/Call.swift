import Foundation

/// Who said a turn. Transcripts without speaker labels (raw ASR output) give `.unknown`.
public enum Speaker: Int, Sendable, CaseIterable, Comparable {
    case customer = 0
    case agent = 1
    case unknown = 2

    /// The Spanish label used in reports and lexicon files.
    public var spanishName: String {
        switch self {
        case .customer: return "cliente"
        case .agent: return "agente"
        case .unknown: return "desconocido"
        }
    }

    /// The English key used in JSON and CSV field names.
    public var key: String {
        switch self {
        case .customer: return "customer"
        case .agent: return "agent"
        case .unknown: return "unknown"
        }
    }

    public static func < (lhs: Speaker, rhs: Speaker) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Reads a speaker label as contact-center exports write it (`agente`, `Asesor`, `customer`, `C`…).
    /// Returns nil for a label we do not recognise.
    public init?(label: String) {
        // Labels are short ASCII words: lower and trim bytes, no Foundation on this per-turn path.
        var bytes = Array(label.utf8)
        while let last = bytes.last, last == 0x20 || last == 0x09 { bytes.removeLast() }
        let leading = bytes.prefix { $0 == 0x20 || $0 == 0x09 }.count
        let folded = String(decoding: bytes[leading...].map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
        switch folded {
        case "agente", "agent", "asesor", "asesora", "operador", "operadora", "ejecutivo", "ejecutiva", "a",
            "human_agent", "automated_agent":
            self = .agent
        case "cliente", "customer", "client", "usuario", "usuaria", "c", "caller", "end_user":
            self = .customer
        case "desconocido", "unknown", "":
            self = .unknown
        default:
            return nil
        }
    }
}

extension Speaker: Codable {
    /// Encoded by its English key (`customer`, `agent`, `unknown`), as in every report.
    public init(from decoder: Decoder) throws {
        let key = try decoder.singleValueContainer().decode(String.self)
        guard let speaker = Speaker.allCases.first(where: { $0.key == key }) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown speaker \(key)"))
        }
        self = speaker
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(key)
    }
}

/// One utterance of a call as the export wrote it, before normalization.
public struct Turn: Sendable, Equatable {
    public var speaker: Speaker
    public var text: String
    /// Seconds from the start of the call, when the format gives times.
    public var start: Double?
    public var end: Double?

    public init(speaker: Speaker, text: String, start: Double? = nil, end: Double? = nil) {
        self.speaker = speaker
        self.text = text
        self.start = start
        self.end = end
    }
}

/// Where a call or a rejected record came from: the file (or `-` for standard input) and the 1-based line.
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var file: String
    public var line: Int

    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }

    public var description: String { line > 0 ? "\(file):\(line)" : file }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        lhs.file != rhs.file ? lhs.file.utf8.lexicographicallyPrecedes(rhs.file.utf8) : lhs.line < rhs.line
    }
}

/// A whole call: the unit that is counted, matched and quoted.
public struct Call: Sendable, Equatable {
    public var id: String
    public var source: SourceLocation
    public var date: String?
    public var channel: String?
    public var turns: [Turn]

    public init(id: String, source: SourceLocation, date: String? = nil, channel: String? = nil, turns: [Turn]) {
        self.id = id
        self.source = source
        self.date = date
        self.channel = channel
        self.turns = turns
    }

    /// True when every turn carries a start time, so windows can be measured in seconds.
    public var hasTimes: Bool { !turns.isEmpty && turns.allSatisfy { $0.start != nil } }
}

/// A record that could not become a call: listed in `rejects.csv`, counted in the summary, never silently lost.
public struct Reject: Sendable, Equatable, Codable {
    public var source: String
    public var line: Int
    public var reason: String

    public init(source: String, line: Int, reason: String) {
        self.source = source
        self.line = line
        self.reason = reason
    }

    public init(at location: SourceLocation, reason: String) {
        self.init(source: location.file, line: location.line, reason: reason)
    }
}

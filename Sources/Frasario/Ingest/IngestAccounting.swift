import Foundation

/// The serial part of ingest: rejects in input order, duplicate call ids, warnings.
struct IngestAccounting {
    var files = 0
    var callsRead = 0
    var rejects: [Reject] = []
    var duplicates = 0
    var firstSeen: [String: SourceLocation] = [:]
    var windows1252ByFile: [String: Int] = [:]
    var unrecognisedSpeakerLabels: [String: Int] = [:]
    var callsMappedByGreeting = 0
    var callsWithUnmappedSpeakers = 0
    var limit = CallSizeLimit.standard

    /// Takes parsed pieces in input order; returns the calls to count (duplicates and calls
    /// over the size limit rejected).
    mutating func accept(_ parsed: [ParsedInput]) -> [Call] {
        var accepted: [Call] = []
        for piece in parsed {
            callsRead += piece.calls.count + piece.rejects.count
            rejects.append(contentsOf: piece.rejects)
            piece.windows1252ByFile.forEach { windows1252ByFile[$0.key, default: 0] += $0.value }
            piece.unrecognisedSpeakerLabels.forEach { unrecognisedSpeakerLabels[$0.key, default: 0] += $0.value }
            callsMappedByGreeting += piece.callsMappedByGreeting
            callsWithUnmappedSpeakers += piece.callsWithUnmappedSpeakers
            for call in piece.calls {
                let textBytes = call.turns.reduce(0) { $0 + $1.text.utf8.count }
                if textBytes > limit.textBytes {
                    rejects.append(Reject(at: call.source, reason: limit.reason(callID: call.id, textBytes: textBytes)))
                } else if let first = firstSeen[call.id] {
                    duplicates += 1
                    rejects.append(Reject(at: call.source, reason: "duplicate call_id \(call.id), first read at \(first)"))
                } else {
                    firstSeen[call.id] = call.source
                    accepted.append(call)
                }
            }
        }
        return accepted
    }

    /// Writes the ingest figures and warnings into the merged summary.
    func complete(_ summary: inout RunSummary, warnings: [String]) {
        summary.files = files
        summary.callsRead = callsRead
        summary.callsRejected = rejects.count
        summary.duplicateCalls = duplicates
        summary.warnings = warnings
        for (file, count) in windows1252ByFile.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
            summary.warnings.append("\(file) is not valid UTF-8: \(count == 1 ? "read" : "\(count) records read") as Windows-1252.")
        }
        if !unrecognisedSpeakerLabels.isEmpty {
            let labels = unrecognisedSpeakerLabels.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            let total = labels.reduce(0) { $0 + $1.value }
            summary.warnings.append(
                "\(total) turn(s) had an unrecognised speaker label (\(labels.prefix(5).map { "\"\($0.key)\"" }.joined(separator: ", "))) and were counted as speaker unknown.")
        }
        summary.callsMappedByGreeting = callsMappedByGreeting
        if callsMappedByGreeting > 0 {
            summary.warnings.append(
                "\(callsMappedByGreeting) diarized call(s) had speaker labels without roles; the speaker who greets with the company's opening was taken for the agent (use --agent-speaker to say which label is the agent)."
            )
        }
        if callsWithUnmappedSpeakers > 0 {
            summary.warnings.append(
                "\(callsWithUnmappedSpeakers) diarized call(s) had speaker labels without roles and no agent greeting; their speakers are counted as unknown (use --agent-speaker)."
            )
        }
        if duplicates > 0 {
            summary.warnings.append("\(duplicates) call(s) repeated an earlier call_id and were rejected; see rejects.csv.")
        }
    }
}

/// A partial stores its shard's figures, rejects and warnings as they are. Its accepted calls
/// (`acceptedInInputOrder`) are not encoded here: the partial stores them by bucket, so the
/// merge that compares them never holds every call id of the night in one header.
extension IngestAccounting: Codable {
    private enum CodingKeys: String, CodingKey {
        case files, callsRead, rejects, duplicates, windows1252ByFile, unrecognisedSpeakerLabels, callsMappedByGreeting,
            callsWithUnmappedSpeakers
    }

    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        files = try container.decode(Int.self, forKey: .files)
        callsRead = try container.decode(Int.self, forKey: .callsRead)
        rejects = try container.decode([Reject].self, forKey: .rejects)
        duplicates = try container.decode(Int.self, forKey: .duplicates)
        windows1252ByFile = try container.decode([String: Int].self, forKey: .windows1252ByFile)
        unrecognisedSpeakerLabels = try container.decode([String: Int].self, forKey: .unrecognisedSpeakerLabels)
        callsMappedByGreeting = try container.decode(Int.self, forKey: .callsMappedByGreeting)
        callsWithUnmappedSpeakers = try container.decode(Int.self, forKey: .callsWithUnmappedSpeakers)
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(files, forKey: .files)
        try container.encode(callsRead, forKey: .callsRead)
        try container.encode(rejects, forKey: .rejects)
        try container.encode(duplicates, forKey: .duplicates)
        try container.encode(windows1252ByFile, forKey: .windows1252ByFile)
        try container.encode(unrecognisedSpeakerLabels, forKey: .unrecognisedSpeakerLabels)
        try container.encode(callsMappedByGreeting, forKey: .callsMappedByGreeting)
        try container.encode(callsWithUnmappedSpeakers, forKey: .callsWithUnmappedSpeakers)
    }

    /// The accepted calls in input order.
    var acceptedInInputOrder: [(id: String, origin: SourceLocation)] {
        firstSeen.sorted { $0.value < $1.value }.map { ($0.key, $0.value) }
    }

    /// Adds another shard's figures (its accepted calls are the merge's to compare).
    mutating func addFigures(of shard: IngestAccounting) {
        files += shard.files
        callsRead += shard.callsRead
        rejects += shard.rejects
        duplicates += shard.duplicates
        shard.windows1252ByFile.forEach { windows1252ByFile[$0.key, default: 0] += $0.value }
        shard.unrecognisedSpeakerLabels.forEach { unrecognisedSpeakerLabels[$0.key, default: 0] += $0.value }
        callsMappedByGreeting += shard.callsMappedByGreeting
        callsWithUnmappedSpeakers += shard.callsWithUnmappedSpeakers
    }
}

import Foundation

/// A call as an export holds it (a JSONL record, or an ASR engine's or analytics suite's JSON
/// document), speakers still as labels; turns without text have empty text.
struct DocumentCall {
    var id: String
    var date: String?
    var channel: String?
    var turns: [LabelledTurn]
}

/// Recognises and reads the JSON documents that speech engines and contact-center suites export:
/// Whisper / WhisperX (`segments`), Amazon Transcribe (`results.audio_segments` or `results.items`),
/// Amazon Connect Contact Lens (`Transcript` + `Participants`), Google CCAI Insights (`entries`
/// of the conversation import format, or `transcript.transcriptSegments`).
enum TranscriptDocuments {
    /// Reads `document` as the export of `engine`, or of whichever engine its shape shows when nil.
    static func read(_ document: [String: Any], defaultID: String, engine: InputFormat? = nil) -> Result<DocumentCall, RecordProblem> {
        if let engine {
            let forced = " (--format \(engine.rawValue))"
            switch engine {
            case .whisper:
                guard let segments = document["segments"] as? [[String: Any]] else {
                    return .failure(RecordProblem(reason: "not a Whisper document: no segments list" + forced))
                }
                return .success(whisper(segments, id: defaultID))
            case .transcribe:
                guard let results = document["results"] as? [String: Any] else {
                    return .failure(RecordProblem(reason: "not an Amazon Transcribe document: no results object" + forced))
                }
                return transcribe(results, id: (document["jobName"] as? String) ?? defaultID)
            case .contactLens:
                guard let transcript = document["Transcript"] as? [[String: Any]] else {
                    return .failure(RecordProblem(reason: "not a Contact Lens document: no Transcript list" + forced))
                }
                return .success(contactLens(document, transcript: transcript, defaultID: defaultID))
            case .ccai:
                if let entries = document["entries"] as? [[String: Any]] {
                    return .success(insightsEntries(entries, id: defaultID))
                }
                guard let segments = (document["transcript"] as? [String: Any])?["transcriptSegments"] as? [[String: Any]] else {
                    return .failure(RecordProblem(reason: "not a CCAI Insights document: no entries or transcript.transcriptSegments" + forced))
                }
                let id = (document["name"] as? String).flatMap { $0.split(separator: "/").last.map(String.init) } ?? defaultID
                return .success(insightsConversation(segments, id: id))
            case .text, .jsonl, .vtt, .srt:
                break
            }
        }
        if let segments = document["segments"] as? [[String: Any]] {
            return .success(whisper(segments, id: defaultID))
        }
        if let results = document["results"] as? [String: Any] {
            return transcribe(results, id: (document["jobName"] as? String) ?? defaultID)
        }
        if let transcript = document["Transcript"] as? [[String: Any]] {
            return .success(contactLens(document, transcript: transcript, defaultID: defaultID))
        }
        if let entries = document["entries"] as? [[String: Any]] {
            return .success(insightsEntries(entries, id: defaultID))
        }
        if let transcript = document["transcript"] as? [String: Any],
            let segments = transcript["transcriptSegments"] as? [[String: Any]]
        {
            let id = (document["name"] as? String).flatMap { $0.split(separator: "/").last.map(String.init) } ?? defaultID
            return .success(insightsConversation(segments, id: id))
        }
        return .failure(
            RecordProblem(reason: "JSON document of unknown shape: expected call_id and turns, or an export of Whisper, Amazon Transcribe, Contact Lens or CCAI Insights"))
    }

    static func number(_ value: Any?) -> Double? {
        if let number = value as? NSNumber { return number.doubleValue }
        if let text = value as? String { return Double(text.trimmingCharacters(in: CharacterSet(charactersIn: "s"))) }
        return nil
    }

    /// Whisper `segments` (WhisperX adds `speaker`): one turn per segment, consecutive
    /// segments of the same diarized speaker joined.
    static func whisper(_ segments: [[String: Any]], id: String) -> DocumentCall {
        var turns: [LabelledTurn] = []
        for segment in segments {
            guard let text = (segment["text"] as? String)?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { continue }
            let label = segment["speaker"] as? String
            let start = number(segment["start"]), end = number(segment["end"])
            if let label, let last = turns.last, last.label == label {
                turns[turns.count - 1].text += " " + text
                turns[turns.count - 1].end = end ?? last.end
            } else {
                turns.append(LabelledTurn(label: label, text: text, start: start, end: end))
            }
        }
        return DocumentCall(id: id, turns: turns)
    }

    /// Amazon Transcribe: `audio_segments` when present (one per speaker turn), else the `items`
    /// grouped by `speaker_label` (punctuation attached to the word before), else the transcript.
    static func transcribe(_ results: [String: Any], id: String) -> Result<DocumentCall, RecordProblem> {
        if let segments = results["audio_segments"] as? [[String: Any]], !segments.isEmpty {
            let turns = segments.compactMap { segment -> LabelledTurn? in
                guard let text = segment["transcript"] as? String else { return nil }
                return LabelledTurn(
                    label: segment["speaker_label"] as? String, text: text,
                    start: number(segment["start_time"]), end: number(segment["end_time"]))
            }
            return .success(DocumentCall(id: id, turns: turns))
        }
        if let items = results["items"] as? [[String: Any]], !items.isEmpty {
            var turns: [LabelledTurn] = []
            for item in items {
                guard let alternatives = item["alternatives"] as? [[String: Any]],
                    let content = alternatives.first?["content"] as? String
                else { continue }
                let label = item["speaker_label"] as? String ?? turns.last?.label
                let isPunctuation = (item["type"] as? String) == "punctuation"
                if let last = turns.last, last.label == label || isPunctuation {
                    turns[turns.count - 1].text += (isPunctuation ? "" : " ") + content
                    if let end = number(item["end_time"]) { turns[turns.count - 1].end = end }
                } else {
                    turns.append(LabelledTurn(label: label, text: content, start: number(item["start_time"]), end: number(item["end_time"])))
                }
            }
            return .success(DocumentCall(id: id, turns: turns))
        }
        if let transcripts = results["transcripts"] as? [[String: Any]],
            let text = transcripts.compactMap({ $0["transcript"] as? String }).first
        {
            return .success(DocumentCall(id: id, turns: [LabelledTurn(label: nil, text: text)]))
        }
        return .failure(RecordProblem(reason: "Amazon Transcribe document without audio_segments, items or transcripts"))
    }

    /// Contact Lens: `Transcript` entries with `ParticipantId`, roles from `Participants`,
    /// offsets in milliseconds; the contact id and channel are kept.
    static func contactLens(_ document: [String: Any], transcript: [[String: Any]], defaultID: String) -> DocumentCall {
        var roles: [String: String] = [:]
        for participant in document["Participants"] as? [[String: Any]] ?? [] {
            if let id = participant["ParticipantId"] as? String, let role = participant["ParticipantRole"] as? String { roles[id] = role }
        }
        let turns = transcript.compactMap { entry -> LabelledTurn? in
            guard let text = entry["Content"] as? String else { return nil }
            let participant = entry["ParticipantId"] as? String
            return LabelledTurn(
                label: participant.map { roles[$0] ?? $0 }, text: text,
                start: number(entry["BeginOffsetMillis"]).map { $0 / 1000 },
                end: number(entry["EndOffsetMillis"]).map { $0 / 1000 })
        }
        let metadata = document["CustomerMetadata"] as? [String: Any]
        return DocumentCall(
            id: metadata?["ContactId"] as? String ?? defaultID, date: nil,
            channel: (document["Channel"] as? String)?.lowercased(), turns: turns)
    }

    /// CCAI Insights conversation import: `entries` with `text`, `role`, `start_timestamp_usec`.
    static func insightsEntries(_ entries: [[String: Any]], id: String) -> DocumentCall {
        let starts = entries.compactMap { number($0["start_timestamp_usec"]) }
        let origin = starts.min() ?? 0
        let turns = entries.compactMap { entry -> LabelledTurn? in
            guard let text = entry["text"] as? String else { return nil }
            let role = (entry["role"] as? String) ?? (entry["user_id"]).map { "user \($0)" }
            return LabelledTurn(
                label: role, text: text,
                start: number(entry["start_timestamp_usec"]).map { ($0 - origin) / 1_000_000 }, end: nil)
        }
        return DocumentCall(id: id, turns: turns)
    }

    /// CCAI Insights conversation resource: `transcript.transcriptSegments` with participant roles.
    static func insightsConversation(_ segments: [[String: Any]], id: String) -> DocumentCall {
        let turns = segments.compactMap { segment -> LabelledTurn? in
            guard let text = segment["text"] as? String else { return nil }
            let participant = segment["segmentParticipant"] as? [String: Any]
            let label = (participant?["role"] as? String) ?? (segment["channelTag"]).map { "channel \($0)" }
            let words = segment["words"] as? [[String: Any]]
            return LabelledTurn(
                label: label, text: text, start: number(words?.first?["startOffset"]),
                end: number(words?.last?["endOffset"]))
        }
        return DocumentCall(id: id, turns: turns)
    }
}

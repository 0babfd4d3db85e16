import Foundation

/// The transcript formats Frasario reads.
public enum InputFormat: String, Sendable, CaseIterable {
    /// One call per file, one turn per line, optional `AGENTE:`/`CLIENTE:` labels.
    case text
    /// One call per line: `{"call_id": …, "turns": [{"speaker": …, "text": …}]}`.
    case jsonl
    /// WebVTT captions: cues with times, speakers as `<v Name>` voice tags or `Name:` prefixes.
    case vtt
    /// SubRip captions: numbered cues with times, speakers as `Name:` prefixes.
    case srt
    /// A Whisper or WhisperX JSON document (`segments`), one call per file.
    case whisper
    /// An Amazon Transcribe JSON document (`results`), one call per file.
    case transcribe
    /// An Amazon Connect Contact Lens JSON document (`Transcript`, `Participants`), one call per file.
    case contactLens = "contact-lens"
    /// A Google CCAI Insights JSON document (`entries`, or `transcript.transcriptSegments`), one call per file.
    case ccai

    /// The engine a JSON document must come from, when the format names one.
    var isDocumentEngine: Bool { [.whisper, .transcribe, .contactLens, .ccai].contains(self) }

    /// Extensions picked up when walking a directory, and the format each implies. A `.json`
    /// file is one document, recognised by its content: Frasario's call object or an array of
    /// them, Whisper/WhisperX, Amazon Transcribe, Amazon Connect Contact Lens, or Google CCAI Insights.
    static let extensions: [String: InputFormat] = [
        "txt": .text, "text": .text, "transcript": .text,
        "jsonl": .jsonl, "ndjson": .jsonl, "json": .jsonl,
        "vtt": .vtt, "webvtt": .vtt, "srt": .srt,
    ]
}

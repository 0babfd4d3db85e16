import Foundation

/// How large one call may be. A call is held whole while it is normalized and counted, so
/// a pathological call (a day of audio in one file, a runaway export) would otherwise take
/// memory in proportion to its size. Real calls are far smaller: an hour of speech is about
/// 60 KB of text, so the default of 2 MB is some 30 hours.
///
/// A call over the limit is rejected with its size in `rejects.csv`; it is not truncated,
/// because counting part of a call would put figures in the report that no call said.
public struct CallSizeLimit: Sendable, Equatable {
    /// Bytes of transcript text (UTF-8, all turns) one call may hold.
    public var textBytes: Int

    public static let standard = CallSizeLimit(textBytes: 2 << 20)

    /// The least a whole JSON document may take, whatever the call limit.
    public var documentFloor = 256 << 20

    public init(textBytes: Int) { self.textBytes = textBytes }

    /// Raw bytes of a single-call file or JSON line: captions and JSON carry times, labels and
    /// escapes beside the text, so they may be up to four times the text before being
    /// rejected unread.
    var rawBytes: Int { textBytes.multipliedReportingOverflow(by: 4).overflow ? Int.max : textBytes * 4 }

    /// Raw bytes of a `.json` document, which may hold many calls (an array, an ASR engine's
    /// word list with times): read whole, so bounded too. Larger collections belong in JSONL.
    var documentBytes: Int { max(documentFloor, textBytes.multipliedReportingOverflow(by: 32).overflow ? Int.max : textBytes * 32) }

    /// The reject reason of a file or JSON line (`what`) of `bytes` bytes (nil: unknown) that
    /// is over `limit` raw bytes.
    func reason(_ what: String, bytes: Int?, limit: Int) -> String {
        let size = bytes.map(Self.describe) ?? "more than \(Self.describe(limit))"
        if limit == documentBytes && limit != rawBytes {
            return
                "JSON document of \(size) is over the \(Self.describe(limit)) a whole document may take (32 × --max-call-size, at least \(Self.describe(documentFloor))); write its calls as JSON Lines, one per line, or raise --max-call-size"
        }
        return
            "\(what) of \(size) is over the \(Self.describe(limit)) a call may take as input (--max-call-size \(Self.describe(textBytes)) of text, times 4); raise --max-call-size to count it"
    }

    /// The reject reason of call `callID` holding `bytes` bytes of text.
    func reason(callID: String, textBytes bytes: Int) -> String {
        "call \(callID) has \(Self.describe(bytes)) of text, over the per-call limit of \(Self.describe(textBytes)) (--max-call-size); raise it to count the call"
    }

    static func describe(_ bytes: Int) -> String {
        bytes >= 1 << 20 ? String(format: "%.1f MB", Double(bytes) / Double(1 << 20)) : String(format: "%.0f KB", Double(bytes) / 1024)
    }
}

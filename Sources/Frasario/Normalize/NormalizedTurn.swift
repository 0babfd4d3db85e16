import Foundation

/// One turn after normalization: the displayed form (lowercase, accents kept) and the
/// matching form (accents folded), both as space-separated tokens in reusable byte buffers.
public struct NormalizedTurn: Sendable {
    /// Lowercase tokens with accents, separated by one space: what reports quote.
    public internal(set) var display: [UInt8] = []
    /// The same tokens with accents folded (ñ kept): what is counted and matched.
    public internal(set) var folded: [UInt8] = []
    /// Byte range of each token in `display`.
    public internal(set) var displayTokens: [Range<Int>] = []
    /// Byte range of each token in `folded`; same count and order as `displayTokens`.
    public internal(set) var foldedTokens: [Range<Int>] = []
    /// Token ranges of the turn's sentences (split after . ! ? ; : …). N-grams never cross them.
    public internal(set) var sentences: [Range<Int>] = []
    /// For each sentence: it asks something (`¿…?`, or opens with qué, cómo, dónde, puedo, me puede…).
    public internal(set) var sentenceIsQuestion: [Bool] = []
    /// True when any sentence of the turn is a question.
    public internal(set) var isQuestion = false
    /// Token indexes right after a `¿`: where a written question starts.
    public internal(set) var questionOpenings: [Int] = []
    /// How many of each mask this turn received.
    public internal(set) var maskCounts: [Int] = [Int](repeating: 0, count: PIIMask.allCases.count)
    /// The turn as written (case, accents, punctuation, fillers), with each piece of personal
    /// data replaced by its mask: what examples quote.
    public internal(set) var verbatim: [UInt8] = []
    /// Byte range in `verbatim` of each token (same count and order as `displayTokens`); the
    /// words a chat abbreviation expands to share its range.
    public internal(set) var verbatimTokens: [Range<Int>] = []

    public init() {}

    public var tokenCount: Int { foldedTokens.count }
    public var displayText: String { String(decoding: display, as: UTF8.self) }
    /// The turn as written, personal data masked: punctuation and sentences kept, so a quote
    /// read back (a sample given to eval) splits and matches as the turn did.
    public var verbatimText: String { String(decoding: verbatim, as: UTF8.self) }
    public var foldedText: String { String(decoding: folded, as: UTF8.self) }

    mutating func reset() {
        display.removeAll(keepingCapacity: true)
        folded.removeAll(keepingCapacity: true)
        displayTokens.removeAll(keepingCapacity: true)
        foldedTokens.removeAll(keepingCapacity: true)
        sentences.removeAll(keepingCapacity: true)
        sentenceIsQuestion.removeAll(keepingCapacity: true)
        questionOpenings.removeAll(keepingCapacity: true)
        isQuestion = false
        for kind in maskCounts.indices { maskCounts[kind] = 0 }
        verbatim.removeAll(keepingCapacity: true)
        verbatimTokens.removeAll(keepingCapacity: true)
    }
}

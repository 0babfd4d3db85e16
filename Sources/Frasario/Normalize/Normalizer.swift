import Foundation

/// The kinds of personal data masked before anything is counted or quoted.
public enum PIIMask: Int, Sendable, CaseIterable, Codable {
    case email = 0
    case card = 1
    case number = 2
    /// Web addresses: not personal data as such, but they carry ids and tokens.
    case url = 3
    /// A person's name said after «me llamo», «mi nombre es», «a nombre de», «se llama».
    case name = 4

    /// The token that replaces the personal data in every view of the text.
    public var token: String {
        switch self {
        case .email: return "<email>"
        case .card: return "<tarjeta>"
        case .number: return "<numero>"
        case .url: return "<url>"
        case .name: return "<nombre>"
        }
    }

    var bytes: [UInt8] { Array(token.utf8) }
}

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
    public internal(set) var maskCounts: [Int] = [0, 0, 0, 0, 0]
    /// The turn as written (case, accents, punctuation, fillers), with each piece of personal
    /// data replaced by its mask: what examples quote.
    public internal(set) var verbatim: [UInt8] = []
    /// Byte range in `verbatim` of each token (same count and order as `displayTokens`); the
    /// words a chat abbreviation expands to share its range.
    public internal(set) var verbatimTokens: [Range<Int>] = []

    public init() {}

    public var tokenCount: Int { foldedTokens.count }
    public var displayText: String { String(decoding: display, as: UTF8.self) }
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
        maskCounts[0] = 0; maskCounts[1] = 0; maskCounts[2] = 0; maskCounts[3] = 0; maskCounts[4] = 0
        verbatim.removeAll(keepingCapacity: true)
        verbatimTokens.removeAll(keepingCapacity: true)
    }
}

/// Spanish normalization on UTF-8 bytes, in one pass plus a pass over tokens:
/// lowercase (Á…Ñ included), accent-folded view, punctuation stripped, question flag,
/// fillers dropped, stutters collapsed, e-mails / cards / long digit runs masked.
///
/// A `Normalizer` owns scratch buffers and is meant to be owned by one worker.
/// - Complexity: O(bytes of the turn); no allocation once buffers have grown.
public struct Normalizer: Sendable {
    /// Bumped whenever normalization changes what is counted: partials counted by different
    /// normalizers must not be merged.
    public static let version = 4

    /// A token before post-processing: byte ranges in the scratch buffers and what it holds.
    struct RawToken {
        var display: Range<Int>
        var folded: Range<Int>
        var digits: Int
        var letters: Int
        /// True when only spaces or number joiners (- . / + ( )) separate it from the previous token.
        var joinedToPrevious: Bool
        var mask: PIIMask?
        /// Byte range in the original text (for a mask: from its first to its last masked token).
        var source: Range<Int> = 0..<0
        /// True for the first token after sentence punctuation (. ! ? ; : …) or of the turn.
        var startsSentence = false
        /// True when `¿…?` marks the sentence of this token as a question.
        var question = false
        /// True for the first token after `¿`: where the question starts.
        var opensQuestion = false

        /// A mask replacing the run of tokens from `first` to `last`.
        static func masking(_ mask: PIIMask, from first: RawToken, to last: RawToken? = nil) -> RawToken {
            RawToken(display: 0..<0, folded: 0..<0, digits: 0, letters: 0, joinedToPrevious: false, mask: mask,
                     source: first.source.lowerBound..<max(first.source.upperBound, last?.source.upperBound ?? 0),
                     startsSentence: first.startsSentence, question: first.question, opensQuestion: first.opensQuestion)
        }
    }

    private var lowered: [UInt8] = []
    private var foldedScratch: [UInt8] = []
    private var raw: [RawToken] = []
    private var kept: [RawToken] = []
    /// The turn's original bytes, for `NormalizedTurn.verbatim`.
    private var original: [UInt8] = []

    public init() {}

    /// Normalizes one turn into `turn`, replacing what it held.
    public mutating func normalize(_ text: String, into turn: inout NormalizedTurn) {
        turn.reset()
        var text = text
        text.withUTF8 { bytes in
            original.removeAll(keepingCapacity: true)
            original.append(contentsOf: bytes)
            scan(bytes)
        }
        maskDigitRuns(into: &turn)
        maskSpokenDigits(into: &turn)
        maskSpokenEmails(into: &turn)
        maskIntroducedNames(into: &turn)
        expandChatAbbreviations()
        dropFillersAndStutters()
        write(into: &turn)
    }

    /// Convenience for tests and tools: a fresh normalization of one string.
    public static func normalize(_ text: String) -> NormalizedTurn {
        var normalizer = Normalizer()
        var turn = NormalizedTurn()
        normalizer.normalize(text, into: &turn)
        return turn
    }

    // MARK: Scanning bytes into raw tokens

    @inline(__always) private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C || byte == 0x0B
    }

    @inline(__always) private static func isNumberJoiner(_ byte: UInt8) -> Bool {
        byte == 0x2D || byte == 0x2E || byte == 0x2F || byte == 0x2B || byte == 0x28 || byte == 0x29
    }

    private mutating func scan(_ bytes: UnsafeBufferPointer<UInt8>) {
        lowered.removeAll(keepingCapacity: true)
        foldedScratch.removeAll(keepingCapacity: true)
        raw.removeAll(keepingCapacity: true)
        let count = bytes.count
        var index = 0
        var joined = true          // only joiners seen since the previous token
        var sentenceStart = true   // sentence punctuation seen since the previous token
        var openQuestion = false   // inside ¿…
        var questionJustOpened = false   // ¿ seen, its first token not yet
        var tokenStart = -1        // start in `lowered`, -1 when outside a token
        var foldedStart = 0
        var sourceStart = 0        // start in the original text
        var digits = 0, letters = 0
        var chunkStart = true      // at the start of a whitespace-delimited chunk

        func closeToken() {
            if tokenStart >= 0 {
                collapseElongations(displayStart: tokenStart, foldedStart: foldedStart)
                raw.append(RawToken(display: tokenStart..<lowered.count, folded: foldedStart..<foldedScratch.count,
                                    digits: digits, letters: letters, joinedToPrevious: joined, mask: nil,
                                    source: sourceStart..<index,
                                    startsSentence: sentenceStart, question: openQuestion, opensQuestion: questionJustOpened))
                questionJustOpened = false
                tokenStart = -1
                joined = true
                sentenceStart = false
            }
        }
        @inline(__always) func openToken() {
            if tokenStart < 0 {
                tokenStart = lowered.count
                foldedStart = foldedScratch.count
                sourceStart = index
                digits = 0; letters = 0
            }
        }

        while index < count {
            let byte = bytes[index]
            if Self.isSpace(byte) {
                closeToken()
                chunkStart = true
                index &+= 1
                continue
            }
            if chunkStart {
                chunkStart = false
                if let end = Self.emoticonChunkEnd(bytes, from: index) {
                    closeToken()
                    index = end
                    continue
                }
                // A whole chunk that is a URL or an e-mail address becomes one mask token.
                let masked: (end: Int, mask: PIIMask)? = Self.urlChunkEnd(bytes, from: index).map { ($0, .url) }
                    ?? Self.emailChunkEnd(bytes, from: index).map { ($0, .email) }
                if let masked {
                    closeToken()
                    raw.append(RawToken(display: 0..<0, folded: 0..<0, digits: 0, letters: 0, joinedToPrevious: false, mask: masked.mask,
                                        source: index..<masked.end,
                                        startsSentence: sentenceStart, question: openQuestion, opensQuestion: questionJustOpened))
                    questionJustOpened = false
                    joined = false
                    sentenceStart = false
                    index = masked.end
                    continue
                }
            }
            if (byte == 0x5B || byte == 0x3C || byte == 0x28), let end = Self.markupEnd(bytes, from: index) {
                // ASR markup such as [ruido], <unk>, (inaudible): not speech, dropped whole.
                closeToken()
                joined = false
                index = end
                continue
            }
            if byte < 0x80 {
                if byte >= 0x61 && byte <= 0x7A {
                    openToken(); lowered.append(byte); foldedScratch.append(byte); letters &+= 1
                } else if byte >= 0x41 && byte <= 0x5A {
                    openToken(); lowered.append(byte | 0x20); foldedScratch.append(byte | 0x20); letters &+= 1
                } else if byte >= 0x30 && byte <= 0x39 {
                    openToken(); lowered.append(byte); foldedScratch.append(byte); digits &+= 1
                } else if byte == 0x40 {
                    // A lone «@» (an address typed or transcribed with spaces): the word
                    // «arroba», so the e-mail around it is masked like a dictated one.
                    closeToken()
                    let displayStart = lowered.count, foldedStart = foldedScratch.count
                    lowered.append(contentsOf: Self.arroba)
                    foldedScratch.append(contentsOf: Self.arroba)
                    raw.append(RawToken(display: displayStart..<lowered.count, folded: foldedStart..<foldedScratch.count,
                                        digits: 0, letters: Self.arroba.count, joinedToPrevious: false, mask: nil,
                                        source: index..<(index + 1), startsSentence: sentenceStart, question: openQuestion,
                                        opensQuestion: questionJustOpened))
                    questionJustOpened = false
                    sentenceStart = false
                    joined = false
                } else {
                    closeToken()
                    if !Self.isNumberJoiner(byte) { joined = false }
                    switch byte {
                    case 0x3F: // ?
                        if !raw.isEmpty { raw[raw.count - 1].question = true }
                        sentenceStart = true; openQuestion = false
                    case 0x21, 0x3B, 0x3A: // ! ; :
                        sentenceStart = true; openQuestion = false
                    case 0x2E: // . ends a sentence unless it sits between digits (1.500, 28.456.912)
                        let betweenDigits = index > 0 && index + 1 < count
                            && bytes[index - 1] >= 0x30 && bytes[index - 1] <= 0x39
                            && bytes[index + 1] >= 0x30 && bytes[index + 1] <= 0x39
                        if !betweenDigits { sentenceStart = true; openQuestion = false }
                    default:
                        break
                    }
                }
                index &+= 1
                continue
            }
            // Multi-byte UTF-8: C3 xx are Spanish letters; C2 AA/BA are ª º; C4–DF other alphabets;
            // three- and four-byte sequences (symbols, quotes, emoji) separate tokens.
            let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
            guard index + length <= count else { closeToken(); joined = false; break }
            if byte == 0xC3 && SpanishText.isLetterSecondByte(bytes[index + 1]) {
                let lower = SpanishText.lowerSecondByte(bytes[index + 1])
                openToken()
                lowered.append(0xC3); lowered.append(lower)
                let ascii = SpanishText.foldedASCII(secondByte: lower)
                if ascii != 0 { foldedScratch.append(ascii) } else { foldedScratch.append(0xC3); foldedScratch.append(lower) }
                letters &+= 1
            } else if (byte == 0xC2 && (bytes[index + 1] == 0xAA || bytes[index + 1] == 0xBA)) || (length == 2 && byte >= 0xC4) {
                openToken()
                lowered.append(byte); lowered.append(bytes[index + 1])
                foldedScratch.append(byte); foldedScratch.append(bytes[index + 1])
                letters &+= 1
            } else {
                closeToken()
                joined = false
                // ¿ marks a question but does not split a sentence: "El técnico, ¿qué día viene?" is one.
                if byte == 0xC2 && bytes[index + 1] == 0xBF {
                    openQuestion = true
                    questionJustOpened = true
                } else if byte == 0xE2 && bytes[index + 1] == 0x80 && bytes[index + 2] == 0xA6 { // …
                    sentenceStart = true; openQuestion = false
                }
            }
            index &+= length
        }
        closeToken()
    }

    /// Chat elongations: a letter repeated three or more times is written once ("holaaaa" → "hola";
    /// m keeps two, the filler "mm").
    /// Doubled letters (ll, rr, ee) are Spanish spelling and stay.
    private mutating func collapseElongations(displayStart: Int, foldedStart: Int) {
        func collapse(_ buffer: inout [UInt8], from start: Int) {
            // Units are one ASCII letter or one two-byte letter (í, ñ…); runs of 3+ equal units shrink.
            func unitLength(_ at: Int) -> Int { buffer[at] >= 0xC0 && at + 1 < buffer.count ? 2 : 1 }
            func isLetter(_ at: Int, _ length: Int) -> Bool { length == 2 || (buffer[at] >= 0x61 && buffer[at] <= 0x7A) }
            func same(_ first: Int, _ second: Int, _ length: Int) -> Bool {
                second + length <= buffer.count && (0..<length).allSatisfy { buffer[first + $0] == buffer[second + $0] }
            }
            guard buffer.count - start >= 3 else { return }
            // Fast path, no allocation: most tokens hold no run of three equal letters.
            var hasRun = false
            var probe = start + 2
            while probe < buffer.count {
                if buffer[probe] == buffer[probe - 1] && buffer[probe] == buffer[probe - 2] { hasRun = true; break }
                if probe >= start + 5 && buffer[probe] == buffer[probe - 2] && buffer[probe] == buffer[probe - 4]
                    && buffer[probe - 1] == buffer[probe - 3] && buffer[probe - 1] == buffer[probe - 5] { hasRun = true; break }
                probe += 1
            }
            guard hasRun else { return }
            var output: [UInt8] = []
            var changed = false
            var cursor = start
            while cursor < buffer.count {
                let length = unitLength(cursor)
                var end = cursor + length
                var run = 1
                while end < buffer.count && unitLength(end) == length && same(cursor, end, length) { end += length; run += 1 }
                var keep = run
                if run >= 3 && isLetter(cursor, length) {
                    // "mmmm" keeps two m's, so that it still reads as the filler "mm" (and "talla m" stays).
                    keep = length == 1 && buffer[cursor] == UInt8(ascii: "m") ? 2 : 1
                    changed = true
                }
                for _ in 0..<keep { output.append(contentsOf: buffer[cursor..<(cursor + length)]) }
                cursor = end
            }
            if changed { buffer.replaceSubrange(start..., with: output) }
        }
        collapse(&lowered, from: displayStart)
        collapse(&foldedScratch, from: foldedStart)
    }

    private static let emoticons: Set<[UInt8]> = Set([
        ":)", ":-)", ":(", ":-(", ":d", ":-d", ";)", ";-)", ":p", ":-p", "xd", ":'(", "<3", ":/", ":v", "^^", ":3", "=)", "=(",
    ].map { Array($0.utf8) })

    /// A chat emoticon standing alone between spaces (":)", "xD", "<3"): dropped like emojis.
    private static func emoticonChunkEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        switch bytes[start] {
        case 0x3A, 0x3B, 0x78, 0x58, 0x3C, 0x5E, 0x3D: break   // : ; x X < ^ =
        default: return nil
        }
        var end = start
        while end < bytes.count && !isSpace(bytes[end]) && end - start <= 4 { end += 1 }
        guard end - start >= 2, end - start <= 4, end == bytes.count || isSpace(bytes[end]) else { return nil }
        let chunk = bytes[start..<end].map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        return emoticons.contains(chunk) ? end : nil
    }

    /// A web address (`http://…`, `https://…`, `www.…`) up to the next space: masked as `<url>`.
    private static func urlChunkEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        func has(_ prefix: StaticString) -> Bool {
            let count = prefix.utf8CodeUnitCount
            guard start + count <= bytes.count else { return false }
            for index in 0..<count where bytes[start + index] | 0x20 != prefix.utf8Start[index] | 0x20 { return false }
            return true
        }
        guard has("http://") || has("https://") || has("www.") else { return nil }
        var end = start
        while end < bytes.count && !isSpace(bytes[end]) { end += 1 }
        return end
    }

    /// Words that speech engines and transcribers put in parentheses for what is not speech.
    private static let parenthesizedMarkup: Set<String> = [
        "inaudible", "ininteligible", "incomprensible", "risas", "risa", "ruido", "ruidos", "silencio", "musica",
        "pausa", "tos", "llanto", "interferencia", "crosstalk", "noise", "laughter", "laughs", "music", "silence",
        "unintelligible", "cough", "beep", "pitido",
    ]

    /// Where ASR markup that starts at `start` ends: `[anything short]`, `<tag>` or `(word)`
    /// for a word of `parenthesizedMarkup`. Nil when the bracket is not markup ("(55) 1234").
    private static func markupEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        let open = bytes[start]
        let close: UInt8 = open == 0x5B ? 0x5D : open == 0x3C ? 0x3E : 0x29
        let limit = min(bytes.count, start + (open == 0x5B ? 60 : 30))
        var index = start + 1
        while index < limit && bytes[index] != close {
            if open == 0x3C && !(bytes[index] >= 0x61 && bytes[index] <= 0x7A || bytes[index] == 0x5F || bytes[index] >= 0x41 && bytes[index] <= 0x5A) {
                return nil
            }
            index += 1
        }
        guard index < limit, index > start + 1 else { return nil }
        if open == 0x28 {
            let word = SpanishText.folded(String(decoding: UnsafeBufferPointer(rebasing: bytes[(start + 1)..<index]), as: UTF8.self))
            guard parenthesizedMarkup.contains(word.trimmingCharacters(in: .whitespaces)) else { return nil }
        }
        return index + 1
    }

    /// When the whitespace-delimited chunk starting at `start` is an e-mail address
    /// (after stripping surrounding punctuation), returns the index where the chunk ends.
    private static func emailChunkEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var end = start
        var at = -1
        while end < bytes.count && !isSpace(bytes[end]) {
            if bytes[end] == 0x40 { at = end }
            end &+= 1
        }
        guard at >= 0 else { return nil }
        func isLocal(_ byte: UInt8) -> Bool {
            (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
                || byte == 0x2E || byte == 0x5F || byte == 0x25 || byte == 0x2B || byte == 0x2D || byte >= 0x80
        }
        var localLength = 0
        var cursor = at - 1
        while cursor >= start && isLocal(bytes[cursor]) { localLength += 1; cursor -= 1 }
        var domainDot = false, domainLetters = 0
        cursor = at + 1
        while cursor < end && isLocal(bytes[cursor]) {
            if bytes[cursor] == 0x2E { domainDot = domainLetters > 0 } else { domainLetters += 1 }
            cursor += 1
        }
        return localLength > 0 && domainDot && domainLetters >= 3 ? end : nil
    }

    // MARK: Token post-processing

    private func foldedBytesEqual(_ left: RawToken, _ right: RawToken) -> Bool {
        if left.mask != nil || right.mask != nil { return left.mask == right.mask }
        guard left.folded.count == right.folded.count else { return false }
        var leftIndex = left.folded.lowerBound, rightIndex = right.folded.lowerBound
        while leftIndex < left.folded.upperBound {
            if foldedScratch[leftIndex] != foldedScratch[rightIndex] { return false }
            leftIndex &+= 1; rightIndex &+= 1
        }
        return true
    }

    private func token(_ token: RawToken, is word: [UInt8]) -> Bool {
        guard token.mask == nil, token.folded.count == word.count else { return false }
        var index = token.folded.lowerBound
        for byte in word {
            if foldedScratch[index] != byte { return false }
            index &+= 1
        }
        return true
    }

    /// Digit runs: 13–19 digits (spaces or dashes allowed between groups) are a card;
    /// any other run of 4 or more digits, or a code mixing letters and 4+ digits, is a number.
    private mutating func maskDigitRuns(into turn: inout NormalizedTurn) {
        kept.removeAll(keepingCapacity: true)
        var index = 0
        while index < raw.count {
            let token = raw[index]
            guard token.mask == nil, token.digits > 0 else {
                if let mask = token.mask { turn.maskCounts[mask.rawValue] += 1 }
                kept.append(token); index += 1; continue
            }
            // IBAN: two letters and two check digits, then digit groups ("es91 2100 0418 …").
            if token.letters == 2 && token.digits == 2 && token.folded.count == 4,
               index + 1 < raw.count, raw[index + 1].mask == nil, raw[index + 1].letters == 0, raw[index + 1].digits > 0,
               raw[index + 1].joinedToPrevious, !raw[index + 1].startsSentence {
                var end = index + 1
                while end < raw.count, raw[end].mask == nil, raw[end].letters == 0, raw[end].joinedToPrevious, !raw[end].startsSentence { end += 1 }
                kept.append(.masking(.number, from: token, to: raw[end - 1]))
                turn.maskCounts[PIIMask.number.rawValue] += 1
                index = end
                continue
            }
            if token.letters > 0 {
                if token.digits >= 4 {
                    kept.append(.masking(.number, from: token))
                    turn.maskCounts[PIIMask.number.rawValue] += 1
                } else {
                    kept.append(token)
                }
                index += 1
                continue
            }
            var end = index + 1
            var total = token.digits
            while end < raw.count, raw[end].mask == nil, raw[end].letters == 0, raw[end].joinedToPrevious, !raw[end].startsSentence {
                total += raw[end].digits
                end += 1
            }
            if total >= 4 {
                let mask: PIIMask = (13...19).contains(total) ? .card : .number
                var masked = RawToken.masking(mask, from: token, to: raw[end - 1])
                masked.question = raw[index..<end].contains { $0.question }
                kept.append(masked)
                turn.maskCounts[mask.rawValue] += 1
            } else {
                kept.append(contentsOf: raw[index..<end])
            }
            index = end
        }
        swap(&raw, &kept)
    }

    /// cero, uno, dos, tres, cuatro, cinco, seis, siete, ocho, nueve: compared as packed bytes,
    /// since this runs on every token.
    @inline(__always)
    private func isSpokenDigit(_ token: RawToken) -> Bool {
        let length = token.folded.count
        guard token.mask == nil, length >= 3, length <= 6 else { return false }
        var packed: UInt64 = 0
        for index in token.folded { packed = packed << 8 | UInt64(foldedScratch[index]) }
        switch packed {
        case 0x6365726F, 0x756E6F, 0x646F73, 0x74726573, 0x63756174726F, 0x63696E636F, 0x73656973, 0x7369657465,
             0x6F63686F, 0x6E75657665:
            return true
        default:
            return false
        }
    }

    /// Numbers dictated digit by digit or in groups (`cuatro cinco cinco uno …`, `seiscientos
    /// doce trescientos cuarenta y cinco`, `cuatro 1 cinco 2 tres 1`): 4 or more number words
    /// or one- to three-digit numbers in a row are a number, 13–19 single digits a card. Ordinary
    /// speech almost never strings four numbers together («mil doscientos euros» is two).
    private mutating func maskSpokenDigits(into turn: inout NormalizedTurn) {
        var index = 0
        while index < raw.count {
            // A run of numbers; «y» between them and hesitations inside ("ocho dos eh tres uno")
            // do not end it.
            var end = index
            var numbers = 0, singleDigits = 0
            while end < raw.count, raw[end].mask == nil, end == index || !raw[end].startsSentence {
                if isNumber(raw[end]) {
                    numbers += 1
                    if isSpokenDigit(raw[end]) || (raw[end].letters == 0 && raw[end].digits == 1) { singleDigits += 1 }
                } else if !(numbers > 0 && (isFiller(raw[end]) || token(raw[end], is: Self.and))) {
                    break
                }
                end += 1
            }
            while end > index && !isNumber(raw[end - 1]) { end -= 1 }
            if numbers >= 4 {
                let mask: PIIMask = (13...19).contains(singleDigits) && singleDigits == numbers ? .card : .number
                var masked = RawToken.masking(mask, from: raw[index], to: raw[end - 1])
                masked.question = raw[index..<end].contains { $0.question }
                raw.replaceSubrange(index..<end, with: [masked])
                turn.maskCounts[mask.rawValue] += 1
            }
            index += 1
        }
    }

    private static let and = Array("y".utf8)

    /// A number said in words («doce», «cuarenta», «seiscientos», «mil») or written with one
    /// to three digits.
    private func isNumber(_ token: RawToken) -> Bool {
        guard token.mask == nil else { return false }
        if token.letters == 0 { return token.digits >= 1 && token.digits <= 3 }
        guard token.digits == 0 else { return false }
        return isSpokenDigit(token) || Self.numberWords.contains(NumberWordKey(foldedScratch[token.folded]))
    }

    /// A folded word by its length and its first and last eight bytes: no allocation per token.
    private struct NumberWordKey: Hashable {
        var length: Int, head: UInt64, tail: UInt64
        init<Bytes: Collection>(_ bytes: Bytes) where Bytes.Element == UInt8 {
            length = bytes.count
            head = 0; tail = 0
            for (offset, byte) in bytes.enumerated() {
                if offset < 8 { head = head << 8 | UInt64(byte) }
                if offset >= length - 8 { tail = tail << 8 | UInt64(byte) }
            }
        }
    }

    private static let numberWords: Set<NumberWordKey> = Set([
        "diez", "once", "doce", "trece", "catorce", "quince", "dieciseis", "diecisiete", "dieciocho", "diecinueve",
        "veinte", "veintiuno", "veintidos", "veintitres", "veinticuatro", "veinticinco", "veintiseis", "veintisiete",
        "veintiocho", "veintinueve", "treinta", "cuarenta", "cincuenta", "sesenta", "setenta", "ochenta", "noventa",
        "cien", "ciento", "doscientos", "trescientos", "cuatrocientos", "quinientos", "seiscientos", "setecientos",
        "ochocientos", "novecientos", "mil",
    ].map { NumberWordKey(Array($0.utf8)) })

    /// Chat shorthand, expanded so that "xq no me llega el msj" counts with "porque no me llega el mensaje".
    /// Keys are folded tokens; values are the display words (their folded forms drop the accents).
    private static let abbreviations: [UInt64: [String]] = [
        "q": ["que"], "k": ["que"], "xq": ["porque"], "pq": ["porque"], "porq": ["porque"],
        "tb": ["también"], "tmb": ["también"], "tambn": ["también"], "msj": ["mensaje"],
        "porfa": ["por", "favor"], "xfa": ["por", "favor"], "pls": ["por", "favor"], "xfavor": ["por", "favor"],
        "bn": ["bien"], "dnd": ["dónde"],
    ].reduce(into: [:]) { $0[Self.pack($1.key.utf8)] = $1.value }

    /// Up to 8 bytes as one number, for allocation-free lookups of short words.
    private static func pack<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
        bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    private mutating func expandChatAbbreviations() {
        let x = UInt64(UInt8(ascii: "x"))
        let abbreviations = Self.abbreviations
        // Fast check without hashing: the packed forms of q k xq pq porq tb tmb tambn msj porfa xfa pls xfavor bn dnd x.
        guard raw.contains(where: { token in
            guard token.mask == nil, token.digits == 0, token.folded.count <= 6 else { return false }
            switch Self.pack(foldedScratch[token.folded]) {
            case 0x71, 0x6B, 0x7871, 0x7071, 0x706F7271, 0x7462, 0x746D62, 0x74616D626E, 0x6D736A, 0x706F726661, 0x786661,
                 0x706C73, 0x786661766F72, 0x626E, 0x646E64, 0x78:
                return true
            default:
                return false
            }
        }) else { return }
        kept.removeAll(keepingCapacity: true)
        for (index, token) in raw.enumerated() {
            guard token.mask == nil, token.digits == 0, token.folded.count <= 6 else { kept.append(token); continue }
            let packed = Self.pack(foldedScratch[token.folded])
            var words = abbreviations[packed]
            if words == nil, packed == x, index + 1 < raw.count, self.token(raw[index + 1], is: Self.favor) {
                words = ["por"]
            }
            guard let words else { kept.append(token); continue }
            for (position, word) in words.enumerated() {
                let displayStart = lowered.count, foldedStart = foldedScratch.count
                lowered.append(contentsOf: word.utf8)
                foldedScratch.append(contentsOf: SpanishText.folded(word).utf8)
                var expanded = token
                expanded.display = displayStart..<lowered.count
                expanded.folded = foldedStart..<foldedScratch.count
                expanded.letters = word.count
                if position > 0 { expanded.startsSentence = false; expanded.joinedToPrevious = false }
                kept.append(expanded)
            }
        }
        swap(&raw, &kept)
    }

    private static let favor = Array("favor".utf8)
    private static let arroba = Array("arroba".utf8)
    private static let punto = Array("punto".utf8)
    private static let guion = Array("guion".utf8)
    private static let bajo = Array("bajo".utf8)
    private static let topLevelDomains: Set<[UInt8]> = Set(["com", "es", "net", "org", "mx", "co", "ar", "cl", "pe", "edu", "gob",
                                                            "info", "eu", "io", "uy", "ec", "ve", "bo", "py", "cr", "do"].map { Array($0.utf8) })

    /// Dictated addresses as ASR writes them: `juan punto perez arroba gmail punto com` → `<email>`.
    private mutating func maskSpokenEmails(into turn: inout NormalizedTurn) {
        var index = 1
        while index + 1 < raw.count {
            guard raw[index].folded.count == 6, foldedScratch[raw[index].folded.lowerBound] == UInt8(ascii: "a"),
                  token(raw[index], is: Self.arroba), raw[index - 1].mask == nil, raw[index + 1].mask == nil else {
                index += 1
                continue
            }
            // The user part: words joined by «punto», «guion», «guion bajo», and numbers
            // said after a word («pedro guion bajo ruiz setenta»).
            var start = index - 1
            while true {
                if start >= 2 && (token(raw[start - 1], is: Self.punto) || token(raw[start - 1], is: Self.guion)) && raw[start - 2].mask == nil {
                    start -= 2
                } else if start >= 3 && token(raw[start - 1], is: Self.bajo) && token(raw[start - 2], is: Self.guion) && raw[start - 3].mask == nil {
                    start -= 3
                } else if start >= 1 && isNumber(raw[start]) && raw[start - 1].mask == nil && !raw[start].startsSentence {
                    start -= 1
                } else {
                    break
                }
            }
            // The domain: words joined by «punto», or by a written «.» before a top-level
            // domain («hotmail . com»).
            var end = index + 1
            while true {
                if end + 2 < raw.count && token(raw[end + 1], is: Self.punto) && raw[end + 2].mask == nil {
                    end += 2
                } else if end + 1 < raw.count && raw[end + 1].mask == nil && Self.topLevelDomains.contains(Array(foldedScratch[raw[end + 1].folded])) {
                    end += 1
                } else {
                    break
                }
            }
            var masked = RawToken.masking(.email, from: raw[start], to: raw[end])
            masked.question = raw[start...end].contains { $0.question }
            raw.replaceSubrange(start...end, with: [masked])
            turn.maskCounts[PIIMask.email.rawValue] += 1
            index = start + 1
        }
    }

    /// The words that introduce a person's name, folded.
    private static let nameIntroductions: [[[UInt8]]] = [["me", "llamo"], ["mi", "nombre", "es"], ["a", "nombre", "de"],
                                                          ["se", "llama"], ["me", "llaman"]].map { $0.map { Array($0.utf8) } }
    /// Words that end a name: what usually follows it in a sentence.
    private static let afterName: Set<[UInt8]> = Set(["y", "e", "o", "u", "que", "porque", "pero", "de", "del", "la", "el", "los",
        "las", "con", "para", "por", "a", "al", "en", "es", "soy", "no", "si", "bueno", "pues", "entonces", "mire", "oiga",
        "gracias", "senorita", "senor", "como", "le", "les", "lo", "me", "mi", "su", "tu", "quiero", "queria", "llamo",
        "tengo", "necesito", "ya", "ahora", "aqui", "ok", "vale", "claro", "perdon", "disculpe", "digame", "dime", "un", "una"]
        .map { Array($0.utf8) })
    /// Words of a name masked at most after its introduction (two given names, two surnames).
    private static let longestName = 4

    /// «me llamo juan pérez», «a nombre de maría lópez»: up to four words after the
    /// introduction, until a word that usually follows a name, become one `<nombre>` mask.
    private mutating func maskIntroducedNames(into turn: inout NormalizedTurn) {
        var index = 0
        while index < raw.count {
            guard let introduction = Self.nameIntroductions.first(where: { words in
                index + words.count <= raw.count && words.indices.allSatisfy { token(raw[index + $0], is: words[$0]) }
            }) else {
                index += 1
                continue
            }
            let start = index + introduction.count
            var end = start
            while end < raw.count, end - start < Self.longestName, raw[end].mask == nil, raw[end].digits == 0,
                  !raw[end].startsSentence, raw[end].letters > 1, !Self.afterName.contains(Array(foldedScratch[raw[end].folded])) {
                end += 1
            }
            if end > start {
                var masked = RawToken.masking(.name, from: raw[start], to: raw[end - 1])
                masked.question = raw[start..<end].contains { $0.question }
                raw.replaceSubrange(start..<end, with: [masked])
                turn.maskCounts[PIIMask.name.rawValue] += 1
            }
            index = start + 1
        }
    }

    /// Hesitations such as eh, ehm, mmm, mhm, hmm, uh, um: never content in Spanish speech.
    private func isFiller(_ token: RawToken) -> Bool {
        guard token.mask == nil, token.digits == 0, token.folded.count >= 2, token.folded.count <= 6 else { return false }
        let bytes = foldedScratch[token.folded]
        guard let first = bytes.first, first == UInt8(ascii: "e") || first == UInt8(ascii: "m") || first == UInt8(ascii: "h") || first == UInt8(ascii: "u") else { return false }
        // Collapse runs of a letter ("mmmh" → "mh") into a code of at most three letters:
        // e+h+ | e+m+ | e+h+m+ | m+ | m+h+m+ | mjm | h+m+ | u+h+ | u+m+
        var code: UInt32 = 0
        var last: UInt8 = 0
        var runs = 0
        for byte in bytes where byte != last {
            runs += 1
            if runs > 3 { return false }
            code = code << 8 | UInt32(byte)
            last = byte
        }
        switch code {
        // eh, em, ehm, m(m…), mhm, mjm, hm, uh, um as packed ASCII
        case 0x6568, 0x656D, 0x65686D, 0x6D, 0x6D686D, 0x6D6A6D, 0x686D, 0x7568, 0x756D: return true
        default: return false
        }
    }

    private static let turnFillers: [[UInt8]] = ["aja", "aha", "ajam", "aham", "mjm", "aja"].map { Array($0.utf8) }

    private mutating func dropFillersAndStutters() {
        kept.removeAll(keepingCapacity: true)
        var pendingSentenceStart = false
        var pendingQuestionOpening = false
        let hasContextualFiller = raw.contains { token($0, is: SpokenFillers.este) || token($0, is: SpokenFillers.o) }
        let contextual = hasContextualFiller
            ? SpokenFillers.mark(count: raw.count, word: { raw[$0].mask == nil ? foldedScratch[raw[$0].folded] : nil },
                                 startsSentence: { raw[$0].startsSentence })
            : []
        for (index, var token) in raw.enumerated() {
            if isFiller(token) || (hasContextualFiller && contextual[index]) {
                // Keep the sentence structure the filler carried.
                if token.startsSentence { pendingSentenceStart = true }
                if token.opensQuestion { pendingQuestionOpening = true }
                if token.question, !token.startsSentence, !kept.isEmpty { kept[kept.count - 1].question = true }
                continue
            }
            if pendingSentenceStart { token.startsSentence = true; pendingSentenceStart = false }
            if pendingQuestionOpening { token.opensQuestion = true; pendingQuestionOpening = false }
            if !token.startsSentence, let last = kept.last, foldedBytesEqual(last, token) {
                if token.question { kept[kept.count - 1].question = true }
                continue
            }
            kept.append(token)
            let count = kept.count
            if count >= 4 && !kept[count - 2].startsSentence && !kept[count - 1].startsSentence
                && foldedBytesEqual(kept[count - 1], kept[count - 3]) && foldedBytesEqual(kept[count - 2], kept[count - 4]) {
                if kept[count - 1].question || kept[count - 2].question { kept[count - 3].question = true }
                kept.removeLast(2)
            }
        }
        // "ajá" alone is a back-channel; inside a sentence it may carry meaning, so it stays.
        if !kept.isEmpty && kept.allSatisfy({ token in Self.turnFillers.contains { self.token(token, is: $0) } }) {
            kept.removeAll(keepingCapacity: true)
        }
        if !kept.isEmpty { kept[0].startsSentence = true }
        swap(&raw, &kept)
    }

    private static let leadingMarkers: [[UInt8]] = [
        "bueno", "oiga", "oye", "disculpe", "disculpa", "perdon", "señorita", "senorita", "joven", "y", "pero",
        "entonces", "mire", "mira", "este", "pues", "hola", "ok", "vale", "che", "una", "pregunta", "ah", "a", "ver",
    ].map { Array($0.utf8) }

    private static let interrogativesAccented: [[UInt8]] = [
        "qué", "cómo", "cuándo", "dónde", "cuánto", "cuánta", "cuántos", "cuántas", "cuál", "cuáles", "quién", "quiénes",
    ].map { Array($0.utf8) }

    /// Folded forms that open a question even without accents (ASR output drops them).
    /// `como`, `cuando` and `que` are left out: unaccented they usually do not ask.
    private static let interrogativesFolded: [[UInt8]] = [
        "donde", "cuanto", "cuanta", "cuantos", "cuantas", "cual", "cuales", "puedo", "podria", "podrian", "podrias",
    ].map { Array($0.utf8) }

    private static let secondWordQuestions: [([UInt8], [[UInt8]])] = [
        (Array("por".utf8), ["que"].map { Array($0.utf8) }),
        (Array("me".utf8), ["puede", "pueden", "puedes", "podes", "podria", "podrian", "podrias", "dice", "dicen", "explica"].map { Array($0.utf8) }),
        (Array("se".utf8), ["puede", "pueden", "podria"].map { Array($0.utf8) }),
    ]

    private func displayToken(_ token: RawToken, is word: [UInt8]) -> Bool {
        guard token.mask == nil, token.display.count == word.count else { return false }
        return lowered[token.display].elementsEqual(word)
    }

    /// True when the sentence starting at token `start` (and ending before `end`) opens with an interrogative.
    private func opensWithInterrogative(from start: Int, to end: Int) -> Bool {
        var index = start
        while index < end - 1 && Self.leadingMarkers.contains(where: { token(raw[index], is: $0) }) { index += 1 }
        guard index < end else { return false }
        let first = raw[index]
        if Self.interrogativesAccented.contains(where: { displayToken(first, is: $0) }) { return true }
        if Self.interrogativesFolded.contains(where: { token(first, is: $0) }) { return true }
        guard index + 1 < end else { return false }
        for (opening, seconds) in Self.secondWordQuestions where token(first, is: opening) {
            if seconds.contains(where: { token(raw[index + 1], is: $0) }) { return true }
        }
        return false
    }

    private func write(into turn: inout NormalizedTurn) {
        var sentenceStart = 0
        for (index, token) in raw.enumerated() where index > 0 && token.startsSentence {
            appendSentence(sentenceStart..<index, into: &turn)
            sentenceStart = index
        }
        if !raw.isEmpty { appendSentence(sentenceStart..<raw.count, into: &turn) }
        for (index, token) in raw.enumerated() where token.opensQuestion { turn.questionOpenings.append(index) }
        for token in raw {
            if !turn.display.isEmpty { turn.display.append(0x20); turn.folded.append(0x20) }
            let displayStart = turn.display.count, foldedStart = turn.folded.count
            if let mask = token.mask {
                let bytes = mask.bytes
                turn.display.append(contentsOf: bytes)
                turn.folded.append(contentsOf: bytes)
            } else {
                turn.display.append(contentsOf: lowered[token.display])
                turn.folded.append(contentsOf: foldedScratch[token.folded])
            }
            turn.displayTokens.append(displayStart..<turn.display.count)
            turn.foldedTokens.append(foldedStart..<turn.folded.count)
        }
        writeVerbatim(into: &turn)
    }

    /// The original text with personal data masked, and each token's range in it. Text between
    /// tokens (spaces, punctuation, dropped fillers) is copied as written; a mask's span (digits
    /// and the dashes or words between them) becomes its mask token.
    private func writeVerbatim(into turn: inout NormalizedTurn) {
        var copied = 0
        var previous: Range<Int> = 0..<0
        var previousSource: Range<Int>?
        for token in raw {
            let source = token.source.clamped(to: 0..<original.count)
            if let previousSource, source == previousSource {
                // A word of an expanded abbreviation: the abbreviation's range.
                turn.verbatimTokens.append(previous)
                continue
            }
            if source.lowerBound > copied { turn.verbatim.append(contentsOf: original[copied..<source.lowerBound]) }
            let start = turn.verbatim.count
            if let mask = token.mask {
                turn.verbatim.append(contentsOf: mask.bytes)
            } else {
                turn.verbatim.append(contentsOf: original[max(copied, source.lowerBound)..<max(copied, source.upperBound)])
            }
            previous = start..<turn.verbatim.count
            previousSource = source
            copied = max(copied, source.upperBound)
            turn.verbatimTokens.append(previous)
        }
        if copied < original.count { turn.verbatim.append(contentsOf: original[copied...]) }
    }

    private func appendSentence(_ range: Range<Int>, into turn: inout NormalizedTurn) {
        let question = raw[range].contains { $0.question } || opensWithInterrogative(from: range.lowerBound, to: range.upperBound)
        turn.sentences.append(range)
        turn.sentenceIsQuestion.append(question)
        if question { turn.isQuestion = true }
    }
}

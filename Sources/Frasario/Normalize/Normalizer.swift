import Foundation

/// Spanish normalization on UTF-8 bytes, in one pass plus a pass over tokens:
/// lowercase (Á…Ñ included), accent-folded view, punctuation stripped, question flag,
/// fillers dropped, stutters collapsed, e-mails / cards / long digit runs masked.
/// The scan classes each token once (`WordClasses`); a masking pass runs only when a token
/// of the turn carries its cue.
///
/// A `Normalizer` owns scratch buffers and is meant to be owned by one worker.
/// - Complexity: O(bytes of the turn); no allocation once buffers have grown.
public struct Normalizer: Sendable {
    /// Bumped whenever normalization changes what is counted: partials counted by different
    /// normalizers must not be merged.
    public static let version = 7

    var lowered: [UInt8] = []
    var foldedScratch: [UInt8] = []
    var raw: [RawToken] = []
    var kept: [RawToken] = []
    /// The turn's original bytes, for `NormalizedTurn.verbatim`.
    var original: [UInt8] = []

    /// The word classes the scan looks up per token, held by the normalizer itself: reading
    /// the table through `self` costs no global access and no retain per token.
    let wordClasses = Normalizer.wordClassTable
    /// The classes some token of the turn has: a pass whose cue is absent is skipped.
    var presentClasses: WordClasses = []
    /// Tokens of the turn that are numbers (`isNumber`): fewer than four, no number is dictated.
    var numberTokens = 0
    /// Whether some token of the turn holds a digit or is a mask: the digit-run passes' cue.
    var hasDigitsOrMask = false
    /// Per token, whether it is a contextual filler («este», «o sea»): reused turn after turn.
    var contextualFillers: [Bool] = []

    public init() {}

    /// Normalizes one turn into `turn`, replacing what it held.
    public mutating func normalize(_ text: String, into turn: inout NormalizedTurn) {
        turn.reset()
        var text = text
        // A fullwidth «＠» (U+FF20, typed on some phones) is an «@»: the address is masked as one.
        if text.utf8.contains(0xEF), text.contains("＠") { text = text.replacingOccurrences(of: "＠", with: "@") }
        text.withUTF8 { bytes in
            original.removeAll(keepingCapacity: true)
            original.append(contentsOf: bytes)
            scan(bytes)
        }
        // Each pass runs only when the scan saw its cue; without it, the pass would leave the
        // tokens as they are.
        if hasDigitsOrMask {
            maskDigitRuns(into: &turn)
            maskSpacedTaxCodes()
        }
        // Three groups of digits can make a phone («613 211 359»): see `threeDigitGroupsOfAPhone`.
        if numberTokens >= Self.shortestSpokenNumber || (hasDigitsOrMask && numberTokens >= 3) { maskSpokenDigits(into: &turn) }
        if presentClasses.contains(.arroba) { maskSpokenEmails(into: &turn) }
        if presentClasses.contains(.nameCue) || presentClasses.contains(.givenName) { maskIntroducedNames(into: &turn) }
        if presentClasses.contains(.birthCue) { maskBirthDates(into: &turn) }
        if presentClasses.contains(.street) { maskAddresses(into: &turn) }
        if presentClasses.contains(.chatShorthand) { expandChatAbbreviations() }
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

    @inline(__always) static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C || byte == 0x0B
    }

    @inline(__always) static func isASCIILetterOrDigit(_ byte: UInt8) -> Bool {
        (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
    }

    /// Appends a run of ASCII letters and digits to both scratch buffers, lowercased.
    @inline(__always)
    private mutating func appendASCIIRun(_ run: UnsafeBufferPointer<UInt8>, lowercasing: Bool) {
        let displayStart = lowered.count, foldedStart = foldedScratch.count
        lowered.append(contentsOf: run)
        foldedScratch.append(contentsOf: run)
        guard lowercasing else { return }
        // Setting 0x20 lowercases a letter and leaves a digit as it is.
        for offset in 0..<run.count {
            lowered[displayStart &+ offset] |= 0x20
            foldedScratch[foldedStart &+ offset] |= 0x20
        }
    }

    @inline(__always) private static func isNumberJoiner(_ byte: UInt8) -> Bool {
        byte == 0x2D || byte == 0x2E || byte == 0x2F || byte == 0x2B || byte == 0x28 || byte == 0x29
    }

    private mutating func scan(_ bytes: UnsafeBufferPointer<UInt8>) {
        lowered.removeAll(keepingCapacity: true)
        foldedScratch.removeAll(keepingCapacity: true)
        raw.removeAll(keepingCapacity: true)
        presentClasses = []
        numberTokens = 0
        hasDigitsOrMask = false
        let count = bytes.count
        // A written e-mail address needs an «@»: without one, no chunk is searched for it.
        // SAFETY: memchr reads the `count` bytes of the buffer only.
        let hasAt = bytes.baseAddress.map { memchr($0, 0x40, count) != nil } ?? false
        var index = 0
        var joined = true  // only joiners seen since the previous token
        var sentenceStart = true  // sentence punctuation seen since the previous token
        var openQuestion = false  // inside ¿…
        var questionJustOpened = false  // ¿ seen, its first token not yet
        var tokenStart = -1  // start in `lowered`, -1 when outside a token
        var foldedStart = 0
        var sourceStart = 0  // start in the original text
        var digits = 0, letters = 0
        var chunkStart = true  // at the start of a whitespace-delimited chunk
        var pause = false  // an ellipsis that did not end the sentence, since the previous token

        func closeToken() {
            if tokenStart >= 0 {
                collapseElongations(displayStart: tokenStart, foldedStart: foldedStart)
                let folded = foldedStart..<foldedScratch.count
                raw.append(
                    RawToken(
                        display: tokenStart..<lowered.count, folded: folded,
                        digits: digits, letters: letters, joinedToPrevious: joined, mask: nil,
                        source: sourceStart..<index,
                        startsSentence: sentenceStart, question: openQuestion, opensQuestion: questionJustOpened,
                        afterPause: pause, classes: classifyScanned(folded: folded, digits: digits, letters: letters)))
                pause = false
                if digits > 0 { hasDigitsOrMask = true }
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
                let masked: (end: Int, mask: PIIMask)? =
                    Self.urlChunkEnd(bytes, from: index).map { ($0, .url) }
                    ?? (hasAt ? Self.emailChunkEnd(bytes, from: index).map { ($0, .email) } : nil)
                if let masked {
                    closeToken()
                    raw.append(
                        RawToken(
                            display: 0..<0, folded: 0..<0, digits: 0, letters: 0, joinedToPrevious: false, mask: masked.mask,
                            source: index..<masked.end,
                            startsSentence: sentenceStart, question: openQuestion, opensQuestion: questionJustOpened))
                    questionJustOpened = false
                    joined = false
                    sentenceStart = false
                    hasDigitsOrMask = true
                    index = masked.end
                    continue
                }
            }
            if (byte == 0x5B || byte == 0x3C || byte == 0x28), let end = Self.markupEnd(bytes, from: index) {
                // ASR markup such as [ruido], <unk>, (inaudible): not speech, dropped whole. A
                // mask written in the text («<numero>», as reports and samples quote) stays one.
                closeToken()
                joined = false
                if byte == 0x3C, let mask = PIIMask.allCases.first(where: { Array($0.token.utf8).elementsEqual(bytes[index..<end]) }) {
                    raw.append(
                        RawToken(
                            display: 0..<0, folded: 0..<0, digits: 0, letters: 0, joinedToPrevious: false, mask: mask,
                            source: index..<end, startsSentence: sentenceStart, question: openQuestion,
                            opensQuestion: questionJustOpened))
                    raw[raw.count - 1].writtenMask = true
                    hasDigitsOrMask = true
                    questionJustOpened = false
                    sentenceStart = false
                }
                index = end
                continue
            }
            if byte < 0x80 {
                if Self.isASCIILetterOrDigit(byte) {
                    // A run of ASCII letters and digits (most of a Spanish word) is copied in one
                    // append, lowercased in place; nothing inside a run changes any other state.
                    openToken()
                    var end = index &+ 1
                    var upper = byte <= 0x5A && byte >= 0x41
                    var runDigits = byte <= 0x39 ? 1 : 0
                    while end < count {
                        let next = bytes[end]
                        guard Self.isASCIILetterOrDigit(next) else { break }
                        if next <= 0x39 { runDigits &+= 1 } else if next <= 0x5A { upper = true }
                        end &+= 1
                    }
                    appendASCIIRun(UnsafeBufferPointer(rebasing: bytes[index..<end]), lowercasing: upper)
                    digits &+= runDigits
                    letters &+= end &- index &- runDigits
                    index = end
                    continue
                } else if byte == 0x40 {
                    // A lone «@» (an address typed or transcribed with spaces): the word
                    // «arroba», so the e-mail around it is masked like a dictated one.
                    closeToken()
                    let displayStart = lowered.count, foldedStart = foldedScratch.count
                    lowered.append(contentsOf: Self.arroba)
                    foldedScratch.append(contentsOf: Self.arroba)
                    let folded = foldedStart..<foldedScratch.count
                    raw.append(
                        RawToken(
                            display: displayStart..<lowered.count, folded: folded,
                            digits: 0, letters: Self.arroba.count, joinedToPrevious: false, mask: nil,
                            source: index..<(index + 1), startsSentence: sentenceStart, question: openQuestion,
                            opensQuestion: questionJustOpened,
                            classes: classifyScanned(folded: folded, digits: 0, letters: Self.arroba.count)))
                    questionJustOpened = false
                    sentenceStart = false
                    joined = false
                } else {
                    closeToken()
                    if !Self.isNumberJoiner(byte) { joined = false }
                    switch byte {
                    case 0x3F:  // ?
                        if !raw.isEmpty { raw[raw.count - 1].question = true }
                        sentenceStart = true; openQuestion = false
                    case 0x21, 0x3B:  // ! ;
                        sentenceStart = true; openQuestion = false
                    case 0x3A:  // : ends a sentence, but not inside a time (10:30)
                        if !Self.isBetweenDigits(bytes, index) { sentenceStart = true; openQuestion = false }
                    case 0x2E:
                        // . ends a sentence unless it sits between digits (1.500, 28.456.912), ends
                        // an abbreviation (Sr. García), or is an ellipsis before a lowercase word
                        // («Quiero... dar de baja»: a pause, not an end).
                        if index + 1 < count && bytes[index + 1] == 0x2E {
                            var end = index
                            while end + 1 < count && bytes[end + 1] == 0x2E { end += 1 }
                            if Self.continuesInLowercase(bytes, from: end + 1) { pause = true } else { sentenceStart = true; openQuestion = false }
                            index = end
                        } else if !Self.isBetweenDigits(bytes, index) && !endsAbbreviation(at: index, bytes) {
                            sentenceStart = true; openQuestion = false
                        }
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
                } else if byte == 0xE2 && bytes[index + 1] == 0x80 && bytes[index + 2] == 0xA6 {  // …
                    if Self.continuesInLowercase(bytes, from: index + 3) { pause = true } else { sentenceStart = true; openQuestion = false }
                }
            }
            index &+= length
        }
        closeToken()
    }

    // MARK: Token post-processing

    func foldedBytesEqual(_ left: RawToken, _ right: RawToken) -> Bool {
        if left.mask != nil || right.mask != nil { return left.mask == right.mask }
        guard left.folded.count == right.folded.count else { return false }
        var leftIndex = left.folded.lowerBound, rightIndex = right.folded.lowerBound
        while leftIndex < left.folded.upperBound {
            if foldedScratch[leftIndex] != foldedScratch[rightIndex] { return false }
            leftIndex &+= 1; rightIndex &+= 1
        }
        return true
    }

    func token(_ token: RawToken, is word: [UInt8]) -> Bool {
        guard token.mask == nil, token.folded.count == word.count else { return false }
        var index = token.folded.lowerBound
        for byte in word {
            if foldedScratch[index] != byte { return false }
            index &+= 1
        }
        return true
    }
}

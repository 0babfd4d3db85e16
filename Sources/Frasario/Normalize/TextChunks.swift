import Foundation

/// Whole chunks between spaces that are not words: emoticons, web addresses, e-mail
/// addresses and ASR markup, recognised while scanning.
extension Normalizer {
    static let emoticons: Set<[UInt8]> = Set(
        [
            ":)", ":-)", ":(", ":-(", ":d", ":-d", ";)", ";-)", ":p", ":-p", "xd", ":'(", "<3", ":/", ":v", "^^", ":3", "=)", "=(",
        ].map { Array($0.utf8) })

    /// A chat emoticon standing alone between spaces (":)", "xD", "<3"): dropped like emojis.
    static func emoticonChunkEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        switch bytes[start] {
        case 0x3A, 0x3B, 0x78, 0x58, 0x3C, 0x5E, 0x3D: break  // : ; x X < ^ =
        default: return nil
        }
        var end = start
        while end < bytes.count && !isSpace(bytes[end]) && end - start <= 4 { end += 1 }
        guard end - start >= 2, end - start <= 4, end == bytes.count || isSpace(bytes[end]) else { return nil }
        let chunk = bytes[start..<end].map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        return emoticons.contains(chunk) ? end : nil
    }

    /// A web address (`http://…`, `https://…`, `www.…`) up to the next space: masked as `<url>`.
    static func urlChunkEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        func has(_ prefix: StaticString) -> Bool {
            let count = prefix.utf8CodeUnitCount
            guard start + count <= bytes.count else { return false }
            for index in 0..<count where bytes[start + index] | 0x20 != prefix.utf8Start[index] | 0x20 { return false }
            return true
        }
        let first = bytes[start] | 0x20
        guard first == UInt8(ascii: "h") || first == UInt8(ascii: "w") else { return nil }
        guard has("http://") || has("https://") || has("www.") else { return nil }
        var end = start
        while end < bytes.count && !isSpace(bytes[end]) { end += 1 }
        return end
    }

    /// Words that speech engines and transcribers put in parentheses for what is not speech.
    static let parenthesizedMarkup: Set<String> = [
        "inaudible", "ininteligible", "incomprensible", "risas", "risa", "ruido", "ruidos", "silencio", "musica",
        "pausa", "tos", "llanto", "interferencia", "crosstalk", "noise", "laughter", "laughs", "music", "silence",
        "unintelligible", "cough", "beep", "pitido",
    ]

    /// Where ASR markup that starts at `start` ends: `[anything short]`, `<tag>` or `(word)`
    /// for a word of `parenthesizedMarkup`. Nil when the bracket is not markup ("(55) 1234").
    static func markupEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
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
    static func emailChunkEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
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
}

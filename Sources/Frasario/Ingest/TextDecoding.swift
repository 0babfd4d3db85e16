/// Turns raw bytes into text the way exports from contact-center tools need:
/// UTF-8 with or without BOM, and Windows-1252 for files written by Windows tools.
enum TextDecoding {
    /// The result of decoding one file or line.
    struct Decoded {
        var text: String
        /// True when the bytes were not valid UTF-8 and were read as Windows-1252.
        var usedWindows1252: Bool
    }

    /// True when the bytes look like a binary file rather than text (NUL bytes or many control bytes).
    static func looksBinary<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8 {
        var control = 0
        var seen = 0
        for byte in bytes.prefix(8192) {
            seen += 1
            if byte == 0 { return true }
            if byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D && byte != 0x0C { control += 1 }
        }
        return seen > 0 && control * 10 > seen
    }

    /// Length of a leading UTF-8 byte order mark, 0 or 3.
    static func byteOrderMarkLength<C: Collection>(_ bytes: C) -> Int where C.Element == UInt8 {
        var iterator = bytes.makeIterator()
        return (iterator.next() == 0xEF && iterator.next() == 0xBB && iterator.next() == 0xBF) ? 3 : 0
    }

    /// True when the bytes start with a UTF-16 byte order mark.
    static func hasUTF16ByteOrderMark<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8 {
        var iterator = bytes.makeIterator()
        let first = iterator.next(), second = iterator.next()
        return (first == 0xFF && second == 0xFE) || (first == 0xFE && second == 0xFF)
    }

    /// True when the bytes are valid UTF-8 (validated in place, no copy when contiguous).
    static func isValidUTF8(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.withUnsafeBufferPointer { String(validating: $0, as: UTF8.self) != nil }
    }

    /// Decodes bytes as UTF-8 (a BOM is dropped); falls back to Windows-1252 when they are not valid UTF-8.
    static func decode<C: Collection>(_ bytes: C) -> Decoded where C.Element == UInt8 {
        let body = bytes.dropFirst(byteOrderMarkLength(bytes))
        if let text = String(validating: body, as: UTF8.self) {
            return Decoded(text: text, usedWindows1252: false)
        }
        var scalars = String.UnicodeScalarView()
        for byte in body { scalars.append(windows1252Scalar(byte)) }
        return Decoded(text: String(scalars), usedWindows1252: true)
    }

    /// Windows-1252 differs from Latin-1 only in 0x80–0x9F (curly quotes, €, dashes…).
    private static func windows1252Scalar(_ byte: UInt8) -> Unicode.Scalar {
        guard byte >= 0x80 && byte <= 0x9F else { return Unicode.Scalar(byte) }
        let table: [UInt32] = [
            0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
            0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
            0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
            0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
        ]
        return Unicode.Scalar(table[Int(byte - 0x80)]) ?? "\u{FFFD}"
    }
}

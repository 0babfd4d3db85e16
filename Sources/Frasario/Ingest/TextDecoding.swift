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

    /// Decodes bytes as UTF-8 (a BOM is dropped). Bytes that are not part of a valid UTF-8
    /// sequence are read as Windows-1252, one by one: a file written by a Windows tool reads
    /// right, and one stray byte in a UTF-8 file costs that byte, not every «ñ» of the file.
    static func decode<C: Collection>(_ bytes: C) -> Decoded where C.Element == UInt8 {
        let body = Array(bytes.dropFirst(byteOrderMarkLength(bytes)))
        if let text = String(validating: body, as: UTF8.self) {
            return Decoded(text: text, usedWindows1252: false)
        }
        var scalars = String.UnicodeScalarView()
        var index = 0
        while index < body.count {
            if let (scalar, length) = utf8Scalar(body, at: index) {
                scalars.append(scalar)
                index += length
            } else {
                scalars.append(windows1252Scalar(body[index]))
                index += 1
            }
        }
        return Decoded(text: String(scalars), usedWindows1252: true)
    }

    /// The well-formed UTF-8 sequence at `index` (shortest form, no surrogates), if any.
    private static func utf8Scalar(_ bytes: [UInt8], at index: Int) -> (Unicode.Scalar, Int)? {
        let lead = bytes[index]
        if lead < 0x80 { return (Unicode.Scalar(lead), 1) }
        let length: Int, minimum: UInt32
        var value: UInt32
        switch lead {
        case 0xC2...0xDF: (length, minimum, value) = (2, 0x80, UInt32(lead & 0x1F))
        case 0xE0...0xEF: (length, minimum, value) = (3, 0x800, UInt32(lead & 0x0F))
        case 0xF0...0xF4: (length, minimum, value) = (4, 0x10000, UInt32(lead & 0x07))
        default: return nil
        }
        guard index + length <= bytes.count else { return nil }
        for offset in 1..<length {
            let byte = bytes[index + offset]
            guard byte & 0xC0 == 0x80 else { return nil }
            value = value << 6 | UInt32(byte & 0x3F)
        }
        guard value >= minimum, let scalar = Unicode.Scalar(value) else { return nil }
        return (scalar, length)
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

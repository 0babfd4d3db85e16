/// LEB128 varints: the compact unsigned integers of spools, partials and the history's
/// phrase tables (7 bits a byte, the high bit set on every byte but the last).
enum Varint {
    static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    /// The varint at `position`, which moves past it; nil when the bytes end first or the
    /// number does not fit 64 bits.
    static func read<Bytes: Collection>(_ bytes: Bytes, at position: inout Bytes.Index) -> UInt64? where Bytes.Element == UInt8 {
        var value: UInt64 = 0, shift: UInt64 = 0
        while position < bytes.endIndex, shift < 64 {
            let byte = bytes[position]
            position = bytes.index(after: position)
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
        return nil
    }
}

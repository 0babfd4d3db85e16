/// Up to 8 token ids packed into three words (24 bits each, stored as id + 1 so 0 means "no token").
/// Packing makes an n-gram a fixed-size value: hashing and comparing it never touches token bytes.
struct NGramKey: Hashable, Sendable {
    static let maxLength = 8
    static let maxTokenID: UInt32 = (1 << 24) - 2

    var words: (UInt64, UInt64, UInt64) = (0, 0, 0)
    private var storedLength: UInt8 = 0

    /// Number of tokens.
    var length: Int { Int(storedLength) }

    init() {}

    init<S: Sequence>(ids: S) where S.Element == UInt32 {
        for id in ids { append(id) }
    }

    @inline(__always)
    mutating func append(_ id: UInt32) {
        assert(length < Self.maxLength && id <= Self.maxTokenID)
        let value = UInt64(id &+ 1)
        switch length {
        case 0...1: words.0 |= value << (24 * UInt64(length))
        case 2: words.0 |= value << 48; words.1 |= value >> 16
        case 3...4: words.1 |= value << (24 * UInt64(length - 3) + 8)
        case 5: words.1 |= value << 56; words.2 |= value >> 8
        default: words.2 |= value << (24 * UInt64(length - 6) + 16)
        }
        storedLength &+= 1
    }

    /// The token id at `position`.
    func id(at position: Int) -> UInt32 {
        let bit = 24 * position
        let word = bit / 64, offset = bit % 64
        let pick: (Int) -> UInt64 = { index in index == 0 ? self.words.0 : index == 1 ? self.words.1 : self.words.2 }
        var value = pick(word) >> UInt64(offset)
        if offset > 40 { value |= pick(word + 1) << UInt64(64 - offset) }
        return UInt32(value & 0xFF_FFFF) &- 1
    }

    var ids: [UInt32] { (0..<length).map { id(at: $0) } }

    /// The key without its last token, built in place (no array).
    var droppingLast: NGramKey {
        var key = NGramKey()
        for position in 0..<max(0, length - 1) { key.append(id(at: position)) }
        return key
    }

    /// The key without its first token, built in place (no array).
    var droppingFirst: NGramKey {
        var key = NGramKey()
        for position in min(1, length)..<length { key.append(id(at: position)) }
        return key
    }

    static func == (lhs: NGramKey, rhs: NGramKey) -> Bool {
        lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1 && lhs.words.2 == rhs.words.2
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(words.0 &* 0x9E37_79B9_7F4A_7C15 ^ words.1 &* 0xC2B2_AE3D_27D4_EB4F ^ words.2)
    }

}

extension NGramKey {
    /// A fast, process-independent hash of the packed words (no `Hasher`, no seeding).
    @inline(__always)
    var hash64: UInt64 { Hashing.mix(words.0 &+ Hashing.mix(words.1 &+ Hashing.mix(words.2))) }
}

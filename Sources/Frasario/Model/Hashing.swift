/// The hashes whose values are stored (the history's phrase identities, partial checksums) or
/// must not depend on the process (`Hasher` is seeded per run): FNV-1a and SplitMix64, written
/// once. Changing either changes stored data: bump the history or partial format with it.
enum Hashing {
    /// FNV-1a's 64-bit offset basis and prime.
    static let fnvOffsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    static let fnvPrime: UInt64 = 0x0000_0100_0000_01b3

    /// One FNV-1a step.
    @inline(__always)
    static func fnv(_ hash: UInt64, _ byte: UInt8) -> UInt64 { (hash ^ UInt64(byte)) &* fnvPrime }

    /// SplitMix64's increment (the golden ratio), for a stream of seeded values.
    static let splitMixIncrement: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// SplitMix64's finalizer: spreads every input bit over the whole word.
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var mixed = value
        mixed ^= mixed >> 30
        mixed &*= 0xBF58_476D_1CE4_E5B9
        mixed ^= mixed >> 27
        mixed &*= 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}

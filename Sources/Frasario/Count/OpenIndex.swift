/// A key that hashes itself with a fast, process-independent mix (no `Hasher`, no seeding).
protocol PackedKey: Equatable, Sendable {
    var hash64: UInt64 { get }
}

/// Maps packed keys to dense entry numbers 0, 1, 2… in insertion order. Values live in
/// parallel arrays owned by the caller, indexed by entry, so the probe loop touches only
/// 8-byte slots (a 32-bit hash tag and the entry number) and compares keys on a tag hit.
/// Open addressing, linear probing, power-of-two size, load factor at most 1/2.
/// - Complexity: amortized O(1) per `findOrInsert`.
struct OpenIndex<Key: PackedKey>: Sendable {
    private(set) var keys: [Key] = []
    private var slots: [UInt64]
    private var mask: Int

    init(capacity: Int = 1 << 12) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [UInt64](repeating: 0, count: size)
        mask = size - 1
    }

    var count: Int { keys.count }

    /// The entry of `key`, inserting it when new (`inserted` tells which).
    @inline(__always)
    mutating func findOrInsert(_ key: Key) -> (entry: Int, inserted: Bool) {
        let hash = key.hash64
        let tag = hash >> 32
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let value = slots[slot]
            if value == 0 { break }
            if value >> 32 == tag {
                let entry = Int(truncatingIfNeeded: value & 0xFFFF_FFFF) &- 1
                if keys[entry] == key { return (entry, false) }
            }
            slot = (slot &+ 1) & mask
        }
        let entry = keys.count
        keys.append(key)
        slots[slot] = tag << 32 | UInt64(entry &+ 1)
        if keys.count &* 2 > slots.count { grow() }
        return (entry, true)
    }

    /// The entry of `key`, if present.
    func find(_ key: Key) -> Int? {
        let hash = key.hash64
        let tag = hash >> 32
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let value = slots[slot]
            if value == 0 { return nil }
            if value >> 32 == tag {
                let entry = Int(truncatingIfNeeded: value & 0xFFFF_FFFF) &- 1
                if keys[entry] == key { return entry }
            }
            slot = (slot &+ 1) & mask
        }
    }

    mutating func reserveCapacity(_ capacity: Int) {
        keys.reserveCapacity(capacity)
        while capacity &* 2 > slots.count { grow() }
    }

    private mutating func grow() {
        let size = slots.count * 2
        var grown = [UInt64](repeating: 0, count: size)
        let newMask = size - 1
        for (entry, key) in keys.enumerated() {
            let hash = key.hash64
            var slot = Int(truncatingIfNeeded: hash) & newMask
            while grown[slot] != 0 { slot = (slot &+ 1) & newMask }
            grown[slot] = (hash >> 32) << 32 | UInt64(entry + 1)
        }
        slots = grown
        mask = newMask
    }
}

@inline(__always)
func mix64(_ value: UInt64) -> UInt64 {
    var mixed = value
    mixed ^= mixed >> 30
    mixed &*= 0xBF58_476D_1CE4_E5B9
    mixed ^= mixed >> 27
    mixed &*= 0x94D0_49BB_1331_11EB
    return mixed ^ (mixed >> 31)
}

extension NGramKey: PackedKey {
    @inline(__always)
    var hash64: UInt64 { mix64(words.0 &+ mix64(words.1 &+ mix64(words.2))) }
}

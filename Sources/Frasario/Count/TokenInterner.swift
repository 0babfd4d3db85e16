/// Maps token bytes to dense `UInt32` ids, storing each distinct token once in one byte arena.
/// Open addressing with linear probing over a power-of-two slot array; no allocation per lookup.
/// - Complexity: amortized O(token length) per `intern`.
struct TokenInterner: Sendable {
    private(set) var arena: [UInt8] = []
    private var starts: [Int] = [0]
    private var hashes: [UInt64] = []
    private var slots: [UInt32]  // id + 1, 0 = empty
    private var mask: Int

    init(capacity: Int = 1 << 14) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [UInt32](repeating: 0, count: size)
        mask = size - 1
    }

    /// Bytes held, estimated from the arrays' capacities.
    var estimatedBytes: Int { arena.capacity + starts.capacity * 8 + hashes.capacity * 8 + slots.count * 4 }

    /// Number of distinct tokens.
    var count: Int { hashes.count }

    /// A hash of token `id`'s bytes: the same in every process and every worker, whatever the id.
    @inline(__always)
    func contentHash(_ id: UInt32) -> UInt64 { hashes[Int(id)] }

    /// The bytes of token `id`.
    func bytes(_ id: UInt32) -> ArraySlice<UInt8> { arena[starts[Int(id)]..<starts[Int(id) + 1]] }

    /// Appends the bytes of token `id` to `bytes`: no slice of the arena (and no reference count
    /// traffic) per token, where millions of keys are spelled out.
    @inline(__always)
    func appendBytes(of id: UInt32, to bytes: inout [UInt8]) {
        let start = starts[Int(id)]
        let end = starts[Int(id) + 1]
        // SAFETY: start..<end lies inside the arena (an id's start and end are written when it
        // is interned, and the arena only grows); the pointer is not kept past the call.
        arena.withUnsafeBufferPointer { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: $0[start..<end])) }
    }

    func string(_ id: UInt32) -> String { String(decoding: bytes(id), as: UTF8.self) }

    /// FNV-1a: stable across processes (unlike `Hasher`), good enough for short words.
    @inline(__always)
    static func hash<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
        var hash = Hashing.fnvOffsetBasis
        for byte in bytes { hash = Hashing.fnv(hash, byte) }
        return hash ^ (hash >> 29)
    }

    /// The id of `bytes`, adding it when new.
    mutating func intern<C: Collection>(_ bytes: C) -> UInt32 where C.Element == UInt8 {
        let hash = Self.hash(bytes)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { break }
            let id = Int(entry &- 1)
            if hashes[id] == hash && arena[starts[id]..<starts[id + 1]].elementsEqual(bytes) { return UInt32(id) }
            slot = (slot &+ 1) & mask
        }
        let id = UInt32(hashes.count)
        arena.append(contentsOf: bytes)
        starts.append(arena.count)
        hashes.append(hash)
        slots[slot] = id &+ 1
        if hashes.count * 2 > slots.count { grow() }
        return id
    }

    /// The id of `bytes` when already interned.
    func lookup<C: Collection>(_ bytes: C) -> UInt32? where C.Element == UInt8 {
        let hash = Self.hash(bytes)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { return nil }
            let id = Int(entry &- 1)
            if hashes[id] == hash && arena[starts[id]..<starts[id + 1]].elementsEqual(bytes) { return UInt32(id) }
            slot = (slot &+ 1) & mask
        }
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = [UInt32](repeating: 0, count: size)
        mask = size - 1
        for (id, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] != 0 { slot = (slot &+ 1) & mask }
            slots[slot] = UInt32(id + 1)
        }
    }
}

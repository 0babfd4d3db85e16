/// A blocked Bloom filter of n-gram hashes: says whether an n-gram may be in a set, or is
/// certainly not, with one cache line read per question. Level-wise counting asks it, for every
/// position, whether the shorter n-grams there are frequent: the set of frequent n-grams is
/// small enough for the filter to stay in cache, where the count table is not. A false "may"
/// only makes a candidate of an n-gram that is then counted and found rare; it never loses one.
struct NGramFilter: Sendable {
    /// Blocks of 512 bits (8 words, one cache line).
    private var words: [UInt64]
    private let blockMask: UInt64

    /// A filter for about `expected` n-grams, 16 bits each (false positives near 0.2%).
    init(expected: Int) {
        var blocks = 1
        while blocks * 512 < max(expected, 1) * 16 { blocks <<= 1 }
        words = [UInt64](repeating: 0, count: blocks * 8)
        blockMask = UInt64(blocks - 1)
    }

    mutating func insert(_ hash: UInt64) {
        let block = Int(truncatingIfNeeded: (hash >> 36) & blockMask) &* 8
        for probe in 0..<4 {
            let bit = Int(truncatingIfNeeded: hash >> (UInt64(probe) &* 9)) & 511
            words[block &+ bit >> 6] |= 1 << UInt64(bit & 63)
        }
    }

    /// False only for a hash never inserted.
    @inline(__always)
    func mayContain(_ hash: UInt64) -> Bool {
        let block = Int(truncatingIfNeeded: (hash >> 36) & blockMask) &* 8
        return words.withUnsafeBufferPointer { buffer in
            var all = true
            for probe in 0..<4 {
                let bit = Int(truncatingIfNeeded: hash >> (UInt64(probe) &* 9)) & 511
                // SAFETY: block + bit / 64 < blocks × 8 = buffer.count (block ≤ blockMask × 8, bit < 512).
                all = all && buffer[block &+ bit >> 6] & (1 << UInt64(bit & 63)) != 0
            }
            return all
        }
    }
}

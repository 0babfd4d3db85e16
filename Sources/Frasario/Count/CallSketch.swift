/// The calls a phrase was said in, as the `capacity` smallest hashes of their call ids (a
/// bottom-k sketch): exact while the phrase is said in at most `capacity` calls, an unbiased
/// estimate beyond, in bounded memory. Sketches merge by union, in any order, so the calls of
/// a topic do not depend on how the input was split into shards.
struct CallSketch: Sendable, Equatable {
    /// Hashes kept per phrase: 8,192 (64 KiB); beyond it the relative error of a union is
    /// about 1 %.
    static let capacity = 8192

    /// Sorted ascending, unique, at most `capacity` once `normalize()`d.
    private(set) var hashes: [UInt64] = []
    /// True when `hashes` holds every call (never truncated).
    private(set) var isExact = true
    private var pending = 0
    /// Once truncated, the largest hash kept: larger ones can never enter.
    private var threshold = UInt64.max

    init() {}

    init(hashes: [UInt64]) {
        self.hashes = hashes
        normalize()
    }

    /// A sketch as `hashes` and `isExact` left it (read back from a quote task's result).
    init(restoring hashes: [UInt64], isExact: Bool) {
        self.hashes = hashes
        self.isExact = isExact
        normalize()
    }

    /// A well-mixed 64-bit hash of a call id (splitmix64's finalizer over FNV-1a).
    static func hash(callID: some Collection<UInt8>) -> UInt64 {
        Hashing.mix(TokenInterner.hash(callID))
    }

    mutating func insert(_ hash: UInt64) {
        if hash > threshold { return }
        hashes.append(hash)
        pending += 1
        if pending >= Self.capacity { normalize() }
    }

    mutating func merge(_ other: CallSketch) {
        hashes += other.hashes
        isExact = isExact && other.isExact
        normalize()
    }

    /// Sorts, removes repeats, keeps the `capacity` smallest.
    mutating func normalize() {
        hashes.sort()
        var unique: [UInt64] = []
        unique.reserveCapacity(hashes.count)
        for hash in hashes where unique.last != hash { unique.append(hash) }
        if unique.count > Self.capacity {
            unique.removeSubrange(Self.capacity...)
            isExact = false
        }
        if !isExact, let last = unique.last { threshold = last }
        hashes = unique
        pending = 0
    }

    /// The number of calls: exact, or estimated from the k-th smallest hash.
    var count: Int {
        if isExact { return hashes.count }
        guard let last = hashes.last, last > 0 else { return hashes.count }
        return Int((Double(hashes.count - 1) / (Double(last) / 18_446_744_073_709_551_616.0)).rounded())
    }

    /// The sketch of the calls in either set.
    func union(_ other: CallSketch) -> CallSketch {
        var result = self
        result.merge(other)
        return result
    }

    /// Calls in both sets: exact when both sketches are, else the union's count times the
    /// share of its sampled calls that both hold.
    func intersectionCount(_ other: CallSketch) -> Int {
        if isExact && other.isExact { return Self.commonCount(hashes, other.hashes) }
        let union = self.union(other)
        guard !union.hashes.isEmpty else { return 0 }
        // Only hashes under both sketches' thresholds are known to be in or out of both.
        let threshold = Swift.min(isExact ? UInt64.max : hashes.last ?? 0, other.isExact ? UInt64.max : other.hashes.last ?? 0)
        let sample = union.hashes.filter { $0 <= threshold }
        guard !sample.isEmpty else { return 0 }
        let both = Self.commonCount(sample, Self.commonHashes(hashes, other.hashes))
        return Int((Double(both) / Double(sample.count) * Double(union.count)).rounded())
    }

    private static func commonHashes(_ left: [UInt64], _ right: [UInt64]) -> [UInt64] {
        var result: [UInt64] = []
        var i = 0, j = 0
        while i < left.count && j < right.count {
            if left[i] == right[j] { result.append(left[i]); i += 1; j += 1 } else if left[i] < right[j] { i += 1 } else { j += 1 }
        }
        return result
    }

    private static func commonCount(_ left: [UInt64], _ right: [UInt64]) -> Int {
        var count = 0, i = 0, j = 0
        while i < left.count && j < right.count {
            if left[i] == right[j] { count += 1; i += 1; j += 1 } else if left[i] < right[j] { i += 1 } else { j += 1 }
        }
        return count
    }
}

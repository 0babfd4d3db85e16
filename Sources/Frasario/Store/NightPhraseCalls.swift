/// Every phrase's calls on one night, in each speaker view, exactly: what lets a later night
/// call a phrase «nueva» only when it truly was absent, and never show an invented zero.
///
/// Phrases are identified by a 64-bit FNV-1a hash of their counted text (lowercase, accents
/// folded, words joined by one space): with a few million phrases a night, two phrases share
/// a hash with a probability below 10⁻⁶. A phrase absent from the table had fewer than
/// `floor` calls that night: none at all when `floor` is 1 (the table holds every phrase
/// that can ever be a row: phrases said only in function words, or ending in one, are left out)
/// or when the phrase has at most `completeLength` words (every one said is listed), or when
/// one of its parts of `completeLength` words is absent (a phrase is said in no more calls
/// than any part of it).
struct NightPhraseCalls: Sendable, Equatable {
    /// The speaker views a phrase's calls are kept in (keywords use the customer view).
    enum View: Int, CaseIterable, Sendable {
        case customer, questions, agent, all
    }

    /// Phrases said in fewer calls (in the `all` view) are not listed; 1 when every phrase is.
    var floor: Int
    /// Phrases of at most this many words are all listed, whatever their calls (0: none is).
    var completeLength: Int
    /// The night counted phrases up to this many words (its --max-n): a longer phrase is
    /// listed only when it was a row (a whole phrase), so its absence proves nothing by itself.
    var longestLength: Int
    /// Sorted, unique.
    private(set) var hashes: [UInt64]
    /// `View.allCases.count` values per hash, in `View` order.
    private(set) var calls: [UInt32]

    init(floor: Int, completeLength: Int = 0, longestLength: Int = NGramKey.maxLength, hashes: [UInt64], calls: [UInt32]) {
        self.floor = floor
        self.completeLength = completeLength
        self.longestLength = longestLength
        self.hashes = hashes
        self.calls = calls
    }

    var count: Int { hashes.count }

    /// The view whose calls a ranking's trend compares.
    static func view(of kind: RankingKind) -> View {
        switch kind {
        case .customer, .keywords: return .customer
        case .customerQuestions: return .questions
        case .agent: return .agent
        case .all: return .all
        }
    }

    /// The calls of the phrase with `hash` in `view`: exact when listed, 0 when the table
    /// lists every phrase, nil (unknown, below `floor`) otherwise.
    func calls(of hash: UInt64, view: View) -> Int? {
        if let listed = listedCalls(of: hash, view: view) { return listed }
        return floor <= 1 ? 0 : nil
    }

    /// The calls of `phrase` (its counted text) in `view`: exact when listed; 0 when it is
    /// known to be absent (see the type's comment); nil (unknown, below `floor`) otherwise.
    func calls(ofPhrase phrase: String, view: View) -> Int? {
        figure(ofPhrase: phrase, view: view).calls
    }

    /// What the night says of `phrase` (its counted text) in `view`: its calls, exact or
    /// known to be 0; else nil and the most calls it can have had (nil: no bound is known).
    /// A phrase longer than the night's `longestLength` was not counted as such: it is 0 when
    /// one of its parts is known absent (a part as short as `completeLength`, or a part the
    /// night would have listed, per `listable`, on a night that lists every phrase), and
    /// otherwise said in no more calls than any of its parts, which bounds it.
    /// - Parameter listable: whether the words in a range of the phrase would have been
    ///   listed had they been said (`NightPhraseCalls.lists(_:context:)`).
    func figure(ofPhrase phrase: String, view: View, listable: (Range<Int>) -> Bool = { _ in false }) -> (calls: Int?, most: Int?) {
        let words = phrase.utf8.split(separator: 0x20, omittingEmptySubsequences: false)
        if let listed = listedCalls(of: Self.hash(words: words), view: view) { return (listed, nil) }
        if words.count <= completeLength { return (0, nil) }
        if completeLength > 0 {
            for start in 0...(words.count - completeLength) {
                let part = words[start..<(start + completeLength)]
                if (listedCalls(of: Self.hash(words: part), view: view) ?? 0) == 0 { return (0, nil) }
            }
        }
        if words.count <= longestLength {
            return floor <= 1 ? (0, nil) : (nil, floor - 1)
        }
        // Longer than what the night counted: bounded by its parts, 0 if one is surely absent.
        var most: Int? = nil
        for length in stride(from: 2, through: longestLength, by: 1) {
            for start in 0...(words.count - length) {
                let range = start..<(start + length)
                if let listed = listedCalls(of: Self.hash(words: words[range]), view: view) {
                    most = min(most ?? listed, listed)
                } else if listable(range) {
                    if floor <= 1 { return (0, nil) }
                    most = min(most ?? (floor - 1), floor - 1)
                }
            }
        }
        return (nil, most)
    }

    private func listedCalls(of hash: UInt64, view: View) -> Int? {
        var low = 0, high = hashes.count
        while low < high {
            let middle = (low + high) / 2
            if hashes[middle] < hash { low = middle + 1 } else { high = middle }
        }
        guard low < hashes.count && hashes[low] == hash else { return nil }
        return Int(calls[low * View.allCases.count + view.rawValue])
    }

    /// The identity of a phrase across nights: FNV-1a over its counted text's bytes.
    static func hash<Words: Sequence>(words: Words) -> UInt64 where Words.Element: Collection, Words.Element.Element == UInt8 {
        var hash = Hashing.fnvOffsetBasis
        var first = true
        for word in words {
            if !first { hash = Hashing.fnv(hash, 0x20) }
            first = false
            for byte in word { hash = Hashing.fnv(hash, byte) }
        }
        return hash
    }

    static func hash(text: String) -> UInt64 {
        hash(words: text.utf8.split(separator: 0x20, omittingEmptySubsequences: false))
    }

    // MARK: Stored form

    /// Version 2 added `completeLength` (version 1 tables have none: 0), version 3
    /// `longestLength` (earlier tables were all counted up to the default --max-n, 5).
    private static let formatVersion: UInt8 = 3
    private static let legacyLongestLength = 5

    /// Varints: version, entries, floor, complete length, then per entry the hash's delta from
    /// the previous one and its calls per view; deflated.
    func encoded() -> (bytes: [UInt8], rawLength: Int) {
        var raw: [UInt8] = [Self.formatVersion]
        raw.reserveCapacity(hashes.count * 8 + 16)
        Varint.append(UInt64(hashes.count), to: &raw)
        Varint.append(UInt64(floor), to: &raw)
        Varint.append(UInt64(completeLength), to: &raw)
        Varint.append(UInt64(longestLength), to: &raw)
        var previous: UInt64 = 0
        let width = View.allCases.count
        for (index, hash) in hashes.enumerated() {
            Varint.append(hash &- previous, to: &raw)
            previous = hash
            for view in 0..<width { Varint.append(UInt64(calls[index * width + view]), to: &raw) }
        }
        return (Deflate.compress(raw), raw.count)
    }

    /// Nil when the bytes are not a table this version wrote.
    static func decode(_ bytes: [UInt8], rawLength: Int) -> NightPhraseCalls? {
        guard rawLength > 0, rawLength <= bytes.count * Deflate.maximumRatio + 64, let raw = Deflate.decompress(bytes[...], rawLength: rawLength),
            let version = raw.first, (1...formatVersion).contains(version)
        else { return nil }
        var position = 1
        func next() -> UInt64? { Varint.read(raw, at: &position) }
        guard let entries = next(), let floor = next(), entries <= UInt64(raw.count), floor <= UInt64(UInt32.max) else { return nil }
        let completeLength = version == 1 ? 0 : next()
        guard let completeLength, completeLength <= 64 else { return nil }
        let longestLength = version < 3 ? UInt64(legacyLongestLength) : next()
        guard let longestLength, longestLength >= 1, longestLength <= 64 else { return nil }
        let width = View.allCases.count
        var hashes: [UInt64] = [], calls: [UInt32] = []
        hashes.reserveCapacity(Int(entries))
        calls.reserveCapacity(Int(entries) * width)
        var previous: UInt64 = 0
        for _ in 0..<entries {
            guard let delta = next() else { return nil }
            let hash = previous &+ delta
            guard hashes.isEmpty || hash > previous else { return nil }
            hashes.append(hash)
            previous = hash
            for _ in 0..<width {
                guard let value = next(), value <= UInt64(UInt32.max) else { return nil }
                calls.append(UInt32(value))
            }
        }
        guard position == raw.count else { return nil }
        return NightPhraseCalls(
            floor: Int(floor), completeLength: Int(completeLength), longestLength: Int(longestLength), hashes: hashes, calls: calls)
    }
}

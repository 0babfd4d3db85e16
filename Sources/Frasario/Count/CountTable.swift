/// One distinct n-gram: its key and everything counted per occurrence, together in one
/// record so that an occurrence costs one slot probe and one entry access.
struct NGramEntry: Sendable {
    var key: NGramKey
    /// What this n-gram has counted for the call of `callStamp` so far: bit per speaker, bit
    /// 3 = customer question, bit 4 = customer side, bit 5 = agent side. (Beside the key, where
    /// it costs no padding: an entry is 88 bytes.)
    var callMask: UInt8 = 0
    var occurrences = OccurrenceCounts()
    var calls = CallCounts()
    /// The last call (worker-local ordinal) that contained this n-gram.
    var callStamp: UInt32 = 0
    /// Head of this n-gram's list of accented written forms in `surfaceVariants` (+1; 0 = none).
    var surfaceHead: UInt32 = 0
    /// Occurrences this n-gram may have had before it was (re)inserted after a prune:
    /// its true count is at most `occurrences.count + delta` (Lossy Counting).
    var delta: UInt32 = 0

    init(key: NGramKey, delta: UInt32) {
        self.key = key
        self.delta = delta
    }
}

/// A written form of an n-gram that differs from its folded form (accents), and its count.
struct SurfaceVariant: Sendable {
    var display: NGramKey
    var count: UInt32
    var next: UInt32  // +1 index of the next variant of the same n-gram; 0 = end
}

/// A worker's n-gram counts: 1..maxN-grams inside each sentence of each turn, counted on the
/// accent-folded form, with per-call, per-speaker and question figures and written forms.
/// Examples are found afterwards, for ranked phrases only (see `ExampleFinder`).
///
/// The table is purpose-built for the hot loop: open addressing with linear probing over
/// 8-byte slots (a 32-bit hash tag and the entry number), entries in insertion order, no
/// `Hasher`, no allocation per token. Distinct calls are counted at the first occurrence in
/// each call, by stamping the entry with the call's ordinal, so there is no per-call set.
/// Tables merge into one another; the result does not depend on the order of merging.
struct CountTable: Sendable {
    let maxN: Int
    /// The n-gram lengths `add` counts at once: every one up to `maxN` (exact counting of every
    /// n-gram, as a shard's partial needs), or single words and pairs when the longer n-grams
    /// are counted afterwards, level by level, from the recorded token ids (`recordsTokens`,
    /// see CountTable+Levels).
    let directMaxN: Int
    /// Whether `add` keeps each turn's token ids in `tokenRecord` for level-wise counting.
    let recordsTokens: Bool
    /// The turns added since the caller last emptied it, as `TokenRecord` words.
    var tokenRecord: [UInt32] = []
    private var recordedCall: UInt32 = 0
    /// An n-gram absent from the table was said in fewer calls than this (plus the pruning
    /// bound): 1 while the table holds every n-gram said, the ranking thresholds once only
    /// the n-grams that can reach them are kept (`keepFrequent`).
    var absentCallsBelow = 1
    /// N-grams of at most this many tokens are all in the table, however rare (unless pruned):
    /// an absent one was never said, and neither was any longer n-gram containing it.
    var completeLength: Int
    var tokens = TokenInterner()
    /// For each interned token, the id of its accent-folded form (itself when it has no accent).
    var foldedIDs: [UInt32] = []

    // Internal, not private, for the table's own extensions (CountTable+Merge, +Text,
    // Shard/CountTable+Partials); stages use the methods above.
    var entries: [NGramEntry] = []
    var surfaceVariants: [SurfaceVariant] = []
    var slots: [UInt64]
    var slotMask: Int

    var currentCall: UInt32 = 0
    var displayIDs: [UInt32] = []
    var foldedTokenIDs: [UInt32] = []
    /// Which tokens open a question, learnt as tokens are interned, and where the questions
    /// of the sentence being counted start.
    private var questionOpeners = QuestionOpeners()
    private var questionStarts: [Int] = []
    /// The n-grams of the sentence being counted, gathered before any table access so that
    /// the probes run back to back and their cache misses overlap.
    var pending: [PendingNGram] = []

    struct PendingNGram {
        var key: NGramKey
        var surface: NGramKey
        var hash: UInt64
        var accented: Bool
        var question: Bool
        var entry: Int = 0
    }

    /// Memory this table may use before it prunes rare n-grams; nil never prunes.
    let memoryBudget: Int?
    /// The pruning floor F: every n-gram that occurred more than F times is in the table, and its
    /// count (occurrences, calls, per speaker) is at most F below the truth. 0 means exact.
    var countErrorBound: UInt32 = 0
    /// How many times the table pruned.
    var prunes = 0

    /// - Parameter levelwise: count single words as turns are added and record the turns'
    ///   token ids; the longer n-grams are counted afterwards with `countLevel`.
    init(maxN: Int, capacity: Int = 1 << 14, memoryBudget: Int? = nil, levelwise: Bool = false) {
        precondition(maxN >= 1 && maxN <= NGramKey.maxLength)
        self.maxN = maxN
        directMaxN = levelwise ? min(Self.levelwiseDirectLength, maxN) : maxN
        recordsTokens = levelwise
        completeLength = maxN
        self.memoryBudget = memoryBudget
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [UInt64](repeating: 0, count: size)
        slotMask = size - 1
    }

    /// Number of distinct n-grams.
    var count: Int { entries.count }

    /// The key of entry `entry`.
    func key(_ entry: Int) -> NGramKey { entries[entry].key }

    /// Everything known of `key`, or nil when it was never seen.
    func stats(_ key: NGramKey) -> NGramStats? {
        find(key).map(stats(entry:))
    }

    func stats(entry: Int) -> NGramStats {
        NGramStats(occurrences: entries[entry].occurrences, calls: entries[entry].calls)
    }

    // MARK: The index

    /// The entry of `key`, if present.
    func find(_ key: NGramKey) -> Int? {
        let hash = key.hash64
        let tag = hash >> 32
        var slot = Int(truncatingIfNeeded: hash) & slotMask
        while true {
            let value = slots[slot]
            if value == 0 { return nil }
            if value >> 32 == tag {
                let entry = Int(truncatingIfNeeded: value & 0xFFFF_FFFF) &- 1
                if entries[entry].key == key { return entry }
            }
            slot = (slot &+ 1) & slotMask
        }
    }

    /// The entry of `key`, inserting it when new.
    @inline(__always)
    mutating func findOrInsert(_ key: NGramKey) -> Int { findOrInsert(key, hash: key.hash64) }

    @inline(__always)
    mutating func findOrInsert(_ key: NGramKey, hash: UInt64) -> Int {
        let tag = hash >> 32
        var slot = Int(truncatingIfNeeded: hash) & slotMask
        while true {
            let value = slots[slot]
            if value == 0 { break }
            if value >> 32 == tag {
                let entry = Int(truncatingIfNeeded: value & 0xFFFF_FFFF) &- 1
                if entries[entry].key == key { return entry }
            }
            slot = (slot &+ 1) & slotMask
        }
        let entry = entries.count
        entries.append(NGramEntry(key: key, delta: countErrorBound))
        slots[slot] = tag << 32 | UInt64(entry &+ 1)
        if entries.count &* 2 > slots.count { growSlots() }
        return entry
    }

    mutating func growSlots() { rebuildIndex(size: slots.count * 2) }

    /// Re-inserts every entry into a fresh index of `size` slots (a power of two).
    mutating func rebuildIndex(size: Int) {
        var fresh = [UInt64](repeating: 0, count: size)
        let mask = size - 1
        for (entry, record) in entries.enumerated() {
            let hash = record.key.hash64
            var slot = Int(truncatingIfNeeded: hash) & mask
            while fresh[slot] != 0 { slot = (slot &+ 1) & mask }
            fresh[slot] = (hash >> 32) << 32 | UInt64(entry + 1)
        }
        slots = fresh
        slotMask = mask
    }

    // MARK: Counting

    /// Token id of a display form and the id it is counted under: its accent-folded form, or
    /// for numbers and ordinals their canonical form ("tres" → "3", "tercera" → "3º").
    @inline(__always)
    mutating func tokenID<D: Collection, F: Collection>(display: D, folded: F) -> (display: UInt32, folded: UInt32)
    where D.Element == UInt8, F.Element == UInt8 {
        let displayID = tokens.intern(display)
        if Int(displayID) < foldedIDs.count { return (displayID, foldedIDs[Int(displayID)]) }
        foldedIDs.append(displayID)  // placeholder until the counting form is known
        let countedID = display.elementsEqual(folded) ? canonicalID(of: displayID) : canonicalID(of: internKeepingMap(folded))
        foldedIDs[Int(displayID)] = countedID
        return (displayID, countedID)
    }

    /// Interns bytes and keeps `foldedIDs` as long as the token list (new tokens map to themselves).
    mutating func internKeepingMap<C: Collection>(_ bytes: C) -> UInt32 where C.Element == UInt8 {
        let id = tokens.intern(bytes)
        while foldedIDs.count < tokens.count { foldedIDs.append(UInt32(foldedIDs.count)) }
        return id
    }

    /// The counting id of a folded token: a number or ordinal's canonical form, else itself.
    mutating func canonicalID(of id: UInt32) -> UInt32 {
        guard let canonical = SpanishText.canonicalNumber(tokens.string(id)) else { return id }
        let canonicalID = internKeepingMap(Array(canonical.utf8))
        foldedIDs[Int(id)] = canonicalID
        return canonicalID
    }

    /// Bytes the table holds, estimated from its arrays.
    var estimatedBytes: Int {
        entries.capacity * MemoryLayout<NGramEntry>.stride + slots.count * 8
            + surfaceVariants.capacity * MemoryLayout<SurfaceVariant>.stride + tokens.estimatedBytes
    }

    /// Starts a call. (The memory budget is checked after every turn, see `add`.)
    mutating func beginCall() {
        currentCall &+= 1
        if currentCall == 0 {  // wrapped after 4 billion calls: clear stale stamps once
            for entry in entries.indices { entries[entry].callStamp = 0 }
            currentCall = 1
        }
    }

    /// Counts every n-gram of one normalized turn, sentence by sentence (n-grams never cross
    /// sentence punctuation), with the sentence's question flag.
    /// - Complexity: O(tokens × maxN) table updates; no allocation once buffers have grown.
    mutating func add(_ turn: NormalizedTurn, speaker: Speaker) {
        let tokenCount = turn.tokenCount
        guard tokenCount > 0 else { return }
        displayIDs.removeAll(keepingCapacity: true)
        foldedTokenIDs.removeAll(keepingCapacity: true)
        for position in 0..<tokenCount {
            let ids = tokenID(display: turn.display[turn.displayTokens[position]], folded: turn.folded[turn.foldedTokens[position]])
            displayIDs.append(ids.display)
            foldedTokenIDs.append(ids.folded)
        }
        let isAgent = speaker == .agent
        let speakerBits = Self.callBits(of: speaker)
        if !isAgent && questionOpeners.count < tokens.count { questionOpeners.learn(tokens) }
        let recordStart = tokenRecord.count
        if recordsTokens {
            tokenRecord.append(0)  // the turn's length in words, set below
            tokenRecord.append(TokenRecord.header(speaker: speaker, firstOfCall: recordedCall != currentCall))
            tokenRecord.append(UInt32(turn.sentences.count))
            recordedCall = currentCall
        }
        for (sentenceIndex, sentence) in turn.sentences.enumerated() {
            // A customer question is counted from its opening word: an interrogative or an
            // opener anywhere in the sentence («… y cuánto cuesta la anualidad»), the word after
            // a «¿» («quería saber, ¿tienen tienda física?»), or the first
            // content word of a sentence marked «¿…?» without one («¿La oficina tiene aparcamiento?»).
            questionStarts.removeAll(keepingCapacity: true)
            if !isAgent {
                questionOpeners.starts(in: sentence, display: displayIDs, into: &questionStarts)
                for opening in turn.questionOpenings where sentence.contains(opening) {
                    let start = questionOpeners.firstContentWord(in: opening..<sentence.upperBound, display: displayIDs)
                    if !questionStarts.contains(start) { questionStarts.append(start) }
                }
                if questionStarts.isEmpty && turn.sentenceIsQuestion[sentenceIndex] {
                    questionStarts.append(questionOpeners.firstContentWord(in: sentence, display: displayIDs))
                }
            }
            let asks = !questionStarts.isEmpty
            if recordsTokens {
                tokenRecord.append(UInt32(sentence.count))
                for position in sentence {
                    tokenRecord.append(displayIDs[position])
                    let opensQuestion = asks && questionStarts.contains(position)
                    tokenRecord.append(foldedTokenIDs[position] | (opensQuestion ? TokenRecord.questionBit : 0))
                }
            }
            pending.removeAll(keepingCapacity: true)
            for start in sentence {
                var key = NGramKey()
                var surface = NGramKey()
                var accented = false
                let question = asks && questionStarts.contains(start)
                for position in start..<min(start + directMaxN, sentence.upperBound) {
                    key.append(foldedTokenIDs[position])
                    surface.append(displayIDs[position])
                    if displayIDs[position] != foldedTokenIDs[position] { accented = true }
                    pending.append(PendingNGram(key: key, surface: surface, hash: key.hash64, accented: accented, question: question))
                }
                // An unpunctuated ASR turn can be one sentence of millions of words: it is
                // counted in blocks, and the memory budget is checked between blocks.
                if pending.count >= Self.pendingBlock {
                    countPending(speaker: speaker, speakerBits: speakerBits)
                    pruneIfOverBudget()
                }
            }
            countPending(speaker: speaker, speakerBits: speakerBits)
        }
        if recordsTokens { tokenRecord[recordStart] = UInt32(tokenRecord.count - recordStart - 1) }
        pruneIfOverBudget()
    }

    /// N-gram lengths a level-wise table counts while reading, all of them: pairs are where
    /// most n-grams still fit in the cache, and keeping every pair said lets a later night
    /// tell a truly new phrase (one of its pairs never said) from a rare one.
    static let levelwiseDirectLength = 2

    /// Occurrences an n-gram longer than a pair needs to be kept by level-wise counting, for a
    /// ranking that needs `rankingMinimum`, in a corpus of `words`: 1 (every n-gram said) below
    /// `everyPhraseBelow` words, where the whole table is small and one call is a large share
    /// of a night; else at most 2: n-grams said once are most of the distinct ones and are not
    /// kept, those said twice are, so a later night's trend knows a phrase's 2 calls rather
    /// than an unknown below the ranking's threshold.
    static func keptMinimumCount(rankingMinimum: Int, words: Int, everyPhraseBelow: Int) -> Int {
        words < everyPhraseBelow ? 1 : min(rankingMinimum, 2)
    }

    /// The call-mask bits an occurrence by `speaker` sets (see `NGramEntry.callMask`).
    static func callBits(of speaker: Speaker) -> UInt8 {
        switch speaker {
        case .customer: return 0x01 | 0x10
        case .agent: return 0x02 | 0x20
        case .unknown: return 0x04 | 0x10 | 0x20
        }
    }

    /// N-grams gathered before they are counted: bounds the buffer of one huge sentence.
    static let pendingBlock = 1 << 15

    mutating func countPending(speaker: Speaker, speakerBits: UInt8) {
        for index in pending.indices {
            pending[index].entry = findOrInsert(pending[index].key, hash: pending[index].hash)
        }
        for item in pending {
            count(item.entry, speaker: speaker, question: item.question, mask: speakerBits | (item.question ? 0x08 : 0))
            if item.accented { countSurface(item.entry, item.surface) }
        }
        pending.removeAll(keepingCapacity: true)
    }

    /// Inside a call too, the table never outgrows its budget: a pruned n-gram that comes back
    /// later in the same call is re-inserted with delta = F and counts this call once.
    mutating func pruneIfOverBudget() {
        if let memoryBudget, entries.count > 1024, estimatedBytes > memoryBudget { prune(to: memoryBudget / 2) }
    }

    /// Adds one occurrence; the first occurrence of each kind in a call also counts the call.
    @inline(__always)
    private mutating func count(_ entry: Int, speaker: Speaker, question: Bool, mask: UInt8) {
        entries.withUnsafeMutableBufferPointer { buffer in
            // SAFETY: `entry` comes from findOrInsert on this table, so it is in bounds.
            let record = buffer.baseAddress! + entry
            record.pointee.occurrences.count &+= 1
            switch speaker {
            case .customer: record.pointee.occurrences.customer &+= 1
            case .agent: record.pointee.occurrences.agent &+= 1
            case .unknown: record.pointee.occurrences.unknown &+= 1
            }
            if question { record.pointee.occurrences.question &+= 1 }
            if record.pointee.callStamp != currentCall {
                record.pointee.callStamp = currentCall
                record.pointee.callMask = 0
                record.pointee.calls.count &+= 1
            }
            let newBits = mask & ~record.pointee.callMask
            if newBits != 0 {
                record.pointee.callMask |= newBits
                if newBits & 1 != 0 { record.pointee.calls.customer &+= 1 }
                if newBits & 2 != 0 { record.pointee.calls.agent &+= 1 }
                if newBits & 4 != 0 { record.pointee.calls.unknown &+= 1 }
                if newBits & 8 != 0 { record.pointee.calls.question &+= 1 }
                if newBits & 0x10 != 0 { record.pointee.calls.customerSide &+= 1 }
                if newBits & 0x20 != 0 { record.pointee.calls.agentSide &+= 1 }
            }
        }
    }

    mutating func countSurface(_ entry: Int, _ display: NGramKey, by amount: UInt32 = 1) {
        var link = entries[entry].surfaceHead
        while link != 0 {
            let index = Int(link - 1)
            if surfaceVariants[index].display == display {
                surfaceVariants[index].count &+= amount
                return
            }
            link = surfaceVariants[index].next
        }
        surfaceVariants.append(SurfaceVariant(display: display, count: amount, next: entries[entry].surfaceHead))
        entries[entry].surfaceHead = UInt32(surfaceVariants.count)
    }
}

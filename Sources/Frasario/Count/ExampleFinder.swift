/// Finds quotable examples for the ranked phrases only, after counting, by reading the
/// workers' snippet spools once. Keeping examples out of the count table saves most of its
/// memory; choosing them here gives the same deterministic choice: per call the best
/// occurrence, then the three best calls, where "best" is customer questions first, then
/// customer and unlabelled turns, then a hash of the call and the phrase's bytes.
enum ExampleFinder {
    struct Examples: Sendable {
        /// From customer or unlabelled turns.
        var customer = ExampleSlots()
        /// From agent turns, for the agent ranking.
        var agent = ExampleSlots()

        mutating func merge(_ other: Examples) {
            customer.merge(other.customer)
            agent.merge(other.agent)
        }
    }

    /// What one scan finds: the examples of each phrase, the figures of each counted phrase,
    /// and the calls of each sketched phrase.
    typealias Scan = (examples: [NGramKey: Examples], figures: [NGramKey: NGramStats], calls: [NGramKey: CallSketch])

    /// - Parameters:
    ///   - keys: phrases to quote; a key the table does not hold (a whole phrase longer than
    ///     `--max-n`) is found too.
    ///   - counting: phrases longer than `--max-n` to count exactly in the same pass.
    ///   - sketching: phrases whose calls (any speaker) are wanted, for topics.
    /// - Returns: the examples of each key, the figures of each counted phrase, and the calls
    ///   of each sketched phrase.
    static func find(
        _ keys: Set<NGramKey>, counting longKeys: [NGramKey] = [], sketching: Set<NGramKey> = [], counts: CountTable,
        spools: [SnippetSpool], workers: Int
    ) -> Scan {
        let keys = keys.union(sketching)
        guard !keys.isEmpty || !longKeys.isEmpty else { return ([:], [:], [:]) }
        // Dense flags by token id and by table entry: no hashing per token while scanning.
        var firstToken = [Bool](repeating: false, count: counts.tokens.count)
        var ranked = [Bool](repeating: false, count: counts.count)
        var extra: [NGramKey: Int] = [:]
        var extraKeys: [NGramKey] = []
        var firstTokenOfExtra = [Bool](repeating: false, count: counts.tokens.count)
        for key in keys.sorted(by: { $0.ids.lexicographicallyPrecedes($1.ids) }) {
            firstToken[Int(key.id(at: 0))] = true
            if let entry = counts.find(key) {
                ranked[entry] = true
            } else {
                // Only whole phrases longer than --max-n are missing from the table.
                extra[key] = counts.count + extraKeys.count
                extraKeys.append(key)
                firstTokenOfExtra[Int(key.id(at: 0))] = true
            }
        }
        // Entries that begin a wanted phrase: past one that does not, a scan stops extending.
        // Only sound when the table is exact (a pruned table may lack a wanted phrase's prefix).
        var wantedPrefix = [Bool](repeating: counts.countErrorBound > 0, count: counts.count)
        if counts.countErrorBound == 0 {
            for key in keys.union(extraKeys) where key.length > 1 {
                var prefix = NGramKey()
                for position in 0..<min(key.length - 1, counts.maxN) {
                    prefix.append(key.id(at: position))
                    if let entry = counts.find(prefix) { wantedPrefix[entry] = true }
                }
            }
        }
        let longest = max(counts.maxN, extraKeys.map(\.length).max() ?? 0)
        let sketched = Set(sketching.compactMap { counts.find($0) ?? extra[$0] })
        var merged: [Int: Examples] = [:]
        var counted = LongPhraseCounter(longKeys, counts: counts)
        var sketches: [Int: CallSketch] = [:]
        // A few spools per worker at a time, added in spool order as each group ends: the same
        // result as all at once, and memory for one group's findings, however many spools (a
        // quote task or a final merge scans one per partial).
        let group = max(1, workers) * 4
        for start in stride(from: 0, to: spools.count, by: group) {
            let perSpool = Parallel.map(Array(spools[start..<min(start + group, spools.count)]), workers: workers) { spool in
                var scan = SpoolScan(
                    counts: counts, firstToken: firstToken, ranked: ranked, wantedPrefix: wantedPrefix, extra: extra, longest: longest,
                    firstTokenOfExtra: firstTokenOfExtra, sketched: sketched)
                var counter = LongPhraseCounter(longKeys, counts: counts)
                spool.forEachRecord { reference, callID, speaker, text in
                    if scan.record(reference, callID: callID, speaker: speaker, text: text) { counter.beginCall() }
                    counter.record(speaker: speaker, tokens: &scan.tokens)
                }
                scan.flushCall()
                return (scan.results, counter, scan.sketches)
            }
            for (found, counter, calls) in perSpool {
                for (entry, examples) in found { merged[entry, default: Examples()].merge(examples) }
                counted.merge(counter)
                for (entry, sketch) in calls { sketches[entry, default: CallSketch()].merge(sketch) }
            }
        }
        func key(_ entry: Int) -> NGramKey { entry < counts.count ? counts.key(entry) : extraKeys[entry - counts.count] }
        var result: [NGramKey: Examples] = [:]
        for (entry, examples) in merged { result[key(entry)] = examples }
        var calls: [NGramKey: CallSketch] = [:]
        for (entry, sketch) in sketches { calls[key(entry)] = sketch }
        return (result, counted.figures, calls)
    }

    /// The state of one spool's scan.
    private struct SpoolScan {
        let counts: CountTable
        let firstToken: [Bool]
        let ranked: [Bool]
        /// Keys the table does not hold, by pseudo-entry (after the table's entries).
        let extra: [NGramKey: Int]
        let longest: Int
        var results: [Int: Examples] = [:]
        /// The best occurrence per ranked entry and side in the current call.
        var callBest: [Int: Examples] = [:]
        var currentCall: [UInt8] = []
        var tokens: SpoolTokens

        let firstTokenOfExtra: [Bool]
        /// Entries that begin some wanted phrase (all true when the table was pruned).
        let wantedPrefix: [Bool]
        /// Entries whose calls are sketched, and their sketches.
        let sketched: Set<Int>
        var sketches: [Int: CallSketch] = [:]
        var currentCallHash: UInt64 = 0

        init(
            counts: CountTable, firstToken: [Bool], ranked: [Bool], wantedPrefix: [Bool], extra: [NGramKey: Int], longest: Int,
            firstTokenOfExtra: [Bool], sketched: Set<Int>
        ) {
            self.wantedPrefix = wantedPrefix
            self.sketched = sketched
            self.firstTokenOfExtra = firstTokenOfExtra
            self.extra = extra
            self.longest = longest
            self.counts = counts
            self.firstToken = firstToken
            self.ranked = ranked
            tokens = SpoolTokens(counts: counts)
        }

        mutating func flushCall() {
            for (entry, best) in callBest {
                results[entry, default: Examples()].merge(best)
                if sketched.contains(entry) { sketches[entry, default: CallSketch()].insert(currentCallHash) }
            }
            callBest.removeAll(keepingCapacity: true)
        }

        /// Reads one turn and offers its occurrences; true when it starts a new call.
        @discardableResult
        mutating func record(_ reference: SnippetReference, callID: ArraySlice<UInt8>, speaker: Speaker, text: ArraySlice<UInt8>) -> Bool {
            var newCall = false
            if !callID.elementsEqual(currentCall) {
                flushCall()
                currentCall = Array(callID)
                currentCallHash = CallSketch.hash(callID: callID)
                newCall = true
            }

            tokens.read(text)
            let tokenIDs = tokens.folded, tokenSentence = tokens.sentence, sentenceIsQuestion = tokens.sentenceIsQuestion
            let callHash = TokenInterner.hash(callID)
            let isAgent = speaker == .agent
            for start in tokenIDs.indices {
                let first = tokenIDs[start]
                guard first != .max, firstToken[Int(first)] else { continue }
                var key = NGramKey()
                var contentHash = callHash
                var position = start
                let reach = firstTokenOfExtra[Int(first)] ? longest : counts.maxN
                while position < tokenIDs.count && position - start < reach && tokenSentence[position] == tokenSentence[start]
                    && tokenIDs[position] != .max
                {
                    let id = tokenIDs[position]
                    key.append(id)
                    contentHash = (contentHash ^ counts.tokens.contentHash(id)) &* 0x9E37_79B9_7F4A_7C15
                    contentHash ^= contentHash >> 32
                    position += 1
                    let entry: Int
                    if key.length <= counts.maxN {
                        guard let found = counts.find(key) else {
                            // Not in an exact table: no wanted phrase starts with it.
                            if counts.countErrorBound == 0 { break }
                            continue
                        }
                        guard ranked[found] else {
                            if wantedPrefix[found] { continue }
                            break
                        }
                        entry = found
                    } else if let found = extra[key] {
                        entry = found
                    } else {
                        continue
                    }
                    let question = sentenceIsQuestion[tokenSentence[start]] && !isAgent
                    let rank: UInt64 = isAgent ? 0 : (speaker == .customer ? 0 : 2) + (question ? 0 : 1)
                    let candidate = ExampleSlot(
                        priority: rank << 61 | contentHash >> 3, snippet: reference,
                        tokenStart: UInt16(clamping: start))
                    // One example per call and side: keep the call's best occurrence.
                    var best = callBest[entry] ?? Examples()
                    if isAgent {
                        if candidate.priority < best.agent.slots.0.priority { best.agent = ExampleSlots(); best.agent.offer(candidate) }
                    } else if candidate.priority < best.customer.slots.0.priority {
                        best.customer = ExampleSlots(); best.customer.offer(candidate)
                    }
                    callBest[entry] = best
                }
            }
            return newCall
        }
    }
}

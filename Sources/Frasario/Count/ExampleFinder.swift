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

    static func find(_ keys: Set<NGramKey>, counts: CountTable, spools: [SnippetSpool], workers: Int) -> [NGramKey: Examples] {
        guard !keys.isEmpty else { return [:] }
        // Dense flags by token id and by table entry: no hashing per token while scanning.
        var firstToken = [Bool](repeating: false, count: counts.tokens.count)
        var ranked = [Bool](repeating: false, count: counts.count)
        for key in keys {
            firstToken[Int(key.id(at: 0))] = true
            if let entry = counts.find(key) { ranked[entry] = true }
        }
        let perSpool = Parallel.map(spools, workers: workers) { spool in
            var scan = SpoolScan(counts: counts, firstToken: firstToken, ranked: ranked)
            spool.forEachRecord { reference, callID, speaker, text in
                scan.record(reference, callID: callID, speaker: speaker, text: text)
            }
            scan.flushCall()
            return scan.results
        }
        var merged: [Int: Examples] = [:]
        for found in perSpool {
            for (entry, examples) in found { merged[entry, default: Examples()].merge(examples) }
        }
        var result: [NGramKey: Examples] = [:]
        for (entry, examples) in merged { result[counts.key(entry)] = examples }
        return result
    }

    /// The state of one spool's scan.
    private struct SpoolScan {
        let counts: CountTable
        let firstToken: [Bool]
        let ranked: [Bool]
        var results: [Int: Examples] = [:]
        /// The best occurrence per ranked entry and side in the current call.
        var callBest: [Int: Examples] = [:]
        var currentCall: [UInt8] = []
        var tokenIDs: [UInt32] = []          // UInt32.max: not a counted token
        var tokenSentence: [Int] = []
        var sentenceIsQuestion: [Bool] = []
        var folded: [UInt8] = []

        init(counts: CountTable, firstToken: [Bool], ranked: [Bool]) {
            self.counts = counts
            self.firstToken = firstToken
            self.ranked = ranked
        }

        mutating func flushCall() {
            for (entry, best) in callBest { results[entry, default: Examples()].merge(best) }
            callBest.removeAll(keepingCapacity: true)
        }

        private mutating func closeToken() {
            guard !folded.isEmpty else { return }
            tokenIDs.append(counts.tokens.lookup(folded).map { counts.foldedIDs[Int($0)] } ?? .max)
            tokenSentence.append(sentenceIsQuestion.count - 1)
            folded.removeAll(keepingCapacity: true)
        }

        mutating func record(_ reference: SnippetReference, callID: ArraySlice<UInt8>, speaker: Speaker, text: ArraySlice<UInt8>) {
            if !callID.elementsEqual(currentCall) {
                flushCall()
                currentCall = Array(callID)
            }
            // Tokens of the turn as folded token ids, with their sentence and its question flag.
            tokenIDs.removeAll(keepingCapacity: true)
            tokenSentence.removeAll(keepingCapacity: true)
            sentenceIsQuestion.removeAll(keepingCapacity: true)
            folded.removeAll(keepingCapacity: true)
            var index = text.startIndex
            while index < text.endIndex {
                let byte = text[index]
                index += 1
                if byte == SpoolText.questionMarker || byte == SpoolText.statementMarker {
                    closeToken()
                    sentenceIsQuestion.append(byte == SpoolText.questionMarker)
                } else if byte == 0x20 {
                    closeToken()
                } else if byte == 0xC3 && index < text.endIndex {
                    let second = text[index]
                    index += 1
                    let ascii = SpanishText.foldedASCII(secondByte: second)
                    if ascii != 0 { folded.append(ascii) } else { folded.append(0xC3); folded.append(second) }
                } else {
                    folded.append(byte)
                }
            }
            closeToken()
            let callHash = TokenInterner.hash(callID)
            let isAgent = speaker == .agent
            for start in tokenIDs.indices {
                let first = tokenIDs[start]
                guard first != .max, firstToken[Int(first)] else { continue }
                var key = NGramKey()
                var contentHash = callHash
                var position = start
                while position < tokenIDs.count && position - start < counts.maxN && tokenSentence[position] == tokenSentence[start]
                        && tokenIDs[position] != .max {
                    let id = tokenIDs[position]
                    key.append(id)
                    contentHash = (contentHash ^ counts.tokens.contentHash(id)) &* 0x9E37_79B9_7F4A_7C15
                    contentHash ^= contentHash >> 32
                    position += 1
                    guard let entry = counts.find(key), ranked[entry] else { continue }
                    let question = sentenceIsQuestion[tokenSentence[start]] && !isAgent
                    let rank: UInt64 = isAgent ? 0 : (speaker == .customer ? 0 : 2) + (question ? 0 : 1)
                    let candidate = ExampleSlot(priority: rank << 61 | contentHash >> 3, snippet: reference,
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
        }
    }
}

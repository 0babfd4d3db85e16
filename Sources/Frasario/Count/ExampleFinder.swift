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
        var firstTokens = Set<UInt32>()
        for key in keys { firstTokens.insert(key.id(at: 0)) }
        let perSpool = Parallel.map(spools, workers: workers) { spool in
            scan(spool, keys: keys, firstTokens: firstTokens, counts: counts)
        }
        var merged: [NGramKey: Examples] = [:]
        for found in perSpool {
            for (key, examples) in found { merged[key, default: Examples()].merge(examples) }
        }
        return merged
    }

    private static func scan(_ spool: SnippetSpool, keys: Set<NGramKey>, firstTokens: Set<UInt32>,
                             counts: CountTable) -> [NGramKey: Examples] {
        var results: [NGramKey: Examples] = [:]
        var callBest: [NGramKey: Examples] = [:]
        var currentCall: [UInt8] = []
        var tokenIDs: [UInt32?] = []
        var tokenSentence: [Int] = []
        var sentenceIsQuestion: [Bool] = []
        var folded: [UInt8] = []
        func flushCall() {
            for (key, best) in callBest { results[key, default: Examples()].merge(best) }
            callBest.removeAll(keepingCapacity: true)
        }
        spool.forEachRecord { reference, callID, speaker, text in
            if !callID.elementsEqual(currentCall) {
                flushCall()
                currentCall = Array(callID)
            }
            // Tokens of the turn, as folded token ids, with their sentence and its question flag.
            tokenIDs.removeAll(keepingCapacity: true)
            tokenSentence.removeAll(keepingCapacity: true)
            sentenceIsQuestion.removeAll(keepingCapacity: true)
            folded.removeAll(keepingCapacity: true)
            func closeToken() {
                guard !folded.isEmpty else { return }
                tokenIDs.append(counts.tokens.lookup(folded))
                tokenSentence.append(sentenceIsQuestion.count - 1)
                folded.removeAll(keepingCapacity: true)
            }
            var iterator = text.makeIterator()
            while let byte = iterator.next() {
                if byte == SpoolText.questionMarker || byte == SpoolText.statementMarker {
                    closeToken()
                    sentenceIsQuestion.append(byte == SpoolText.questionMarker)
                } else if byte == 0x20 {
                    closeToken()
                } else if byte == 0xC3, let second = iterator.next() {
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
                guard let first = tokenIDs[start], firstTokens.contains(first) else { continue }
                var key = NGramKey()
                var contentHash = callHash
                var position = start
                while position < tokenIDs.count && position - start < counts.maxN && tokenSentence[position] == tokenSentence[start],
                      let id = tokenIDs[position] {
                    key.append(id)
                    contentHash = (contentHash ^ counts.tokens.contentHash(id)) &* 0x9E37_79B9_7F4A_7C15
                    contentHash ^= contentHash >> 32
                    position += 1
                    guard keys.contains(key) else { continue }
                    let question = sentenceIsQuestion[tokenSentence[start]] && !isAgent
                    let rank: UInt64 = isAgent ? 0 : (speaker == .customer ? 0 : 2) + (question ? 0 : 1)
                    let candidate = ExampleSlot(priority: rank << 61 | contentHash >> 3, snippet: reference,
                                                tokenStart: UInt16(clamping: start))
                    // One example per call and side: keep the call's best occurrence.
                    var best = callBest[key] ?? Examples()
                    if isAgent {
                        if candidate.priority < best.agent.slots.0.priority { best.agent = ExampleSlots(); best.agent.offer(candidate) }
                    } else if candidate.priority < best.customer.slots.0.priority {
                        best.customer = ExampleSlots(); best.customer.offer(candidate)
                    }
                    callBest[key] = best
                }
            }
        }
        flushCall()
        return results
    }
}

/// Counts phrases longer than the count table's n-grams, exactly, by reading every spooled turn
/// once: the whole utterance behind a phrase that `--max-n` cut into windows («me cobraron una
/// comisión que no reconozco» behind «comisión que no reconozco»). The figures are the ones
/// counting would have produced: occurrences and calls per speaker and side, and customer
/// questions counted from an interrogative or opener (`QuestionOpeners`). The spool does not
/// keep where a «¿» opened a question inside a sentence, so callers check the scan against the
/// table on the window they extend before trusting it.
enum LongPhraseCounter {
    static func count(_ keys: [NGramKey], counts: CountTable, spools: [SnippetSpool], workers: Int) -> [NGramKey: NGramStats] {
        guard !keys.isEmpty else { return [:] }
        var byFirstToken: [UInt32: [Int]] = [:]
        for (index, key) in keys.enumerated() { byFirstToken[key.id(at: 0), default: []].append(index) }
        let perSpool = Parallel.map(spools, workers: workers) { spool in
            var scan = Scan(counts: counts, keys: keys, byFirstToken: byFirstToken)
            spool.forEachRecord { _, callID, speaker, text in scan.record(callID: callID, speaker: speaker, text: text) }
            return scan.stats
        }
        // A call's turns are in one spool (one worker counted it), so calls add up across spools.
        var total = [NGramStats](repeating: NGramStats(), count: keys.count)
        for stats in perSpool {
            for index in keys.indices {
                total[index].occurrences.add(stats[index].occurrences)
                total[index].calls.add(stats[index].calls)
            }
        }
        return Dictionary(uniqueKeysWithValues: zip(keys, total))
    }

    private struct Scan {
        let keys: [NGramKey]
        let byFirstToken: [UInt32: [Int]]
        var stats: [NGramStats]
        var tokens: SpoolTokens
        var openers = QuestionOpeners()
        var currentCall: [UInt8] = []
        /// What each key has counted in the current call: bit per speaker, 8 = question, 16/32 = sides.
        var callMask: [UInt8]

        init(counts: CountTable, keys: [NGramKey], byFirstToken: [UInt32: [Int]]) {
            self.keys = keys
            self.byFirstToken = byFirstToken
            stats = Array(repeating: NGramStats(), count: keys.count)
            callMask = Array(repeating: 0, count: keys.count)
            tokens = SpoolTokens(counts: counts)
            openers.learn(counts.tokens)
        }

        mutating func record(callID: ArraySlice<UInt8>, speaker: Speaker, text: ArraySlice<UInt8>) {
            if !callID.elementsEqual(currentCall) {
                currentCall = Array(callID)
                for index in callMask.indices { callMask[index] = 0 }
            }
            tokens.read(text)
            let folded = tokens.folded, sentence = tokens.sentence
            let speakerBits: UInt8
            switch speaker {
            case .customer: speakerBits = 0x01 | 0x10
            case .agent: speakerBits = 0x02 | 0x20
            case .unknown: speakerBits = 0x04 | 0x10 | 0x20
            }
            var questionStarts: [Int] = []
            var currentSentence = -1
            for start in folded.indices {
                guard let candidates = byFirstToken[folded[start]] else { continue }
                if sentence[start] != currentSentence {
                    // Where this sentence's questions start, as counting found them.
                    currentSentence = sentence[start]
                    var lower = start, upper = start
                    while lower > 0 && sentence[lower - 1] == currentSentence { lower -= 1 }
                    while upper < folded.count && sentence[upper] == currentSentence { upper += 1 }
                    questionStarts = []
                    if speaker != .agent {
                        questionStarts = openers.starts(in: lower..<upper, display: tokens.display, folded: folded)
                        if questionStarts.isEmpty && tokens.sentenceIsQuestion[currentSentence] {
                            questionStarts = [openers.firstContentWord(in: lower..<upper, display: tokens.display)]
                        }
                    }
                }
                for index in candidates {
                    let key = keys[index]
                    guard start + key.length <= folded.count else { continue }
                    var matches = true
                    for offset in 0..<key.length where folded[start + offset] != key.id(at: offset) || sentence[start + offset] != sentence[start] {
                        matches = false
                        break
                    }
                    guard matches else { continue }
                    let mask = speakerBits | (questionStarts.contains(start) ? 0x08 : 0)
                    add(index, mask: mask)
                }
            }
        }

        private mutating func add(_ index: Int, mask: UInt8) {
            var occurrences = OccurrenceCounts()
            occurrences.count = 1
            if mask & 0x01 != 0 { occurrences.customer = 1 }
            if mask & 0x02 != 0 { occurrences.agent = 1 }
            if mask & 0x04 != 0 { occurrences.unknown = 1 }
            if mask & 0x08 != 0 { occurrences.question = 1 }
            if mask & 0x10 != 0 { occurrences.customerSide = 1 }
            if mask & 0x20 != 0 { occurrences.agentSide = 1 }
            stats[index].occurrences.add(occurrences)
            var calls = OccurrenceCounts()
            if callMask[index] == 0 { calls.count = 1 }
            let newBits = mask & ~callMask[index]
            callMask[index] |= mask
            if newBits & 0x01 != 0 { calls.customer = 1 }
            if newBits & 0x02 != 0 { calls.agent = 1 }
            if newBits & 0x04 != 0 { calls.unknown = 1 }
            if newBits & 0x08 != 0 { calls.question = 1 }
            if newBits & 0x10 != 0 { calls.customerSide = 1 }
            if newBits & 0x20 != 0 { calls.agentSide = 1 }
            stats[index].calls.add(calls)
        }
    }
}

/// Counts phrases longer than the count table's n-grams, exactly, as the spooled turns are read
/// back (in the same pass that quotes examples, see `ExampleFinder.find`): the whole utterance
/// behind a phrase that `--max-n` cut into windows («me cobraron una comisión que no reconozco»
/// behind «comisión que no reconozco»). The figures are the ones counting would have produced:
/// occurrences and calls per speaker and side, and customer questions counted from an
/// interrogative or opener (`QuestionOpeners`). The spool does not keep where a «¿» opened a
/// question inside a sentence, so callers check the scan against the table on the window they
/// extend before trusting it.
struct LongPhraseCounter {
    let keys: [NGramKey]
    private let byFirstToken: [UInt32: [Int]]
    /// By token id: some key starts with it (a dense test before the dictionary).
    private let isFirstToken: [Bool]
    private(set) var stats: [NGramStats]
    private var openers = QuestionOpeners()
    /// What each key has counted in the current call: bit per speaker, 8 = question, 16/32 = sides.
    private var callMask: [UInt8]

    init(_ keys: [NGramKey], counts: CountTable) {
        self.keys = keys
        var byFirstToken: [UInt32: [Int]] = [:]
        for (index, key) in keys.enumerated() { byFirstToken[key.id(at: 0), default: []].append(index) }
        self.byFirstToken = byFirstToken
        var isFirstToken = [Bool](repeating: false, count: keys.isEmpty ? 0 : counts.tokens.count)
        for key in keys { isFirstToken[Int(key.id(at: 0))] = true }
        self.isFirstToken = isFirstToken
        stats = Array(repeating: NGramStats(), count: keys.count)
        callMask = Array(repeating: 0, count: keys.count)
        openers.learn(counts.tokens)
    }

    /// A new call starts: its calls are counted afresh.
    mutating func beginCall() {
        for index in callMask.indices { callMask[index] = 0 }
    }

    /// Counts the keys in one turn.
    mutating func record(speaker: Speaker, tokens: inout SpoolTokens) {
        guard !keys.isEmpty else { return }
        let folded = tokens.folded, sentence = tokens.sentence
        let speakerBits: UInt8
        switch speaker {
        case .customer: speakerBits = 0x01 | 0x10
        case .agent: speakerBits = 0x02 | 0x20
        case .unknown: speakerBits = 0x04 | 0x10 | 0x20
        }
        var questionStarts: [Int]?
        var currentSentence = -1
        for start in folded.indices {
            let first = folded[start]
            guard first != .max, isFirstToken[Int(first)], let candidates = byFirstToken[first] else { continue }
            for index in candidates {
                let key = keys[index]
                guard start + key.length <= folded.count else { continue }
                var matches = true
                for offset in 0..<key.length where folded[start + offset] != key.id(at: offset) || sentence[start + offset] != sentence[start] {
                    matches = false
                    break
                }
                guard matches else { continue }
                if sentence[start] != currentSentence {
                    // Where this sentence's questions start, as counting found them.
                    currentSentence = sentence[start]
                    questionStarts = nil
                }
                if questionStarts == nil {
                    var lower = start, upper = start
                    while lower > 0 && sentence[lower - 1] == currentSentence { lower -= 1 }
                    while upper < folded.count && sentence[upper] == currentSentence { upper += 1 }
                    var starts: [Int] = []
                    if speaker != .agent {
                        let display = tokens.display()
                        starts = openers.starts(in: lower..<upper, display: display)
                        if starts.isEmpty && tokens.sentenceIsQuestion[currentSentence] {
                            starts = [openers.firstContentWord(in: lower..<upper, display: display)]
                        }
                    }
                    questionStarts = starts
                }
                add(index, mask: speakerBits | (questionStarts?.contains(start) == true ? 0x08 : 0))
            }
        }
    }

    /// Adds another spool's figures (a call's turns are all in one spool, so calls add up).
    mutating func merge(_ other: LongPhraseCounter) {
        for index in stats.indices {
            stats[index].occurrences.add(other.stats[index].occurrences)
            stats[index].calls.add(other.stats[index].calls)
        }
    }

    var figures: [NGramKey: NGramStats] { Dictionary(uniqueKeysWithValues: zip(keys, stats)) }

    private mutating func add(_ index: Int, mask: UInt8) {
        var occurrences = OccurrenceCounts()
        occurrences.count = 1
        if mask & 0x01 != 0 { occurrences.customer = 1 }
        if mask & 0x02 != 0 { occurrences.agent = 1 }
        if mask & 0x04 != 0 { occurrences.unknown = 1 }
        if mask & 0x08 != 0 { occurrences.question = 1 }
        stats[index].occurrences.add(occurrences)
        var calls = CallCounts()
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

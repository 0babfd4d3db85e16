import Foundation

/// What the ranker knows of every token and n-gram of a merged count table: word classes by
/// token id, corpus sizes, each n-gram's figures in each ranking's view, and the association
/// of a phrase's words. Everything here is computed from merged counts only, so a run and a
/// merge of partials rank identically.
struct RankContext {
    let counts: CountTable
    let options: RankOptions
    /// By token id.
    private(set) var isFunctionWord: [Bool]
    private(set) var isChatter: [Bool]
    private(set) var isMaskOrNumber: [Bool]
    /// Among the `RankOptions.commonWords` most frequent words of general Spanish.
    private(set) var isCommonWord: [Bool]
    private(set) var negationID: UInt32?
    /// Occurrences of general Spanish per million words, by token id.
    private(set) var referencePerMillion: [Double]
    /// Keyness of each word by token id (1 for a word the table does not hold alone).
    private(set) var keynessByToken: [Double]
    /// Words counted, all speakers and on the customer side.
    let totalTokens: Double
    let customerSideTokens: Double

    /// - Parameter words: the words counted, all speakers and on the customer side (from the
    ///   run's summary: a merge of partials keeps only rankable n-grams, so the table's own
    ///   single words do not add up to the corpus). Nil sums the table's single words.
    init(_ counts: CountTable, options: RankOptions, words: (total: Int, customerSide: Int)? = nil) {
        self.counts = counts
        self.options = options
        let tokenCount = counts.tokens.count
        isFunctionWord = Array(repeating: false, count: tokenCount)
        isChatter = Array(repeating: false, count: tokenCount)
        isMaskOrNumber = Array(repeating: false, count: tokenCount)
        isCommonWord = Array(repeating: false, count: tokenCount)
        referencePerMillion = Array(repeating: 0, count: tokenCount)
        let masks = Set(PIIMask.allCases.map(\.token))
        // Only words said at least `minCount` times can be in a ranked phrase (an n-gram is
        // never more frequent than its words): the rest of a long-tail vocabulary is skipped.
        for entry in 0..<counts.count
        where counts.entries[entry].key.length == 1
            && Int(counts.entries[entry].occurrences.count) >= options.minCount
        {
            let id = Int(counts.entries[entry].key.id(at: 0))
            let word = counts.tokens.string(UInt32(id))
            isFunctionWord[id] = PhraseEdges.functionWords.contains(word)
            isChatter[id] = isFunctionWord[id] || PhraseEdges.conversational.contains(word)
            isMaskOrNumber[id] = masks.contains(word) || word.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || $0 == 0xC2 || $0 == 0xBA }
            referencePerMillion[id] = SpanishReference.perMillion(word)
            isCommonWord[id] = SpanishReference.isAmongMostFrequent(word, top: RankOptions.commonWords)
        }
        negationID = counts.tokens.lookup(Array(PhraseEdges.negation.utf8))
        var total = words?.total ?? 0, customerSide = words?.customerSide ?? 0
        if words == nil {
            for entry in 0..<counts.count where counts.entries[entry].key.length == 1 {
                total += Int(counts.entries[entry].occurrences.count)
                customerSide += Int(counts.entries[entry].occurrences.customerSide)
            }
        }
        totalTokens = Double(max(total, 1))
        customerSideTokens = Double(max(customerSide, 1))
        keynessByToken = Array(repeating: 1, count: tokenCount)
        for entry in 0..<counts.count where counts.entries[entry].key.length == 1 {
            let id = Int(counts.entries[entry].key.id(at: 0))
            let perMillion = Double(counts.entries[entry].occurrences.customerSide) / customerSideTokens * 1_000_000
            keynessByToken[id] = (perMillion + 1) / (referencePerMillion[id] + 1)
        }
    }

    // MARK: Speakers

    /// True when labelled turns show the phrase as the agents' (at least `agentShare` of its
    /// labelled occurrences, and at least `minCount` of them): its unlabelled occurrences are
    /// then attributed to agents, the rest to customers.
    func isAgentPhrase(_ occurrences: OccurrenceCounts) -> Bool {
        let labelled = occurrences.agent &+ occurrences.customer
        return Int(labelled) >= options.minCount && Double(occurrences.agent) >= RankOptions.agentShare * Double(labelled)
    }

    /// An n-gram's occurrences and calls in a ranking's view.
    func figures(entry: Int, kind: RankingKind) -> (count: Int, calls: Int) {
        figures(NGramStats(occurrences: counts.entries[entry].occurrences, calls: counts.entries[entry].calls), kind: kind)
    }

    func figures(_ stats: NGramStats, kind: RankingKind) -> (count: Int, calls: Int) {
        let occurrences = stats.occurrences, calls = stats.calls
        switch kind {
        case .customer, .keywords:
            return isAgentPhrase(occurrences)
                ? (Int(occurrences.customer), Int(calls.customer))
                : (Int(occurrences.customerSide), Int(calls.customerSide))
        case .customerQuestions:
            return isAgentPhrase(occurrences) ? (0, 0) : (Int(occurrences.question), Int(calls.question))
        case .agent:
            return isAgentPhrase(occurrences)
                ? (Int(occurrences.agentSide), Int(calls.agentSide))
                : (Int(occurrences.agent), Int(calls.agent))
        case .all:
            return (Int(occurrences.count), Int(calls.count))
        }
    }

    // MARK: Words

    /// True when a phrase of 2 or more words has edges that carry meaning: it does not start
    /// with a function word (except «no»), nor end with one. In the questions ranking every
    /// n-gram already starts where a question starts (its interrogative, opener or first
    /// content word, see `QuestionOpeners`), so only its end is checked.
    func hasMeaningfulEdges(_ key: NGramKey, question: Bool) -> Bool {
        let first = Int(key.id(at: 0)), last = Int(key.id(at: key.length - 1))
        if isFunctionWord[last] { return false }
        if isFunctionWord[first] && !question { return key.id(at: 0) == negationID }
        return true
    }

    func isFunctionWord(_ id: UInt32) -> Bool { isFunctionWord[Int(id)] }
    func isCommonWord(_ id: UInt32) -> Bool { isCommonWord[Int(id)] }

    /// True when at least `agentShare` of a phrase's customer-side occurrences open a
    /// customer question: it is a question, and starts with its interrogative in every ranking.
    func isMostlyAsked(_ occurrences: OccurrenceCounts) -> Bool {
        occurrences.question > 0 && Double(occurrences.question) >= RankOptions.agentShare * Double(occurrences.customerSide)
    }
    func isNegation(_ id: UInt32) -> Bool { id == negationID }
    func isFunctionWordOrNegation(_ id: UInt32) -> Bool { isFunctionWord[Int(id)] || id == negationID }

    /// Words of Spanish so common that, alone with function words, they could be said of anything.
    static let genericWords = 3000

    /// True when a phrase is one common word dressed in function words: a complaint or request
    /// frame that fits any subject («no me ha llegado», «me pueden mandar», «no me deja»).
    /// «dar de baja», «código de verificación» or «bloquear la tarjeta» say what about.
    func isGeneric(_ key: NGramKey) -> Bool {
        var content: [UInt32] = []
        for position in 0..<key.length {
            let id = key.id(at: position)
            if isChatter[Int(id)] || isMaskOrNumber[Int(id)] || isFunctionWord[Int(id)] || id == negationID { continue }
            content.append(id)
        }
        guard content.count <= 1 else { return false }
        return content.allSatisfy { isCommonWord[Int($0)] || SpanishReference.isAmongMostFrequent(counts.tokens.string($0), top: Self.genericWords) }
    }

    /// True when every word is a function word, a conversational word, a mask or a number.
    func saysNothing(_ key: NGramKey) -> Bool {
        (0..<key.length).allSatisfy { isChatter[Int(key.id(at: $0))] || isMaskOrNumber[Int(key.id(at: $0))] }
    }

    /// How much more these calls' customers use a word than general Spanish does: the ratio of
    /// its frequencies per million words, each plus 1 so rare words do not explode the ratio.
    func keyness(entry: Int) -> Double { keynessByToken[Int(counts.entries[entry].key.id(at: 0))] }

    /// The keyness of a word by token id (1 when the table does not hold the word alone).
    func keyness(word id: UInt32) -> Double { keynessByToken[Int(id)] }

    /// How specific a phrase is to these calls: the keyness of its most distinctive word that
    /// is neither a function word nor conversational, as log2(keyness) / log2(16), between 0.2
    /// and 1: «cuesta la anualidad» gets 1.
    func specificity(_ key: NGramKey) -> Double {
        min(1, max(RankOptions.minSpecificity, log2(strongestKeyness(key)) / log2(RankOptions.fullSpecificityKeyness)))
    }

    /// True for everyday talk: a phrase made only of the 1,000 most frequent words of Spanish
    /// (besides function and conversational words), none of them fully key here («dos años»,
    /// «estados unidos» among callers who live there). «dar de baja» in a telecom's calls,
    /// where «baja» is key, is not.
    func isEverydayTalk(_ key: NGramKey) -> Bool {
        for position in 0..<key.length {
            let id = Int(key.id(at: position))
            if !isChatter[id] && !isMaskOrNumber[id] && !isCommonWord[id] { return false }
        }
        return strongestKeyness(key) < RankOptions.fullSpecificityKeyness
    }

    private func strongestKeyness(_ key: NGramKey) -> Double {
        var best = 1.0
        for position in 0..<key.length {
            let id = key.id(at: position)
            guard !isChatter[Int(id)] && !isMaskOrNumber[Int(id)] else { continue }
            best = max(best, keyness(word: id))
        }
        return best
    }

    // MARK: Association

    /// How much the words of a phrase belong together: the normalized pointwise mutual
    /// information of its weakest split into two parts, from all speakers' counts. 1 means the
    /// parts only occur together; 0 means they co-occur as often as chance predicts.
    func cohesion(_ key: NGramKey, count: UInt32) -> Double {
        guard key.length > 1, count > 0 else { return 1 }
        let joint = Double(count) / totalTokens
        let selfInformation = -log(joint)
        guard selfInformation > 0 else { return 1 }
        var weakest = 1.0
        for split in 1..<key.length {
            var left = NGramKey(), right = NGramKey()
            for position in 0..<split { left.append(key.id(at: position)) }
            for position in split..<key.length { right.append(key.id(at: position)) }
            let leftCount = counts.find(left).map { Double(counts.entries[$0].occurrences.count) } ?? Double(count)
            let rightCount = counts.find(right).map { Double(counts.entries[$0].occurrences.count) } ?? Double(count)
            let pointwise = log(joint / ((leftCount / totalTokens) * (rightCount / totalTokens)))
            weakest = min(weakest, pointwise / selfInformation)
        }
        return weakest
    }
}

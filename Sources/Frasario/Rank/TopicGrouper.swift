/// One need, question or incident said in many wordings: the ranked phrases said in largely
/// the same calls tonight («código de verificación», «no recibo el sms», «clave para confirmar
/// el pago» during an SMS outage).
struct PhraseTopic: Sendable {
    /// The phrase that names the topic: its member said in the most calls.
    var name: RankedPhrase
    /// Every member, the name first, then by calls.
    var members: [RankedPhrase]
    /// Per member (aligned), the calls it shares with the name's calls.
    var sharedCalls: [Int]
    /// The calls of any member (a union, not a sum).
    var calls: CallSketch
}

/// Groups phrases by their calls, deterministically.
enum TopicGrouper {
    /// A phrase joins a topic when more than this share of the smaller of its calls and the
    /// topic name's calls are the same calls: «no me ha llegado», said half for an SMS outage
    /// and half for a late transfer, joins neither.
    static let minimumSharedCalls = 0.6
    /// A phrase sharing at least this share (but not `minimumSharedCalls`) with a topic is
    /// ambiguous: a topic of its own that no other phrase joins, so «no me ha llegado» does
    /// not gather the late-transfer phrases under a name half of whose calls are the outage.
    static let ambiguousSharedCalls = 0.3
    /// Calls a phrase must share with a topic's name to join it, whatever the share: two calls
    /// in common («cajero no me devolvió la tarjeta» in 2 of its 3 calls beside an outage said
    /// in 40 of the night's 135) are a coincidence, not one incident.
    static let minimumSharedCallCount = 3
    /// And at least this many times the calls the two would share by chance (their calls
    /// spread independently over the night's).
    static let minimumSharedOverChance = 2.0

    /// - Parameters:
    ///   - phrases: candidate phrases, one per key (customer rows and emerging phrases).
    ///   - calls: the calls of each phrase, any speaker (phrases without one are left out).
    ///   - isGeneric: phrases that could be said of anything («no me ha llegado»): they may
    ///     join a topic, but never name one that others join, so two causes that share a
    ///     generic wording stay two topics.
    ///   - callsProcessed: the night's calls, for what two phrases share by chance (nil: unknown).
    /// - Returns: topics, most calls first; a phrase alone is a topic of one.
    static func group(
        _ phrases: [RankedPhrase], calls: [NGramKey: CallSketch], counts: CountTable,
        isGeneric: (NGramKey) -> Bool, callsProcessed: Int? = nil
    ) -> [PhraseTopic] {
        // Most calls first; ties by score, then by the phrase's bytes: no order from hashing.
        let candidates = phrases.compactMap { phrase in calls[phrase.key].map { (phrase, $0, counts.text(of: phrase.key)) } }
            .sorted { left, right in
                if left.1.count != right.1.count { return left.1.count > right.1.count }
                if left.0.score != right.0.score { return left.0.score > right.0.score }
                return left.2.utf8.lexicographicallyPrecedes(right.2.utf8)
            }
        var topics: [PhraseTopic] = []
        /// The name's calls of each topic; nil for an ambiguous phrase's topic (joined by none).
        var cores: [CallSketch?] = []
        for (phrase, sketch, _) in candidates where sketch.count > 0 {
            // The topic whose name shares the largest part of the calls; the first on a tie.
            var best: (index: Int, share: Double, shared: Int)?
            for (index, core) in cores.enumerated() {
                guard let core else { continue }
                let shared = sketch.intersectionCount(core)
                let share = Double(shared) / Double(max(1, min(sketch.count, core.count)))
                if share > (best?.share ?? 0) { best = (index, share, shared) }
            }
            func beyondChance(_ shared: Int, _ index: Int) -> Bool {
                guard shared >= minimumSharedCallCount else { return false }
                guard let callsProcessed, callsProcessed > 0, let core = cores[index] else { return true }
                let chance = Double(sketch.count) * Double(core.count) / Double(callsProcessed)
                return Double(shared) >= minimumSharedOverChance * chance
            }
            if let best, best.share > minimumSharedCalls, beyondChance(best.shared, best.index) {
                topics[best.index].members.append(phrase)
                topics[best.index].sharedCalls.append(best.shared)
                topics[best.index].calls.merge(sketch)
            } else {
                topics.append(PhraseTopic(name: phrase, members: [phrase], sharedCalls: [sketch.count], calls: sketch))
                cores.append((best?.share ?? 0) >= ambiguousSharedCalls || isGeneric(phrase.key) ? nil : sketch)
            }
        }
        return topics.enumerated().sorted { left, right in
            left.element.calls.count != right.element.calls.count ? left.element.calls.count > right.element.calls.count : left.offset < right.offset
        }.map(\.element)
    }
}

/// A position next to a phrase that many different words fill: «banco altamar le atiende
/// ‹nombre›», «me cobraron ‹número› euros». The phrase is one row; its fillers are listed.
struct SlotGroup: Sendable {
    enum Side: String, Sendable { case before, after }
    var side: Side
    /// «nombre» after words that introduce a name, «número» when every filler is a number or a
    /// mask, «…» otherwise.
    var label: String
    /// The filled phrases (frame + filler) in the ranking's view, most calls first.
    var fillers: [(word: UInt32, entry: Int, count: Int, calls: Int)]
    /// Occurrences of the phrase not followed (or preceded) by a listed filler.
    var otherOccurrences: Int
}

/// Finds slots among a ranking's candidates, from merged counts only.
enum SlotFinder {
    /// Words after which a slot is a person's name.
    static let nameCues: Set<String> = ["atiende", "habla", "saluda", "llamo", "nombre", "atendio", "comunica", "soy"]
    /// The cues of an agent introducing themselves: the names after them are hidden from every
    /// row («soy» and «llamo» also open «soy pensionado», «le llamo por…»).
    static let introductionCues: Set<String> = ["atiende", "habla", "saluda", "atendio", "comunica"]

    /// - Returns: the slot of each frame entry that has one, and the entries that are filled
    ///   variants (dropped from the ranking: the frame's row stands for them). Filled variants
    ///   with the slot inside («altamar le atiende mariana en») are dropped too.
    static func find(
        _ candidates: [Int], counts: CountTable, view: [(count: Int32, calls: Int32)],
        options: RankOptions
    ) -> (frames: [Int: SlotGroup], filled: Set<Int>) {
        struct GroupKey: Hashable { var frame: NGramKey; var position: Int; var length: Int }
        var groups: [GroupKey: [Int]] = [:]
        // A filler worth a slot is said often enough to matter next to the ranking's head: the
        // long tail of candidates (on large corpora, most of them) is left out.
        let byCount = candidates.map { Int(view[$0].count) }.sorted(by: >)
        let floor = byCount.isEmpty ? 0 : max(options.minCount, byCount[min(byCount.count - 1, options.top * 20)] / 10)
        for entry in candidates where Int(view[entry].count) >= floor {
            let key = counts.key(entry)
            guard key.length >= 3 else { continue }
            for position in 0..<key.length {
                var frame = NGramKey()
                for index in 0..<key.length where index != position { frame.append(key.id(at: index)) }
                groups[GroupKey(frame: frame, position: position, length: key.length), default: []].append(entry)
            }
        }
        let candidateSet = Set(candidates)
        var frames: [Int: SlotGroup] = [:]
        var filled = nameVariants(
            candidates, groups: groups.map { ($0.key.frame, $0.key.position, $0.value) },
            counts: counts, view: view, options: options)
        // Groups in a fixed order, so which frame claims a filler never depends on hashing.
        let ordered = groups.filter { $0.value.count >= options.minSlotFillers }.sorted { left, right in
            if left.key.length != right.key.length { return left.key.length < right.key.length }
            if left.key.position != right.key.position { return left.key.position < right.key.position }
            return counts.text(of: left.key.frame).utf8.lexicographicallyPrecedes(counts.text(of: right.key.frame).utf8)
        }
        for (group, members) in ordered {
            let total = members.reduce(0) { $0 + Int(view[$1].count) }
            let largest = members.map { Int(view[$0].count) }.max() ?? 0
            guard total > 0, Double(largest) <= options.maxSlotFillerShare * Double(total) else { continue }
            let isEdge = group.position == 0 || group.position == group.length - 1
            if !isEdge {
                filled.formUnion(members)
                continue
            }
            guard let frameEntry = counts.find(group.frame), candidateSet.contains(frameEntry), !filled.contains(frameEntry) else { continue }
            let frameCount = Int(view[frameEntry].count)
            guard frameCount > 0, Double(total) >= options.minSlotCoverage * Double(frameCount) else { continue }
            let side: SlotGroup.Side = group.position == 0 ? .before : .after
            if let existing = frames[frameEntry], existing.otherOccurrences <= frameCount - total { continue }
            let fillers = members.map { entry in
                (word: counts.key(entry).id(at: group.position), entry: entry, count: Int(view[entry].count), calls: Int(view[entry].calls))
            }.sorted { left, right in
                if left.calls != right.calls { return left.calls > right.calls }
                if left.count != right.count { return left.count > right.count }
                return counts.tokens.bytes(left.word).lexicographicallyPrecedes(counts.tokens.bytes(right.word))
            }
            frames[frameEntry] = SlotGroup(
                side: side, label: label(frame: group.frame, side: side, fillers: fillers.map(\.word), counts: counts),
                fillers: fillers, otherOccurrences: max(0, frameCount - total))
            filled.formUnion(members)
        }
        return (frames, filled)
    }

    /// Every candidate that holds the name of a person said after a name cue: «buenas tardes le
    /// atiende ana», «nombre es jorge con quién», «ana cómo le puedo ayudar». Agents greet with
    /// several scripts (one per brand, morning and afternoon), so a name reaches many windows
    /// whose frame is no ranked phrase; each would be a row per agent. A word is a name when,
    /// right after an introduction («habla», «atiende», «mi nombre es»…), at least
    /// `minSlotFillers` different words follow with none holding `maxSlotFillerShare` of the
    /// occurrences, and at least `minSlotFillers` of them are neither function words nor among
    /// the 1,000 most common words of Spanish (those are the names).
    static func nameVariants(
        _ candidates: [Int], groups: [(frame: NGramKey, position: Int, members: [Int])],
        counts: CountTable, view: [(count: Int32, calls: Int32)], options: RankOptions
    ) -> Set<Int> {
        var names = Set<UInt32>()
        for group in groups
        where group.position > 0 && group.members.count >= options.minSlotFillers
            && isNameCue(group.frame, before: group.position, counts: counts)
        {
            let counted = group.members.map { (word: counts.key($0).id(at: group.position), count: Int(view[$0].count)) }
            let total = counted.reduce(0) { $0 + $1.count }
            guard total > 0, Double(counted.map(\.count).max() ?? 0) <= options.maxSlotFillerShare * Double(total) else { continue }
            let named = counted.map(\.word).filter { word in
                let text = counts.tokens.string(word)
                return !PhraseEdges.functionWords.contains(text) && !SpanishReference.isAmongMostFrequent(text, top: 1000)
            }
            if named.count >= options.minSlotFillers { names.formUnion(named) }
        }
        guard !names.isEmpty else { return [] }
        return Set(candidates.filter { entry in counts.key(entry).ids.contains { names.contains($0) } })
    }

    /// True when the word before `position` of the frame introduces a name («atiende ‹›»,
    /// «mi nombre es ‹›»).
    private static func isNameCue(_ frame: NGramKey, before position: Int, counts: CountTable) -> Bool {
        let previous = counts.tokens.string(frame.id(at: position - 1))
        if introductionCues.contains(previous) { return true }
        return previous == "es" && position >= 2 && counts.tokens.string(frame.id(at: position - 2)) == "nombre"
    }

    private static func label(frame: NGramKey, side: SlotGroup.Side, fillers: [UInt32], counts: CountTable) -> String {
        let masks = Set(PIIMask.allCases.map(\.token))
        let numeric = fillers.allSatisfy { id in
            let word = counts.tokens.string(id)
            return masks.contains(word) || word.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
        }
        if numeric { return "número" }
        if side == .after, nameCues.contains(counts.tokens.string(frame.id(at: frame.length - 1))) { return "nombre" }
        return "…"
    }
}

/// The whole phrase behind a ranked window. Phrases are counted up to `--max-n` words, so an
/// utterance such as «me cobraron una comisión que no reconozco» reaches the ranking as one of
/// its windows («comisión que no reconozco»). When the neighbouring windows are said in nearly
/// the same occurrences, the row becomes the whole phrase (up to 8 words), with figures
/// counted exactly (from the table, or by `LongPhraseCounter` past `--max-n`).
enum PhraseExtension {
    /// A neighbouring window must hold at least this share of the phrase's occurrences to
    /// extend it, and the whole phrase at least this share of its calls to replace it.
    static let ratio = 0.8
    /// Clitics that may open a whole phrase: they belong to the verb after them («me cobraron…»).
    static let openingClitics: Set<String> = ["me", "te", "se", "nos", "le", "les"]

    /// Greetings and markers that open a turn («buenas tardes mire no me llega…»): never part
    /// of the whole phrase the windows grew into.
    static let openingChatter: Set<String> = [
        "hola", "buenas", "buenos", "tardes", "dias", "noches", "mire", "mira", "oiga",
        "oye", "si", "claro", "perfecto", "vale", "bueno", "pues", "entonces", "aja",
    ]

    struct Proposal {
        var kind: RankingKind
        var window: NGramKey
        var whole: NGramKey
    }

    /// Longer phrases worth counting for the ranked rows (not keywords, not slot rows).
    static func propose(_ rankings: [RankingKind: [RankedPhrase]], context: RankContext) -> [Proposal] {
        let counts = context.counts
        let neighbours = NeighbourIndex(context, for: rankings.filter { $0.key != .keywords }.flatMap(\.value), share: ratio)
        let byPrefix = neighbours.byPrefix, bySuffix = neighbours.bySuffix
        func isOpeningChatter(_ id: UInt32) -> Bool { openingChatter.contains(counts.tokens.string(id)) }
        var proposals: [Proposal] = []
        for kind in RankingKind.allCases where kind != .keywords {
            // Windows are compared in the speaker view of the ranking (a question's later
            // windows do not start at its interrogative, so they are compared as customer words).
            let view: RankingKind = kind == .customerQuestions ? .customer : kind
            for phrase in rankings[kind] ?? [] where phrase.slot == nil && phrase.key.length >= 2 {
                guard let own = counts.find(phrase.key) else { continue }
                let needed = Double(context.figures(entry: own, kind: view).count) * ratio
                func best(_ entries: [Int]?, at position: (NGramKey) -> UInt32) -> UInt32? {
                    var chosen: (count: Int, id: UInt32)?
                    for entry in entries ?? [] {
                        let count = context.figures(entry: entry, kind: view).count
                        let id = position(counts.key(entry))
                        if Double(count) >= needed,
                            chosen == nil || count > chosen!.count
                                || (count == chosen!.count && counts.tokens.bytes(id).lexicographicallyPrecedes(counts.tokens.bytes(chosen!.id)))
                        {
                            chosen = (count, id)
                        }
                    }
                    return chosen?.id
                }
                var ids = phrase.key.ids
                let context1 = counts.maxN - 1
                while ids.count < NGramKey.maxLength,
                    let next = best(byPrefix[NGramKey(ids: ids.suffix(context1))], at: { $0.id(at: $0.length - 1) })
                {
                    ids.append(next)
                }
                // The whole phrase keeps meaningful edges: trim what the windows added.
                while ids.count > phrase.key.length && (context.isFunctionWordOrNegation(ids[ids.count - 1]) || isOpeningChatter(ids[ids.count - 1])) {
                    ids.removeLast()
                }
                var added = 0
                if kind != .customerQuestions {
                    while ids.count < NGramKey.maxLength,
                        let previous = best(bySuffix[NGramKey(ids: ids.prefix(context1))], at: { $0.id(at: 0) })
                    {
                        ids.insert(previous, at: 0)
                        added += 1
                    }
                }
                // …keeping a clitic of the verb after it, and an interrogative when customers
                // nearly always ask the phrase («cuándo van a sacar la aplicación nueva»).
                func opensAskedPhrase() -> Bool {
                    counts.find(NGramKey(ids: ids.prefix(counts.maxN))).map { context.isMostlyAsked(counts.entries[$0].occurrences) } ?? false
                }
                while added > 0
                    && ((context.isFunctionWord(ids[0]) && !context.isNegation(ids[0])
                        && !openingClitics.contains(counts.tokens.string(ids[0])) && !opensAskedPhrase()) || isOpeningChatter(ids[0]))
                {
                    ids.removeFirst()
                    added -= 1
                }
                guard ids.count > phrase.key.length else { continue }
                proposals.append(Proposal(kind: kind, window: phrase.key, whole: NGramKey(ids: ids)))
            }
        }
        return proposals
    }

    /// The rankings with each window replaced by its whole phrase where the exact figures
    /// confirm it (at least `ratio` of the window's calls), then re-ordered, repeats dropped,
    /// and cut to `top`. `longFigures` holds the scanned figures of every proposal longer than
    /// `--max-n` and of its window (the scan must agree with the table on the window).
    static func apply(
        _ rankings: [RankingKind: [RankedPhrase]], proposals: [Proposal], longFigures: [NGramKey: NGramStats],
        context: RankContext
    ) -> [RankingKind: [RankedPhrase]] {
        let counts = context.counts
        var result = rankings
        if let keywords = rankings[.keywords] { result[.keywords] = Array(keywords.prefix(context.options.top)) }
        let byWindow = Dictionary(grouping: proposals) { "\($0.kind.rawValue)|\(counts.text(of: $0.window))" }
        for (kind, phrases) in rankings where kind != .keywords {
            var extended = phrases.map { phrase -> RankedPhrase in
                guard let proposal = byWindow["\(kind.rawValue)|\(counts.text(of: phrase.key))"]?.first else { return phrase }
                let whole = proposal.whole
                let stats: NGramStats
                if whole.length <= counts.maxN {
                    guard let entry = counts.find(whole) else { return phrase }
                    stats = counts.stats(entry: entry)
                } else {
                    guard let scanned = longFigures[whole], let window = longFigures[phrase.key],
                        let own = counts.stats(phrase.key),
                        context.figures(window, kind: kind) == context.figures(own, kind: kind)
                    else { return phrase }
                    stats = scanned
                }
                let view = context.figures(stats, kind: kind)
                guard Double(view.calls) >= ratio * Double(phrase.calls), view.count >= context.options.minCount,
                    view.calls >= context.options.minCalls
                else { return phrase }
                var replaced = phrase
                replaced.key = whole
                replaced.count = view.count
                replaced.calls = view.calls
                replaced.stats = stats
                replaced.extendedFrom = phrase.key
                replaced.specificity = context.specificity(whole)
                replaced.score = Ranker.score(
                    calls: view.calls, n: whole.length, cohesion: phrase.cohesion ?? 1,
                    specificity: replaced.specificity ?? 1)
                return replaced
            }
            extended = Ranker.inRankOrder(extended, counts: counts)
            // Two windows of one utterance now read the same, one inside the other, or overlap at
            // an edge (an utterance longer than 8 words) in about the same calls.
            var kept: [RankedPhrase] = []
            for phrase in extended
            where !kept.contains(where: { other in
                let similar = Double(min(phrase.calls, other.calls)) >= Ranker.sameUtteranceRatio * Double(max(phrase.calls, other.calls))
                return (Ranker.contains(other.key.ids, phrase.key.ids) && Double(phrase.calls) <= Double(other.calls) / ratio)
                    || (similar
                        && (Ranker.overlap(suffixOf: other.key.ids, prefixOf: phrase.key.ids)
                            || Ranker.overlap(suffixOf: phrase.key.ids, prefixOf: other.key.ids)))
            }) {
                kept.append(phrase)
            }
            result[kind] = Array(kept.prefix(context.options.top))
        }
        return result
    }
}

import Foundation

/// The finishing half of a run, shared by `run` and `merge` so both give the same bytes: a
/// short list of named steps, each below.
extension Pipeline {
    /// Ranks, compares with the history, quotes examples, assembles the result, writes the
    /// reports, then records the night.
    static func finish(
        _ corpus: CountedCorpus, configuration: PipelineConfiguration, history: HistoryStore?,
        clock: ContinuousClock, started: ContinuousClock.Instant
    ) throws -> RunOutcome {
        let summary = nightSummary(corpus, configuration: configuration)
        let merged = clock.now
        var ranking = rank(corpus, summary: summary, configuration: configuration, keepingHistory: history != nil)
        let ranked = clock.now
        // Trends of the ranked windows (emerging phrases are chosen among them), then of the
        // whole phrases the windows grew into while quoting, each from its own history.
        var trends = try trends(ranking, corpus: corpus, summary: summary, history: history)
        let quotes = try quote(&ranking, emerging: trends?.emerging ?? [], corpus: corpus, configuration: configuration)
        trends?.addWholePhrases(ranking.rankings, context: ranking.context)
        let result = assemble(corpus, summary: summary, ranking: ranking, trends: trends, quotes: quotes, configuration: configuration)
        let rejectsCSV = ReportWriter.rejectsCSV(corpus.ingest.rejects)
        // Everything the history records is computed before the reports are written…
        let night = try history.map { _ in
            NightRecord(
                date: summary.runDate, generator: result.generator, summary: summary, minCalls: configuration.rank.minCalls,
                phrases: PhraseTrends.figures(ranking.kept, counts: corpus.counts),
                phraseCalls: NightPhraseCalls(ranking.context, wholePhrases: ranking.rankings.values.flatMap { $0 }),
                categories: result.categories, report: try result.json(), rejects: rejectsCSV)
        }
        var timings = RunTimings(
            threads: configuration.threads, bytesRead: corpus.bytesRead,
            readCountMatchSeconds: corpus.countSeconds, levelCountSeconds: corpus.levelSeconds,
            mergeSeconds: (merged - started).seconds - corpus.countSeconds - corpus.levelSeconds,
            rankSeconds: (ranked - merged).seconds, reportSeconds: 0, totalSeconds: (clock.now - started).seconds,
            megabytesPerSecond: 0, prunes: corpus.counts.prunes, callsPerSecond: 0, stages: corpus.stageSeconds)
        // …the reports are written and synced beside --out, the night is committed, and only
        // then do the reports replace the previous ones, in one rename. A run killed before
        // the commit leaves the previous reports and history as they were; one killed in the
        // instant after it leaves the night recorded with its report (`frasario report`
        // writes it again); a history that cannot be written publishes no report.
        var replaced = false
        let written = try ReportWriter.write(
            result, rejectsCSV: rejectsCSV, timings: &timings,
            to: configuration.outputDirectory, finishing: { (clock.now - started).seconds },
            beforePublishing: { if let history, let night { replaced = try history.record(night) } })
        return RunOutcome(result: result, timings: timings, writtenFiles: written, replacedNight: replaced)
    }

    /// The night's figures: ingest accounting, warnings (pruning, slow rules, merge), dates and
    /// the night the run stands for.
    static func nightSummary(_ corpus: CountedCorpus, configuration: PipelineConfiguration) -> RunSummary {
        let counts = corpus.counts
        var summary = corpus.summary
        corpus.ingest.complete(&summary, warnings: corpus.discoveryWarnings)
        summary.countErrorBound = Int(counts.countErrorBound)
        if counts.countErrorBound > 0 {
            summary.warnings.append(
                "The count tables reached --max-memory and pruned rare phrases: every phrase said more than \(counts.countErrorBound) times is counted, at most \(counts.countErrorBound) below its true count; raise --max-memory for exact counts."
            )
        }
        if !corpus.slowRules.isEmpty {
            summary.warnings.append(
                "\(corpus.slowRules.count) lexicon rule(s) have no literal word that every match needs, so they run on every turn: \(corpus.slowRules.joined(separator: ", ")).")
        }
        if let lexicon = corpus.lexicon {
            for (rule, calls) in corpus.tally.ruleUntimedWindowCalls.enumerated() where calls > 0 {
                let window =
                    lexicon.rules[rule].window.map { window in
                        let seconds = window.seconds.rounded() == window.seconds ? String(Int(window.seconds)) : String(window.seconds)
                        return "{\(window.edge.rawValue): \(seconds)}"
                    } ?? ""
                summary.warnings.append(
                    "Rule \(lexicon.rules[rule].category)/\(lexicon.rules[rule].id) has window: \(window) in seconds, but \(calls) call(s) have turns without times: it was not applied to them; give the window turns: N to count turns in such calls."
                )
            }
        }
        summary.warnings += corpus.extraWarnings
        summary.dates = corpus.dates.keys.sorted()
        if let date = configuration.runDate {
            (summary.runDate, summary.runDateSource) = (date, "option")
        } else if let date = RunDate.night(of: corpus.dates) {
            (summary.runDate, summary.runDateSource) = (date.day, "calls")
            if date.days > 1 {
                summary.warnings.append(
                    "The calls are dated on \(date.days) days; the night is keyed as \(date.day), the day with the most calls (\(date.calls)); use --date to choose another.")
            }
        } else {
            (summary.runDate, summary.runDateSource) = (RunDate.today, "today")
        }
        return summary
    }

    /// What ranking produces: the rankings (windows, before whole phrases), the proposals to
    /// grow them into whole phrases, and the phrases the history keeps.
    struct Ranking {
        var context: RankContext
        var rankings: [RankingKind: [RankedPhrase]]
        var proposals: [PhraseExtension.Proposal]
        var kept: [RankingKind: [RankedPhrase]]
    }

    static func rank(_ corpus: CountedCorpus, summary: RunSummary, configuration: PipelineConfiguration, keepingHistory: Bool) -> Ranking {
        let counts = corpus.counts
        let words = summary.tokensBySpeaker ?? SpeakerFigures()
        let context = RankContext(
            counts, options: configuration.rank,
            words: (total: summary.tokens, customerSide: words.customer + words.unknown))
        let pool = Ranker.pool(context)
        // Rows past `top` stay until whole phrases have merged windows of one utterance.
        var rankings = Ranker.rank(
            pool, counts: counts, options: configuration.rank, keep: configuration.rank.top * 2, workers: configuration.threads)
        if let lexicon = corpus.lexicon { rankings = Ranker.dropAgentScript(rankings, context: context, isAgentScript: lexicon.isAgentScript) }
        let proposals = PhraseExtension.propose(rankings, context: context)
        // The history keeps each ranking's most frequent phrases, ranked or not, so a phrase
        // outside tonight's top can still be compared tomorrow, and emerge.
        let kept = keepingHistory ? Ranker.mostFrequent(pool, counts: counts, limit: historyDepth) : [:]
        return Ranking(context: context, rankings: rankings, proposals: proposals, kept: kept)
    }

    /// What one pass over the spooled turns finds: examples of every phrase a report may show,
    /// and the calls of every customer phrase (for topics).
    struct Quotes {
        var examples: [NGramKey: ExampleFinder.Examples]
        var calls: [NGramKey: CallSketch]
        var read: (SnippetReference) -> Snippet?
    }

    /// The night's trends against the history (nil without one).
    static func trends(_ ranking: Ranking, corpus: CountedCorpus, summary: RunSummary, history: HistoryStore?) throws -> PhraseTrends? {
        try history.map { store throws(HistoryError) in
            try PhraseTrends(
                rankings: ranking.rankings, kept: ranking.kept, counts: corpus.counts, summary: summary,
                baseline: store.baseline(before: summary.runDate, runs: TrendAnalysis.steadyRuns, keptPerRanking: historyDepth))
        }
    }

    /// What the pass over the quoted turns looks for: every phrase a report may show, the
    /// whole phrases longer than --max-n with their windows (counted, to check the scan), and
    /// the phrases topics group by their calls.
    static func quoteRequest(
        _ ranking: Ranking, emerging: [RankedPhrase], counts: CountTable, configuration: PipelineConfiguration
    ) -> QuoteRequest {
        let longKeys = Set(ranking.proposals.filter { $0.whole.length > counts.maxN }.flatMap { [$0.whole, $0.window] })
        // Keywords are not grown into whole phrases: only their top rows can be shown.
        let shown = ranking.rankings.flatMap { kind, phrases in kind == .keywords ? Array(phrases.prefix(configuration.rank.top)) : phrases }
        let quoted = Set(shown.map(\.key) + ranking.proposals.map(\.whole) + emerging.map(\.key))
        return QuoteRequest(
            quoted: quoted, long: longKeys, sketched: TopicRows.sketched(ranking.rankings, proposals: ranking.proposals, emerging: emerging))
    }

    /// Quotes every phrase a report may show, counts the whole phrases longer than --max-n
    /// (growing the rankings' windows into them) and sketches the calls of customer phrases:
    /// one pass over the spools, or what a cluster's quote tasks found for the same request.
    static func quote(
        _ ranking: inout Ranking, emerging: [RankedPhrase], corpus: CountedCorpus,
        configuration: PipelineConfiguration
    ) throws -> Quotes {
        let counts = corpus.counts, workers = configuration.threads
        let spools = Dictionary(uniqueKeysWithValues: corpus.spools.map { ($0.index, $0) })
        let read: (SnippetReference) -> Snippet? = { spools[$0.spool]?.read($0) }
        let request = quoteRequest(ranking, emerging: emerging, counts: counts, configuration: configuration)
        let quoted = Set(request.quoted)
        let scanned: ExampleFinder.Scan
        if let results = corpus.quoteResults {
            guard results.request == request.digest else {
                throw PartialError.quoteMismatch(
                    path: results.planPath,
                    reason: "it was planned for another ranking than this merge's (other bucket results, options or history)")
            }
            scanned = results.scan
        } else {
            scanned = request.scan(counts: counts, spools: corpus.spools, workers: workers)
        }
        var examples = scanned.examples
        ranking.rankings = PhraseExtension.apply(ranking.rankings, proposals: ranking.proposals, longFigures: scanned.figures, context: ranking.context)
        // Every row was quoted above; should one not have been, a second, short pass quotes it.
        let unquoted = Set(ranking.rankings.values.flatMap { $0.map(\.key) }).subtracting(quoted)
        if !unquoted.isEmpty {
            examples.merge(ExampleFinder.find(unquoted, counts: counts, spools: corpus.spools, workers: workers).examples) { first, _ in first }
        }
        return Quotes(examples: examples, calls: scanned.calls, read: read)
    }

    /// The `RunResult`: rows of every ranking, topics, emerging phrases, categories, the calls
    /// they quote, and what the lexicons miss.
    static func assemble(
        _ corpus: CountedCorpus, summary: RunSummary, ranking: Ranking, trends: PhraseTrends?, quotes: Quotes,
        configuration: PipelineConfiguration
    ) -> RunResult {
        let counts = corpus.counts, lexicon = corpus.lexicon, read = quotes.read
        let byRanking = trends?.byRanking ?? [:]
        let rows = PhraseRows.build(
            ranking.rankings, counts: counts, callsProcessed: summary.callsProcessed, examples: quotes.examples,
            trends: byRanking, read: read)
        let topics = TopicRows.group(
            ranking.rankings, emerging: trends?.emerging ?? [], calls: quotes.calls, context: ranking.context,
            callsProcessed: summary.callsProcessed)
        let emergingPhrases = TopicRows.oneEmergingPerTopic(trends?.emerging ?? [], topics: topics)
        let emerging = PhraseRows.build(
            emergingPhrases, counts: counts, callsProcessed: summary.callsProcessed,
            examples: quotes.examples, trends: byRanking, read: read)
        var categories = CategoryRows.build(lexicon ?? .empty, tally: corpus.tally, callsProcessed: summary.callsProcessed, read: read)
        trends?.annotate(&categories.categories)
        let options = RunOptions(
            maxN: counts.maxN, minCount: configuration.rank.minCount, minCalls: configuration.rank.minCalls,
            top: configuration.rank.top,
            lexicons: (lexicon?.files ?? []).map { ($0 as NSString).lastPathComponent },
            minCohesion: configuration.rank.minCohesion, minKeyness: configuration.rank.minKeyness)
        var result = RunResult(
            generator: "frasario \(version)", options: options, summary: summary, phrases: rows,
            categories: categories.categories, ruleErrors: categories.errors, emerging: emerging,
            history: trends?.analysis.context)
        result.topics = TopicRows.build(
            topics, emerging: trends?.emerging ?? [], limit: configuration.rank.top, counts: counts,
            callsProcessed: summary.callsProcessed, examples: quotes.examples, trends: byRanking, read: read)
        // The calls the topics and emerging phrases quote, whole, for the reader to open.
        let quotedIDs = Set(((result.topics ?? []).prefix(TopicReport.shown).flatMap(\.examples) + emerging.flatMap(\.examples)).map(\.callId))
        // A call's turns are all in one spool: only the spools of the quoted examples are read.
        // Their turns are looked at in spool order, so each compressed block is inflated once.
        var holding = Set<Int>()
        let references = Set(quotes.examples.values.flatMap { ($0.customer.all + $0.agent.all).map(\.snippet) })
        for reference in references.sorted(by: { $0.raw < $1.raw }) where !quotedIDs.isEmpty && !holding.contains(reference.spool) {
            if let snippet = read(reference), quotedIDs.contains(snippet.callID) { holding.insert(reference.spool) }
        }
        let quotedTurns = SnippetSpool.turns(ofCalls: quotedIDs, in: corpus.spools.filter { holding.contains($0.index) })
        result.quotedCalls = quotedTurns.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map { id in
            QuotedCall(
                callId: id,
                turns: (quotedTurns[id] ?? []).map { snippet in
                    let text = snippet.verbatim.isEmpty ? snippet.text : String(decoding: snippet.verbatim, as: UTF8.self)
                    return QuotedTurn(speaker: snippet.speaker, text: text.split(whereSeparator: \.isWhitespace).joined(separator: " "))
                })
        }
        if let lexicon {
            let hasSpeakers = summary.turnsBySpeaker.customer + summary.turnsBySpeaker.agent > 0
            result.coverage = CoverageFinder.find(
                rows, emerging: emerging, lexicon: lexicon, prefilter: corpus.prefilter, hasSpeakers: hasSpeakers)
        }
        return result
    }
}

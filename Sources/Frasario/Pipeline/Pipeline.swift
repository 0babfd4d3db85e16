import Foundation

/// The whole run: ingest → (normalize, count, match per call, on every worker) → merge → rank → report.
public enum Pipeline {
    public static let version = "0.1.0"

    /// Reads every input, writes every report into `configuration.outputDirectory` atomically,
    /// and returns what was found. Bad records are rejected and listed, never fatal.
    /// - Throws: `IngestError` or `PipelineError` with a one-sentence description.
    public static func run(_ configuration: PipelineConfiguration) throws -> RunOutcome {
        try configuration.validate()
        let clock = ContinuousClock()
        let started = clock.now
        // The lexicon is compiled before any input is read: a bad rule stops the run at once.
        let lexicon = try configuration.lexiconDirectory.map { directory throws(LexiconError) in try LexiconLoader.load(directory: directory) }
        // Opened before reading, so an unusable history or output folder fails the run at once.
        let history = try configuration.historyPath.map { path throws(HistoryError) in try HistoryStore(path: path) }
        try AtomicFiles.checkWritable(configuration.outputDirectory)
        let spoolDirectory = try SpoolDirectory.create()
        defer { spoolDirectory.remove() }
        let corpus = try count(configuration, lexicon: lexicon, spoolDirectory: spoolDirectory.url, clock: clock, started: started)
        defer { corpus.spools.forEach { $0.remove() } }
        return try finish(corpus, configuration: configuration, history: history, clock: clock, started: started)
    }

    /// `frasario count`: the counting half of a run, written as a partial file for
    /// `merge` (distributed mode). No reports, no history.
    public static func countPartial(_ configuration: PipelineConfiguration, to path: String) throws -> PartialOutcome {
        try configuration.validate()
        let clock = ContinuousClock()
        let started = clock.now
        let lexicon = try configuration.lexiconDirectory.map { directory throws(LexiconError) in try LexiconLoader.load(directory: directory) }
        let spoolDirectory = try SpoolDirectory.create()
        defer { spoolDirectory.remove() }
        let corpus = try count(configuration, lexicon: lexicon, spoolDirectory: spoolDirectory.url, clock: clock, started: started)
        defer { corpus.spools.forEach { $0.remove() } }
        try PartialWriter.write(corpus, fingerprint: fingerprint(configuration, lexicon: lexicon),
                                lexiconDirectory: configuration.lexiconDirectory, to: path)
        let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
        return PartialOutcome(callsRead: corpus.ingest.callsRead, callsRejected: corpus.ingest.rejects.count,
                              ngrams: corpus.counts.count, bytesRead: corpus.bytesRead, partialBytes: bytes,
                              seconds: (clock.now - started).seconds)
    }

    /// `frasario merge`: merges partials and finishes as `run` does: for the same inputs,
    /// the reports are the same bytes as one run's, however the inputs were split.
    public static func merge(_ partials: [String], configuration: PipelineConfiguration) throws -> RunOutcome {
        try configuration.validate()
        let clock = ContinuousClock()
        let started = clock.now
        let history = try configuration.historyPath.map { path throws(HistoryError) in try HistoryStore(path: path) }
        try AtomicFiles.checkWritable(configuration.outputDirectory)
        var corpus = try PartialMerge.merge(partials, threads: configuration.threads, minimum: configuration.rank)
        corpus.discoveryWarnings = configuration.listingWarnings + corpus.discoveryWarnings.filter { !configuration.listingWarnings.contains($0) }
        defer { corpus.spools.forEach { $0.remove() } }
        corpus.mergeSeconds = (clock.now - started).seconds
        return try finish(corpus, configuration: configuration, history: history, clock: clock, started: started)
    }

    /// What a partial must share with the others it is merged with.
    static func fingerprint(_ configuration: PipelineConfiguration, lexicon: Lexicon?) -> PartialFingerprint {
        var digest: [UInt8] = []
        for source in lexicon?.sources ?? [] {
            digest += Array(source.name.utf8) + [0] + Array(source.text.utf8) + [0]
        }
        return PartialFingerprint(
            generator: "frasario \(version)", partialFormat: PartialFormat.version, normalizer: Normalizer.version,
            maxN: configuration.maxN, lexiconFiles: (lexicon?.sources ?? []).map(\.name),
            lexiconDigest: digest.isEmpty ? "" : String(mix64(TokenInterner.hash(digest)), radix: 16),
            agentSpeakers: configuration.agentSpeakers.map { $0.lowercased() }.sorted(), format: configuration.format?.rawValue)
    }

    /// Ingest, normalize, count and match every input on every worker, then merge the
    /// workers' tables: everything a report is made from, before ranking.
    static func count(_ configuration: PipelineConfiguration, lexicon: Lexicon?, spoolDirectory: URL,
                      clock: ContinuousClock, started: ContinuousClock.Instant) throws -> CountedCorpus {
        let prefilter = configuration.lexiconFastPath ? lexicon.map(LexiconPrefilter.init) : nil
        let discovery = try InputDiscovery.discover(configuration.inputs, forcedFormat: configuration.format)
        let workers = configuration.threads
        // Worker tables plus the merged one share the budget.
        let maxMemory = configuration.maxMemory ?? Int(ProcessInfo.processInfo.physicalMemory / 2)
        let budget = maxMemory / (workers + 1)
        let processors = try (0..<workers).map {
            try CallProcessor(index: $0, maxN: configuration.maxN, memoryBudget: budget, spoolDirectory: spoolDirectory,
                              lexicon: lexicon, prefilter: prefilter)
        }
        var ingest = IngestAccounting()
        ingest.files = discovery.files.count
        ingest.limit = configuration.callSizeLimit
        let reader = InputReader(files: discovery.files, limit: configuration.callSizeLimit)
        let waveBytes = max(8 << 20, workers * (4 << 20))
        var bytesRead = 0
        var callsAccepted = 0
        // The input's size, for the progress line's percentage (unknown with standard input).
        let totalBytes: Int? = configuration.progress == nil ? nil : discovery.files.reduce(Optional(0)) { total, file in
            guard let total, let path = file.path,
                  let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int else { return nil }
            return total + size
        }
        let agentLabels = Set(configuration.agentSpeakers.map { $0.lowercased() })
        while true {
            var pieces: [RawInput] = []
            var pieceBytes = 0
            while pieceBytes < waveBytes && pieces.count < 8192, let piece = try reader.next() {
                pieces.append(piece)
                pieceBytes += piece.byteCount
            }
            if pieces.isEmpty { break }
            bytesRead += pieceBytes
            let parsed = Parallel.map(pieces, workers: workers) { RecordParser.parse($0, agentLabels: agentLabels) }
            let accepted = ingest.accept(parsed)
            let firstOrdinal = callsAccepted
            Parallel.forEachSlice(of: accepted, workers: workers) { worker, slice in
                let processor = processors[worker]
                for index in slice.indices { processor.process(slice[index], ordinal: firstOrdinal + index) }
            }
            callsAccepted += accepted.count
            configuration.progress?(RunProgress(callsRead: ingest.callsRead, bytesRead: bytesRead,
                                                elapsedSeconds: (clock.now - started).seconds, totalBytes: totalBytes))
        }
        processors.forEach { $0.spool.flush() }
        if let spool = processors.first(where: { $0.spool.failure != nil })?.spool {
            throw PipelineError.cannotWrite(path: spool.url.path, reason: spool.failure ?? "write failed")
        }
        let counted = clock.now

        var corpus = CountedCorpus(counts: processors[0].counts, tally: processors[0].tally, summary: processors[0].summary,
                                   dates: processors[0].dates, ingest: ingest, discoveryWarnings: configuration.setupWarnings + discovery.warnings,
                                   lexicon: lexicon, slowRules: prefilter?.slowRules ?? [], spools: processors.map(\.spool),
                                   bytesRead: bytesRead, countSeconds: (counted - started).seconds, mergeSeconds: 0)
        for processor in processors.dropFirst() {
            corpus.counts.merge(processor.counts)
            corpus.tally.merge(processor.tally)
            processor.counts = CountTable(maxN: configuration.maxN)
            corpus.summary.add(processor.summary)
            corpus.dates.merge(processor.dates, uniquingKeysWith: +)
        }
        corpus.mergeSeconds = (clock.now - counted).seconds
        return corpus
    }

    /// Ranks, compares with the history, quotes examples, records the night and writes the
    /// reports: the same for a run and for merged partials, so both give the same bytes.
    static func finish(_ corpus: CountedCorpus, configuration: PipelineConfiguration, history: HistoryStore?,
                       clock: ContinuousClock, started: ContinuousClock.Instant) throws -> RunOutcome {
        let counts = corpus.counts, tally = corpus.tally, lexicon = corpus.lexicon
        let workers = configuration.threads
        var summary = corpus.summary
        corpus.ingest.complete(&summary, warnings: corpus.discoveryWarnings)
        summary.countErrorBound = Int(counts.countErrorBound)
        if counts.countErrorBound > 0 {
            summary.warnings.append("The count tables reached --max-memory and pruned rare phrases: every phrase said more than \(counts.countErrorBound) times is counted, at most \(counts.countErrorBound) below its true count; raise --max-memory for exact counts.")
        }
        if !corpus.slowRules.isEmpty {
            summary.warnings.append("\(corpus.slowRules.count) lexicon rule(s) have no literal word that every match needs, so they run on every turn: \(corpus.slowRules.joined(separator: ", ")).")
        }
        summary.warnings += corpus.extraWarnings
        summary.dates = corpus.dates.keys.sorted()
        if let date = configuration.runDate {
            (summary.runDate, summary.runDateSource) = (date, "option")
        } else if let date = RunDate.night(of: corpus.dates) {
            (summary.runDate, summary.runDateSource) = (date.day, "calls")
            if date.days > 1 {
                summary.warnings.append("The calls are dated on \(date.days) days; the night is keyed as \(date.day), the day with the most calls (\(date.calls)); use --date to choose another.")
            }
        } else {
            (summary.runDate, summary.runDateSource) = (RunDate.today, "today")
        }
        let merged = clock.now

        let words = summary.tokensBySpeaker ?? SpeakerFigures()
        let context = RankContext(counts, options: configuration.rank,
                                  words: (total: summary.tokens, customerSide: words.customer + words.unknown))
        let pool = Ranker.pool(context)
        // Rows past `top` stay until whole phrases have merged windows of one utterance.
        var rankings = Ranker.rank(pool, counts: counts, options: configuration.rank, keep: configuration.rank.top * 2)
        if let lexicon { rankings = Ranker.dropAgentScript(rankings, context: context, isAgentScript: lexicon.isAgentScript) }
        let proposals = PhraseExtension.propose(rankings, context: context)
        // The history keeps each ranking's most frequent phrases, ranked or not, so a phrase
        // outside tonight's top can still be compared tomorrow, and emerge.
        let kept = history == nil ? [:] : Ranker.mostFrequent(pool, counts: counts, limit: historyDepth)
        let ranked = clock.now

        // Trends follow the ranked windows: a whole phrase takes its window's trend (see
        // `RankedPhrase.historyKey`).
        let trends = try history.map { store throws(HistoryError) in
            try PhraseTrends(rankings: rankings, kept: kept, counts: counts, summary: summary,
                             baseline: store.baseline(before: summary.runDate, runs: TrendAnalysis.steadyRuns, keptPerRanking: historyDepth))
        }
        let spools = Dictionary(uniqueKeysWithValues: corpus.spools.map { ($0.index, $0) })
        let read: (SnippetReference) -> Snippet? = { spools[$0.spool]?.read($0) }
        // One pass over the spooled turns quotes every phrase a report may show and counts the
        // whole phrases longer than --max-n (with their windows, to check the scan).
        let longKeys = Set(proposals.filter { $0.whole.length > counts.maxN }.flatMap { [$0.whole, $0.window] })
        // Keywords are not grown into whole phrases: only their top rows can be shown.
        let shown = rankings.flatMap { kind, phrases in kind == .keywords ? Array(phrases.prefix(configuration.rank.top)) : phrases }
        let quoted = Set(shown.map(\.key) + proposals.map(\.whole) + (trends?.emerging.map(\.key) ?? []))
        // …and sketches the calls of every customer phrase, for topics.
        let scanned = ExampleFinder.find(quoted, counting: longKeys.sorted { $0.ids.lexicographicallyPrecedes($1.ids) },
                                         sketching: TopicRows.sketched(rankings, proposals: proposals, emerging: trends?.emerging ?? []),
                                         counts: counts, spools: corpus.spools, workers: workers)
        var examples = scanned.examples
        rankings = PhraseExtension.apply(rankings, proposals: proposals, longFigures: scanned.figures, context: context)
        // Every row was quoted above; should one not have been, a second, short pass quotes it.
        let unquoted = Set(rankings.values.flatMap { $0.map(\.key) }).subtracting(quoted)
        if !unquoted.isEmpty {
            examples.merge(ExampleFinder.find(unquoted, counts: counts, spools: corpus.spools, workers: workers).examples) { first, _ in first }
        }
        let rows = PhraseRows.build(rankings, counts: counts, callsProcessed: summary.callsProcessed, examples: examples,
                                    trends: trends?.byRanking ?? [:], read: read)
        let topics = TopicRows.group(rankings, emerging: trends?.emerging ?? [], calls: scanned.calls, context: context)
        let emergingPhrases = TopicRows.oneEmergingPerTopic(trends?.emerging ?? [], topics: topics)
        let emerging = PhraseRows.build(emergingPhrases, counts: counts, callsProcessed: summary.callsProcessed,
                                        examples: examples, trends: trends?.byRanking ?? [:], read: read)
        var categories = CategoryRows.build(lexicon ?? .empty, tally: tally, callsProcessed: summary.callsProcessed, read: read)
        trends?.annotate(&categories.categories)
        let options = RunOptions(maxN: counts.maxN, minCount: configuration.rank.minCount, minCalls: configuration.rank.minCalls,
                                 top: configuration.rank.top,
                                 lexicons: (lexicon?.files ?? []).map { ($0 as NSString).lastPathComponent },
                                 minCohesion: configuration.rank.minCohesion, minKeyness: configuration.rank.minKeyness)
        var result = RunResult(generator: "frasario \(version)", options: options, summary: summary, phrases: rows,
                               categories: categories.categories, ruleErrors: categories.errors, emerging: emerging,
                               history: trends?.analysis.context)
        result.topics = TopicRows.build(topics, emerging: trends?.emerging ?? [], limit: configuration.rank.top, counts: counts,
                                        callsProcessed: summary.callsProcessed, examples: examples,
                                        trends: trends?.byRanking ?? [:], read: read)
        // The calls the topics and emerging phrases quote, whole, for the reader to open.
        let quotedIDs = Set(((result.topics ?? []).prefix(TopicReport.shown).flatMap(\.examples) + emerging.flatMap(\.examples)).map(\.callId))
        let quotedTurns = SnippetSpool.turns(ofCalls: quotedIDs, in: corpus.spools)
        result.quotedCalls = quotedTurns.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map { id in
            QuotedCall(callId: id, turns: (quotedTurns[id] ?? []).map { snippet in
                let text = snippet.verbatim.isEmpty ? snippet.text : String(decoding: snippet.verbatim, as: UTF8.self)
                return QuotedTurn(speaker: snippet.speaker, text: text.split(whereSeparator: \.isWhitespace).joined(separator: " "))
            })
        }
        if let lexicon {
            let hasSpeakers = summary.turnsBySpeaker.customer + summary.turnsBySpeaker.agent > 0
            result.coverage = CoverageFinder.find(rows, emerging: emerging, lexicon: lexicon, hasSpeakers: hasSpeakers)
        }
        let rejectsCSV = ReportWriter.rejectsCSV(corpus.ingest.rejects)
        // Everything the history records is computed before the reports are written…
        let night = try history.map { _ in
            NightRecord(date: summary.runDate, generator: result.generator, summary: summary, minCalls: configuration.rank.minCalls,
                        phrases: PhraseTrends.figures(kept, counts: counts), phraseCalls: NightPhraseCalls(context),
                        categories: result.categories, report: try ReportWriter.json(result), rejects: rejectsCSV)
        }
        let total = (clock.now - started).seconds
        var timings = RunTimings(threads: workers, bytesRead: corpus.bytesRead,
                                 readCountMatchSeconds: corpus.countSeconds, mergeSeconds: (merged - started).seconds - corpus.countSeconds,
                                 rankSeconds: (ranked - merged).seconds, reportSeconds: 0, totalSeconds: total,
                                 megabytesPerSecond: 0, prunes: counts.prunes, callsPerSecond: 0)
        let written = try ReportWriter.write(result, rejectsCSV: rejectsCSV, timings: &timings,
                                             to: configuration.outputDirectory, finishing: { (clock.now - started).seconds })
        // …and the night is committed only once they are: a night the history holds always
        // has its reports.
        var replaced = false
        if let history, let night { replaced = try history.record(night) }
        return RunOutcome(result: result, timings: timings, writtenFiles: written, replacedNight: replaced)
    }
}


/// The private temporary folder of a run's snippet spools, owned by an exclusive `flock` on
/// its `owner.lock` for as long as the run holds it. The next run removes the folders no one
/// holds any more: a lock, unlike a process id, is seen across PID namespaces sharing TMPDIR
/// and released by the kernel when the owner dies.
final class SpoolDirectory {
    static let lockName = "owner.lock"
    let url: URL
    private var lock: Int32

    private init(url: URL, lock: Int32) {
        self.url = url
        self.lock = lock
    }

    static func create() throws -> SpoolDirectory {
        Pipeline.removeStaleSpools()
        let temporary = FileManager.default.temporaryDirectory
        let name = "\(Pipeline.spoolPrefix)\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)"
        // Built under a name no cleaner looks at, locked, then given its name: a cleaner never
        // sees the folder unlocked.
        let building = temporary.appendingPathComponent("." + name)
        let url = temporary.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: building, withIntermediateDirectories: true)
        let descriptor = open(building.appendingPathComponent(lockName).path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0, flock(descriptor, LOCK_EX | LOCK_NB) == 0, rename(building.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            if descriptor >= 0 { close(descriptor) }
            try? FileManager.default.removeItem(at: building)
            throw PipelineError.cannotWrite(path: url.path, reason: "the spool folder cannot be created and locked (\(reason))")
        }
        return SpoolDirectory(url: url, lock: descriptor)
    }

    /// Removes the folder and releases the lock.
    func remove() {
        try? FileManager.default.removeItem(at: url)
        if lock >= 0 { close(lock) }
        lock = -1
    }

    deinit { if lock >= 0 { close(lock) } }
}

extension Pipeline {
    static let spoolPrefix = "frasario-spool-"
    /// Phrases per ranking the history keeps for trends.
    static let historyDepth = 1000

    /// Removes the spool folders of runs that were killed: their lock is free. A folder
    /// without a lock file (a run creating it, or an older frasario) is removed only when
    /// its process no longer exists.
    static func removeStaleSpools() {
        let temporary = FileManager.default.temporaryDirectory
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: temporary.path) else { return }
        for name in names where name.hasPrefix(spoolPrefix) {
            let folder = temporary.appendingPathComponent(name)
            let descriptor = open(folder.appendingPathComponent(SpoolDirectory.lockName).path, O_RDWR | O_CLOEXEC)
            if descriptor >= 0 {
                let free = flock(descriptor, LOCK_EX | LOCK_NB) == 0
                if free { try? FileManager.default.removeItem(at: folder) }
                close(descriptor)
                continue
            }
            guard let pid = Int32(name.dropFirst(spoolPrefix.count).prefix { $0 != "-" }) else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { try? FileManager.default.removeItem(at: folder) }
        }
    }
}

extension RunSummary {
    mutating func add(_ other: RunSummary) {
        callsProcessed += other.callsProcessed
        turns += other.turns
        turnsBySpeaker.customer += other.turnsBySpeaker.customer
        turnsBySpeaker.agent += other.turnsBySpeaker.agent
        turnsBySpeaker.unknown += other.turnsBySpeaker.unknown
        customerQuestionTurns += other.customerQuestionTurns
        tokens += other.tokens
        if let figures = other.tokensBySpeaker {
            var sum = tokensBySpeaker ?? SpeakerFigures()
            sum.customer += figures.customer
            sum.agent += figures.agent
            sum.unknown += figures.unknown
            tokensBySpeaker = sum
        }
        piiMasked.add(other.piiMasked)
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

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
        let corpus = try count(
            configuration, lexicon: lexicon, levelwise: true, spoolDirectory: spoolDirectory.url, clock: clock, started: started)
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
        // A shard cannot know what is frequent in the whole corpus: it counts every n-gram, and
        // the merge keeps those that reach the thresholds, as a run's level-wise counting does.
        let corpus = try count(
            configuration, lexicon: lexicon, levelwise: false, spoolDirectory: spoolDirectory.url, clock: clock, started: started)
        defer { corpus.spools.forEach { $0.remove() } }
        try PartialWriter.write(
            corpus, fingerprint: fingerprint(configuration, lexicon: lexicon),
            to: path)
        let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
        return PartialOutcome(
            callsRead: corpus.ingest.callsRead, callsRejected: corpus.ingest.rejects.count,
            ngrams: corpus.counts.count, bytesRead: corpus.bytesRead, partialBytes: bytes,
            seconds: (clock.now - started).seconds)
    }

    /// `frasario merge`: merges partials and finishes as `run` does: for the same inputs,
    /// the reports are the same bytes as one run's, however the inputs were split.
    /// - Parameter bucketResults: the partials' n-grams already merged by `mergeBucket`, one
    ///   result per bucket (a cluster's merge tasks); nil merges them here.
    /// - Parameter quotes: the quote plan and its tasks' results (`planQuotes`, `quoteTask`):
    ///   the examples, long phrases and topic calls are taken from them instead of a pass over
    ///   every partial's quoted turns here.
    public static func merge(
        _ partials: [String], bucketResults: [String]? = nil, quotes: QuoteFiles? = nil, configuration: PipelineConfiguration
    ) throws -> RunOutcome {
        let clock = ContinuousClock()
        let started = clock.now
        let history = try prepareReportingMerge(configuration)
        var corpus = try mergedCorpus(partials, bucketResults: bucketResults, quotes: quotes, configuration: configuration)
        defer { corpus.spools.forEach { $0.remove() } }
        corpus.mergeSeconds = (clock.now - started).seconds
        return try finish(corpus, configuration: configuration, history: history, clock: clock, started: started)
    }

    /// `frasario merge --quote-plan`: the first half of a cluster's final merge. Merges the
    /// partials (or reads the bucket results), ranks and compares with the history as the
    /// final merge will, and writes what the quote tasks must look for. No reports.
    /// - Returns: the phrases to quote.
    @discardableResult
    public static func planQuotes(
        _ partials: [String], bucketResults: [String]? = nil, configuration: PipelineConfiguration, to path: String
    ) throws -> Int {
        try configuration.validate()
        let history = try configuration.historyPath.map { path throws(HistoryError) in try HistoryStore(path: path) }
        let corpus = try mergedCorpus(
            partials, bucketResults: bucketResults, quotes: nil, configuration: configuration, readsQuotedTurns: false)
        defer { corpus.spools.forEach { $0.remove() } }
        return try writeQuotePlan(corpus, history: history, configuration: configuration, to: path)
    }

    /// `frasario merge --quote-plan --await-quote-results`: the quote plan and the final merge
    /// in one process, so a cluster's driver builds the merged table once. Writes the plan as
    /// `planQuotes`, then `awaitResults` returns the quote tasks' results once they are written,
    /// and the merge finishes as `merge` given those results: the same reports.
    /// The timings leave out the wait for the quote tasks (it is not this process's work).
    public static func planThenMerge(
        _ partials: [String], bucketResults: [String]? = nil, configuration: PipelineConfiguration, plan path: String,
        awaitResults: (_ phrases: Int) throws -> [String]
    ) throws -> RunOutcome {
        let clock = ContinuousClock()
        let started = clock.now
        let history = try prepareReportingMerge(configuration)
        var corpus = try mergedCorpus(
            partials, bucketResults: bucketResults, quotes: nil, configuration: configuration, readsQuotedTurns: false)
        defer { corpus.spools.forEach { $0.remove() } }
        let mergeDuration = clock.now - started
        let phrases = try writeQuotePlan(corpus, history: history, configuration: configuration, to: path)
        let planDuration = clock.now - started
        let results = try awaitResults(phrases)
        corpus.quoteResults = try QuoteResultSet(results, plan: path, partials: corpus.partials)
        corpus.mergeSeconds = mergeDuration.seconds
        // As if the merge had ended now: the plan's ranking counts as merging, the wait as nothing.
        return try finish(corpus, configuration: configuration, history: history, clock: clock, started: clock.now - planDuration)
    }

    /// Before a merge that writes reports reads anything: the configuration is valid, the
    /// history opens and `--out` can be written, so a bad option fails in an instant.
    private static func prepareReportingMerge(_ configuration: PipelineConfiguration) throws -> HistoryStore? {
        try configuration.validate()
        let history = try configuration.historyPath.map { path throws(HistoryError) in try HistoryStore(path: path) }
        try AtomicFiles.checkWritable(configuration.outputDirectory)
        return history
    }

    /// Ranks and compares with the history as the final merge will, and writes what the quote
    /// tasks must look for. Returns the phrases to quote.
    private static func writeQuotePlan(
        _ corpus: CountedCorpus, history: HistoryStore?, configuration: PipelineConfiguration, to path: String
    ) throws -> Int {
        let summary = nightSummary(corpus, configuration: configuration)
        let ranking = rank(corpus, summary: summary, configuration: configuration, keepingHistory: history != nil)
        let trends = try trends(ranking, corpus: corpus, summary: summary, history: history)
        let request = quoteRequest(ranking, emerging: trends?.emerging ?? [], counts: corpus.counts, configuration: configuration)
        try QuotePlan.write(request, counts: corpus.counts, partials: corpus.partials, to: path)
        return request.quoted.count
    }

    /// `frasario merge --quote PLAN`: one quote task of a cluster. Scans the quoted turns of
    /// `partials` (some of the plan's) for what the plan asks, and writes the result.
    /// - Returns: the partials scanned.
    @discardableResult
    public static func quoteTask(_ partials: [String], plan: String, configuration: PipelineConfiguration, to path: String) throws -> Int {
        try configuration.validate()
        let plan = try QuotePlan(path: plan)
        // The turns are read; the rule tallies are the final merge's, from the headers.
        let readers = try partials.map { path throws(PartialError) in try PartialReader(path: path, keepingTally: false) }
        return try QuoteResult.write(plan: plan, readers: readers, workers: configuration.threads, to: path).count
    }

    /// The partials merged into one counted corpus (see `PartialMerge.merge`), with the
    /// listing's warnings.
    private static func mergedCorpus(
        _ partials: [String], bucketResults: [String]?, quotes: QuoteFiles?, configuration: PipelineConfiguration,
        readsQuotedTurns: Bool = true
    ) throws -> CountedCorpus {
        let runs = bucketResults == nil ? try mergeRunsFolder(partials: partials.count) : nil
        defer { runs?.remove() }
        var corpus = try PartialMerge.merge(
            partials, lexiconDirectory: configuration.lexiconDirectory, bucketResults: bucketResults, quotes: quotes,
            threads: configuration.threads, minimum: configuration.rank, everyPhraseBelowWords: configuration.everyPhraseBelowWords,
            runsFolder: runs?.url, readsQuotedTurns: readsQuotedTurns)
        corpus.discoveryWarnings = configuration.listingWarnings + corpus.discoveryWarnings.filter { !configuration.listingWarnings.contains($0) }
        return corpus
    }

    /// `frasario merge --bucket`: one merge task of a cluster. Merges bucket `bucket` of the
    /// partials' n-grams, keeping what a run keeps with the configuration's thresholds, into a
    /// bucket result for the final merge. Reads only that bucket of each partial.
    /// - Returns: the n-grams written.
    @discardableResult
    public static func mergeBucket(_ partials: [String], bucket: Int, configuration: PipelineConfiguration, to path: String) throws -> Int {
        try configuration.validate()
        // Checked as read: the header and this bucket, not the whole of every partial.
        let (readers, _) = try BucketMerge.open(partials, check: .asRead, keepingTally: false)
        let buckets = readers[0].header.fingerprint.buckets
        guard bucket >= 0, bucket < buckets else {
            throw PipelineError.invalidOption("--bucket must be between 0 and \(buckets - 1): the partials were counted in \(buckets) bucket(s).")
        }
        // The calls whose ids fall in this bucket, each in one partial (the other tasks check theirs).
        try PartialMerge.refuseRepeatedCalls(readers, buckets: bucket..<(bucket + 1))
        let header = BucketResult.Header(
            bucket: bucket, buckets: buckets, partials: readers.map { String($0.checksum, radix: 16) },
            keptMinimum: BucketMerge.keptMinimum(readers, minimum: configuration.rank, everyPhraseBelowWords: configuration.everyPhraseBelowWords))
        let runs = try mergeRunsFolder(partials: readers.count)
        defer { runs?.remove() }
        try BucketResult.write(header, readers: readers, to: path, runsFolder: runs?.url)
        return try BucketResult(path: path).recordCount
    }

    /// A private temporary folder for the runs of a merge tree, when `partials` are more than
    /// one k-way merge reads at once (see `BucketMerge.fanIn`); nil otherwise.
    private static func mergeRunsFolder(partials: Int) throws -> SpoolDirectory? {
        partials > BucketMerge.fanIn ? try SpoolDirectory.create() : nil
    }

    /// What a partial must share with the others it is merged with.
    static func fingerprint(_ configuration: PipelineConfiguration, lexicon: Lexicon?) -> PartialFingerprint {
        let lexiconIdentity = PartialFingerprint.lexiconIdentity(lexicon)
        return PartialFingerprint(
            generator: "frasario \(version)", partialFormat: PartialFormat.version, normalizer: Normalizer.version,
            maxN: configuration.maxN, lexiconFiles: lexiconIdentity.files, lexiconDigest: lexiconIdentity.digest,
            agentSpeakers: configuration.agentSpeakers.map { $0.lowercased() }.sorted(), format: configuration.format?.rawValue,
            buckets: configuration.partialBuckets)
    }

    /// Ingest, normalize, count and match every input on every worker, then merge the
    /// workers' tables: everything a report is made from, before ranking.
    /// - Parameter levelwise: count single words while reading and the longer n-grams level
    ///   by level afterwards, keeping only those that reach the ranking thresholds (`run`);
    ///   otherwise count every n-gram at once, exactly (`count`, a shard's partial).
    static func count(
        _ configuration: PipelineConfiguration, lexicon: Lexicon?, levelwise: Bool, spoolDirectory: URL,
        clock: ContinuousClock, started: ContinuousClock.Instant
    ) throws -> CountedCorpus {
        let prefilter = configuration.lexiconFastPath ? lexicon.map(LexiconPrefilter.init) : nil
        let discovery = try InputDiscovery.discover(configuration.inputs, forcedFormat: configuration.format)
        let workers = configuration.threads
        // Worker tables plus the merged one share the budget.
        let maxMemory = configuration.maxMemory ?? Int(ProcessInfo.processInfo.physicalMemory / 2)
        let budget = maxMemory / (workers + 1)
        let processors = try (0..<workers).map {
            try CallProcessor(
                index: $0, maxN: configuration.maxN, memoryBudget: budget, levelwise: levelwise, spoolDirectory: spoolDirectory,
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
        let totalBytes: Int? =
            configuration.progress == nil
            ? nil
            : discovery.files.reduce(Optional(0)) { total, file in
                guard let total, let path = file.path,
                    let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int
                else { return nil }
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
            configuration.progress?(
                RunProgress(
                    callsRead: ingest.callsRead, bytesRead: bytesRead,
                    elapsedSeconds: (clock.now - started).seconds, totalBytes: totalBytes))
        }
        processors.forEach {
            $0.spool.flush()
            $0.flushTokenRecord()
        }
        if let spool = processors.first(where: { $0.spool.failure != nil })?.spool {
            throw PipelineError.cannotWrite(path: spool.url.path, reason: spool.failure ?? "write failed")
        }
        if let record = processors.compactMap(\.tokenRecord).first(where: { $0.failure != nil }) {
            throw PipelineError.cannotWrite(path: record.url.path, reason: record.failure ?? "write failed")
        }
        let counted = clock.now

        var corpus = CountedCorpus(
            counts: processors[0].counts, tally: processors[0].tally, summary: processors[0].summary,
            dates: processors[0].dates, ingest: ingest, discoveryWarnings: configuration.setupWarnings + discovery.warnings,
            lexicon: lexicon, slowRules: prefilter?.slowRules ?? [], spools: processors.map(\.spool),
            bytesRead: bytesRead, countSeconds: (counted - started).seconds, mergeSeconds: 0)
        corpus.stageSeconds = processors.reduce(StageSeconds()) { $0 + $1.stageNanoseconds.seconds }
        corpus.prefilter = prefilter
        // Worker 0's table becomes the merged one: its ids stay as they are.
        var remaps = [(0..<UInt32(corpus.counts.tokens.count)).map { $0 }]
        for processor in processors.dropFirst() {
            remaps.append(corpus.counts.merge(processor.counts))
            corpus.tally.merge(processor.tally)
            processor.counts = CountTable(maxN: configuration.maxN)
            corpus.summary.add(processor.summary)
            corpus.dates.merge(processor.dates, uniquingKeysWith: +)
        }
        corpus.mergeSeconds = (clock.now - counted).seconds
        let records = processors.compactMap(\.tokenRecord)
        if levelwise {
            defer { records.forEach { $0.remove() } }
            let merged = clock.now
            try countLevels(
                &corpus.counts, records: records, remaps: remaps,
                minimumCount: CountTable.keptMinimumCount(
                    rankingMinimum: configuration.rank.minCount, words: corpus.summary.tokens,
                    everyPhraseBelow: configuration.everyPhraseBelowWords),
                workers: workers, memoryBudget: budget)
            corpus.levelSeconds = (clock.now - merged).seconds
        }
        return corpus
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

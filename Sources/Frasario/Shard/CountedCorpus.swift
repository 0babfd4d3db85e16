import Foundation

/// Everything the counting pass produces, from one run's workers or from merged partials.
struct CountedCorpus {
    var counts: CountTable
    var tally: LexiconTally
    /// Figures of the calls processed; the ingest figures are added by `IngestAccounting.complete`.
    var summary: RunSummary
    /// Calls per call date.
    var dates: [String: Int]
    var ingest: IngestAccounting
    var discoveryWarnings: [String]
    var lexicon: Lexicon?
    /// Rules the lexicon fast path cannot skip (no literal).
    var slowRules: [String]
    /// Where the quoted turns are, by spool index.
    var spools: [SnippetSpool]
    var bytesRead: Int
    var countSeconds: Double
    var mergeSeconds: Double
    /// Time of the level-wise passes (see `Pipeline.countLevels`).
    var levelSeconds: Double = 0
    /// Worker time per stage of the read pass, summed over workers.
    var stageSeconds = StageSeconds()
    /// Warnings found while merging partials.
    var extraWarnings: [String] = []
    /// The lexicon's fast path as the run built it, reused by the coverage check (nil after a
    /// merge, which builds its own).
    var prefilter: LexiconPrefilter?
    /// After a merge: the partials' checksums, in merge order (a partial's place is its spool index).
    var partials: [String] = []
    /// After a cluster's merge: what its quote tasks found, used instead of scanning the spools.
    var quoteResults: QuoteResultSet?
}

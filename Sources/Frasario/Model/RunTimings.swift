import Foundation

/// Wall-clock figures of a run: written to `timings.json` and stderr only, never into reports,
/// so that reports stay byte-identical from run to run.
public struct RunTimings: Codable, Sendable {
    public var threads: Int
    public var bytesRead: Int
    /// Reading, normalizing, matching and counting single words and pairs (and every n-gram
    /// length for a shard's partial).
    public var readCountMatchSeconds: Double
    /// Counting the longer n-grams level by level from the token records (0 for a merge).
    public var levelCountSeconds: Double
    public var mergeSeconds: Double
    public var rankSeconds: Double
    public var reportSeconds: Double
    public var totalSeconds: Double
    public var megabytesPerSecond: Double
    /// Times the count tables pruned rare n-grams to stay under --max-memory.
    public var prunes: Int
    public var callsPerSecond: Double
    /// Worker time of each stage of the fused pass, summed over the workers: what a stage
    /// costs alone, per core (JSON parsing and reading are outside it).
    public var stages = StageSeconds()
}

/// Seconds the workers spent in each stage of the fused read pass, summed over workers.
public struct StageSeconds: Codable, Sendable, Equatable {
    /// Normalizing turns: case, accents, fillers, PII masks, tokens.
    public var normalize: Double = 0
    /// Counting single words and pairs (every n-gram length when counting is not level-wise).
    public var count: Double = 0
    /// Matching the lexicon rules.
    public var lexicon: Double = 0
    /// Writing turns to the snippet spool for example quoting.
    public var spool: Double = 0

    public init() {}

    static func + (left: StageSeconds, right: StageSeconds) -> StageSeconds {
        var sum = left
        sum.normalize += right.normalize
        sum.count += right.count
        sum.lexicon += right.lexicon
        sum.spool += right.spool
        return sum
    }
}

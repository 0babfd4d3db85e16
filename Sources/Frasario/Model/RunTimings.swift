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
}

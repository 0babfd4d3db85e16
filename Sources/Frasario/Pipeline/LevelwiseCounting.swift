import Foundation

extension Pipeline {
    /// Counts the n-grams longer than one word, level by level, from the workers' token records
    /// (see CountTable+Levels): `counts` holds every worker's single words and pairs on entry;
    /// on return, every pair still and, of the longer n-grams, exactly those said at least
    /// `minimumCount` times (`CountTable.keptMinimumCount`: 1 or 2): the same table a
    /// merge of exact partials keeps (`PartialMerge`), so a run and a distributed run agree.
    /// Nothing that can be ranked is missing: a phrase is said at least as often as its parts.
    ///
    /// Each level is counted by every worker over its own record, in parallel, into a table of
    /// its own; the tables are added in worker order and cut to the frequent n-grams before the
    /// next level reads them. What is frequent is decided on the whole corpus, so the result does
    /// not depend on the thread count.
    /// - Parameter remaps: per worker, its record's token ids in `counts`' ids.
    static func countLevels(
        _ counts: inout CountTable, records: [TokenRecordFile], remaps: [[UInt32]], minimumCount: Int,
        workers: Int, memoryBudget: Int?
    ) throws {
        let direct = counts.directMaxN
        let keep = { (table: inout CountTable) in
            table.keepFrequent(minimumCount: minimumCount, minimumCalls: 1, completeLength: direct)
        }
        keep(&counts)
        guard counts.maxN > direct else { return }
        for length in (direct + 1)...counts.maxN {
            let levelTables: [Result<CountTable, Error>]
            do {
                let base = counts
                levelTables = Parallel.map(Array(records.indices), workers: workers) { worker in
                    Result {
                        var table = CountTable(levelOf: base, memoryBudget: memoryBudget)
                        try records[worker].forEachChunk { words in
                            table.countLevel(
                                length, in: words, remap: remaps[worker], frequent: base, minimumCount: minimumCount,
                                minimumCalls: 1)
                        }
                        return table
                    }
                }
            }
            var levelBound: UInt32 = 0
            for (worker, result) in levelTables.enumerated() {
                let table: CountTable
                do { table = try result.get() } catch {
                    throw PipelineError.cannotRead(path: records[worker].url.path, reason: SystemErrorText.describe(error))
                }
                counts.absorbLevel(table)
                levelBound &+= table.countErrorBound
            }
            // Each n-gram is counted in one level: its bound is its level's.
            counts.countErrorBound = max(counts.countErrorBound, levelBound)
            keep(&counts)
            if !counts.hasNGrams(ofLength: length) { break }  // nothing longer can be frequent
        }
    }
}

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
    /// its own; the tables are summed by hash partition, in parallel too, and only their
    /// frequent n-grams go into `counts`, where the next level's filter is built from. What is frequent is decided on
    /// the whole corpus, so the result does not depend on the thread count.
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
        // One table per worker for every level: its memory is reused from level to level.
        let workersTables = records.map { _ in LevelTable(CountTable(levelOf: counts, memoryBudget: memoryBudget)) }
        let partitionTables = records.count > 1 ? records.map { _ in LevelTable(CountTable(levelOf: counts, memoryBudget: nil)) } : []
        for length in (direct + 1)...counts.maxN {
            let filter = counts.frequentFilter(length: length - 1, minimumCount: minimumCount, minimumCalls: 1)
            let failures = Parallel.map(Array(records.indices), workers: workers) { worker -> Error? in
                let box = workersTables[worker]
                box.table.resetForNextLevel()
                do {
                    try records[worker].forEachChunk { words in
                        box.table.countLevel(length, in: words, remap: remaps[worker], frequent: filter)
                    }
                    return nil
                } catch {
                    return error
                }
            }
            var levelBound: UInt32 = 0
            for (worker, failure) in failures.enumerated() {
                if let failure {
                    throw PipelineError.cannotRead(path: records[worker].url.path, reason: SystemErrorText.describe(failure))
                }
                levelBound &+= workersTables[worker].table.countErrorBound
            }
            // The workers' tables are summed by partitions of the n-grams' hashes, one partition
            // per worker, in parallel; only the n-grams frequent in the whole corpus then go
            // into `counts` (the rare ones are never inserted there).
            let partitions = workersTables.count
            if partitions == 1 {
                let added = counts.absorbLevel(workersTables[0].table, minimumCount: minimumCount)
                counts.countErrorBound = max(counts.countErrorBound, levelBound)
                if added == 0 { break }
                continue
            }
            _ = Parallel.map(Array(0..<partitions), workers: workers) { partition -> Bool in
                let box = partitionTables[partition]
                box.table.resetForNextLevel()
                for worker in workersTables {
                    box.table.absorbLevel(worker.table, partition: (partition, partitions))
                }
                return true
            }
            var added = 0
            for box in partitionTables { added += counts.absorbLevel(box.table, minimumCount: minimumCount) }
            // Each n-gram is counted in one level: its bound is its level's.
            counts.countErrorBound = max(counts.countErrorBound, levelBound)
            if added == 0 { break }  // nothing longer can be frequent
        }
    }
}

/// A worker's level table, boxed so each worker mutates its own in place.
private final class LevelTable: @unchecked Sendable {
    // SAFETY: worker `w` touches only box `w` while the level is counted; the pipeline reads
    // the boxes only after every worker has finished.
    var table: CountTable
    init(_ table: CountTable) { self.table = table }
}

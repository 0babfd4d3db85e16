import Foundation
import Testing
@testable import Frasario

@Suite("Quote tasks: a cluster's executors quote the examples, the final merge reads only headers and results")
struct QuoteTaskTests {
    /// Plans the quotes, runs one quote task per group of partials and finishes the merge;
    /// returns the reports' folder.
    /// - Parameter inOneProcess: plan and final merge as one call (`planThenMerge`, as the Spark
    ///   driver runs them), the quote tasks run while it waits.
    static func finishWithQuoteTasks(
        _ partials: [String], groups: [[String]], bucketResults: [String]?, root: URL, name: String, history: String? = nil,
        everyPhraseBelowWords: Int = 1_000_000, inOneProcess: Bool = false
    ) throws -> URL {
        let configuration = ShardTests.configuration(
            partials, out: root.appendingPathComponent("\(name)/reports"), history: history, everyPhraseBelowWords: everyPhraseBelowWords)
        let plan = root.appendingPathComponent("\(name)/quotes.frq").path
        func quoteTasks() throws -> [String] {
            try groups.enumerated().map { index, group in
                let result = root.appendingPathComponent("\(name)/quotes-\(index).frr").path
                try Pipeline.quoteTask(group, plan: plan, configuration: configuration, to: result)
                return result
            }
        }
        if inOneProcess {
            var planned = 0
            _ = try Pipeline.planThenMerge(partials, bucketResults: bucketResults, configuration: configuration, plan: plan) { phrases in
                planned = phrases
                #expect(FileManager.default.fileExists(atPath: plan), "the plan is written before the results are awaited")
                return try quoteTasks().reversed()
            }
            #expect(planned > 0)
        } else {
            try Pipeline.planQuotes(partials, bucketResults: bucketResults, configuration: configuration, to: plan)
            _ = try Pipeline.merge(
                partials, bucketResults: bucketResults, quotes: QuoteFiles(plan: plan, results: quoteTasks().reversed()),
                configuration: configuration)
        }
        return root.appendingPathComponent("\(name)/reports")
    }

    @Test("plan, quote tasks over groups of partials, final merge: byte-identical to one run, small and large night, with merge tasks or without")
    func quoteTasksGiveTheRunsReports() throws {
        let (root, files) = try ShardTests.corpus()
        for everyPhraseBelowWords in [1_000_000, 1] {
            let name = "below-\(everyPhraseBelowWords)"
            let reference = root.appendingPathComponent("\(name)/run")
            _ = try Pipeline.run(ShardTests.configuration(files, out: reference, everyPhraseBelowWords: everyPhraseBelowWords))
            let shards = [Array(files.prefix(7)), Array(files.dropFirst(7).prefix(20)), Array(files.dropFirst(27).prefix(5)), Array(files.dropFirst(32))]
            let partials = try BucketMergeTests.partials(shards, buckets: 3, root: root, name: name, everyPhraseBelowWords: everyPhraseBelowWords)
            let results = try BucketMergeTests.mergeBuckets(partials, buckets: 3, root: root, name: name, everyPhraseBelowWords: everyPhraseBelowWords)
            let cluster = try Self.finishWithQuoteTasks(
                partials, groups: [Array(partials.prefix(1)), Array(partials.dropFirst().prefix(2)), Array(partials.suffix(1))],
                bucketResults: results, root: root, name: "\(name)/cluster", everyPhraseBelowWords: everyPhraseBelowWords)
            try ShardTests.expectSameReports(reference, cluster, "\(name), merge tasks and 3 quote tasks")
            let driver = try Self.finishWithQuoteTasks(
                partials, groups: [Array(partials.prefix(2)), Array(partials.suffix(2))], bucketResults: results, root: root,
                name: "\(name)/driver", everyPhraseBelowWords: everyPhraseBelowWords, inOneProcess: true)
            try ShardTests.expectSameReports(reference, driver, "\(name), plan and final merge in one process")
            let oneTask = try Self.finishWithQuoteTasks(
                partials, groups: [partials], bucketResults: nil, root: root, name: "\(name)/one-task", everyPhraseBelowWords: everyPhraseBelowWords)
            try ShardTests.expectSameReports(reference, oneTask, "\(name), one quote task, n-grams merged here")
        }
    }

    @Test("with a history, the plan sees the same emerging phrases as the final merge: the reports and the recorded night are run's")
    func quoteTasksKeepTheHistorysTrends() throws {
        let (root, files) = try ShardTests.corpus()
        // Four earlier nights: enough exposure for a phrase new tonight to emerge (p < 0.001).
        for night in ["2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20"] {
            let earlier = HistoryTests.week.appendingPathComponent(night).path
            for name in ["run", "cluster", "driver"] {
                var previous = ShardTests.configuration(
                    [earlier], out: root.appendingPathComponent("\(name)-\(night)"), history: root.appendingPathComponent("\(name).sqlite").path)
                previous.runDate = night
                _ = try Pipeline.run(previous)
            }
        }
        let single = root.appendingPathComponent("run-21")
        let result = try Pipeline.run(ShardTests.configuration(files, out: single, history: root.appendingPathComponent("run.sqlite").path)).result
        #expect(!result.emerging.isEmpty, "the night after 2026-11-20 has emerging phrases to quote")
        let partials = try BucketMergeTests.partials(
            [Array(files.prefix(20)), Array(files.dropFirst(20))], buckets: 2, root: root, name: "history")
        let results = try BucketMergeTests.mergeBuckets(partials, buckets: 2, root: root, name: "history")
        let cluster = try Self.finishWithQuoteTasks(
            partials, groups: [[partials[0]], [partials[1]]], bucketResults: results, root: root, name: "cluster-21",
            history: root.appendingPathComponent("cluster.sqlite").path)
        try ShardTests.expectSameReports(single, cluster, "with history")
        let driver = try Self.finishWithQuoteTasks(
            partials, groups: [[partials[0]], [partials[1]]], bucketResults: results, root: root, name: "driver-21",
            history: root.appendingPathComponent("driver.sqlite").path, inOneProcess: true)
        try ShardTests.expectSameReports(single, driver, "with history, plan and final merge in one process")
    }

    @Test("the final merge refuses quote results of another plan, a partial scanned twice or never, and a plan of other partials or another ranking")
    func quoteResultsThatDoNotFitAreRefused() throws {
        let (root, files) = try ShardTests.corpus()
        let partials = try BucketMergeTests.partials(
            [Array(files.prefix(10)), Array(files.dropFirst(10).prefix(10)), Array(files.dropFirst(20))], buckets: 1, root: root, name: "fit")
        let configuration = ShardTests.configuration(partials, out: root.appendingPathComponent("fit/out"))
        let plan = root.appendingPathComponent("fit/plan.frq").path
        try Pipeline.planQuotes(partials, configuration: configuration, to: plan)
        func task(_ group: [String], _ name: String, plan: String) throws -> String {
            let path = root.appendingPathComponent("fit/\(name).frr").path
            try Pipeline.quoteTask(group, plan: plan, configuration: configuration, to: path)
            return path
        }
        let first = try task([partials[0]], "first", plan: plan)
        let rest = try task(Array(partials.dropFirst()), "rest", plan: plan)
        let firstTwo = try task(Array(partials.prefix(2)), "first-two", plan: plan)
        func merge(_ partials: [String], _ results: [String], plan: String, configuration: PipelineConfiguration = configuration) throws {
            _ = try Pipeline.merge(partials, quotes: QuoteFiles(plan: plan, results: results), configuration: configuration)
        }
        #expect(throws: PartialError.quoteMismatch(path: plan, reason: "no quote result scanned partial(s) 2, 3")) {
            try merge(partials, [first], plan: plan)
        }
        #expect(throws: PartialError.quoteMismatch(path: firstTwo, reason: "partial 1 was scanned twice (also by \(first))")) {
            try merge(partials, [first, firstTwo], plan: plan)
        }
        #expect(throws: PartialError.quoteMismatch(path: plan, reason: "it was made from other partials than the ones given")) {
            try merge(Array(partials.prefix(2)), [first, rest], plan: plan)
        }
        // Another ranking: the thresholds changed between the plan and the final merge.
        var stricter = configuration
        stricter.rank.minCalls = 3
        #expect(
            throws: PartialError.quoteMismatch(
                path: plan, reason: "it was planned for another ranking than this merge's (other bucket results, options or history)")
        ) { try merge(partials, [first, rest], plan: plan, configuration: stricter) }
        // A result of another plan (the same partials, planned again with other thresholds).
        let otherPlan = root.appendingPathComponent("fit/other.frq").path
        try Pipeline.planQuotes(partials, configuration: stricter, to: otherPlan)
        let other = try task(Array(partials.dropFirst()), "other", plan: otherPlan)
        #expect(throws: PartialError.self) { try merge(partials, [first, other], plan: plan) }
        // A partial the plan was not made from.
        let stranger = try BucketMergeTests.partials([Array(files.prefix(3))], buckets: 1, root: root, name: "stranger")
        #expect(throws: PartialError.quoteMismatch(path: stranger[0], reason: "this partial is not one the plan was ranked from")) {
            _ = try task(stranger, "stranger", plan: plan)
        }
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("fit/out/report.json").path))
        // And the right results give the reports of a merge that scans the partials itself.
        try merge(partials, [rest, first], plan: plan)
        let scanned = root.appendingPathComponent("fit/scanned")
        _ = try Pipeline.merge(partials, configuration: ShardTests.configuration(partials, out: scanned))
        try ShardTests.expectSameReports(scanned, root.appendingPathComponent("fit/out"), "quote tasks against one scan")
    }

    @Test("a corrupt quote plan or result is refused by its checksum, naming the file")
    func corruptQuoteFilesAreRefused() throws {
        let (root, files) = try ShardTests.corpus()
        let partials = try BucketMergeTests.partials([files], buckets: 1, root: root, name: "corrupt")
        let configuration = ShardTests.configuration(partials, out: root.appendingPathComponent("corrupt/out"))
        let plan = root.appendingPathComponent("corrupt/plan.frq").path
        try Pipeline.planQuotes(partials, configuration: configuration, to: plan)
        let result = root.appendingPathComponent("corrupt/all.frr").path
        try Pipeline.quoteTask(partials, plan: plan, configuration: configuration, to: result)
        for path in [result, plan] {
            var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            bytes[bytes.count / 2] ^= 0x40
            try bytes.write(to: URL(fileURLWithPath: path))
            #expect(throws: PartialError.corrupt(path: path, reason: "its checksum does not match its contents")) {
                _ = try Pipeline.merge(partials, quotes: QuoteFiles(plan: plan, results: [result]), configuration: configuration)
            }
        }
    }
}

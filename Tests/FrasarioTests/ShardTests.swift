import Foundation
import Testing
@testable import Frasario

@Suite("Shards: count into partials, merge, byte-identical reports")
struct ShardTests {
    static let reportFiles = ReportWriter.fileNames.filter { $0 != "timings.json" }

    /// One night of Examples/semana with every call in a file of its own, plus a bad record,
    /// so shards can be cut anywhere, down to one call each.
    static func corpus() throws -> (root: URL, files: [String]) {
        let root = TestSupport.temporaryDirectory("shards")
        let night = try String(contentsOf: HistoryTests.week.appendingPathComponent("2026-11-21/llamadas.jsonl"), encoding: .utf8)
        var files: [String] = []
        for (index, line) in night.split(separator: "\n").enumerated() {
            files.append(TestSupport.write(String(line) + "\n", to: String(format: "calls/%03d.jsonl", index), in: root))
        }
        files.append(TestSupport.write("{\"call_id\": \"roto\", \"turns\": [\n", to: "calls/zz-roto.jsonl", in: root))
        files.append(TestSupport.write("Cliente: hola, ¿me oye? no me llega el código de verificación\nAgente: sí, le oigo\n", to: "calls/zz-texto.txt", in: root))
        return (root, files.sorted())
    }

    static func configuration(
        _ inputs: [String], out: URL, history: String? = nil, everyPhraseBelowWords: Int = 1_000_000
    ) -> PipelineConfiguration {
        var configuration = PipelineConfiguration(
            inputs: inputs, outputDirectory: out.path, threads: 2,
            rank: RankOptions(minCount: 2, minCalls: 2, top: 40), lexiconDirectory: TestSupport.lexicons)
        configuration.everyPhraseBelowWords = everyPhraseBelowWords
        configuration.historyPath = history
        configuration.runDate = history == nil ? nil : "2026-11-21"
        return configuration
    }

    /// Counts each shard into a partial and merges them; returns the merged reports' folder.
    static func countAndMerge(
        _ shards: [[String]], root: URL, name: String, history: String? = nil, everyPhraseBelowWords: Int = 1_000_000
    ) throws -> URL {
        var partials: [String] = []
        for (index, shard) in shards.enumerated() {
            let partial = root.appendingPathComponent("\(name)/part-\(index).frp").path
            // An empty shard is counted from an empty folder: it holds no call.
            let inputs = shard.isEmpty ? [root.appendingPathComponent("\(name)/empty-\(index)").path] : shard
            if shard.isEmpty { try FileManager.default.createDirectory(atPath: inputs[0], withIntermediateDirectories: true) }
            _ = try Pipeline.countPartial(configuration(inputs, out: root), to: partial)
            partials.append(partial)
        }
        let out = root.appendingPathComponent("\(name)/reports")
        _ = try Pipeline.merge(
            partials,
            configuration: configuration(partials, out: out, history: history, everyPhraseBelowWords: everyPhraseBelowWords))
        return out
    }

    static func expectSameReports(_ reference: URL, _ other: URL, _ label: String) throws {
        for name in reportFiles {
            let expected = try Data(contentsOf: reference.appendingPathComponent(name))
            let actual = try Data(contentsOf: other.appendingPathComponent(name))
            #expect(expected == actual, "\(label): \(name) differs")
        }
    }

    @Test("shards + merge give byte-identical reports to one run, whatever the split (one shard, by file, interleaved, empty shards, one per call)")
    func mergedReportsEqualOneRun() throws {
        let (root, files) = try Self.corpus()
        let single = root.appendingPathComponent("single")
        let run = try Pipeline.run(Self.configuration([root.appendingPathComponent("calls").path], out: single))
        #expect(run.result.summary.callsRejected == 1)
        #expect(!run.result.phrases.isEmpty && !run.result.categories.isEmpty)
        let splits: [(String, [[String]])] = [
            ("one-shard", [files]),
            ("halves", [Array(files.prefix(files.count / 2)), Array(files.dropFirst(files.count / 2))]),
            ("interleaved", (0..<3).map { shard in files.enumerated().filter { $0.offset % 3 == shard }.map(\.element) }),
            ("with-empty-shards", [[], Array(files.prefix(10)), [], Array(files.dropFirst(10)), []]),
            ("one-per-call", files.map { [$0] }),
        ]
        for (name, shards) in splits {
            try Self.expectSameReports(single, try Self.countAndMerge(shards, root: root, name: name), name)
        }
    }

    @Test("a partial is the same bytes for 1, 3 and 8 threads: n-grams, written forms, quoted turns, rule examples")
    func partialsIdenticalAcrossThreadCounts() throws {
        let (root, _) = try Self.corpus()
        var partials: [Data] = []
        for threads in [1, 3, 8] {
            var configuration = Self.configuration([root.appendingPathComponent("calls").path], out: root)
            configuration.threads = threads
            let partial = root.appendingPathComponent("threads-\(threads).frp").path
            _ = try Pipeline.countPartial(configuration, to: partial)
            partials.append(try Data(contentsOf: URL(fileURLWithPath: partial)))
        }
        #expect(partials[0].count > 10_000)
        #expect(partials[0] == partials[1], "3 threads wrote other bytes than 1")
        #expect(partials[0] == partials[2], "8 threads wrote other bytes than 1")
    }

    @Test("merge records the night in the history as run does: same trends, same reports")
    func mergeKeepsHistory() throws {
        let (root, files) = try Self.corpus()
        let earlier = HistoryTests.week.appendingPathComponent("2026-11-20").path
        for name in ["run", "merge"] {
            var previous = Self.configuration([earlier], out: root.appendingPathComponent("\(name)-20"), history: root.appendingPathComponent("\(name).sqlite").path)
            previous.runDate = "2026-11-20"
            _ = try Pipeline.run(previous)
        }
        let single = root.appendingPathComponent("run-21")
        let result = try Pipeline.run(Self.configuration(files, out: single, history: root.appendingPathComponent("run.sqlite").path)).result
        #expect(result.history?.previousDate == "2026-11-20")
        let merged = try Self.countAndMerge(
            [Array(files.prefix(20)), Array(files.dropFirst(20))], root: root, name: "merge-21",
            history: root.appendingPathComponent("merge.sqlite").path)
        try Self.expectSameReports(single, merged, "with history")
    }

    @Test("a corrupt, truncated, foreign or mismatched partial is refused with a sentence naming the file")
    func badPartialsAreRefused() throws {
        let (root, files) = try Self.corpus()
        let good = root.appendingPathComponent("good.frp").path
        _ = try Pipeline.countPartial(Self.configuration(Array(files.prefix(5)), out: root), to: good)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: good)))
        func refused(_ data: [UInt8], _ name: String, _ expected: String) throws {
            let path = TestSupport.write(bytes: data, to: name, in: root)
            do {
                _ = try Pipeline.merge([good, path], configuration: Self.configuration([path], out: root.appendingPathComponent("out-\(name)")))
                Issue.record("\(name) was merged")
            } catch let error as PartialError {
                #expect(error.description.contains(path), "\(error.description)")
                #expect(error.description.contains(expected), "\(error.description)")
            }
        }
        var flipped = bytes
        flipped[bytes.count / 2] ^= 0x40
        try refused(flipped, "flipped.frp", "corrupt (its checksum does not match its contents)")
        try refused(Array(bytes.prefix(bytes.count - 100)), "cut.frp", "corrupt")
        try refused(Array("not a partial at all, just some text that is long enough to look like one".utf8), "text.frp", "is not a frasario partial")
        var newer = bytes
        newer[8] = 99
        try refused(newer, "newer.frp", "format version 99")
        // Counted with other options: --max-n 3 instead of 5.
        var other = Self.configuration(Array(files.prefix(5)), out: root)
        other.maxN = 3
        let mismatched = root.appendingPathComponent("max-n-3.frp").path
        _ = try Pipeline.countPartial(other, to: mismatched)
        do {
            _ = try Pipeline.merge([good, mismatched], configuration: Self.configuration([mismatched], out: root.appendingPathComponent("out-mismatch")))
            Issue.record("a partial counted with another --max-n was merged")
        } catch let error as PartialError {
            #expect(
                error.description
                    == "The partial \(mismatched) cannot be merged with \(good): --max-n 3 here, 5 in the first partial. Count every shard with the same frasario, lexicon and options."
            )
        }
        // Without lexicons: the lexicon differs.
        var bare = Self.configuration(Array(files.prefix(5)), out: root)
        bare.lexiconDirectory = nil
        let noLexicon = root.appendingPathComponent("bare.frp").path
        _ = try Pipeline.countPartial(bare, to: noLexicon)
        #expect(throws: PartialError.self) {
            try Pipeline.merge([good, noLexicon], configuration: Self.configuration([noLexicon], out: root.appendingPathComponent("out-bare")))
        }
    }

    @Test("the same call in two partials stops the merge, naming the call and both partials: its figures would count it twice")
    func repeatedCallsAcrossShardsAreRefused() throws {
        let (root, files) = try Self.corpus()
        do {
            _ = try Self.countAndMerge([Array(files.prefix(3)), Array(files.prefix(1))], root: root, name: "repeat")
            Issue.record("a call counted in two partials was merged")
        } catch let error as PartialError {
            #expect(error.description.hasPrefix("1 call_id(s) were counted in two partials: sem-1121-0001 ("))
            #expect(error.description.contains("repeat/part-0.frp and "))
            #expect(error.description.contains("repeat/part-1.frp)"))
            #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("repeat/reports/report.json").path))
        }
    }

    @Test("a partial given twice, under its name or a copy's, is merged once: the reports are those of one run, plus a warning")
    func samePartialTwiceIsMergedOnce() throws {
        let (root, files) = try Self.corpus()
        let reference = root.appendingPathComponent("reference")
        _ = try Pipeline.run(Self.configuration(files, out: reference))
        let shards = [Array(files.prefix(10)), Array(files.dropFirst(10))]
        var partials: [String] = []
        for (index, shard) in shards.enumerated() {
            let partial = root.appendingPathComponent("part-\(index).frp").path
            _ = try Pipeline.countPartial(Self.configuration(shard, out: root), to: partial)
            partials.append(partial)
        }
        let copy = root.appendingPathComponent("copia.frp").path
        try FileManager.default.copyItem(atPath: partials[1], toPath: copy)
        let out = root.appendingPathComponent("merged")
        _ = try Pipeline.merge(partials + [partials[0], copy], configuration: Self.configuration(partials, out: out))
        let merged = try RunResult.decode(Data(contentsOf: out.appendingPathComponent("report.json")))
        let expected = try RunResult.decode(Data(contentsOf: reference.appendingPathComponent("report.json")))
        #expect(merged.summary.callsRead == expected.summary.callsRead)
        #expect(merged.summary.callsProcessed == expected.summary.callsProcessed)
        #expect(merged.phrases == expected.phrases)
        #expect(merged.summary.warnings.contains("Merged once: 2 partial(s) were given more than once: \(partials[0]), \(copy) (same contents as \(partials[1]))."))
    }

    @Test("a partial names its lexicon by digest: merge loads the folder once and refuses a missing or different one")
    func lexiconByDigest() throws {
        let (root, files) = try Self.corpus()
        let partial = root.appendingPathComponent("one-call.frp").path
        _ = try Pipeline.countPartial(Self.configuration([files[0]], out: root), to: partial)
        // One call's partial: its counts and turns, no copy of the 137 rules (145 KB before).
        let size = try #require(try FileManager.default.attributesOfItem(atPath: partial)[.size] as? Int)
        #expect(size < 20_000)
        var without = Self.configuration([partial], out: root.appendingPathComponent("sin-lexicon"))
        without.lexiconDirectory = nil
        #expect(throws: PartialError.lexiconNeeded(files: try LexiconLoader.load(directory: TestSupport.lexicons).sources.map(\.name))) {
            try Pipeline.merge([partial], configuration: without)
        }
        let changed = root.appendingPathComponent("otro-lexicon")
        try FileManager.default.copyItem(atPath: TestSupport.lexicons, toPath: changed.path)
        let file = changed.appendingPathComponent("agradecimiento.yaml")
        try (String(contentsOf: file, encoding: .utf8) + "# una nota del analista\n").write(to: file, atomically: true, encoding: .utf8)
        var different = Self.configuration([partial], out: root.appendingPathComponent("otro"))
        different.lexiconDirectory = changed.path
        #expect(throws: PartialError.lexiconDiffers(directory: changed.path, difference: "the same files, other contents")) {
            try Pipeline.merge([partial], configuration: different)
        }
        let merged = try Pipeline.merge([partial], configuration: Self.configuration([partial], out: root.appendingPathComponent("bien")))
        #expect(merged.result.categories.count == 8)
    }
}

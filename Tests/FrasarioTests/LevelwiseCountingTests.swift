import Foundation
import Testing
@testable import Frasario

@Suite("Level-wise counting: every n-gram that can be ranked, exactly, without the long tail")
struct LevelwiseCountingTests {
    /// What a table says of each n-gram, by its text: comparable across tables whose token ids differ.
    struct Figures: Equatable {
        var occurrences: OccurrenceCounts
        var calls: CallCounts
        var surfaces: [String: UInt32]
    }

    static func figures(_ counts: CountTable) -> [String: Figures] {
        var result: [String: Figures] = [:]
        for (index, entry) in counts.entries.enumerated() {
            var surfaces: [String: UInt32] = [:]
            var link = counts.entries[index].surfaceHead
            while link != 0 {
                let variant = counts.surfaceVariants[Int(link - 1)]
                surfaces[counts.text(of: variant.display), default: 0] += variant.count
                link = variant.next
            }
            result[counts.text(of: entry.key)] = Figures(occurrences: entry.occurrences, calls: entry.calls, surfaces: surfaces)
        }
        return result
    }

    static func count(_ inputs: [String], levelwise: Bool, threads: Int, minCount: Int = 3) throws -> CountTable {
        var configuration = PipelineConfiguration(
            inputs: inputs, outputDirectory: TestSupport.temporaryDirectory("levels-out").path, threads: threads,
            rank: RankOptions(minCount: minCount, minCalls: 2, top: 50), lexiconDirectory: nil)
        configuration.everyPhraseBelowWords = 0
        let spools = TestSupport.temporaryDirectory("levels-spool")
        let clock = ContinuousClock()
        let corpus = try Pipeline.count(
            configuration, lexicon: nil, levelwise: levelwise, spoolDirectory: spools, clock: clock, started: clock.now)
        return corpus.counts
    }

    /// Compares level-wise counting with counting every n-gram, on `inputs`.
    static func expectSameAsFullCount(_ inputs: [String]) throws {
        let full = figures(try count(inputs, levelwise: false, threads: 1))
        let expected = full.filter { text, figures in text.split(separator: " ").count <= 2 || figures.occurrences.count >= 2 }
        #expect(expected.count < full.count, "the corpus has n-grams said once")
        #expect(expected.contains { $0.key.split(separator: " ").count == 5 }, "the corpus has 5-grams said twice")
        for threads in [1, 3] {
            let levelwise = figures(try count(inputs, levelwise: true, threads: threads))
            #expect(levelwise.count == expected.count, "\(threads) threads: \(levelwise.count) n-grams, expected \(expected.count)")
            let wrong = expected.filter { levelwise[$0.key] != $0.value }.map(\.key).sorted().prefix(5)
            #expect(wrong.isEmpty, "\(threads) threads: other figures for \(wrong)")
        }
    }

    @Test("level-wise counting keeps every pair and exactly the longer n-grams said twice, with the full count's figures, for 1 and 3 threads")
    func levelwiseEqualsFullCountOnAWeek() throws {
        try Self.expectSameAsFullCount([HistoryTests.week.path])
    }

    @Test(
        "on real telephone speech too, level-wise counting gives the full count's figures for every n-gram said twice",
        .enabled(if: TestSupport.hasRealASRData, "needs ../shared/data"))
    func levelwiseEqualsFullCountOnRealSpeech() throws {
        try Self.expectSameAsFullCount([TestSupport.sharedData + "/fisher_dev.asr.es"])
    }

    @Test("with --min-count 1 a large night keeps every n-gram said, as a full count does")
    func minimumOneKeepsEverything() throws {
        let inputs = [HistoryTests.week.appendingPathComponent("2026-11-22").path]
        let full = Self.figures(try Self.count(inputs, levelwise: false, threads: 1, minCount: 1))
        let levelwise = Self.figures(try Self.count(inputs, levelwise: true, threads: 2, minCount: 1))
        #expect(levelwise == full)
    }

    @Test("the token record reads back whole turns, in order, whatever the chunk size, a turn larger than a chunk included")
    func tokenRecordChunks() throws {
        let file = try TokenRecordFile(index: 0, directory: TestSupport.temporaryDirectory())
        var written: [UInt32] = []
        for turn in 0..<200 {
            let length = turn == 77 ? 5000 : turn % 13 + 4
            var words = [UInt32(length), 0, 1, UInt32(length - 3)]
            words += (0..<(length - 3)).map { UInt32(turn * 10_000 + $0) }
            written += words
        }
        file.append(written)
        for chunk in [16, 100, 1 << 21] {
            var read: [UInt32] = []
            var pieces = 0
            try file.forEachChunk(chunkWords: chunk) { words in
                read += words
                pieces += 1
                // Every piece is whole turns.
                var position = 0
                while position < words.count { position += 1 + Int(words[position]) }
                #expect(position == words.count)
            }
            #expect(read == written, "chunks of \(chunk) words")
            #expect(pieces >= 1)
        }
    }

    @Test("a large night's shards + merge give the same reports as one run that counts level-wise")
    func mergeEqualsLevelwiseRun() throws {
        let (root, files) = try ShardTests.corpus()
        let single = root.appendingPathComponent("levelwise-single")
        _ = try Pipeline.run(
            ShardTests.configuration([root.appendingPathComponent("calls").path], out: single, everyPhraseBelowWords: 0))
        let merged = try ShardTests.countAndMerge(
            [Array(files.prefix(files.count / 2)), Array(files.dropFirst(files.count / 2))], root: root, name: "levelwise",
            everyPhraseBelowWords: 0)
        try ShardTests.expectSameReports(single, merged, "level-wise")
    }
}

@Suite("A night's phrase calls when rare phrases are not kept")
struct NightPhraseCallsInferenceTests {
    static func table() -> NightPhraseCalls {
        // Listed: every pair said that night; of longer phrases, those said twice or more.
        let listed: [(String, [UInt32])] = [
            ("tarjeta", [5, 1, 2, 7]), ("virtual", [0, 0, 1, 1]), ("tarjeta de", [4, 0, 1, 5]),
            ("de credito", [4, 0, 1, 5]), ("la tarjeta", [3, 1, 0, 3]), ("tarjeta de credito", [4, 0, 1, 5]),
            ("app", [2, 0, 0, 2]), ("app nueva", [1, 0, 0, 1]), ("nueva", [1, 0, 0, 1]),
        ]
        let sorted = listed.map { (NightPhraseCalls.hash(text: $0.0), $0.1) }.sorted { $0.0 < $1.0 }
        return NightPhraseCalls(floor: 2, completeLength: 2, hashes: sorted.map(\.0), calls: sorted.flatMap(\.1))
    }

    @Test("a phrase is 0 when one of its pairs was never said, unknown when every pair was, exact when listed")
    func absentPhrases() {
        let night = Self.table()
        #expect(night.calls(ofPhrase: "tarjeta de credito", view: .all) == 5)
        #expect(night.calls(ofPhrase: "tarjeta virtual", view: .all) == 0, "a pair absent from a complete list")
        #expect(night.calls(ofPhrase: "la tarjeta virtual", view: .all) == 0, "contains a pair never said")
        #expect(night.calls(ofPhrase: "la tarjeta de credito", view: .all) == nil, "every pair said: below the floor, unknown")
        #expect(night.calls(ofPhrase: "la tarjeta de credito", view: .questions) == 0, "«de credito» was never asked")
        #expect(night.calls(ofPhrase: "app nueva", view: .agent) == 0)
    }

    @Test("a table written before pairs were complete says unknown, never 0, below its floor, and round-trips")
    func encodingKeepsCompleteLength() {
        let night = Self.table()
        let stored = night.encoded()
        #expect(NightPhraseCalls.decode(stored.bytes, rawLength: stored.rawLength) == night)
        var older = night
        older.completeLength = 0
        #expect(older.calls(ofPhrase: "tarjeta virtual", view: .all) == nil)
    }
}

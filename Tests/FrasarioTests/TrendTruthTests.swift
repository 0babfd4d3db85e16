import Foundation
import GRDB
import Testing
@testable import Frasario

/// Nights written from a schedule: how many calls say each planted phrase each night, the
/// rest of the night's calls being everyday banking requests. The truth is the schedule.
struct PlantedNights {
    static let background = [
        "quería saber el saldo de mi cuenta", "necesito el horario de la oficina de la calle mayor",
        "me gustaría cambiar la dirección de correo postal", "quiero activar la tarjeta que me llegó ayer",
        "cuánto tarda una transferencia a otro banco", "tengo una duda con el recibo de la luz",
        "quiero pedir un préstamo personal", "me pueden explicar las comisiones de la cuenta",
        "quiero domiciliar la nómina", "no entiendo un cargo del supermercado",
    ]

    let root: URL
    let dates: [String]

    /// - Parameter schedule: per planted customer sentence, its calls on each night.
    init(nights: Int, callsPerNight: Int, schedule: [String: [Int]], name: String = #function) {
        root = TestSupport.temporaryDirectory(name)
        let first = DateComponents(calendar: Calendar(identifier: .gregorian), timeZone: TimeZone(identifier: "UTC"), year: 2026, month: 11, day: 1).date!
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.timeZone = TimeZone(identifier: "UTC")
        dates = (0..<nights).map { formatter.string(from: first.addingTimeInterval(Double($0) * 86_400)) }
        for (night, date) in dates.enumerated() {
            var lines: [String] = []
            var planted: [String] = []
            for (sentence, calls) in schedule.sorted(by: { $0.key < $1.key }) {
                planted += Array(repeating: sentence, count: calls[night])
            }
            for index in 0..<callsPerNight {
                let customer =
                    index < planted.count
                    ? "buenas tardes mire \(planted[index]) gracias"
                    : "hola \(Self.background[(index + night) % Self.background.count])"
                let turns: [[String: String]] = [
                    ["speaker": "agente", "text": "banco aurora buenas tardes en qué le puedo ayudar"],
                    ["speaker": "cliente", "text": customer],
                    ["speaker": "agente", "text": "de acuerdo ahora mismo lo reviso"],
                ]
                let call: [String: Any] = ["call_id": "n\(night)-\(index)", "date": date, "turns": turns]
                let data = try! JSONSerialization.data(withJSONObject: call, options: [.sortedKeys])
                lines.append(String(decoding: data, as: UTF8.self))
            }
            _ = TestSupport.write(lines.joined(separator: "\n") + "\n", to: "\(date)/llamadas.jsonl", in: root)
        }
    }

    var history: String { root.appendingPathComponent("frasario.sqlite").path }

    /// Runs `night` (0-based) into the shared history.
    func run(_ night: Int, lexicons: String? = nil) throws -> RunResult {
        var configuration = PipelineConfiguration(
            inputs: [root.appendingPathComponent(dates[night]).path],
            outputDirectory: root.appendingPathComponent("out-\(dates[night])").path,
            threads: 2, lexiconDirectory: lexicons)
        configuration.historyPath = history
        configuration.runDate = dates[night]
        return try Pipeline.run(configuration).result
    }
}

@Suite("Trends that tell the truth: exact history, unknown never 0, steady rises and falls")
struct TrendTruthTests {
    /// Every known figure is the planted one, and a night is unknown only where the phrase was said.
    static func knownFiguresAreTrue(_ series: [Int?], truth: [Int]) -> Bool {
        series.count == truth.count && zip(series, truth).allSatisfy { figure, calls in figure.map { $0 == calls } ?? (calls > 0) }
    }

    @Test("a phrase said below --min-calls on earlier nights and then surging rises: never «nueva», its earlier nights its true calls or unknown")
    func surgeBelowMinimumIsNotNew() throws {
        let surge = "no puedo entrar en la banca en línea"
        let nights = PlantedNights(nights: 7, callsPerNight: 40, schedule: [surge: [1, 1, 0, 1, 1, 1, 9]])
        for night in 0..<6 { _ = try nights.run(night) }
        let last = try nights.run(6)
        let row = try #require(last.phrases.first { $0.ranking == .customer && $0.text.contains("banca en línea") })
        let trend = try #require(row.trend)
        #expect(trend.direction == .up)
        // The whole phrase (8 words) was counted as such only tonight: an earlier night knows
        // it was 0 (a part never said) or leaves it unknown (at most its parts' one call).
        #expect(Self.knownFiguresAreTrue(trend.series.map(\.calls), truth: [1, 1, 0, 1, 1, 1, 9]))
        #expect(trend.series[2].calls == 0 && trend.series.last?.calls == 9)
        #expect(trend.previousCalls == nil || trend.previousCalls == 1)
        #expect(!last.emerging.contains { $0.trend?.direction == .new && $0.text.contains("banca en línea") })
    }

    @Test("a phrase no earlier night said is «nueva»; one said a single time is not")
    func newOnlyWhenProvenAbsent() throws {
        let brandNew = "la app nueva me cierra la sesión"
        let once = "me cobraron la cuota de mantenimiento"
        let nights = PlantedNights(nights: 4, callsPerNight: 40, schedule: [brandNew: [0, 0, 0, 8], once: [0, 1, 0, 8]])
        for night in 0..<3 { _ = try nights.run(night) }
        let last = try nights.run(3)
        let fresh = try #require(last.phrases.first { $0.ranking == .customer && $0.text.contains("cierra la sesión") })
        #expect(fresh.trend?.direction == .new)
        #expect(fresh.trend?.series.dropLast().allSatisfy { $0.calls == 0 } == true)
        let old = try #require(last.phrases.first { $0.ranking == .customer && $0.text.contains("cuota de mantenimiento") })
        #expect(old.trend?.direction != .new)
        #expect(Self.knownFiguresAreTrue(old.trend?.series.map(\.calls) ?? [], truth: [0, 1, 0, 8]))
        #expect(old.trend?.series.first?.calls == 0 && old.trend?.series.last?.calls == 8)
    }

    @Test("a night the history does not hold is unknown (null), never 0, and the phrase is not «nueva»")
    func unknownNightsAreNotZero() throws {
        let phrase = "quiero cancelar el seguro del coche"
        let nights = PlantedNights(nights: 2, callsPerNight: 40, schedule: [phrase: [1, 8]])
        _ = try nights.run(0)
        // A history recorded before nights kept every phrase's calls.
        let database = try DatabaseQueue(path: nights.history)
        try database.write { try $0.execute(sql: "DELETE FROM phraseCalls") }
        let last = try nights.run(1)
        let row = try #require(last.phrases.first { $0.ranking == .customer && $0.text.contains("seguro del coche") })
        #expect(row.trend?.series.first?.calls == nil)
        #expect(row.trend?.previousCalls == nil)
        #expect(row.trend?.baselineMeanCalls == nil)
        #expect(row.trend?.direction != .new)
        let csv = try String(contentsOf: nights.root.appendingPathComponent("out-\(nights.dates[1])/phrases.csv"), encoding: .utf8)
        let line = try #require(csv.split(separator: "\n").first { $0.hasPrefix("customer,") && $0.contains("seguro del coche") })
        #expect(!line.contains(",new,"))
    }

    @Test("a request falling night after night from 18 % to 3 % is ▼ with its slope in words, though tonight alone is not significant")
    func steadyDeclineFlagged() throws {
        let decline = "quiero dar de baja la tarjeta de crédito"
        let calls = [18, 17, 16, 15, 14, 13, 12, 10, 9, 8, 7, 6, 5, 3]
        let nights = PlantedNights(nights: 14, callsPerNight: 100, schedule: [decline: calls])
        var last: RunResult?
        for night in 0..<14 { last = try nights.run(night, lexicons: TestSupport.lexicons) }
        let result = try #require(last)
        let row = try #require(result.phrases.first { $0.ranking == .customer && $0.text.contains("dar de baja") })
        let trend = try #require(row.trend)
        let steady = try #require(trend.steady)
        #expect(trend.direction == .down)
        #expect(steady.direction == .down)
        #expect(steady.nights == 14 && steady.fromShare == 0.18 && steady.toShare == 0.03)
        #expect(steady.pValue < TrendAnalysis.arrowLevel)
        #expect(trend.pValue >= TrendAnalysis.arrowLevel)
        #expect(trend.series.count == 14)
        let markdown = try String(contentsOf: nights.root.appendingPathComponent("out-\(nights.dates[13])/report.md"), encoding: .utf8)
        #expect(markdown.contains("▼ baja de 18 % a 3 % en 14 noches"))
        // The lexicons' cancellation category falls with it.
        let category = try #require(result.categories.first { $0.category == "baja_cancelacion" })
        #expect(category.trend?.direction == .down)
    }

    @Test("a category no call matched tonight is never «nueva»")
    func silentCategoryIsNotNew() throws {
        let nights = PlantedNights(nights: 2, callsPerNight: 30, schedule: [:])
        _ = try nights.run(0, lexicons: TestSupport.lexicons)
        let last = try nights.run(1, lexicons: TestSupport.lexicons)
        #expect(last.categories.allSatisfy { $0.calls > 0 || $0.trend?.direction != .new })
    }

    @Test("Mann–Kendall and the Poisson slope: textbook values, a lone spike is no steady rise")
    func steadyTrendStatistics() {
        let monotone = TrendStatistics.mannKendallPValue([1, 2, 3, 4, 5, 6, 7])
        #expect(monotone.statistic == 21)
        #expect(abs(monotone.pValue - 0.002667) < 1e-5)
        #expect(TrendStatistics.mannKendallPValue([3, 3, 3, 3]).pValue == 1)
        let flat = TrendStatistics.poissonSlope((0..<10).map { (Double($0), 20, 100) })
        #expect(abs(flat?.slope ?? 1) < 1e-9 && (flat?.pValue ?? 0) > 0.99)
        // Calls halve every night on a constant volume: the slope is log(1/2).
        let halving = TrendStatistics.poissonSlope([(0, 800, 1000), (1, 400, 1000), (2, 200, 1000), (3, 100, 1000)])
        #expect(abs((halving?.slope ?? 0) - log(0.5)) < 1e-6)
        #expect((halving?.pValue ?? 1) < 1e-6)
        #expect(TrendStatistics.poissonSlope([(0, 0, 10), (1, 0, 10), (2, 0, 10)]) == nil)
        let spike = (0..<9).map { TrendPoint(date: "d\($0)", calls: 3, callsProcessed: 100) } + [TrendPoint(date: "d9", calls: 30, callsProcessed: 100)]
        #expect(TrendAnalysis.steadyTrend(spike) == nil)
        let rise = (0..<10).map { TrendPoint(date: "d\($0)", calls: 2 + 2 * $0, callsProcessed: 100) }
        #expect(TrendAnalysis.steadyTrend(rise)?.direction == .up)
    }

    @Test("a night's phrase calls survive the history's storage byte for byte; a damaged table is unknown")
    func nightPhraseCallsRoundTrip() throws {
        let hashes = [
            NightPhraseCalls.hash(text: "dar de baja"), NightPhraseCalls.hash(text: "código de verificación"),
            NightPhraseCalls.hash(text: "app nueva"),
        ].sorted()
        let table = NightPhraseCalls(floor: 1, hashes: hashes, calls: [3, 0, 0, 4, 1, 1, 0, 2, 7, 7, 0, 9])
        let stored = table.encoded()
        let decoded = try #require(NightPhraseCalls.decode(stored.bytes, rawLength: stored.rawLength))
        #expect(decoded == table)
        #expect(decoded.calls(of: hashes[2], view: .all) == 9)
        #expect(decoded.calls(of: NightPhraseCalls.hash(text: "nunca dicho"), view: .customer) == 0)
        let partial = NightPhraseCalls(floor: 3, hashes: hashes, calls: table.calls)
        #expect(partial.calls(of: NightPhraseCalls.hash(text: "nunca dicho"), view: .customer) == nil)
        var damaged = stored.bytes
        damaged[damaged.count / 2] ^= 0xff
        #expect(NightPhraseCalls.decode(damaged, rawLength: stored.rawLength) == nil)
        #expect(NightPhraseCalls.decode(Array(stored.bytes.prefix(5)), rawLength: stored.rawLength) == nil)
        // The identity is the counted text: the same bytes as CountTable.text(of:).
        #expect(NightPhraseCalls.hash(text: "no me llega") == NightPhraseCalls.hash(words: ["no", "me", "llega"].map { Array($0.utf8) }))
    }
}

@Suite("Topics: one name per incident, from the calls phrases share")
struct TopicTests {
    @Test("the SMS outage said four ways is one topic; the new app and the late transfer are topics of their own")
    func oneTopicPerIncident() throws {
        let sunday = try #require(Week.shared.results["2026-11-22"])
        let topics = try #require(sunday.topics)
        func topic(containing text: String) -> TopicRow? { topics.first { $0.members.contains { $0.text == text } } }
        let outage = try #require(topic(containing: "código de verificación"))
        #expect(outage.name == "código de verificación")
        // The outage's wordings (Examples/semana/generate.py, topic 1) gather under its name…
        #expect(outage.members.count >= 3)
        #expect(outage.members.contains { $0.text.contains("no me llega") })
        // …and no other planted topic joins it.
        for other in ["app nueva", "nómina", "tarjeta virtual", "bizum", "dar de baja", "cobro duplicado"] {
            #expect(!outage.members.contains { $0.text.contains(other) }, "\(other) in the outage topic")
        }
        // A union, not a sum: at least the largest member, at most the sum of members.
        #expect(outage.calls >= outage.members.map(\.calls).max() ?? 0)
        #expect(outage.calls <= outage.members.reduce(0) { $0 + $1.calls })
        #expect(!outage.callsEstimated)
        #expect(topic(containing: "app nueva")?.name != outage.name)
        // One emerging row per topic.
        let emergingTopics = sunday.emerging.compactMap { row in topics.firstIndex { $0.members.contains { $0.text == row.text } } }
        #expect(Set(emergingTopics).count == emergingTopics.count)
        let markdown = try String(contentsOf: Week.shared.out("2026-11-22").appendingPathComponent("report.md"), encoding: .utf8)
        let topicsAt = try #require(markdown.range(of: "## Temas de la noche"))
        let emergingAt = try #require(markdown.range(of: "## Frases emergentes"))
        #expect(topicsAt.lowerBound < emergingAt.lowerBound)
        let digest = try String(contentsOf: Week.shared.out("2026-11-22").appendingPathComponent("digest.md"), encoding: .utf8)
        #expect(digest.contains("«código de verificación»"))
    }

    @Test("a call sketch is exact up to its capacity, estimates past it within 3 %, and merges in any order")
    func callSketch() {
        func sketch(_ ids: Range<Int>) -> CallSketch {
            var result = CallSketch()
            for id in ids { result.insert(CallSketch.hash(callID: Array("llamada-\(id)".utf8))) }
            result.normalize()
            return result
        }
        let small = sketch(0..<500), other = sketch(250..<1000)
        #expect(small.isExact && small.count == 500)
        #expect(small.intersectionCount(other) == 250)
        #expect(small.union(other).count == 1000)
        let large = sketch(0..<60_000), overlapping = sketch(30_000..<90_000)
        #expect(!large.isExact)
        #expect(abs(Double(large.count) - 60_000) / 60_000 < 0.03)
        #expect(abs(Double(large.intersectionCount(overlapping)) - 30_000) / 30_000 < 0.05)
        var forward = sketch(0..<20_000), backward = sketch(40_000..<60_000)
        forward.merge(sketch(20_000..<40_000)); forward.merge(sketch(40_000..<60_000))
        backward.merge(sketch(20_000..<40_000)); backward.merge(sketch(0..<20_000))
        #expect(forward == backward)
    }

    @Test("calls shared by coincidence make no topic: two calls in common, or no more than chance gives, keep two incidents apart")
    func coincidentalOverlapJoinsNothing() {
        let table = CountTests.count([
            [(.customer, "no me llega el código de verificación")], [(.customer, "el cajero no me devolvió la tarjeta")],
        ])
        func phrase(_ text: String, calls: Int) -> RankedPhrase {
            let ids = text.split(separator: " ").map { table.tokens.lookup(Array(SpanishText.folded(String($0)).utf8)) ?? .max }
            return RankedPhrase(kind: .customer, key: NGramKey(ids: ids), count: calls, calls: calls, score: Double(calls))
        }
        func ids(_ range: [Int]) -> CallSketch { CallSketch(hashes: range.map { CallSketch.hash(callID: Array("c\($0)".utf8)) }) }
        let outage = phrase("código de verificación", calls: 40), cashpoint = phrase("cajero no me devolvió la tarjeta", calls: 3)
        let context = RankContext(table, options: RankOptions(minCount: 2, minCalls: 2))
        // 2 of the cash machine's 3 calls fall among the outage's 40 of 135: 67 %, but two calls.
        let few = TopicGrouper.group(
            [outage, cashpoint], calls: [outage.key: ids(Array(0..<40)), cashpoint.key: ids([5, 17, 90])], counts: table,
            isGeneric: context.isGeneric, callsProcessed: 135)
        #expect(few.count == 2)
        // 5 of 7 calls among a phrase said in 90 of 100: chance alone gives 6.3.
        let chance = TopicGrouper.group(
            [outage, cashpoint], calls: [outage.key: ids(Array(0..<90)), cashpoint.key: ids([1, 2, 3, 4, 5, 95, 96])], counts: table,
            isGeneric: context.isGeneric, callsProcessed: 100)
        #expect(chance.count == 2)
        // 5 of 7 calls among a phrase said in 20 of 200 is one incident.
        let shared = TopicGrouper.group(
            [outage, cashpoint], calls: [outage.key: ids(Array(0..<20)), cashpoint.key: ids([1, 2, 3, 4, 5, 95, 96])], counts: table,
            isGeneric: context.isGeneric, callsProcessed: 200)
        #expect(shared.count == 1)
    }

    @Test("a phrase half of whose calls belong to another topic names no topic others join")
    func ambiguousPhraseGathersNothing() {
        let calls: [[(Speaker, String)]] = (0..<24).map { index in
            switch index % 3 {
            case 0: return [(.customer, "no me ha llegado el código de verificación"), (.agent, "hay una incidencia con el código de verificación")]
            case 1: return [(.customer, "no me ha llegado la transferencia de la nómina"), (.agent, "la transferencia tarda un día")]
            default: return [(.customer, "la transferencia de la nómina no aparece"), (.agent, "la transferencia tarda un día")]
            }
        }
        let table = CountTests.count(calls)
        func phrase(_ text: String, calls: Int) -> RankedPhrase {
            let ids = text.split(separator: " ").map { table.tokens.lookup(Array(SpanishText.folded(String($0)).utf8)) ?? .max }
            return RankedPhrase(kind: .customer, key: NGramKey(ids: ids), count: calls, calls: calls, score: Double(calls))
        }
        let verification = phrase("código de verificación", calls: 8), arrived = phrase("no me ha llegado", calls: 16)
        let payroll = phrase("transferencia de la nómina", calls: 16)
        var sketches: [NGramKey: CallSketch] = [:]
        func ids(_ range: [Int]) -> CallSketch { CallSketch(hashes: range.map { CallSketch.hash(callID: Array("c\($0)".utf8)) }) }
        sketches[verification.key] = ids((0..<24).filter { $0 % 3 == 0 })
        sketches[arrived.key] = ids((0..<24).filter { $0 % 3 != 2 })
        sketches[payroll.key] = ids((0..<24).filter { $0 % 3 != 0 })
        let context = RankContext(table, options: RankOptions(minCount: 2, minCalls: 2))
        #expect(context.isGeneric(arrived.key) && !context.isGeneric(verification.key) && !context.isGeneric(payroll.key))
        let topics = TopicGrouper.group([verification, arrived, payroll], calls: sketches, counts: table, isGeneric: context.isGeneric)
        // «no me ha llegado» shares half its calls with each cause: it joins neither, and
        // neither cause is gathered under it.
        #expect(topics.count == 3)
        #expect(topics.allSatisfy { $0.members.count == 1 })
        // Said in a call set mostly inside a specific phrase's, a phrase joins that topic.
        let again = TopicGrouper.group(
            [verification, phrase("hay una incidencia", calls: 8)],
            calls: [
                verification.key: sketches[verification.key]!,
                phrase("hay una incidencia", calls: 8).key: sketches[verification.key]!,
            ],
            counts: table, isGeneric: context.isGeneric)
        #expect(again.count == 1 && again.first?.members.count == 2)
    }
}

@Suite("Examples/semana: every trend claim checked against the generator's truth")
struct WeekTruthTests {
    /// The customers' sentences of a night, folded, punctuation inside a sentence dropped:
    /// where a phrase can be found the way Frasario counts it (n-grams never cross . ! ? ; :).
    static func customerSentences(_ night: String) throws -> [String] {
        let text = try String(contentsOf: HistoryTests.week.appendingPathComponent("\(night)/llamadas.jsonl"), encoding: .utf8)
        var sentences: [String] = []
        for line in text.split(separator: "\n") {
            let call = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            for turn in call?["turns"] as? [[String: String]] ?? [] where turn["speaker"] == "cliente" {
                let folded = SpanishText.folded(turn["text"] ?? "")
                for sentence in folded.split(whereSeparator: { ".!?;:…¿¡".contains($0) }) {
                    let words = sentence.map { $0.isLetter || $0.isNumber ? $0 : " " }
                    sentences.append(" " + String(words).split(separator: " ").joined(separator: " ") + " ")
                }
            }
        }
        return sentences
    }

    @Test("no «nueva» and no 0 in a trend series that the inputs contradict, on any night")
    func noClaimContradictsTheInputs() throws {
        let week = Week.shared
        var sentences: [String: [String]] = [:]
        for night in Week.nights { sentences[night] = try Self.customerSentences(night) }
        var checked = 0
        for night in Week.nights.dropFirst() {
            let result = try #require(week.results[night])
            for row in result.phrases + result.emerging where [.customer, .keywords].contains(row.ranking) {
                guard let trend = row.trend, !row.text.contains("<"), !row.text.contains("‹") else { continue }
                let phrase = " " + SpanishText.folded(row.text) + " "
                for point in trend.series.dropLast() where point.calls == 0 {
                    let said = sentences[point.date]?.contains { $0.contains(phrase) } ?? false
                    #expect(!said, "\(night): «\(row.text)» shown as 0 on \(point.date), but customers said it")
                    checked += 1
                }
            }
        }
        #expect(checked > 100)
    }

    @Test("the planted trends hold on the last night: a new phrase, a surge that is no novelty, a steady decline")
    func plantedTrends() throws {
        let sunday = try #require(Week.shared.results["2026-11-22"])
        // «tarjeta virtual»: absent all week, 6 calls on 11-22.
        let virtual = try #require(sunday.row(.customer, "tarjeta virtual"))
        #expect(virtual.trend?.direction == .new && virtual.calls == 6)
        #expect(sunday.emerging.contains { $0.text == "tarjeta virtual" })
        // «bizum»: one call a night (below --min-calls), then 9: rising, its nights exact.
        let bizum = try #require(sunday.row(.keywords, "bizum"))
        #expect(bizum.trend?.direction == .up)
        #expect(bizum.trend?.series.map(\.calls) == [1, 1, 1, 1, 1, 1, 9])
        // «dar de baja»: 14, 12, 10, 8, 6, 5, 4 calls, a share falling every night.
        let cancellations = try #require(sunday.categories.first { $0.category == "baja_cancelacion" })
        #expect(cancellations.trend?.series.map(\.calls) == [14, 12, 10, 8, 6, 5, 4])
        #expect(cancellations.trend?.direction == .down)
        #expect(cancellations.trend?.steady?.nights == 7)
        let digest = try String(contentsOf: Week.shared.out("2026-11-22").appendingPathComponent("digest.md"), encoding: .utf8)
        #expect(digest.contains("▼ Baja y cancelación"))
        // The thresholds the page states are the ones applied.
        let html = try String(contentsOf: Week.shared.out("2026-11-22").appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains(HTMLPage.escape("p < \(Facts.level(TrendAnalysis.arrowLevel))")))
        #expect(html.contains(HTMLPage.escape("p < \(Facts.level(TrendAnalysis.emergingLevel))")))
        #expect(sunday.emerging.allSatisfy { ($0.trend?.pValue ?? 1) < TrendAnalysis.emergingLevel })
    }

    @Test("the digest opens with five to seven sentences a newsletter can take: topics, what is new, what rose and fell, a customer's words, no p-values")
    func digestParagraph() throws {
        let digest = try String(contentsOf: Week.shared.out("2026-11-22").appendingPathComponent("digest.md"), encoding: .utf8)
        let paragraph = try #require(digest.split(separator: "\n", omittingEmptySubsequences: true).dropFirst().first.map(String.init))
        // Sentences end in ". " outside quotes («…» may hold a customer's own full stops).
        var unquoted = "", depth = 0
        for character in paragraph {
            if character == "«" { depth += 1 } else if character == "»" { depth -= 1 } else if depth == 0 { unquoted.append(character) }
        }
        let sentences = unquoted.components(separatedBy: ". ").filter { $0.count > 2 }
        #expect((5...8).contains(sentences.count), "\(sentences.count): \(paragraph)")
        #expect(paragraph.contains("se analizaron 66 llamadas"))
        #expect(paragraph.contains("«código de verificación» (16 llamadas)"))
        #expect(paragraph.contains("Es nueva «tarjeta virtual» (6 llamadas)"))
        #expect(paragraph.contains("Subió ") && paragraph.contains("Bajó «Baja y cancelación»: de 28 % a 6,1 %"))
        #expect(paragraph.contains("Un cliente lo dijo así: «"))
        #expect(paragraph.contains("report.html"))
        #expect(!digest.contains("p <") && !digest.contains("p =") && !digest.contains("p-valor"))
        #expect(!digest.contains(" 1 llamadas"))
    }

    @Test("examples quote customers as transcribed (masked), and the HTML opens each quoted call whole")
    func verbatimQuotesAndWholeCalls() throws {
        let sunday = try #require(Week.shared.results["2026-11-22"])
        let outage = try #require(sunday.topics?.first { $0.name == "código de verificación" })
        let example = try #require(outage.examples.first)
        // The generator writes sentences with capitals and punctuation; a quote keeps them.
        #expect(example.text.contains { $0.isUppercase } || example.text.contains { ".,¿?".contains($0) })
        #expect(example.text.contains(example.match))
        let calls = try #require(sunday.quotedCalls)
        let call = try #require(calls.first { $0.callId == example.callId })
        #expect(call.turns.count >= 3 && call.turns.contains { $0.speaker == .agent })
        let html = try String(contentsOf: Week.shared.out("2026-11-22").appendingPathComponent("report.html"), encoding: .utf8)
        let anchor = try #require(calls.firstIndex { $0.callId == example.callId }) + 1
        #expect(html.contains("href=\"#llamada-\(anchor)\""))
        #expect(html.contains("<details id=\"llamada-\(anchor)\" class=\"call\">"))
        // No personal data: the generator plants card numbers, phones, e-mails and DNIs.
        let json = try String(contentsOf: Week.shared.out("2026-11-22").appendingPathComponent("report.json"), encoding: .utf8)
        #expect(json.range(of: #"\d{4}[ -]?\d{4}[ -]?\d{4}"#, options: .regularExpression) == nil)
        #expect(json.range(of: #"[a-z0-9._]+@[a-z0-9.]+"#, options: .regularExpression) == nil)
    }
}

@Suite("Arrows over unknown nights")
struct UnknownNightTrendTests {
    static func analysis(callsProcessed: Int) -> TrendAnalysis {
        let runs = (16...21).map { RunPoint(date: "2026-11-\($0)", callsRead: 50, callsProcessed: 50) }
        return TrendAnalysis(
            baseline: HistoryBaseline(runs: runs), runDate: "2026-11-22", callsRead: callsProcessed, callsProcessed: callsProcessed)
    }

    @Test("a rise is an arrow only if it holds when every unknown night had the most it could have had")
    func riseHoldsAgainstTheMost() throws {
        let analysis = Self.analysis(callsProcessed: 66)
        let history: [Int?] = [nil, nil, 0, 3, nil, nil]
        let floors = Array(repeating: 3, count: 6)  // unknown nights had 0, 1 or 2 calls
        let modest = try #require(analysis.trend(calls: 7, history: history, floors: floors))
        #expect(modest.direction == .flat, "with 2 calls on each unknown night, 7 of 66 is no significant rise")
        let strong = try #require(analysis.trend(calls: 20, history: history, floors: floors))
        #expect(strong.direction == .up)
        #expect(strong.pValue < TrendAnalysis.arrowLevel)
        #expect(strong.baselineMeanCalls == nil, "the mean of unknown nights is not shown")
    }

    @Test("a couple of calls after a quiet week is no arrow, and a new phrase emerges from four calls, not three")
    func smallCountsAfterAQuietWeekAreNotNews() throws {
        let analysis = Self.analysis(callsProcessed: 50)
        let floors = Array(repeating: 1, count: 6)
        // 2 calls against 0, 0, 0, 0, 1, 0: the baseline rate is itself a guess from one call.
        let blip = try #require(analysis.trend(calls: 2, history: [0, 0, 0, 0, 1, 0], floors: floors))
        #expect(blip.direction == .flat && blip.pValue > TrendAnalysis.arrowLevel, "p = \(blip.pValue)")
        let three = try #require(analysis.trend(calls: 3, history: [0, 0, 0, 0, 0, 0], floors: floors))
        #expect(three.direction == .new)
        #expect(!TrendAnalysis.emerges(three, calls: 3), "3 calls after six silent nights: p = \(three.pValue)")
        let four = try #require(analysis.trend(calls: 4, history: [0, 0, 0, 0, 0, 0], floors: floors))
        #expect(TrendAnalysis.emerges(four, calls: 4), "p = \(four.pValue)")
        // A real spike stays news: 40 calls against 5 a night.
        let spike = try #require(analysis.trend(calls: 40, history: [5, 5, 5, 5, 5, 5], floors: floors))
        #expect(spike.direction == .up && spike.pValue < 1e-10)
    }

    @Test("a fall is an arrow only if it holds when every unknown night had none")
    func fallHoldsAgainstNone() throws {
        let analysis = Self.analysis(callsProcessed: 500)
        let floors = Array(repeating: 3, count: 6)
        let fall = try #require(analysis.trend(calls: 0, history: [5, 4, nil, 5, 4, 5], floors: floors))
        #expect(fall.direction == .down)
        #expect(fall.baselineShare == TrendAnalysis.rounded(23.0 / 300), "the unknown night counted as none")
        let unclear = try #require(Self.analysis(callsProcessed: 50).trend(calls: 0, history: [nil, nil, nil, nil, nil, 2], floors: floors))
        #expect(unclear.direction == .flat, "nights that may have had no call cannot show a fall")
    }
}

@Suite("Whole phrases longer than --max-n have their own history")
struct WholePhraseHistoryTests {
    /// Four nights where 20 customers say «ya me llega el código de verificación gracias», then
    /// a fifth where 20 say «no me llega el código de verificación desde ayer».
    static func night(_ night: Int, directory: URL) throws -> String {
        let others = [
            "buenas tardes quería consultar el saldo de mi cuenta", "me cobraron una comisión que no reconozco",
            "quiero cambiar la dirección de envío", "el pedido llegó tarde otra vez", "necesito la factura del mes pasado",
            "la aplicación se cierra sola cuando entro",
        ]
        var lines: [String] = []
        for call in 0..<60 {
            var turns = [#"{"speaker": "agente", "text": "gracias por llamar en qué le puedo ayudar"}"#]
            turns.append(#"{"speaker": "cliente", "text": "\#(others[(call * 7 + night) % others.count])"}"#)
            if call < 20 {
                let said = night < 5 ? "ya me llega el código de verificación gracias" : "oiga no me llega el código de verificación desde ayer"
                turns.append(#"{"speaker": "cliente", "text": "\#(said)"}"#)
            }
            turns.append(#"{"speaker": "agente", "text": "de acuerdo lo reviso enseguida"}"#)
            lines.append(#"{"call_id": "n\#(night)-\#(call)", "date": "2026-11-0\#(night)", "turns": [\#(turns.joined(separator: ", "))]}"#)
        }
        let path = directory.appendingPathComponent("noche-\(night).jsonl")
        try (lines.joined(separator: "\n") + "\n").write(to: path, atomically: true, encoding: .utf8)
        return path.path
    }

    @Test("a whole phrase never said before is new, and one said every night keeps its exact series, not its window's")
    func wholePhrasesKeepTheirOwnHistory() throws {
        let root = TestSupport.temporaryDirectory()
        let history = root.appendingPathComponent("frasario.sqlite").path
        var results: [Int: RunResult] = [:]
        for night in 1...5 {
            var configuration = PipelineConfiguration(
                inputs: [try Self.night(night, directory: root)], outputDirectory: root.appendingPathComponent("out-\(night)").path,
                threads: 2, lexiconDirectory: TestSupport.lexicons)
            configuration.historyPath = history
            configuration.runDate = "2026-11-0\(night)"
            results[night] = try Pipeline.run(configuration).result
        }
        let fourth = try #require(results[4]?.phrases.first { $0.ranking == .customer && $0.text == "me llega el código de verificación gracias" })
        #expect(fourth.n > 5)
        #expect(fourth.trend?.series.map(\.calls) == [20, 20, 20, 20])
        #expect(fourth.trend?.direction == .flat)
        let fifth = try #require(results[5]?.phrases.first { $0.ranking == .customer && $0.text == "no me llega el código de verificación" })
        #expect(fifth.trend?.series.map(\.calls) == [0, 0, 0, 0, 20], "the window «me llega el código de verificación» was said every night, this phrase never")
        #expect(fifth.trend?.direction == .new)
    }
}

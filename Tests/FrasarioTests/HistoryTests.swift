import Foundation
import GRDB
import Testing
@testable import Frasario
#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The seven nights of Examples/semana run once, in order, into one history; tests read them.
/// Planted: «código de verificación» jumps on 11-22, «app nueva» appears on 11-21 and grows,
/// «dar de baja» fades, «cobro duplicado» holds steady.
struct Week: Sendable {
    static let nights = ["2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20", "2026-11-21", "2026-11-22"]
    let root: URL
    let history: String
    let results: [String: RunResult]

    func out(_ night: String) -> URL { root.appendingPathComponent(night) }

    static let shared: Week = {
        let root = TestSupport.temporaryDirectory("week")
        let history = root.appendingPathComponent("frasario.sqlite").path
        var results: [String: RunResult] = [:]
        for night in nights {
            results[night] = try! HistoryTests.run(night: night, history: history, out: root.appendingPathComponent(night))
        }
        return Week(root: root, history: history, results: results)
    }()
}

@Suite("History: recording runs, trends, emerging phrases, HTML and digest")
struct HistoryTests {
    static let week = TestSupport.repositoryRoot.appendingPathComponent("Examples/semana")

    static func run(night: String, history: String?, out: URL, threads: Int = 2, lexicons: String? = TestSupport.lexicons) throws -> RunResult {
        var configuration = PipelineConfiguration(
            inputs: [week.appendingPathComponent(night).path], outputDirectory: out.path,
            threads: threads, lexiconDirectory: lexicons)
        configuration.historyPath = history
        configuration.runDate = night
        return try Pipeline.run(configuration).result
    }

    @Test("the significance tests give textbook values")
    func statisticsMatchTextbookValues() {
        // 20 calls against 10 on the same exposure: 20 of 30 at ½, P(X ≥ 20) = 0.04937
        // (R: pbinom(19, 30, 0.5, lower = FALSE)), two-sided 0.0987.
        #expect(abs(TrendStatistics.rateRatioPValue(observed: 20, exposure: 100, baseline: 10, baselineExposure: 100) - 0.09874) < 5e-5)
        // 3 calls after six silent nights of the same size: 2 × (1/7)³.
        #expect(abs(TrendStatistics.rateRatioPValue(observed: 3, exposure: 100, baseline: 0, baselineExposure: 600) - 2 / 343) < 1e-9)
        #expect(TrendStatistics.rateRatioPValue(observed: 3, exposure: 100, baseline: 18, baselineExposure: 600) == 1)
        // 10/100 against 20/100: z = 1.98, two-sided p = 0.0477.
        #expect(abs(TrendStatistics.twoProportionPValue(20, of: 100, versus: 10, of: 100) - 0.0477) < 5e-4)
        #expect(abs(TrendStatistics.regularizedBeta(0.3, 1, 1) - 0.3) < 1e-12)
    }

    @Test("a planted jump is an up arrow, a new phrase emerges, a steady one stays flat")
    func trendsFollowThePlantedWeek() throws {
        let week = Week.shared
        let first = try #require(week.results["2026-11-16"])
        #expect(first.history?.baselineDates.isEmpty == true)
        #expect(first.emerging.isEmpty)
        #expect(first.phrases.allSatisfy { $0.trend == nil })

        let saturday = try #require(week.results["2026-11-21"])
        #expect(saturday.history?.baselineDates == Array(Week.nights[0..<5]))
        let appNueva = try #require(saturday.emerging.first { $0.text.contains("app nueva") }, "«app nueva» should emerge on 11-21")
        #expect(appNueva.trend?.direction == .new)
        // Every emerging row meets the level the page states (p < 0.001), longer representatives included.
        for night in Week.nights {
            let result = try #require(week.results[night])
            #expect(result.emerging.allSatisfy { $0.trend!.pValue < TrendAnalysis.emergingLevel }, "\(night): \(result.emerging.map { ($0.text, $0.trend!.pValue) })")
        }

        let sunday = try #require(week.results["2026-11-22"])
        #expect(sunday.history?.baselineDates.count == 6)
        let code = try #require(sunday.row(.all, "código de verificación"))
        #expect(code.trend?.direction == .up)
        // The series is what the history recorded for the phrase (folded), night by night.
        let recorded = try HistoryStore(path: week.history).baseline(before: "2026-11-22", runs: 7, keptPerRanking: Pipeline.historyDepth)
            .phrases[.all]?["codigo de verificacion"]
        #expect(code.trend?.series.dropLast().map(\.calls) == recorded?.map { $0 ?? 0 })
        #expect(code.trend?.previousCalls == recorded?.last ?? nil)
        #expect(code.trend?.series.map(\.date) == Week.nights)
        #expect(code.trend?.series.last?.calls == code.calls)
        // The SMS outage emerges once, as a wording of its topic.
        let outage = sunday.topics?.first { $0.name == "código de verificación" }
        #expect(sunday.emerging.filter { row in outage?.members.contains { $0.text == row.text } == true }.count == 1)
        // Steady topics do not shout.
        for row in sunday.phrases where row.text == "cobrado dos veces" || row.text == "cobro duplicado" {
            #expect(row.trend?.direction == .flat, "\(row.ranking) \(row.text): \(String(describing: row.trend))")
        }
        let categories = Dictionary(uniqueKeysWithValues: sunday.categories.map { ($0.category, $0) })
        #expect(categories["agradecimiento"]?.trend?.direction == .flat)
        // The SMS incident made agents apologise more: a rise of the agents' protocol, not of
        // customers' frustration (a category counts its customer-side rules only). Five calls
        // against three in six nights is 7.6 times the share but p ≈ 0.013: no arrow at 0.01.
        let frustration = try #require(categories["frustracion"])
        let apology = try #require(frustration.rules.first { $0.id == "agente_disculpa" })
        #expect(apology.trend?.series.map(\.calls) == [0, 1, 1, 1, 0, 0, 5])
        #expect(apology.trend?.direction == .flat && (apology.trend?.ratioVsBaseline ?? 0) > 5)
        #expect((0.01..<0.05).contains(apology.trend?.pValue ?? 0))
        let customerCalls = frustration.rules.filter { $0.speaker != RuleSpeaker.agent.rawValue }.map(\.calls).max() ?? 0
        #expect(frustration.calls >= customerCalls && frustration.calls < apology.calls + customerCalls)
        #expect(frustration.trend?.direction == .flat)
    }

    @Test("a category counts the calls of its customer-side rules: an agent's apology is no customer's frustration")
    func categoriesMeasureCustomers() throws {
        let root = TestSupport.temporaryDirectory()
        let calls =
            (0..<6).map { index in
                "{\"call_id\": \"c\(index)\", \"turns\": [{\"speaker\": \"cliente\", \"text\": \"hola quería saber el saldo de mi cuenta\"}, {\"speaker\": \"agente\", \"text\": \"disculpe las molestias ahora mismo lo reviso\"}]}"
            } + [
                "{\"call_id\": \"c9\", \"turns\": [{\"speaker\": \"cliente\", \"text\": \"es la tercera vez que llamo por lo mismo\"}, {\"speaker\": \"agente\", \"text\": \"disculpe las molestias\"}]}"
            ]
        let input = TestSupport.write(calls.joined(separator: "\n") + "\n", to: "llamadas.jsonl", in: root)
        let (outcome, out) = try TestSupport.run([input], lexicons: TestSupport.lexicons)
        let frustration = try #require(outcome.result.categories.first { $0.category == "frustracion" })
        #expect(frustration.rules.first { $0.id == "agente_disculpa" }?.calls == 7)
        #expect(frustration.calls == 1)
        let markdown = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(markdown.contains("## Protocolo del agente"))
        let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("id=\"protocolo\""))
        // Courtesy never tops the category table.
        let table = markdown.components(separatedBy: "## Temas detectados por el léxico").last ?? ""
        let firstRow = table.split(separator: "\n").first { $0.hasPrefix("| ") && !$0.hasPrefix("| Categoría") }
        #expect(firstRow.map { !$0.contains("Agradecimiento") } == true)
    }

    @Test("re-running a night replaces its figures: the history and the reports come out the same")
    func rerunningANightIsIdempotent() throws {
        let root = TestSupport.temporaryDirectory()
        let history = root.appendingPathComponent("frasario.sqlite").path
        _ = try Self.run(night: "2026-11-20", history: history, out: root.appendingPathComponent("a"), lexicons: nil)
        let first = try Self.run(night: "2026-11-21", history: history, out: root.appendingPathComponent("b"), lexicons: nil)
        let before = try Self.tableCounts(history)
        let again = try Self.run(night: "2026-11-21", history: history, out: root.appendingPathComponent("c"), lexicons: nil)
        #expect(try Self.tableCounts(history) == before)
        #expect(try HistoryStore(path: history).recordedRuns().map(\.date) == ["2026-11-20", "2026-11-21"])
        #expect(again == first)
        for name in ReportWriter.fileNames where name != "timings.json" {
            #expect(try Data(contentsOf: root.appendingPathComponent("b/\(name)")) == Data(contentsOf: root.appendingPathComponent("c/\(name)")), "\(name)")
        }
    }

    @Test("a recording that fails half-way leaves the history as it was")
    func failedRecordingRollsBack() throws {
        let root = TestSupport.temporaryDirectory()
        let history = root.appendingPathComponent("frasario.sqlite").path
        let result = try Self.run(night: "2026-11-20", history: history, out: root.appendingPathComponent("a"), lexicons: nil)
        let before = try Self.tableCounts(history)
        let store = try HistoryStore(path: history)
        // The same phrase twice breaks the primary key after the night's old rows were deleted.
        let duplicate = PhraseFigure(ranking: .customer, phrase: "cobro duplicado", display: "cobro duplicado", n: 2, count: 3, calls: 3)
        let broken = NightRecord(
            date: "2026-11-20", generator: "test", summary: result.summary, minCalls: 2,
            phrases: [duplicate, duplicate], categories: [], report: Data("{}".utf8), rejects: "")
        #expect(throws: HistoryError.self) { try store.record(broken) }
        #expect(try Self.tableCounts(history) == before)
        #expect(try store.storedReport(date: "2026-11-20").result == result)
    }

    @Test("frasario report re-renders a past night byte for byte from the history alone")
    func storedNightRerendersIdentically() throws {
        let week = Week.shared
        let night = "2026-11-21"
        let again = TestSupport.temporaryDirectory()
        let written = try ReportWriter.rewrite(HistoryStore(path: week.history).storedReport(date: night), to: again.path)
        #expect(written.count == ReportWriter.fileNames.count - 1)
        for name in ReportWriter.fileNames where name != "timings.json" {
            #expect(try Data(contentsOf: week.out(night).appendingPathComponent(name)) == Data(contentsOf: again.appendingPathComponent(name)), "\(name)")
        }
        #expect(throws: HistoryError.self) { try HistoryStore(path: week.history).storedReport(date: "2025-01-01") }
        do {
            _ = try HistoryStore(path: week.history).storedReport(date: "2025-01-01")
        } catch {
            #expect(error.description.contains("no run dated 2025-01-01"))
            #expect(error.description.contains("2026-11-22"))
        }
    }

    @Test("reports with history are byte-identical for 1 and 4 threads")
    func historyReportsAreDeterministic() throws {
        let root = TestSupport.temporaryDirectory()
        for threads in [1, 4] {
            let history = root.appendingPathComponent("h\(threads).sqlite").path
            for night in Week.nights.suffix(3) {
                _ = try Self.run(night: night, history: history, out: root.appendingPathComponent("\(threads)/\(night)"), threads: threads)
            }
        }
        for name in ReportWriter.fileNames where name != "timings.json" {
            #expect(try Data(contentsOf: root.appendingPathComponent("1/2026-11-22/\(name)")) == Data(contentsOf: root.appendingPathComponent("4/2026-11-22/\(name)")), "\(name)")
        }
    }

    @Test("every ¿Sabía que…? fact in digest.md quotes the figures of report.json")
    func digestFactsAreTrueToTheNumbers() throws {
        let week = Week.shared
        for night in ["2026-11-21", "2026-11-22"] {
            let result = try RunResult.decode(Data(contentsOf: week.out(night).appendingPathComponent("report.json")))
            let digest = try String(contentsOf: week.out(night).appendingPathComponent("digest.md"), encoding: .utf8)
            let facts = digest.split(separator: "\n").filter { $0.hasPrefix("- ¿Sabía que") }.map(String.init)
            #expect((3...6).contains(facts.count), "\(night): \(facts.count) facts")
            for fact in facts {
                #expect(Self.factHolds(fact, in: result), "\(night): \(fact)")
            }
            // The HTML shows the same facts.
            let html = try String(contentsOf: week.out(night).appendingPathComponent("report.html"), encoding: .utf8)
            for fact in facts { #expect(html.contains(HTMLPage.escape(String(fact.dropFirst(2))))) }
        }
    }

    /// Recomputes a fact from the result: the quoted subject must exist with the quoted calls
    /// and share of calls.
    static func factHolds(_ fact: String, in result: RunResult) -> Bool {
        let calls = numbers(before: " llamada", in: fact).first ?? numbers(before: " (", in: fact).first ?? numbers(before: ")", in: fact).first
        let percents = numbers(before: " %", in: fact, decimal: true)
        if fact.contains("se analizaron") {
            guard let previous = result.history?.runs.dropLast().last else { return false }
            let change = abs(Double(result.summary.callsProcessed - previous.callsProcessed)) / Double(previous.callsProcessed) * 100
            return calls == Double(result.summary.callsProcessed) && percents.first.map { abs($0 - change) < 0.051 } == true
        }
        if fact.contains("se enmascar") {
            // Every mask the fact lists (correos, tarjetas, teléfonos, documentos, nombres).
            return numbers(before: " dato", in: fact).first == Double(result.summary.piiMasked.total)
        }
        guard let start = fact.range(of: "«"), let end = fact.range(of: "»", range: start.upperBound..<fact.endIndex) else { return false }
        let subject = String(fact[start.upperBound..<end.lowerBound])
        var candidates: [(calls: Int, share: Double)] = (result.phrases + result.emerging).filter { $0.text == subject }.map { ($0.calls, $0.shareOfCalls) }
        candidates += result.categories.filter { $0.title == subject }.map { ($0.calls, $0.shareOfCalls) }
        candidates += result.categories.flatMap(\.rules).filter { $0.label == subject }.map { ($0.calls, $0.shareOfCalls) }
        return candidates.contains { candidate in
            Double(candidate.calls) == calls && percents.first.map { abs($0 - candidate.share * 100) < 0.051 } == true
        }
    }

    /// Numbers written just before `suffix` ("8 llamadas", "17 %", "12,8 %").
    static func numbers(before suffix: String, in text: String, decimal: Bool = false) -> [Double] {
        var found: [Double] = []
        var searchStart = text.startIndex
        while let range = text.range(of: suffix, range: searchStart..<text.endIndex) {
            var start = range.lowerBound
            while start > text.startIndex {
                let previous = text[text.index(before: start)]
                guard previous.isNumber || previous == "." || (decimal && previous == ",") else { break }
                start = text.index(before: start)
            }
            let digits = text[start..<range.lowerBound].replacingOccurrences(of: ".", with: "").replacingOccurrences(of: ",", with: ".")
            if let value = Double(digits) { found.append(value) }
            searchStart = range.upperBound
        }
        return found
    }

    @Test("report.html is one well-formed, self-contained page with charts, tables and examples")
    func htmlReportIsSelfContained() throws {
        let week = Week.shared
        let html = try String(contentsOf: week.out("2026-11-22").appendingPathComponent("report.html"), encoding: .utf8)
        let parser = XMLParser(data: Data(html.utf8))
        let collector = ElementCounter()
        parser.delegate = collector
        #expect(parser.parse(), "report.html is not well-formed: \(String(describing: parser.parserError))")
        #expect(!html.contains("http://") && !html.contains("https://"))
        #expect(!html.contains("<link") && !html.contains("src="))
        #expect(collector.counts["svg", default: 0] > 20)
        #expect(collector.counts["details", default: 0] > 20)
        #expect(collector.counts["table", default: 0] >= 4)
        for id in ["cifras", "sabia-que", "emergentes", "preguntas", "categorias", "tablas", "metodo"] {
            #expect(collector.ids.contains(id), "section \(id) missing")
        }
        #expect(collector.inputsWithLabels, "every filter box needs a label")
        #expect(html.contains("lang=\"es\""))
        // Examples carry their call ids.
        let sunday = try #require(week.results["2026-11-22"])
        let example = try #require(sunday.emerging.first?.examples.first)
        #expect(html.contains(HTMLPage.escape(example.callId)))
    }

    @Test("the run date comes from --date, else the day with the most calls (one mistyped date cannot key the night), else today")
    func runDateSources() throws {
        let directory = TestSupport.temporaryDirectory()
        TestSupport.write(
            """
            {"call_id": "a", "date": "2026-11-19T22:10:00Z", "turns": [{"speaker": "cliente", "text": "no me llega el código"}]}
            {"call_id": "b", "date": "2026-11-20", "turns": [{"speaker": "cliente", "text": "no me llega el código"}]}
            {"call_id": "c", "date": "2026-11-20T09:00:00Z", "turns": [{"speaker": "cliente", "text": "quiero dar de baja la tarjeta"}]}
            {"call_id": "d", "date": "2062-11-21", "turns": [{"speaker": "cliente", "text": "quiero dar de baja la tarjeta"}]}
            """, to: "dated.jsonl", in: directory)
        TestSupport.write("Cliente: hola, no me llega el código\n", to: "undated.txt", in: directory)
        let dated = try TestSupport.run([directory.appendingPathComponent("dated.jsonl").path]).outcome.result.summary
        #expect(dated.runDate == "2026-11-20" && dated.runDateSource == "calls")
        #expect(dated.warnings.contains { $0.contains("dated on 3 days") && $0.contains("--date") })
        #expect(RunDate.night(of: ["2026-11-19": 2, "2026-11-20": 2])?.day == "2026-11-20")
        let undated = try TestSupport.run([directory.appendingPathComponent("undated.txt").path]).outcome.result.summary
        #expect(undated.runDate == RunDate.today && undated.runDateSource == "today")
        var configuration = PipelineConfiguration(
            inputs: [directory.appendingPathComponent("dated.jsonl").path],
            outputDirectory: directory.appendingPathComponent("out").path)
        configuration.runDate = "2026-12-01"
        #expect(try Pipeline.run(configuration).result.summary.runDate == "2026-12-01")
        configuration.runDate = "2026-02-30"
        #expect(throws: PipelineError.self) { try Pipeline.run(configuration) }
    }

    @Test("a history written by a newer frasario is refused with a sentence naming the file")
    func newerHistoryIsRefused() throws {
        let path = TestSupport.temporaryDirectory().appendingPathComponent("frasario.sqlite").path
        _ = try HistoryStore(path: path)
        let queue = try DatabaseQueue(path: path)
        try queue.write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9: a future schema')") }
        do {
            _ = try HistoryStore(path: path)
            Issue.record("a newer history was opened")
        } catch {
            #expect(error.description.contains(path))
            #expect(error.description.contains("newer frasario"))
        }
    }

    @Test("a history whose figures were damaged or hand-edited (text, huge numbers) is refused with a sentence, never a trap")
    func damagedHistoryFiguresAreRefused() throws {
        let directory = TestSupport.temporaryDirectory()
        let path = directory.appendingPathComponent("frasario.sqlite").path
        _ = try Self.run(night: "2026-11-16", history: path, out: directory.appendingPathComponent("16"))
        let damages = [
            "UPDATE run SET callsRead = 'abc'", "UPDATE run SET callsProcessed = 9223372036854775807",
            "UPDATE category SET calls = 9223372036854775807", "UPDATE rule SET calls = -5", "UPDATE phrase SET calls = 'muchas'",
        ]
        for damage in damages {
            let copy = directory.appendingPathComponent("damaged.sqlite").path
            try? FileManager.default.removeItem(atPath: copy)
            try FileManager.default.copyItem(atPath: path, toPath: copy)
            try DatabaseQueue(path: copy).write { try $0.execute(sql: damage) }
            do {
                let store = try HistoryStore(path: copy)
                _ = try store.recordedRuns()
                _ = try store.baseline(before: "2026-11-17", runs: 7, keptPerRanking: Pipeline.historyDepth)
                _ = try Self.run(night: "2026-11-17", history: copy, out: directory.appendingPathComponent("17"))
                Issue.record("\(damage): the damaged history was read")
            } catch let error as HistoryError {
                #expect(error.description.contains(copy) && error.description.contains("column"), "\(damage): \(error.description)")
            }
        }
    }

    static func tableCounts(_ path: String) throws -> [Int] {
        try DatabaseQueue(path: path).read { db in
            try ["run", "phrase", "category", "rule"].map { try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \($0)") ?? -1 }
        }
    }
}

/// Counts elements and checks labels while parsing report.html as XML.
final class ElementCounter: NSObject, XMLParserDelegate {
    var counts: [String: Int] = [:]
    var ids: Set<String> = []
    private var labelTargets: Set<String> = []
    private var inputIDs: [String] = []

    var inputsWithLabels: Bool { inputIDs.allSatisfy(labelTargets.contains) }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        counts[elementName, default: 0] += 1
        if let id = attributes["id"] { ids.insert(id) }
        if elementName == "label", let target = attributes["for"] { labelTargets.insert(target) }
        if elementName == "input" { inputIDs.append(attributes["id"] ?? "") }
    }
}

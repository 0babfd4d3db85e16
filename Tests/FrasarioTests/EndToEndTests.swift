import Foundation
import Testing
@testable import Frasario

@Suite("End to end: Samples/, determinism, atomic reports, real ASR output")
struct EndToEndTests {
    static let reportFiles = ReportWriter.fileNames.filter { $0 != "timings.json" }

    @Test("Samples: every call accounted for and the planted customer phrases counted exactly")
    func samplesPlantedPhrases() throws {
        let (outcome, _) = try TestSupport.run([TestSupport.samples], minCount: 2, minCalls: 2)
        let result = outcome.result
        let summary = result.summary
        #expect(summary.callsRead == summary.callsProcessed + summary.callsRejected)
        #expect(summary.callsProcessed == 57)  // 50 text/JSONL calls + one call in each of 7 export formats
        #expect(summary.callsRejected == 0)
        // (phrase as shown, calls, customer occurrences), tallied independently from the sample files.
        let planted: [(String, Int, Int)] = [
            ("quiero hablar con un supervisor", 7, 9),
            ("quiero dar de baja", 6, 11),
            ("llevo una semana esperando", 4, 7),
            ("me cobraron dos veces", 5, 8),  // the whole phrase, clitic included
        ]
        for (text, calls, count) in planted {
            let row = result.row(.customer, text)
            #expect(row?.calls == calls, "\(text)")
            #expect(row?.count == count, "\(text)")
        }
        // Courtesy is everyday talk, said in 11 calls but not what customers need.
        #expect(result.row(.customer, "gracias por su ayuda") == nil)
        // One of the six "no me funciona la aplicación" calls is the unlabelled ASR file: its
        // turns count on the customer side.
        #expect(result.row(.customer, "no me funciona la aplicación")?.calls == 6)
        #expect(result.row(.customer, "no me funciona la aplicación")?.speakers.unknown.calls == 1)
        #expect(result.row(.all, "no me funciona la aplicación")?.calls == 6)
        // A phrase customers ask keeps its interrogative, in the customer ranking too.
        #expect(result.row(.customer, "dónde está mi pedido")?.calls == 7)
        #expect(result.row(.customer, "está mi pedido") == nil)
        #expect(result.row(.customerQuestions, "cómo cambio mi contraseña")?.calls == 4)
        // Customer questions: all seven calls ask it, ec-0002 without accent ("…y nada. donde esta
        // mi pedido?"): unaccented «donde» asks as the first word of a sentence.
        #expect(result.row(.customerQuestions, "dónde está mi pedido")?.calls == 7)
        // Agents' stock phrases land in the agent ranking, quoted from agent turns.
        let agent = try #require(result.row(.agent, "gracias por su paciencia"))
        // The 38th is in the unlabelled ASR file: labelled calls show the phrase as the agents'.
        #expect(agent.calls == 38)
        #expect(result.row(.customer, "gracias por su paciencia") == nil)
        #expect(result.row(.all, "gracias por su paciencia")?.calls == 38)
        #expect(agent.examples.allSatisfy { $0.speaker == .agent })
        #expect(result.row(.customer, "gracias por su paciencia") == nil)
    }

    @Test("the progress line knows the input's size: its share read reaches 100 % and the time left is judged from the pace")
    func progressKnowsTheInputSize() throws {
        final class Seen: @unchecked Sendable {
            // SAFETY: the pipeline calls progress from its coordinating thread only.
            var reports: [RunProgress] = []
        }
        let seen = Seen()
        let out = TestSupport.temporaryDirectory()
        let configuration = PipelineConfiguration(
            inputs: [TestSupport.samples], outputDirectory: out.path, threads: 2,
            progress: { seen.reports.append($0) })
        _ = try Pipeline.run(configuration)
        let files = try InputDiscovery.discover([TestSupport.samples]).files
        let size = try files.reduce(0) { $0 + (try FileManager.default.attributesOfItem(atPath: $1.path!)[.size] as! Int) }
        let last = try #require(seen.reports.last)
        #expect(last.totalBytes == size)
        #expect(last.fractionRead == 1)
        #expect(RunProgress(callsRead: 10, bytesRead: 25, elapsedSeconds: 4, totalBytes: 100).secondsLeft == 12)
        #expect(RunProgress(callsRead: 10, bytesRead: 25, elapsedSeconds: 4, totalBytes: nil).secondsLeft == nil)
    }

    @Test("timings.json gives each stage's worker seconds: lexicon time only when rules run, and no stage longer than the pass")
    func timingsGiveEachStage() throws {
        let withRules = try TestSupport.run([TestSupport.samples], threads: 2, lexicons: TestSupport.lexicons).outcome.timings
        #expect(withRules.stages.normalize > 0)
        #expect(withRules.stages.count > 0)
        #expect(withRules.stages.lexicon > 0)
        #expect(withRules.stages.spool > 0)
        let stages = withRules.stages
        #expect(stages.normalize + stages.count + stages.lexicon + stages.spool <= withRules.readCountMatchSeconds * 2 + 0.01)
        let withoutRules = try TestSupport.run([TestSupport.samples], threads: 1).outcome.timings
        #expect(withoutRules.stages.lexicon == 0)
        #expect(withoutRules.stages.normalize > 0)
    }

    @Test("Samples: no planted PII string appears in any report")
    func samplesLeakNoPII() throws {
        let (_, out) = try TestSupport.run([TestSupport.samples])
        let planted = [
            "4152 3131 0000 1234", "5579-0000-1111-2222", "4915603398127740", "4152313100009876", "4000 1234 5678 9010",
            "5204 7300 1122 3344", "55 1234 5678", "612345678", "612 34 56 78", "11-4567-8901", "654321987", "5544332211",
            "mariana.lopez@correo.com", "javier.blanco77", "correo.com", "correo.es", "88231", "45120", "77402", "00012345",
            "00067891", "00098765", "7781 2290", "12345678z", "87654321x", "gomj800101hdfrrn09", "lopm920315mjcprr04",
            "28.456.912", "32.987.654", "ocho ocho dos tres uno",
        ]
        for name in try FileManager.default.contentsOfDirectory(atPath: out.path) {
            let text = try String(contentsOfFile: out.appendingPathComponent(name).path, encoding: .utf8).lowercased()
            let leaked = planted.filter { text.contains($0.lowercased()) }
            #expect(leaked.isEmpty, "\(leaked) leaked into \(name)")
        }
    }

    @Test("reports are byte-identical for 1 and 4 threads and from run to run")
    func deterministicAcrossThreads() throws {
        let one = try TestSupport.run([TestSupport.samples], threads: 1).out
        let four = try TestSupport.run([TestSupport.samples], threads: 4).out
        let again = try TestSupport.run([TestSupport.samples], threads: 4).out
        for name in Self.reportFiles {
            let reference = try Data(contentsOf: one.appendingPathComponent(name))
            #expect(reference == (try Data(contentsOf: four.appendingPathComponent(name))), "\(name) differs between 1 and 4 threads")
            #expect(reference == (try Data(contentsOf: again.appendingPathComponent(name))), "\(name) differs between runs")
        }
    }

    @Test("report.json round-trips and carries the schema version and summary")
    func jsonRoundTrip() throws {
        let (outcome, out) = try TestSupport.run([TestSupport.samples], minCount: 3, minCalls: 2, top: 10)
        let decoded = try RunResult.decode(try Data(contentsOf: out.appendingPathComponent("report.json")))
        #expect(decoded == outcome.result)
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("report.json"))) as? [String: Any]
        #expect(object?["schema_version"] as? Int == RunResult.currentSchemaVersion)
        let summary = object?["summary"] as? [String: Any]
        #expect(summary?["calls_read"] as? Int == 57)
        let phrases = object?["phrases"] as? [[String: Any]]
        #expect(phrases?.first?.keys.sorted() == ["calls", "cohesion", "count", "examples", "n", "rank", "ranking", "score", "share_of_calls", "speakers", "text"])
        #expect(decoded.ranking(.customer).count == 10)
    }

    @Test("rejects.csv lists every rejected record and the summary adds up")
    func rejectsAreListed() throws {
        let directory = TestSupport.temporaryDirectory()
        TestSupport.write("{\"call_id\": \"a\", \"turns\": [{\"speaker\": \"cliente\", \"text\": \"hola, ¿me oye?\"}]}\n{mal\n", to: "in/calls.jsonl", in: directory)
        TestSupport.write(bytes: [0, 1, 2, 3], to: "in/basura.txt", in: directory)
        TestSupport.write("", to: "in/vacia.txt", in: directory)
        let (outcome, out) = try TestSupport.run([directory.appendingPathComponent("in").path])
        let summary = outcome.result.summary
        #expect(summary.callsRead == 4)
        #expect(summary.callsProcessed == 1)
        #expect(summary.callsRejected == 3)
        let csv = try String(contentsOfFile: out.appendingPathComponent("rejects.csv").path, encoding: .utf8)
        let lines = csv.split(separator: "\n")
        #expect(lines.first == "source,line,reason")
        #expect(lines.count == 4)
        #expect(csv.contains("calls.jsonl,2,not valid JSON"))
        #expect(csv.contains("basura.txt,0,binary file"))
        #expect(csv.contains("vacia.txt,0,empty file"))
    }

    @Test("a failed write leaves the previous reports intact and no temporary files")
    func atomicWrites() throws {
        let directory = TestSupport.temporaryDirectory()
        _ = try AtomicFiles.write([("report.json", Data("old".utf8)), ("phrases.csv", Data("old".utf8))], to: directory.path)
        #expect(throws: PipelineError.self) {
            _ = try AtomicFiles.write([("report.json", Data("new".utf8)), ("no/such/folder.csv", Data("new".utf8))], to: directory.path)
        }
        #expect(try String(contentsOfFile: directory.appendingPathComponent("report.json").path, encoding: .utf8) == "old")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty)
    }

    @Test("the night is committed after the reports are staged and before they are published; a failed commit publishes nothing")
    func historyCommittedBetweenStagingAndPublishing() throws {
        struct HistoryDown: Error {}
        let root = TestSupport.temporaryDirectory()
        let target = root.appendingPathComponent("destino").path
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("enlace").path, withDestinationPath: target)
        // One --out published by the exchange, one by a rename per file (a link to a folder).
        for out in [root.appendingPathComponent("informes").path, root.appendingPathComponent("enlace").path] {
            _ = try AtomicFiles.write([("report.json", Data("anoche".utf8)), ("report.md", Data("anoche".utf8))], to: out)
            var seenDuringCommit: String?
            _ = try AtomicFiles.write([("report.json", Data("hoy".utf8)), ("report.md", Data("hoy".utf8))], to: out) {
                seenDuringCommit = try String(contentsOfFile: out + "/report.json", encoding: .utf8)
            }
            #expect(seenDuringCommit == "anoche")
            #expect(try String(contentsOfFile: out + "/report.json", encoding: .utf8) == "hoy")
            #expect(throws: HistoryDown.self) {
                _ = try AtomicFiles.write([("report.json", Data("mañana".utf8)), ("report.md", Data("mañana".utf8))], to: out) {
                    throw HistoryDown()
                }
            }
            #expect(try String(contentsOfFile: out + "/report.md", encoding: .utf8) == "hoy")
            let leftovers =
                try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasPrefix(".") }
                + FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasPrefix(".") }
            #expect(leftovers.isEmpty)
        }
    }

    @Test("an unusable --out fails the run before it reads a call, and the history records nothing")
    func unusableOutputFailsFirst() throws {
        let directory = TestSupport.temporaryDirectory()
        let input = TestSupport.write("Cliente: hola, no me llega el código\nAgente: un momento\n", to: "llamada.txt", in: directory)
        let blocker = TestSupport.write("soy un fichero", to: "out", in: directory)
        let history = directory.appendingPathComponent("frasario.sqlite").path
        var configuration = PipelineConfiguration(inputs: [input], outputDirectory: blocker + "/informes", threads: 1)
        configuration.historyPath = history
        configuration.runDate = "2026-11-22"
        final class Seen: @unchecked Sendable { var calls = 0 }  // written by the run's one thread
        let seen = Seen()
        configuration.progress = { progress in seen.calls = progress.callsRead }
        #expect(throws: PipelineError.self) { try Pipeline.run(configuration) }
        #expect(seen.calls == 0)
        #expect(try HistoryStore(path: history).recordedRuns().isEmpty)
    }

    @Test("the report set is published by one exchange: the user's own files stay, a linked --out is updated in place")
    func reportSetSwappedWhole() throws {
        let root = TestSupport.temporaryDirectory()
        let out = root.appendingPathComponent("informes").path
        _ = try AtomicFiles.write([("report.json", Data("viejo".utf8)), ("report.md", Data("viejo".utf8))], to: out)
        FileManager.default.createFile(atPath: out + "/notas.txt", contents: Data("del usuario".utf8))
        let before = try FileManager.default.attributesOfItem(atPath: out)[.systemFileNumber] as? Int
        _ = try AtomicFiles.write([("report.json", Data("nuevo".utf8)), ("report.md", Data("nuevo".utf8))], to: out)
        #expect(try String(contentsOfFile: out + "/report.json", encoding: .utf8) == "nuevo")
        #expect(try String(contentsOfFile: out + "/notas.txt", encoding: .utf8) == "del usuario")
        // A new folder took the old one's place (one rename), and nothing is left beside it.
        #expect(try FileManager.default.attributesOfItem(atPath: out)[.systemFileNumber] as? Int != before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasPrefix(".") }.isEmpty)
        // A --out that is a link to a folder stays a link; its folder gets the new files.
        let target = root.appendingPathComponent("destino").path
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("enlace").path, withDestinationPath: target)
        _ = try AtomicFiles.write([("report.json", Data("por enlace".utf8))], to: root.appendingPathComponent("enlace").path)
        #expect(try String(contentsOfFile: target + "/report.json", encoding: .utf8) == "por enlace")
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: root.appendingPathComponent("enlace").path)) == target)
    }

    @Test("a spool folder is kept while its owner holds its lock, whatever its process id says, and removed once the lock is free")
    func spoolFoldersOwnedByLock() throws {
        let temporary = FileManager.default.temporaryDirectory
        // A process id no process has: the old check would have removed a live run's spools.
        let folder = temporary.appendingPathComponent("\(Pipeline.spoolPrefix)4194303-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let owner = open(folder.appendingPathComponent(SpoolDirectory.lockName).path, O_RDWR | O_CREAT, 0o600)
        #expect(owner >= 0 && flock(owner, LOCK_EX | LOCK_NB) == 0)
        Pipeline.removeStaleSpools()
        #expect(FileManager.default.fileExists(atPath: folder.path))
        close(owner)
        Pipeline.removeStaleSpools()
        #expect(!FileManager.default.fileExists(atPath: folder.path))
        // A run's own folder is locked from the start and removed with its lock.
        let spools = try SpoolDirectory.create()
        Pipeline.removeStaleSpools()
        #expect(FileManager.default.fileExists(atPath: spools.url.path))
        spools.remove()
        #expect(!FileManager.default.fileExists(atPath: spools.url.path))
    }

    @Test("temporaries left by a run killed between writing and renaming are removed by the next one")
    func staleTemporariesRemoved() throws {
        let directory = TestSupport.temporaryDirectory()
        // A PID no process has: the largest possible one.
        let stale = directory.appendingPathComponent(".report.json.tmp-4194303").path
        FileManager.default.createFile(atPath: stale, contents: Data("a medias".utf8))
        let mine = directory.appendingPathComponent("notas.txt").path
        FileManager.default.createFile(atPath: mine, contents: Data("del usuario".utf8))
        _ = try AtomicFiles.write([("report.json", Data("nuevo".utf8))], to: directory.path)
        #expect(!FileManager.default.fileExists(atPath: stale))
        #expect(FileManager.default.fileExists(atPath: mine))
    }

    @Test("input that looks like a formula or markup is neutralised: CSV cells, Markdown tables, a Content-Security-Policy")
    func hostileInputNeutralised() throws {
        let directory = TestSupport.temporaryDirectory()
        let ids = ["=HYPERLINK(\\\"http://x\\\")", "<img src=x onerror=alert(1)>", "+34|tabla", "@SUMA(A1)"]
        let lines = (0..<8).map { index in
            "{\"call_id\": \"\(ids[index % ids.count])-\(index)\", \"turns\": [{\"speaker\": \"cliente\", \"text\": \"quiero cancelar la tarjeta de crédito\"}]}"
        }
        let input = TestSupport.write(lines.joined(separator: "\n") + "\n", to: "hostil.jsonl", in: directory)
        let (_, out) = try TestSupport.run([input], minCount: 2, minCalls: 2)
        let csv = try String(contentsOf: out.appendingPathComponent("phrases.csv"), encoding: .utf8)
        for line in csv.split(separator: "\n") {
            for field in line.split(separator: ",", omittingEmptySubsequences: false) {
                let text = field.hasPrefix("\"") ? String(field.dropFirst()) : String(field)
                if let first = text.first, "=+@".contains(first) { Issue.record("formula cell: \(text)") }
            }
        }
        #expect(csv.contains("'=HYPERLINK") || csv.contains("'@SUMA") || csv.contains("'+34"))
        #expect(CSV.escape("-0.05") == "-0.05" && CSV.escape("-ataque") == "'-ataque" && CSV.escape("\tx") == "'\tx")
        let markdown = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(!markdown.contains("<img"))
        #expect(!markdown.contains("+34|tabla"))
        let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(!html.contains("<img"))
        #expect(html.contains("http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'"))
    }

    @Test("CSV fields with commas, quotes and newlines are quoted")
    func csvEscaping() {
        var csv = CSV(header: ["a", "b"])
        csv.append(["sí, claro", "dijo \"ya\"\nfin"])
        #expect(csv.text == "a,b\n\"sí, claro\",\"dijo \"\"ya\"\"\nfin\"\n")
    }

    @Test("real ASR output (../shared/data): every line is counted as a turn, identically on 1 and 3 threads", .enabled(if: TestSupport.hasRealASRData, "../shared/data is absent"))
    func realASROutput() throws {
        let data = TestSupport.realASRData
        // Rebuild whole conversations from the mapping files: one plain-text call per conversation.
        let directory = TestSupport.temporaryDirectory()
        var conversations: [String: [String]] = [:]
        var order: [String] = []
        var nonEmptyLines = 0
        for set in ["fisher_dev", "fisher_dev2", "fisher_test"] {
            let text = try String(contentsOf: data.appendingPathComponent("\(set).asr.es"), encoding: .utf8)
            let mapping = try String(contentsOf: data.appendingPathComponent("\(set).mapping"), encoding: .utf8)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            for (index, entry) in mapping.split(separator: "\n").enumerated() {
                let conversation = String(entry.split(separator: " ")[0])
                if conversations[conversation] == nil { order.append(conversation) }
                let line = index < lines.count ? String(lines[index]) : ""
                if !line.trimmingCharacters(in: .whitespaces).isEmpty { nonEmptyLines += 1 }
                conversations[conversation, default: []].append(line)
            }
        }
        for name in order {
            TestSupport.write(conversations[name]!.joined(separator: "\n") + "\n", to: "fisher/\(name).txt", in: directory)
        }
        let input = directory.appendingPathComponent("fisher").path
        let (one, outOne) = try TestSupport.run([input], threads: 1, minCount: 3, minCalls: 2)
        let (three, outThree) = try TestSupport.run([input], threads: 3, minCount: 3, minCalls: 2)
        let summary = one.result.summary
        #expect(summary.callsProcessed == order.count)
        #expect(summary.callsRejected == 0)
        #expect(summary.turns == nonEmptyLines)
        #expect(summary.turnsBySpeaker.unknown == nonEmptyLines)
        #expect(summary.tokens > 100_000)
        #expect(three.result == one.result, "results differ between 1 and 3 threads")
        #expect(!one.result.ranking(.all).isEmpty)
        for name in Self.reportFiles {
            #expect(try Data(contentsOf: outOne.appendingPathComponent(name)) == Data(contentsOf: outThree.appendingPathComponent(name)))
        }
    }
}

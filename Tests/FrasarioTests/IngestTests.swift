import Foundation
import Testing
@testable import Frasario

@Suite("Ingest: formats, encodings and bad input")
struct IngestTests {
    @Test("plain text: speaker labels in every accepted spelling, continuation lines keep the speaker")
    func plainTextLabels() throws {
        let directory = TestSupport.temporaryDirectory()
        let path = TestSupport.write(
            """
            AGENTE: Banco Altamar, buenas tardes.
            cliente: Hola, me cobraron dos veces.
            y además no me llega el código
            Asesor: Permítame un momento.
            Usuario: Sí.
            Operador: Listo.
            C: gracias
            A: a usted
            [00:01:02] Cliente: ¿algo más?

            """, to: "llamada-01.txt", in: directory)
        let (calls, accounting) = try TestSupport.ingest([path])
        #expect(accounting.rejects.isEmpty)
        let call = try #require(calls.first)
        #expect(call.id == "llamada-01")
        #expect(call.turns.map(\.speaker) == [.agent, .customer, .customer, .agent, .customer, .agent, .customer, .agent, .customer])
        #expect(call.turns[2].text == "y además no me llega el código")
        #expect(call.turns[8].text == "¿algo más?")
    }

    @Test("plain ASR output without labels is speaker unknown, one turn per line")
    func unlabelledText() throws {
        let directory = TestSupport.temporaryDirectory()
        let path = TestSupport.write("buenas tardes\nmi nombre es carmen\n\nojo: esto no es etiqueta\n", to: "asr.txt", in: directory)
        let (calls, _) = try TestSupport.ingest([path])
        #expect(calls.first?.turns.map(\.speaker) == [.unknown, .unknown, .unknown])
        #expect(calls.first?.turns.last?.text == "ojo: esto no es etiqueta")
    }

    @Test("JSONL: one call per line, optional fields, unknown fields ignored, English speaker names")
    func jsonLines() throws {
        let directory = TestSupport.temporaryDirectory()
        let path = TestSupport.write(
            """
            {"call_id": "tel-1", "date": "2026-11-20", "channel": "voz", "extra": [1,2], "turns": [{"speaker": "agente", "text": "Telvira, buenas", "start": 0.5, "end": 2}, {"speaker": "customer", "text": "quiero dar de baja"}]}
            {"call_id": 42, "turns": [{"speaker": "CLIENTE", "text": "hola"}]}

            """, to: "calls.jsonl", in: directory)
        let (calls, accounting) = try TestSupport.ingest([path])
        #expect(accounting.rejects.isEmpty)
        #expect(calls.map(\.id) == ["tel-1", "42"])
        #expect(calls[0].date == "2026-11-20")
        #expect(calls[0].channel == "voz")
        #expect(calls[0].turns[0].start == 0.5)
        #expect(calls[0].turns.map(\.speaker) == [.agent, .customer])
        #expect(calls[1].turns[0].speaker == .customer)
    }

    @Test("bad JSONL records are rejected with file, line and reason; good ones go on")
    func badJSONLines() throws {
        let directory = TestSupport.temporaryDirectory()
        let path = TestSupport.write(
            """
            {"call_id": "ok-1", "turns": [{"speaker": "cliente", "text": "hola"}]}
            {"call_id": "roto", "turns": [
            {"turns": [{"speaker": "cliente", "text": "sin id"}]}
            {"call_id": "sin-turnos"}
            {"call_id": "lista-mala", "turns": "hola"}
            {"call_id": "vacia", "turns": [{"speaker": "cliente", "text": "  "}]}
            [1, 2, 3]
            {"call_id": "ok-2", "turns": [{"speaker": "agente", "text": "adiós"}]}
            """, to: "mixed.jsonl", in: directory)
        let (calls, accounting) = try TestSupport.ingest([path])
        #expect(calls.map(\.id) == ["ok-1", "ok-2"])
        #expect(accounting.rejects.map(\.line) == [2, 3, 4, 5, 6, 7])
        #expect(accounting.rejects.allSatisfy { $0.source == path })
        #expect(accounting.rejects[0].reason == "not valid JSON: the record ends before it is complete")
        #expect(accounting.rejects[1].reason == "missing call_id")
        #expect(accounting.rejects[2].reason.contains("no turns"))
        #expect(accounting.rejects[3].reason.contains("not a list"))
        #expect(accounting.rejects[4].reason.contains("no turn with text"))
        #expect(accounting.rejects[5].reason == "not a JSON object")
        #expect(accounting.callsRead == 8)
    }

    @Test("a record nesting 50,000 objects or arrays is rejected with its reason; the calls around it count")
    func deeplyNestedJSONRejected() throws {
        let directory = TestSupport.temporaryDirectory()
        let objects = String(repeating: "{\"a\": ", count: 50_000) + "1" + String(repeating: "}", count: 50_000)
        let arrays = String(repeating: "[", count: 50_000) + String(repeating: "]", count: 50_000)
        let fine = String(repeating: "{\"a\": ", count: 100) + "[1, {\"b\": null}]" + String(repeating: "}", count: 100)
        let path = TestSupport.write(
            """
            {"call_id": "ok-1", "turns": [{"speaker": "cliente", "text": "hola buenas no me llega el código"}]}
            {"call_id": "hondo", "extra": \(objects), "turns": [{"speaker": "cliente", "text": "hola"}]}
            {"call_id": "lista-honda", "turns": [{"speaker": "cliente", "text": "hola", "meta": \(arrays)}]}
            {"call_id": "ok-2", "extra": \(fine), "turns": [{"speaker": "agente", "text": "un momento por favor"}]}
            """, to: "nested.jsonl", in: directory)
        let (calls, accounting) = try TestSupport.ingest([path])
        #expect(calls.map(\.id) == ["ok-1", "ok-2"])
        #expect(accounting.rejects.map(\.line) == [2, 3])
        #expect(accounting.rejects.allSatisfy { $0.reason == "JSON nested more than \(JSONCallParser.maximumDepth) levels deep" })
        #expect(accounting.callsRead == 4)
    }

    @Test("a call larger than --max-call-size is rejected with its size, unread when huge; the calls around it count")
    func oversizedCallsRejected() throws {
        let directory = TestSupport.temporaryDirectory()
        let limit = CallSizeLimit(textBytes: 4096)
        let sentence = "buenas tardes le llamo porque no me llega el código por sms "
        func line(_ id: String, _ text: String) -> String {
            "{\"call_id\": \"\(id)\", \"turns\": [{\"speaker\": \"cliente\", \"text\": \"\(text)\"}]}"
        }
        let path = TestSupport.write(
            [
                line("antes", sentence),
                line("enorme", String(repeating: sentence, count: 2000)),  // 120 KB: over 4 × the limit, skipped unread
                line("grande", String(repeating: sentence, count: 100)),  // 6 KB of text: read, then rejected
                line("despues", sentence),
            ].joined(separator: "\n") + "\n", to: "llamadas.jsonl", in: directory)
        let (calls, accounting) = try TestSupport.ingest([path], chunkBytes: 1024, limit: limit)
        #expect(calls.map(\.id) == ["antes", "despues"])
        #expect(accounting.callsRead == 4)
        #expect(accounting.rejects.map(\.line) == [2, 3])
        #expect(accounting.rejects.first?.reason.hasPrefix("line of 119 KB is over the 16 KB a call may take as input") == true, "\(accounting.rejects.first?.reason ?? "")")
        #expect(accounting.rejects.last?.reason == "call grande has 6 KB of text, over the per-call limit of 4 KB (--max-call-size); raise it to count the call")
        // A plain-text call too large to read is rejected from its size on disk.
        let text = TestSupport.write("CLIENTE: " + String(repeating: sentence, count: 400), to: "dia-entero.txt", in: directory)
        let (none, textAccounting) = try TestSupport.ingest([text], limit: limit)
        #expect(none.isEmpty && textAccounting.callsRead == 1)
        #expect(textAccounting.rejects.first?.reason.hasPrefix("file of 24 KB is over the 16 KB a call may take as input") == true, "\(textAccounting.rejects.first?.reason ?? "")")
        // A whole JSON document (many calls) has a bound of its own, and its reject says how to split it.
        var documents = CallSizeLimit(textBytes: 1024)
        documents.documentFloor = 16 << 10
        let call = "{\"call_id\": \"x\", \"turns\": [{\"speaker\": \"cliente\", \"text\": \"hola\"}]}"
        let fits = TestSupport.write("[" + Array(repeating: call, count: 100).joined(separator: ",") + "]", to: "pocas.json", in: directory)
        #expect(try TestSupport.ingest([fits], limit: documents).accounting.rejects.filter { $0.reason.hasPrefix("JSON document") }.isEmpty)
        let document = TestSupport.write("[" + Array(repeating: call, count: 1000).joined(separator: ",") + "]", to: "muchas.json", in: directory)
        let (_, documentAccounting) = try TestSupport.ingest([document], limit: documents)
        #expect(
            documentAccounting.rejects.map(\.reason) == [
                "JSON document of 66 KB is over the 32 KB a whole document may take (32 × --max-call-size, at least 16 KB); write its calls as JSON Lines, one per line, or raise --max-call-size"
            ])
    }

    @Test("one NUL byte costs its record, not the file; blank lines before the calls, however many, are skipped and counted")
    func binaryAndBlankJudgedPerRecord() throws {
        let directory = TestSupport.temporaryDirectory()
        var bytes = Array("{\"call_id\": \"a\", \"turns\": [{\"speaker\": \"cliente\", \"text\": \"hola\"}]}\n".utf8)
        bytes += Array("{\"call_id\": \"b\", \"turns\": [{\"speaker\": \"cliente\", \"text\": \"ho".utf8) + [0] + Array("la\"}]}\n".utf8)
        bytes += Array("{\"call_id\": \"c\", \"turns\": [{\"speaker\": \"agente\", \"text\": \"adiós\"}]}\n".utf8)
        let withNUL = TestSupport.write(bytes: bytes, to: "nul.jsonl", in: directory)
        let (calls, accounting) = try TestSupport.ingest([withNUL])
        #expect(calls.map(\.id) == ["a", "c"])
        #expect(accounting.rejects.map(\.line) == [2])
        #expect(accounting.rejects.first?.reason == "binary data (NUL bytes) in the record")
        // 3,000 blank lines (more than one 4 KiB read) before the first call.
        let blank = TestSupport.write(
            String(repeating: "\n", count: 3000) + "{\"call_id\": \"tarde\", \"turns\": [{\"speaker\": \"cliente\", \"text\": \"hola\"}]}\n{\"roto\n",
            to: "blancos.jsonl", in: directory)
        let (late, lateAccounting) = try TestSupport.ingest([blank], chunkBytes: 4096)
        #expect(late.map(\.id) == ["tarde"])
        #expect(lateAccounting.rejects.map(\.line) == [3002])
        let empty = TestSupport.write(String(repeating: " \n", count: 5000), to: "vacio.jsonl", in: directory)
        let (_, emptyAccounting) = try TestSupport.ingest([empty], chunkBytes: 4096)
        #expect(emptyAccounting.rejects.first?.reason == "empty file")
    }

    @Test("binary and empty files are rejected, not crashed on")
    func binaryAndEmptyFiles() throws {
        let directory = TestSupport.temporaryDirectory()
        let binary = TestSupport.write(bytes: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D], to: "audio.txt", in: directory)
        let empty = TestSupport.write("", to: "vacia.txt", in: directory)
        let blank = TestSupport.write("\n\n   \n", to: "blanca.jsonl", in: directory)
        let (calls, accounting) = try TestSupport.ingest([binary, empty, blank])
        #expect(calls.isEmpty)
        #expect(accounting.rejects.count == 3)
        #expect(accounting.rejects[0].reason.contains("binary"))
        #expect(accounting.rejects[1].reason == "empty file")
        #expect(accounting.rejects[2].reason == "empty file")
        #expect(accounting.callsRead == 3)
    }

    @Test("UTF-8 with BOM and CRLF line ends reads cleanly")
    func byteOrderMarkAndCRLF() throws {
        let directory = TestSupport.temporaryDirectory()
        let text = "AGENTE: Buenas tardes\r\nCLIENTE: ¿Cómo cambio mi contraseña?\r\n"
        let path = TestSupport.write(bytes: [0xEF, 0xBB, 0xBF] + Array(text.utf8), to: "bom.txt", in: directory)
        let jsonl = "{\"call_id\": \"c1\", \"turns\": [{\"speaker\": \"cliente\", \"text\": \"señal\"}]}\r\n"
        let jsonPath = TestSupport.write(bytes: [0xEF, 0xBB, 0xBF] + Array(jsonl.utf8), to: "bom.jsonl", in: directory)
        let (calls, accounting) = try TestSupport.ingest([path, jsonPath])
        #expect(accounting.rejects.isEmpty)
        #expect(calls[0].turns.map(\.text) == ["Buenas tardes", "¿Cómo cambio mi contraseña?"])
        #expect(calls[1].turns[0].text == "señal")
        #expect(accounting.windows1252ByFile.isEmpty)
    }

    @Test("one stray byte in a UTF-8 file costs that byte: «señora» stays «señora»")
    func strayByteInUTF8() throws {
        let directory = TestSupport.temporaryDirectory()
        let bytes: [UInt8] = Array("CLIENTE: buenas señora, el año pasado pagué ".utf8) + [0x80] + Array(" euros de más\n".utf8)
        let path = TestSupport.write(bytes: bytes, to: "mezcla.txt", in: directory)
        let (calls, accounting) = try TestSupport.ingest([path])
        #expect(calls.first?.turns.first?.text == "buenas señora, el año pasado pagué € euros de más")
        #expect(accounting.windows1252ByFile[path] == 1)
    }

    @Test("a file that is not UTF-8 is read as Windows-1252 with a warning")
    func windows1252Fallback() throws {
        let directory = TestSupport.temporaryDirectory()
        // "CLIENTE: ¿Dónde está mi pedido?" in Windows-1252, plus a curly quote (0x93/0x94).
        let bytes: [UInt8] =
            Array("CLIENTE: ".utf8) + [0xBF] + Array("D".utf8) + [0xF3] + Array("nde est".utf8) + [0xE1]
            + Array(" mi pedido? ".utf8) + [0x93] + Array("urgente".utf8) + [0x94] + [0x0A]
        let path = TestSupport.write(bytes: bytes, to: "windows.txt", in: directory)
        let (calls, accounting) = try TestSupport.ingest([path])
        #expect(calls.first?.turns.first?.text == "¿Dónde está mi pedido? “urgente”")
        #expect(accounting.windows1252ByFile[path] == 1)
        var summary = RunSummary()
        accounting.complete(&summary, warnings: [])
        #expect(summary.warnings.contains { $0.contains("Windows-1252") && $0.contains("windows.txt") })
    }

    @Test("duplicate call ids: the first is kept, later ones are rejected and reported")
    func duplicateCallIDs() throws {
        let directory = TestSupport.temporaryDirectory()
        let path = TestSupport.write(
            """
            {"call_id": "x1", "turns": [{"speaker": "cliente", "text": "primera"}]}
            {"call_id": "x1", "turns": [{"speaker": "cliente", "text": "repetida"}]}
            """, to: "dup.jsonl", in: directory)
        let (calls, accounting) = try TestSupport.ingest([path])
        #expect(calls.map { $0.turns[0].text } == ["primera"])
        #expect(accounting.duplicates == 1)
        #expect(accounting.rejects.first?.line == 2)
        #expect(accounting.rejects.first?.reason.contains("duplicate call_id x1") == true)
    }

    @Test("directories are walked recursively in byte order; other extensions are skipped with a warning")
    func directoryWalk() throws {
        let directory = TestSupport.temporaryDirectory()
        TestSupport.write("CLIENTE: b", to: "b/dos.txt", in: directory)
        TestSupport.write("CLIENTE: a", to: "a/uno.txt", in: directory)
        TestSupport.write("notas", to: "a/LEEME.md", in: directory)
        TestSupport.write("oculto", to: ".oculto.txt", in: directory)
        let result = try InputDiscovery.discover([directory.path])
        #expect(result.files.map { ($0.name as NSString).lastPathComponent } == ["uno.txt", "dos.txt"])
        #expect(result.warnings.count == 1)
        #expect(result.warnings[0].contains("LEEME.md"))
    }

    @Test("a FIFO, a dangling link and a linked folder inside an input folder are skipped with a warning, never waited on")
    func specialEntriesSkipped() throws {
        let directory = TestSupport.temporaryDirectory()
        let calls = TestSupport.write("Cliente: hola, no me llega el código\nAgente: un momento\n", to: "in/llamada.txt", in: directory)
        let folder = (calls as NSString).deletingLastPathComponent
        #expect(mkfifo(folder + "/tubo.txt", 0o600) == 0)
        try FileManager.default.createSymbolicLink(atPath: folder + "/roto.txt", withDestinationPath: folder + "/no-existe.txt")
        try FileManager.default.createSymbolicLink(atPath: folder + "/enlace", withDestinationPath: directory.path)
        let discovery = try InputDiscovery.discover([folder])
        #expect(discovery.files.map(\.name) == [calls])
        #expect(discovery.warnings.contains { $0.contains("tubo.txt") && $0.contains("FIFO") })
        #expect(discovery.warnings.contains { $0.contains("roto.txt") && $0.contains("link to nothing") })
        #expect(discovery.warnings.contains { $0.contains("enlace") && $0.contains("not followed") })
    }

    @Test("the Spark driver lists the same transcript extensions as frasario run")
    func sparkDriverKnowsEveryExtension() throws {
        let driver = try String(contentsOf: TestSupport.repositoryRoot.appendingPathComponent("Spark/spark_plan.py"), encoding: .utf8)
        let line = try #require(driver.split(separator: "\n").first { $0.hasPrefix("TRANSCRIPT_EXTENSIONS = (") })
        let listed = Set(line.split(separator: "\"").enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element.dropFirst()) })
        #expect(listed == Set(InputFormat.extensions.keys))
    }

    @Test("a file given twice, inside a folder also given, or through a link is read once, with a warning; the run counts its calls once")
    func fileGivenTwiceIsReadOnce() throws {
        let directory = TestSupport.temporaryDirectory()
        let calls = TestSupport.write(
            "{\"call_id\": \"c-1\", \"turns\": [{\"speaker\": \"cliente\", \"text\": \"no me llega el código de verificación\"}]}\n",
            to: "noche/llamadas-003.jsonl", in: directory)
        let link = directory.appendingPathComponent("enlace.jsonl").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: calls)
        let folder = directory.appendingPathComponent("noche").path
        let discovery = try InputDiscovery.discover([folder, calls, link])
        #expect(discovery.files.map(\.name) == [calls])
        #expect(
            discovery.warnings == [
                "Read once: 2 input file(s) were given more than once: \(calls), \(link) (same file as \(calls))."
            ])
        let result = try TestSupport.run([folder, calls]).outcome.result
        #expect(result.summary.callsRead == 1)
        #expect(result.summary.callsRejected == 0)
    }

    @Test("a missing input is an error that names it")
    func missingInput() {
        #expect(throws: IngestError.inputNotFound(path: "/no/existe")) {
            try InputDiscovery.discover(["/no/existe"])
        }
    }

    @Test("JSONL cut into small chunks reads the same calls and line numbers as whole")
    func chunkedReadsEqualWholeReads() throws {
        let directory = TestSupport.temporaryDirectory()
        var lines: [String] = []
        for index in 1...200 {
            if index % 37 == 0 { lines.append("{roto"); continue }
            lines.append("{\"call_id\": \"c\(index)\", \"turns\": [{\"speaker\": \"cliente\", \"text\": \"llamada número \(index) sobre la señal\"}]}")
        }
        let path = TestSupport.write(lines.joined(separator: "\n"), to: "big.jsonl", in: directory)
        let whole = try TestSupport.ingest([path])
        let chunked = try TestSupport.ingest([path], chunkBytes: 300)
        #expect(whole.calls == chunked.calls)
        #expect(whole.accounting.rejects == chunked.accounting.rejects)
        #expect(whole.accounting.rejects.map(\.line) == [37, 74, 111, 148, 185])
        #expect(whole.calls.count == 195)
    }

    @Test("a single .json document holding one call or an array of calls is read")
    func jsonDocument() throws {
        let directory = TestSupport.temporaryDirectory()
        let path = TestSupport.write(
            """
            [
              {"call_id": "d1", "turns": [{"speaker": "cliente", "text": "hola"}]},
              {"call_id": "d2", "turns": [{"speaker": "agente", "text": "adiós"}]}
            ]
            """, to: "export.json", in: directory)
        let (calls, accounting) = try TestSupport.ingest([path])
        #expect(accounting.rejects.isEmpty)
        #expect(calls.map(\.id) == ["d1", "d2"])
    }

    @Test("a call of a .json array that is rejected is reported at the line its element starts on")
    func jsonArrayRejectsNameTheirLine() throws {
        let directory = TestSupport.temporaryDirectory()
        let path = TestSupport.write(
            """
            [
              {"call_id": "d1", "turns": [{"speaker": "cliente", "text": "hola, ¿me oye? [sic] {ruido}"}]},
              {
                "turns": [{"speaker": "cliente", "text": "sin identificador, con \\"comillas\\" y ]"}]
              },
              {"call_id": "d3"}
            ]
            """, to: "export.json", in: directory)
        let (calls, accounting) = try TestSupport.ingest([path])
        #expect(calls.map(\.id) == ["d1"])
        #expect(accounting.rejects.map(\.line).sorted() == [3, 6], "\(accounting.rejects)")
        #expect(RecordParser.arrayElementLines(Array("[1,\n[2, 3],\n\"a,b\"]".utf8)) == [1, 2, 3])
    }
}

@Suite("Ingest: the JSONL record parser")
struct JSONCallParserTests {
    static func parseRecord(_ json: String) -> Result<DocumentCall, RecordProblem> {
        var bytes = Array(json.utf8)
        return bytes.withUnsafeMutableBufferPointer { buffer in
            Result { () throws(RecordProblem) in try JSONCallParser.parse(UnsafeBufferPointer(buffer)) }
        }
    }

    @Test("decodes escapes, skips nested unknown fields and reads numbers")
    func jsonRecordParser() throws {
        let record = try Self.parseRecord(
            #"""
             { "meta": {"a": [1, 2.5e3, {"b": null}], "c": true}, "call_id" : 7,
               "turns": [ {"speaker": "cliente", "text": "se\u00f1al \"mala\" \ud83d\ude00\n", "start": -1.5E1, "end": 2},
                          {"text": null}, {"speaker": 3, "text": "ok", "start": "x"} ], "date": "2026-11-20", "channel": null }
            """#
        ).get()
        #expect(record.id == "7")
        #expect(record.date == "2026-11-20")
        #expect(record.channel == nil)
        #expect(record.turns.count == 3)
        #expect(record.turns[0].text == "señal \"mala\" 😀\n")
        #expect(record.turns[0].start == -15)
        #expect(record.turns[0].end == 2)
        #expect(record.turns[2].label == nil && record.turns[2].start == nil && record.turns[2].text == "ok")
    }

    @Test(
        "malformed records are rejected with the reason, never crash",
        arguments: [
            (#"{"call_id": "a", "turns": []"#, "not valid JSON: the record ends before it is complete"),
            (#"{"call_id": "a", "turns": []} x"#, "not valid JSON at byte 31: text after the record (unexpected 'x')"),
            (#"{"call_id": "a\u12", "turns": []}"#, "not valid JSON at byte 20 (unexpected ',')"),
            (#"{"call_id": "a", "turns": [01x]}"#, "not valid JSON at byte 31 (unexpected ']')"),
            (#"["a"]"#, "not a JSON object"),
            (#"{"turns": []}"#, "missing call_id"),
            (#"{"call_id": "  ", "turns": []}"#, "call_id is empty or not a string"),
            (#"{"call_id": "a"}"#, "call a has no turns field"),
            (#"{"call_id": "a", "turns": {}}"#, "call a: turns is not a list"),
            (#"{"call_id": "a", "turns": ["hola"]}"#, "call a: turn 1 is not an object"),
            ("", "not valid JSON: the record ends before it is complete"),
            ("{\"call_id\": \"tel-4152 3131 0000 1234\" \"turns\": []}", "not valid JSON at byte 40 (unexpected 't')"),
        ])
    func malformedRecords(json: String, reason: String) {
        switch Self.parseRecord(json) {
        case .success: Issue.record("\(json) should be rejected")
        case .failure(let problem): #expect(problem.reason == reason)
        }
    }
}

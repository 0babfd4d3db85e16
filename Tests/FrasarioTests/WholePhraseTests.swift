import Foundation
import Testing
@testable import Frasario

/// Phrases longer than `--max-n` reach the ranking as windows; the row is the whole phrase
/// when its windows are said in the same calls, with figures counted exactly from the turns.
@Suite("Whole phrases past --max-n")
struct WholePhraseTests {
    static func jsonl(_ calls: [[(String, String)]]) -> String {
        calls.enumerated().map { index, turns in
            let rows = turns.map { "{\"speaker\": \"\($0.0)\", \"text\": \"\($0.1)\"}" }.joined(separator: ", ")
            return "{\"call_id\": \"c-\(index)\", \"turns\": [\(rows)]}"
        }.joined(separator: "\n") + "\n"
    }

    @Test("the row is the whole phrase, with its exact calls, quoted examples and no invented trend")
    func wholePhraseReplacesItsWindows() throws {
        let directory = TestSupport.temporaryDirectory()
        var calls: [[(String, String)]] = []
        for index in 0..<6 {
            calls.append([
                ("agente", "buenas tardes en qué le ayudo"),
                ("cliente", index < 4 ? "mire me cobraron una comisión que no reconozco" : "quería consultar el saldo"),
            ])
        }
        let path = TestSupport.write(Self.jsonl(calls), to: "llamadas.jsonl", in: directory)
        let result = try TestSupport.run([path], minCount: 2, minCalls: 2, top: 50).outcome.result
        let customer = result.ranking(.customer)
        let whole = try #require(customer.first { $0.text == "me cobraron una comisión que no reconozco" }, "\(customer.map(\.text))")
        #expect(whole.calls == 4 && whole.count == 4 && whole.n == 7)
        #expect(whole.speakers.customer.calls == 4)
        #expect(whole.examples.first?.match == "me cobraron una comisión que no reconozco")
        #expect(!customer.contains { $0.text == "comisión que no reconozco" || $0.text == "cobraron una comisión" })
    }

    @Test("every ranking, keywords included, holds at most --top rows")
    func rankingsCutAtTop() throws {
        let result = try TestSupport.run([TestSupport.samples], minCount: 2, minCalls: 2, top: 5).outcome.result
        for kind in RankingKind.allCases {
            #expect(result.ranking(kind).count <= 5, "\(kind)")
        }
        #expect(result.ranking(.keywords).count == 5)
    }

    @Test("a window said more often than the whole phrase stays a row of its own")
    func windowWithItsOwnLifeStays() throws {
        let directory = TestSupport.temporaryDirectory()
        var calls: [[(String, String)]] = []
        for index in 0..<8 {
            let text = index < 2 ? "van a sacar la app para pagar con el celular" : "cuándo sale la app para pagar"
            calls.append([("cliente", text)])
        }
        let path = TestSupport.write(Self.jsonl(calls), to: "llamadas.jsonl", in: directory)
        let customer = try TestSupport.run([path], minCount: 2, minCalls: 2, top: 50).outcome.result.ranking(.customer)
        #expect(customer.contains { $0.text == "app para pagar" && $0.calls == 8 })
    }
}

/// Calls without speaker labels: the customer rankings must not fill with the agents' script.
@Suite("Speakers of unlabelled calls")
struct UnlabelledSpeakerTests {
    @Test("agent script recognised by the lexicons' agent rules stays out of the customer ranking of unlabelled calls")
    func agentScriptOutOfCustomerRankings() throws {
        let directory = TestSupport.temporaryDirectory()
        let names = ["mariana", "diego", "lucía", "jorge"]
        for index in 0..<8 {
            let text = """
                gracias por llamar a banco altamar le atiende \(names[index % 4]) en qué le puedo ayudar
                hola buenas tardes mire no me llega el código de verificación
                """
            TestSupport.write(text, to: "llamada-\(index).txt", in: directory)
        }
        let result = try TestSupport.run(
            [directory.path], minCount: 2, minCalls: 2, top: 50,
            lexicons: TestSupport.lexicons
        ).outcome.result
        let customer = result.ranking(.customer).map(\.text)
        #expect(customer.contains("no me llega el código de verificación"), "\(customer)")
        #expect(!customer.contains { $0.contains("atiende") || $0.contains("gracias por llamar") || $0.contains("puedo ayudar") }, "\(customer)")
    }
}

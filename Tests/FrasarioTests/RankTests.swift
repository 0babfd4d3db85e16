import Testing
@testable import Frasario

@Suite("Rank: filters, subsumption, score and order")
struct RankTests {
    static func rank(_ calls: [[(Speaker, String)]], minCount: Int = 2, minCalls: Int = 2) -> [RankingKind: [String]] {
        let table = CountTests.count(calls)
        let ranked = Ranker.rank(table, options: RankOptions(minCount: minCount, minCalls: minCalls, top: 100))
        return ranked.mapValues { $0.map { table.text(of: $0.key) } }
    }

    @Test("phrases that begin or end with a stopword are dropped, `no` is not a stopword")
    func stopwordEdges() {
        let texts = Self.rank(Array(repeating: [(.customer, "la app no funciona de")], count: 3))[.customer] ?? []
        #expect(texts == ["app no funciona"])
    }

    @Test("phrases made only of greetings and courtesy are not ranked")
    func conversationalPhrasesDropped() {
        let texts = Self.rank(Array(repeating: [(.customer, "hola buenas tardes. me cobraron dos veces")], count: 3))[.customer] ?? []
        #expect(!texts.contains("hola buenas tardes"))
        #expect(!texts.contains("buenas tardes"))
        #expect(texts.contains("cobraron 2 veces"))   // counted under the number, shown as said
    }

    @Test("a shorter phrase explained by a longer kept one is dropped; a phrase with its own life stays")
    func subsumption() {
        var calls: [[(Speaker, String)]] = Array(repeating: [(.customer, "quiero hablar con un supervisor")], count: 4)
        calls += Array(repeating: [(.customer, "el supervisor no contesta")], count: 4)
        let texts = Self.rank(calls)[.customer] ?? []
        #expect(texts.contains("quiero hablar con un supervisor"))
        #expect(!texts.contains("hablar con un supervisor"))
        #expect(!texts.contains("quiero hablar"))
        #expect(texts.contains("supervisor"))   // 8 occurrences, only 4 inside the longer phrase
    }

    @Test("minimum count and calls are applied in each ranking's own view")
    func minimumsPerView() {
        let calls: [[(Speaker, String)]] = [
            [(.customer, "me llegó doble cargo"), (.customer, "doble cargo otra vez")],
            [(.agent, "veo el doble cargo")],
            [(.agent, "el doble cargo se revierte")],
        ]
        let ranked = Self.rank(calls)
        #expect(!(ranked[.customer] ?? []).contains("doble cargo"))   // 2 times but in 1 call
        #expect((ranked[.agent] ?? []).contains("doble cargo"))
        #expect((ranked[.all] ?? []).contains("doble cargo"))
    }

    @Test("many different calls outrank one call repeating itself")
    func callsOutrankRepetition() {
        var calls: [[(Speaker, String)]] = [Array(repeating: (.customer, "portabilidad numérica"), count: 20) + [(.customer, "cargo extra")]]
        calls += Array(repeating: [(.customer, "cargo extra")], count: 5)
        calls.append([(.customer, "portabilidad numérica")])
        let texts = Self.rank(calls)[.customer] ?? []
        let extra = texts.firstIndex(of: "cargo extra"), portability = texts.firstIndex(of: "portabilidad numerica")
        #expect(extra != nil && portability != nil)
        #expect(extra! < portability!)
    }

    @Test("the score favours calls and gives longer phrases a bonus")
    func scoreFormula() {
        #expect(Ranker.score(calls: 10, n: 1) == 10)
        #expect(Ranker.score(calls: 10, n: 3) == 20)
    }

    @Test("ties are broken by the phrase's bytes, so order never depends on hashing")
    func tiesByBytes() {
        let texts = Self.rank(Array(repeating: [(.customer, "factura. tarjeta. aplicación")], count: 2))[.customer] ?? []
        #expect(texts == ["aplicacion", "factura", "tarjeta"])
    }

    @Test("overlapping windows of one longer question are listed once")
    func fragmentsOfOneUtteranceListedOnce() {
        let question = "cuando van a sacar la app para pagar con el celular"
        let texts = Self.rank(Array(repeating: [(.customer, question)], count: 4))[.customer] ?? []
        let windows = texts.filter { $0.split(separator: " ").count == 5 }
        #expect(windows.count == 1, "\(windows)")
    }

    @Test("phrases that share words but are said in different numbers of calls both stay")
    func differentPhrasesSharingWordsStay() {
        var calls: [[(Speaker, String)]] = Array(repeating: [(.customer, "quiero dar de baja")], count: 8)
        calls += Array(repeating: [(.customer, "dar de baja el internet")], count: 2)
        let texts = Self.rank(calls)[.customer] ?? []
        #expect(texts.contains("quiero dar de baja"))
        #expect(texts.contains("dar de baja el internet"))
    }

    @Test("discourse markers do not open a phrase: oiga, mira, hola")
    func discourseMarkersAtEdges() {
        let texts = Self.rank(Array(repeating: [(.customer, "oiga como cambio mi contraseña")], count: 3))[.customer] ?? []
        #expect(texts.contains("como cambio mi contraseña"))
        #expect(!texts.contains { $0.hasPrefix("oiga") })
    }
}

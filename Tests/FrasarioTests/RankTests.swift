import Testing
@testable import Frasario

@Suite("Rank: edges, cohesion, keywords, slots, questions, speakers, order")
struct RankTests {
    static func rank(_ calls: [[(Speaker, String)]], minCount: Int = 2, minCalls: Int = 2) -> [RankingKind: [String]] {
        rankedPhrases(calls, minCount: minCount, minCalls: minCalls).mapValues { $0.map(\.text) }
    }

    static func rankedPhrases(
        _ calls: [[(Speaker, String)]], minCount: Int = 2, minCalls: Int = 2
    )
        -> [RankingKind: [(text: String, calls: Int, slot: SlotGroup?)]]
    {
        let table = CountTests.count(calls)
        let ranked = Ranker.rank(table, options: RankOptions(minCount: minCount, minCalls: minCalls, top: 100))
        return ranked.mapValues { $0.map { (table.text(of: $0.key), $0.calls, $0.slot) } }
    }

    @Test("the embedded reference list reads all 40,000 words in frequency order")
    func referenceListReadsWhole() throws {
        #expect(SpanishReference.words.count == 40_000)
        let de = try #require(SpanishReference.words["de"])
        #expect(de.rank == 0 && de.zipf == 7.81)
        #expect(SpanishReference.words["canuto"]?.rank == 39_999)
    }

    @Test("phrases that begin or end with a function word are dropped; «no» may open a phrase")
    func functionWordEdges() {
        let texts = Self.rank(Array(repeating: [(.customer, "la app no funciona de")], count: 3))[.customer] ?? []
        #expect(texts == ["app no funciona"])
        let negation = Self.rank(Array(repeating: [(.customer, "oiga no me llega el código")], count: 3))[.customer] ?? []
        #expect(negation.contains("no me llega el codigo"))
    }

    @Test("forms of ser, estar, tener, ir and hacer never open or close a phrase")
    func verbFormsAtEdges() {
        let texts = Self.rank(Array(repeating: [(.customer, "estoy esperando la devolución que tienen")], count: 3))[.customer] ?? []
        #expect(texts.contains("esperando la devolucion"))
        #expect(!texts.contains { $0.hasPrefix("estoy") || $0.hasSuffix("tienen") })
    }

    @Test("phrases made only of greetings and courtesy are not ranked")
    func conversationalPhrasesDropped() {
        let texts = Self.rank(Array(repeating: [(.customer, "hola buenas tardes. qué tal. me cobraron dos veces")], count: 3))[.customer] ?? []
        #expect(!texts.contains("hola buenas tardes"))
        #expect(!texts.contains("buenas tardes"))
        #expect(!texts.contains("que tal"))
        #expect(texts.contains("cobraron 2 veces"))  // counted under the number, shown as said
    }

    @Test("single words are keywords, never rows of the phrase rankings")
    func singleWordsAreKeywords() {
        let calls: [[(Speaker, String)]] = Array(repeating: [(.customer, "son cosas que estoy viendo con la tarjeta y la anualidad")], count: 4)
        let ranked = Self.rank(calls)
        #expect(!(ranked[.customer] ?? []).contains { !$0.contains(" ") })
        let keywords = ranked[.keywords] ?? []
        #expect(keywords.contains("tarjeta") && keywords.contains("anualidad"))
        #expect(!keywords.contains("son") && !keywords.contains("estoy") && !keywords.contains("cosas"))
    }

    @Test("a word used about as often as in general Spanish is not a keyword")
    func keynessAgainstGeneralSpanish() {
        // 10,000 words of calls: «tiempo» and «anualidad» twice each, 200 per million. General
        // Spanish says «tiempo» about 400 times per million words and «anualidad» under once.
        var calls: [[(Speaker, String)]] = []
        for index in 0..<200 {
            var words = (0..<50).map { "palabra\(index * 50 + $0)" }
            if index < 2 { words[10] = "tiempo"; words[20] = "anualidad" }
            calls.append([(.customer, words.joined(separator: " "))])
        }
        let keywords = Self.rank(calls)[.keywords] ?? []
        #expect(keywords.contains("anualidad"))
        #expect(!keywords.contains("tiempo"))
    }

    @Test("words that meet by chance are not a phrase; words that belong together are")
    func cohesion() {
        var calls: [[(Speaker, String)]] = []
        calls += Array(repeating: [(.customer, "la tarjeta nueva")], count: 20)
        calls += Array(repeating: [(.customer, "la cuenta bloqueada")], count: 20)
        calls += Array(repeating: [(.customer, "tarjeta bloqueada")], count: 2)
        calls += Array(repeating: [(.customer, "el cajero se tragó mi tarjeta")], count: 3)
        let texts = Self.rank(calls)[.customer] ?? []
        #expect(!texts.contains("tarjeta bloqueada"))
        #expect(texts.contains("cajero se trago mi tarjeta"))
    }

    @Test("a shorter phrase explained by a longer kept one is dropped; a phrase with its own life stays")
    func subsumption() {
        var calls: [[(Speaker, String)]] = Array(repeating: [(.customer, "quiero hablar con un supervisor")], count: 4)
        calls += Array(repeating: [(.customer, "el supervisor nunca contesta")], count: 4)
        let ranked = Self.rank(calls)
        let texts = ranked[.customer] ?? []
        #expect(texts.contains("quiero hablar con un supervisor"))
        #expect(!texts.contains("hablar con un supervisor"))
        #expect(!texts.contains("quiero hablar"))
        #expect((ranked[.keywords] ?? []).contains("supervisor"))  // 8 occurrences, only 4 inside the longer phrase
    }

    @Test("agent names after the greeting are one row with a ‹nombre› slot")
    func agentNamesAreASlot() {
        let names = ["yurena", "anselmo", "griselda", "eleuterio", "zoila", "casimiro"]  // not in GivenNames: the slot hides them
        var calls: [[(Speaker, String)]] = []
        for (index, name) in (names + names + names).enumerated() {
            calls.append([
                (.agent, "gracias por llamar a banco altamar le atiende \(name) en qué le puedo ayudar"),
                (.customer, index % 2 == 0 ? "quiero cancelar la tarjeta" : "tengo una duda"),
            ])
        }
        let agent = Self.rankedPhrases(calls)[.agent] ?? []
        let slotted = agent.filter { $0.slot != nil }
        #expect(slotted.count == 1)
        #expect(slotted.first?.slot?.label == "nombre")
        #expect(slotted.first?.slot?.fillers.count == 6)
        #expect(slotted.first?.calls == 18)
        #expect(!agent.contains { row in names.contains { row.text.contains(SpanishText.folded($0)) } })
    }

    @Test("agents' names never make rows, whatever greeting script or brand comes before them")
    func agentNamesHiddenAcrossGreetingScripts() {
        let names = ["yurena", "anselmo", "griselda", "eleuterio", "zoila", "casimiro", "brígida"]  // not in GivenNames
        let scripts = [
            "%@ buenos días habla %@ cómo le puedo ayudar", "%@ buenas tardes le atiende %@ en qué le puedo ayudar",
            "gracias por llamar a %@ mi nombre es %@ con quién tengo el gusto",
        ]
        var calls: [[(Speaker, String)]] = []
        for index in 0..<(names.count * 18) {
            let brand = ["tienda lumen", "banco altamar", "telvira"][index % 3]
            let script = scripts[(index / 3) % 3]
            let greeting = script.replacingOccurrences(of: "%@ ", with: brand + " ", options: [], range: script.range(of: "%@ "))
                .replacingOccurrences(of: "%@", with: names[index % names.count])
            calls.append([(.agent, greeting), (.customer, index % 2 == 0 ? "quiero cancelar la tarjeta" : "no me llega el código")])
        }
        let ranked = Self.rankedPhrases(calls)
        let agent = ranked[.agent] ?? []
        #expect(!agent.isEmpty)
        for kind in [RankingKind.agent, .all] {
            let leaking = (ranked[kind] ?? []).filter { row in names.contains { row.text.split(separator: " ").contains(Substring(SpanishText.folded($0))) } }
            #expect(leaking.isEmpty, "\(kind): \(leaking.map(\.text))")
        }
        #expect(agent.contains { $0.slot?.label == "nombre" })
        #expect((ranked[.customer] ?? []).map(\.text).contains("quiero cancelar la tarjeta"))
    }

    @Test("which phrases a longer one explains never depends on the order of the candidates (a run and merged partials number entries differently)")
    func subsumptionIndependentOfEntryOrder() {
        let names = ["yurena", "anselmo", "griselda", "eleuterio", "zoila", "casimiro", "brígida"]  // not in GivenNames
        var calls: [[(Speaker, String)]] = []
        for (index, name) in (names + names + names + names).enumerated() {
            let company = ["tienda lumen", "banco altamar", "telvira"][index % 3]
            calls.append([
                (.agent, "\(company) buenos días habla \(name) cómo le puedo ayudar"),
                (.customer, index % 2 == 0 ? "quiero cancelar la tarjeta" : "no me llega el código"),
            ])
        }
        let table = CountTests.count(calls)
        let options = RankOptions(minCount: 2, minCalls: 2, top: 100)
        let pool = Ranker.pool(table, options: options, kinds: [.agent])
        let view = pool.views[.agent] ?? []
        let candidates = pool.candidates[.agent] ?? []
        let found = SlotFinder.find(candidates, counts: table, view: view, options: options)
        #expect(!found.frames.isEmpty)
        let remaining = candidates.filter { !found.filled.contains($0) }
        func kept(_ order: [Int]) -> [String] {
            Ranker.dropSubsumed(
                order, counts: table, view: view, ratio: options.subsumptionRatio, slots: found.frames,
                ghosts: found.filled
            ).map { table.text(of: table.key($0)) }.sorted()
        }
        let forward = kept(remaining)
        #expect(forward == kept(remaining.reversed()))
        #expect(forward == kept(remaining.sorted { table.text(of: table.key($0)) < table.text(of: table.key($1)) }))
        // The longer plain phrase explains the slot frame inside it, not the other way round.
        #expect(!(forward.contains("tienda lumen buenos días habla") && forward.contains("lumen buenos días habla")))
    }

    @Test("a question starts at its interrogative, even in the middle of an unpunctuated turn")
    func questionsStartAtTheInterrogative() {
        let calls: [[(Speaker, String)]] = Array(
            repeating: [
                (.customer, "hola sí mire y cuánto cuesta la anualidad de la tarjeta porque me pueden mandar el extracto"),
                (.customer, "qué tal"),
            ], count: 3)
        let questions = Self.rank(calls)[.customerQuestions] ?? []
        #expect(questions.contains("cuanto cuesta la anualidad"))
        #expect(questions.contains("me pueden mandar el extracto"))
        #expect(!questions.contains("cuesta la anualidad"))
        #expect(!questions.contains("pueden mandar"))
        #expect(!questions.contains { $0.hasPrefix("tal") || $0 == "que tal" })
    }

    @Test("unlabelled turns count for customers, except phrases labelled calls show as the agents'")
    func unlabelledTurnsAttributed() {
        var calls: [[(Speaker, String)]] = []
        calls += Array(repeating: [(.agent, "verificamos su identidad por seguridad"), (.customer, "quiero cancelar la tarjeta")], count: 4)
        calls += Array(repeating: [(.unknown, "verificamos su identidad por seguridad"), (.unknown, "quiero cancelar la tarjeta")], count: 3)
        let ranked = Self.rankedPhrases(calls)
        let customer = ranked[.customer] ?? [], agent = ranked[.agent] ?? []
        #expect(customer.first { $0.text == "quiero cancelar la tarjeta" }?.calls == 7)
        #expect(!customer.contains { $0.text.contains("identidad") })
        #expect(agent.first { $0.text == "verificamos su identidad por seguridad" }?.calls == 7)
    }

    @Test("minimum count and calls are applied in each ranking's own view")
    func minimumsPerView() {
        let calls: [[(Speaker, String)]] = [
            [(.customer, "me llegó doble cargo"), (.customer, "doble cargo otra vez")],
            [(.agent, "veo el doble cargo")],
            [(.agent, "el doble cargo se revierte")],
        ]
        let ranked = Self.rank(calls)
        #expect(!(ranked[.customer] ?? []).contains("doble cargo"))  // 2 times but in 1 call
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

    @Test("the score grows with calls, cohesion, specificity and length")
    func scoreFormula() {
        #expect(Ranker.score(calls: 10, n: 1, cohesion: 1, specificity: 1) == 10)
        #expect(Ranker.score(calls: 10, n: 3, cohesion: 1, specificity: 1) == 15)
        #expect(Ranker.score(calls: 10, n: 3, cohesion: 0.5, specificity: 0.2) == 1.5)
    }

    @Test("ties are broken by the phrase's bytes, so order never depends on hashing")
    func tiesByBytes() {
        let texts = Self.rank(Array(repeating: [(.customer, "factura rectificativa. tarjeta bloqueada. aplicación caída")], count: 2))[.customer] ?? []
        #expect(texts == ["aplicacion caida", "factura rectificativa", "tarjeta bloqueada"])
    }

    @Test("overlapping windows of one longer question are listed once")
    func fragmentsOfOneUtteranceListedOnce() {
        let question = "cuando van a sacar la app para pagar con el celular"
        let texts = Self.rank(Array(repeating: [(.customer, question)], count: 4))[.customer] ?? []
        let windows = texts.filter { $0.split(separator: " ").count >= 3 }
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
        let ranked = Self.rank(Array(repeating: [(.customer, "oiga cómo cambio mi contraseña")], count: 3))
        // Always asked: the customer ranking keeps the interrogative too.
        #expect((ranked[.customer] ?? []).contains("como cambio mi contraseña"))
        #expect((ranked[.customerQuestions] ?? []).contains("como cambio mi contraseña"))
        #expect(!(ranked[.customer] ?? []).contains { $0.hasPrefix("oiga") })
    }
}

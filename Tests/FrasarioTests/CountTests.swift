import Testing
@testable import Frasario

@Suite("Count: n-grams inside turns, calls, speakers, surfaces, merging")
struct CountTests {
    /// Counts calls given as lists of (speaker, text) turns into one table.
    static func count(_ calls: [[(Speaker, String)]], maxN: Int = 5) -> CountTable {
        var table = CountTable(maxN: maxN)
        var normalizer = Normalizer()
        var turn = NormalizedTurn()
        for (index, call) in calls.enumerated() {
            table.beginCall()
            for (speaker, text) in call {
                normalizer.normalize(text, into: &turn)
                table.add(turn, speaker: speaker)
            }
            table.endCall()
        }
        return table
    }

    static func stats(_ table: CountTable, _ phrase: String) -> NGramStats? {
        var key = NGramKey()
        for word in phrase.split(separator: " ") {
            guard let id = table.tokens.lookup(Array(word.utf8)) else { return nil }
            key.append(table.foldedIDs[Int(id)])
        }
        return table.stats(key)
    }

    @Test("n-grams of 1..N tokens, never across turns")
    func ngramsStayInsideTurns() {
        let table = Self.count([[(.customer, "no funciona"), (.agent, "la aplicación")]])
        #expect(Self.stats(table, "no funciona")?.count == 1)
        #expect(Self.stats(table, "funciona la") == nil)
        #expect(table.count == 2 + 1 + 2 + 1)
    }

    @Test("n-grams never cross sentence punctuation inside a turn")
    func ngramsStayInsideSentences() {
        let table = Self.count([[(.customer, "Ya pagué. Gracias")]])
        #expect(Self.stats(table, "pagué gracias") == nil)
        #expect(Self.stats(table, "ya pagué")?.count == 1)
    }

    @Test("a call repeating a phrase counts once in calls, every time in count")
    func callsCountDistinctCalls() {
        let table = Self.count([
            [(.customer, "me cobraron dos veces"), (.customer, "le digo que me cobraron dos veces")],
            [(.customer, "me cobraron dos veces")],
        ])
        let stats = Self.stats(table, "me cobraron dos veces")
        #expect(stats?.count == 3)
        #expect(stats?.callCount == 2)
    }

    @Test("speaker split and customer questions")
    func speakerSplit() {
        let table = Self.count([
            [(.agent, "¿dónde está su pedido?"), (.customer, "¿dónde está mi pedido?")],
            [(.unknown, "dónde está mi pedido")],
        ])
        let pedido = Self.stats(table, "pedido")
        #expect(pedido?.occurrences.customer == 1)
        #expect(pedido?.occurrences.agent == 1)
        #expect(pedido?.occurrences.unknown == 1)
        #expect(pedido?.calls.customer == 1)
        #expect(pedido?.occurrences.question == 2)   // the agent's question is not a customer question
        #expect(pedido?.calls.question == 2)
    }

    @Test("counted on the folded form, shown in the most frequent surface form")
    func foldedCountingAndSurface() {
        let table = Self.count([
            [(.customer, "¿Cuándo llega?")], [(.customer, "cuándo llega")], [(.customer, "cuando llega")],
        ])
        let stats = Self.stats(table, "cuando llega")
        #expect(stats?.count == 3)
        let key = NGramKey(ids: ["cuando", "llega"].map { table.tokens.lookup(Array($0.utf8))! })
        #expect(table.surfaceTexts(for: [key])[key] == "cuándo llega")
    }

    @Test("a surface tie goes to the accented form")
    func surfaceTieGoesToAccents() {
        let table = Self.count([[(.customer, "la aplicación")], [(.customer, "la aplicacion")]])
        let key = NGramKey(ids: ["aplicacion"].map { table.tokens.lookup(Array($0.utf8))! })
        #expect(table.surfaceTexts(for: [key])[key] == "aplicación")
    }

    @Test("merging worker tables equals counting everything in one table")
    func mergeEqualsSingleTable() {
        let calls: [[(Speaker, String)]] = [
            [(.customer, "quiero hablar con un supervisor"), (.agent, "con gusto le ayudo")],
            [(.customer, "¿cuándo van a sacar la app?")],
            [(.customer, "quiero hablar con un supervisor ya")],
            [(.agent, "le atiende Mariana"), (.customer, "es la tercera vez que llamo")],
        ]
        let single = Self.count(calls)
        var merged = Self.count(Array(calls[2...]))
        merged.merge(Self.count(Array(calls[..<2])))
        #expect(merged.count == single.count)
        for entry in 0..<single.count {
            let key = single.key(entry), stats = single.stats(entry: entry)
            let text = single.text(of: key)
            let other = Self.stats(merged, text)
            #expect(other?.count == stats.count, "\(text)")
            #expect(other?.callCount == stats.callCount, "\(text)")
            #expect(other?.calls.customer == stats.calls.customer, "\(text)")
        }
    }

    @Test("packed n-gram keys round-trip every position")
    func keyPacking() {
        let ids: [UInt32] = [0, 1, 0xFF_FFFD, 12_345, 7, 16_000_000, 42, 99]
        let key = NGramKey(ids: ids)
        #expect(key.ids == ids)
        #expect(key.length == 8)
        #expect(NGramKey(ids: ids.prefix(3)) != NGramKey(ids: ids.prefix(4)))
    }

    @Test("the interner gives dense ids and finds them again")
    func interner() {
        var interner = TokenInterner(capacity: 2)
        let words = (0..<5000).map { "palabra\($0)" }
        let ids = words.map { interner.intern(Array($0.utf8)) }
        #expect(ids == (0..<5000).map(UInt32.init))
        #expect(interner.lookup(Array("palabra4321".utf8)) == 4321)
        #expect(interner.string(17) == "palabra17")
        #expect(interner.lookup(Array("señal".utf8)) == nil)
    }
}

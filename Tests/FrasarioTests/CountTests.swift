import Foundation
import Testing
@testable import Frasario

@Suite("Count: n-grams inside turns, calls, speakers, surfaces, merging")
struct CountTests {
    /// Counts calls given as lists of (speaker, text) turns into one table.
    static func count(_ calls: [[(Speaker, String)]], maxN: Int = 5, memoryBudget: Int? = nil) -> CountTable {
        var table = CountTable(maxN: maxN, memoryBudget: memoryBudget)
        var normalizer = Normalizer()
        var turn = NormalizedTurn()
        for (index, call) in calls.enumerated() {
            table.beginCall()
            for (speaker, text) in call {
                normalizer.normalize(text, into: &turn)
                table.add(turn, speaker: speaker)
            }
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
        // A question is counted from its interrogative: the customer's and the unlabelled
        // speaker's, not the agent's; «pedido» alone does not open a question.
        let question = Self.stats(table, "donde esta mi pedido")
        #expect(question?.occurrences.question == 2)
        #expect(question?.calls.question == 2)
        #expect(pedido?.occurrences.question == 0)
        #expect(pedido?.occurrences.customerSide == 2)
        #expect(pedido?.calls.agentSide == 2)
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

    /// Seeded calls whose words follow a Zipf-like law: a few frequent, a long tail of rare ones.
    static func zipfCalls(count: Int, seed: UInt64) -> [[(Speaker, String)]] {
        var state = seed
        func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state >> 33 }
        let words = (0..<3000).map { "palabra\($0)" }
        func word() -> String {
            let uniform = Double(next() % 1_000_000) / 1_000_000
            return words[min(words.count - 1, Int(pow(Double(words.count), uniform)) - 1)]
        }
        return (0..<count).map { _ in
            (0..<8).map { turn in (turn % 2 == 0 ? Speaker.customer : .agent, (0..<10).map { _ in word() }.joined(separator: " ")) }
        }
    }

    @Test("pruning under a memory budget: counts are never high, at most the stated bound low, and frequent phrases all survive")
    func pruningKeepsTheStatedBound() throws {
        let calls = Self.zipfCalls(count: 600, seed: 42)
        let exact = Self.count(calls)
        let pruned = Self.count(calls, memoryBudget: 400_000)
        #expect(exact.countErrorBound == 0)
        #expect(pruned.prunes > 0)
        #expect(pruned.count < exact.count / 2)
        let bound = pruned.countErrorBound
        #expect(bound > 0)
        var checked = 0
        for entry in 0..<exact.count {
            let truth = exact.stats(entry: entry)
            let text = exact.text(of: exact.key(entry))
            let kept = Self.stats(pruned, text)
            if truth.count > bound {
                let kept = try #require(kept, "\(text) (\(truth.count) times) was pruned under bound \(bound)")
                #expect(kept.count <= truth.count && kept.count + bound >= truth.count, "\(text)")
                #expect(kept.callCount <= truth.callCount && kept.callCount + bound >= truth.callCount, "\(text)")
                checked += 1
            } else if let kept {
                #expect(kept.count <= truth.count, "\(text)")
            }
        }
        #expect(checked > 50)
    }

    @Test("one call of a whole unpunctuated day stays within the memory budget: pruned inside the call, still never high")
    func pruningInsideOneCall() throws {
        // All 600 calls' turns said in one call, as one unpunctuated ASR turn.
        let text = Self.zipfCalls(count: 600, seed: 42).flatMap { $0.map(\.1) }.joined(separator: " ")
        let exact = Self.count([[(.customer, text)]])
        let pruned = Self.count([[(.customer, text)]], memoryBudget: 400_000)
        #expect(exact.prunes == 0)
        #expect(pruned.prunes > 0)
        #expect(pruned.estimatedBytes <= 400_000 + (1 << 16) * 8, "the table grew to \(pruned.estimatedBytes) bytes")
        let bound = pruned.countErrorBound
        var checked = 0
        for entry in 0..<exact.count {
            let truth = exact.stats(entry: entry)
            guard truth.count > bound else { continue }
            let text = exact.text(of: exact.key(entry))
            let kept = try #require(Self.stats(pruned, text), "\(text) (\(truth.count) times) was pruned under bound \(bound)")
            #expect(kept.count <= truth.count && kept.count + bound >= truth.count, "\(text)")
            #expect(kept.callCount == 1, "\(text) counted in \(kept.callCount) calls")
            checked += 1
        }
        #expect(checked > 50)
    }

    @Test("a key without its first or last token is the key of the shorter n-gram")
    func keysDropTokens() {
        let key = NGramKey(ids: [7, 1, 99_000, 3, 5, 8, 13, 21])
        #expect(key.droppingLast == NGramKey(ids: [7, 1, 99_000, 3, 5, 8, 13]))
        #expect(key.droppingFirst == NGramKey(ids: [1, 99_000, 3, 5, 8, 13, 21]))
        #expect(NGramKey(ids: [4]).droppingLast == NGramKey() && NGramKey(ids: [4]).droppingFirst == NGramKey())
        #expect(NGramKey().droppingFirst == NGramKey())
    }

    @Test("without a budget, or under a generous one, counts are exact")
    func generousBudgetIsExact() {
        let calls = Self.zipfCalls(count: 100, seed: 7)
        let exact = Self.count(calls)
        let roomy = Self.count(calls, memoryBudget: 1 << 30)
        #expect(roomy.prunes == 0 && roomy.countErrorBound == 0)
        #expect(roomy.count == exact.count)
    }

    @Test("numbers count as one whether written in digits or words; ordinals unify")
    func numbersAndOrdinalsUnify() {
        let table = Self.count([
            [(.customer, "me cobraron 3 veces")], [(.customer, "me cobraron tres veces")], [(.customer, "me cobraron tres veces")],
            [(.customer, "es la tercera vez")], [(.customer, "es la 3a vez")], [(.customer, "es la 3ª vez")], [(.customer, "es la 3er vez")],
        ])
        let veces = NGramKey(ids: ["3", "veces"].map { table.tokens.lookup(Array($0.utf8))! })
        #expect(table.stats(veces)?.count == 3)
        #expect(table.surfaceTexts(for: [veces])[veces] == "tres veces")
        let ordinal = NGramKey(ids: ["3º", "vez"].map { table.tokens.lookup(Array($0.utf8))! })
        #expect(table.stats(ordinal)?.count == 4)
        #expect(table.stats(ordinal)?.callCount == 4)
    }

    @Test("the article un/una is not read as the number one")
    func articleIsNotOne() {
        let table = Self.count([[(.customer, "un cargo")], [(.customer, "1 cargo")]])
        #expect(Self.stats(table, "un cargo")?.count == 1)
    }
}

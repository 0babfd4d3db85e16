import Foundation
import Testing
@testable import Frasario

@Suite("Lexicon fast path: required literals, literal scanner, equivalence with the naive loop")
struct FastPathTests {
    @Test(
        "required literals of common pattern shapes",
        arguments: [
            ("\\bdonde esta mi pedido\\b", ["donde esta mi pedido"]),
            ("\\b(ya )?es la tercera vez", ["es la tercera vez", "ya es la tercera vez"]),
            ("\\b(dar|darme) de baja\\b", ["dar de baja", "darme de baja"]),
            ("(quiero|necesito) (\\w+ ){0,3}supervisor", ["supervisor"]),
            ("\\bcontraseñ(a|as)\\b", ["contraseña", "contraseñas"]),
            ("\\bPROFECO\\b", ["profeco"]),
            ("(?:hola)+ buenas", [" buenas"]),
            ("(a|\\w+) vez", [" vez"]),
            ("[aá]plicaci[oó]n", ["aplicacion", "aplicacion", "áplicacion", "aplicación", "áplicación"]),
            ("\\bno (quiero|puedo)\\b(?! cancelar)", ["no puedo", "no quiero"]),
        ])
    func requiredLiterals(pattern: String, expected: [String]) {
        #expect(RequiredLiterals.of(pattern) == Set(expected))
    }

    @Test(
        "no requirement when none can be proven",
        arguments: [
            "\\w+", ".*", "(a|\\w+)+", "a?b?c?", "(\\d)\\1", "(?x) a b", "[a-z]{4}", "si|\\bno\\b|.",
        ])
    func noRequirement(pattern: String) {
        #expect(RequiredLiterals.of(pattern) == nil)
    }

    @Test(
        "every literal a pattern needs is present in each of its matches",
        arguments: [
            (
                "\\b(ya )?es la (segunda|tercera|cuarta) vez que (llam(o|e|ado)|me comuni(co|que))",
                [
                    "ya es la tercera vez que llamo", "es la cuarta vez que me comunico", "es la segunda vez que llame",
                ]
            ),
            ("\\b(me )?cobra(ron|steis|ste)? (dos|2) veces\\b", ["me cobraron dos veces", "cobra 2 veces", "cobraste dos veces"]),
        ])
    func literalsAreInEveryMatch(pattern: String, subjects: [String]) throws {
        let literals = try #require(RequiredLiterals.of(pattern))
        let regex = try PCRE2Regex(pattern)
        let scratch = PCRE2Scratch()
        for subject in subjects {
            guard case .match(let range) = regex.firstMatch(in: subject, using: scratch) else {
                Issue.record("\(pattern) should match \(subject)")
                continue
            }
            let matched = String(decoding: Array(subject.utf8)[range], as: UTF8.self)
            #expect(literals.contains { matched.contains($0) }, "\(matched) holds none of \(literals)")
        }
    }

    @Test("the literal scanner finds every literal, overlapping ones included")
    func scannerFindsOverlaps() {
        let literals = ["he", "she", "his", "hers", "señal", "al"].map { Array($0.utf8) }
        let scanner = LiteralScanner(literals: literals)
        var found = Set<Int>()
        Array("ushers y la señal".utf8).withUnsafeBufferPointer { scanner.scan($0) { found.insert($0) } }
        #expect(found == [0, 1, 3, 4, 5])
    }

    @Test("the fast path gives the same lexicon results as the naive loop on Samples/")
    func fastPathEqualsNaiveOnSamples() throws {
        try Self.expectSameResults([TestSupport.samples])
    }

    @Test("the fast path gives the same lexicon results as the naive loop on real ASR output", .enabled(if: TestSupport.hasRealASRData, "../shared/data is absent"))
    func fastPathEqualsNaiveOnRealASR() throws {
        let data = TestSupport.realASRData
        try Self.expectSameResults([
            data.appendingPathComponent("fisher_dev.asr.es").path,
            data.appendingPathComponent("fisher_test.asr.es").path,
        ])
    }

    static func expectSameResults(_ inputs: [String]) throws {
        func run(fastPath: Bool) throws -> RunResult {
            var configuration = PipelineConfiguration(
                inputs: inputs, outputDirectory: TestSupport.temporaryDirectory().path,
                threads: 2, rank: RankOptions(minCount: 2, minCalls: 1, top: 100),
                lexiconDirectory: TestSupport.lexicons)
            configuration.lexiconFastPath = fastPath
            return try Pipeline.run(configuration).result
        }
        let fast = try run(fastPath: true), naive = try run(fastPath: false)
        #expect(fast.categories.reduce(0) { $0 + $1.calls } > 0)
        #expect(fast.categories == naive.categories, "fast path and naive loop disagree")
        #expect(fast.ruleErrors == naive.ruleErrors)
    }
}

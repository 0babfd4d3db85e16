import Foundation
import Testing
@testable import Frasario

@Suite("QA workbench: explain, lint, eval, sample, diff, coverage")
struct WorkbenchTests {
    static let fixtures = TestSupport.repositoryRoot.appendingPathComponent("Tests/FrasarioTests/Fixtures")
    static let badLexicon = fixtures.appendingPathComponent("lint-malo").path
    static let evalLexicon = fixtures.appendingPathComponent("eval/lexicon").path
    static let labels = fixtures.appendingPathComponent("eval/etiquetas.csv").path

    @Test("explain shows each turn read, normalized and tokenized, the matched words, and the unless that vetoed a rule")
    func explainShowsMatchesAndVetoes() throws {
        let directory = TestSupport.temporaryDirectory()
        let file = TestSupport.write(
            """
            Agente: Buenas tardes, le atiende Marta, ¿en qué le puedo ayudar?
            Cliente: Mire, no quiero dar de baja nada, solo saber por qué me cobran 4539 1488 0343 6467 dos veces.
            Cliente: Páseme con su supervisora, por favor.
            """, to: "llamada.txt", in: directory)
        let (explanation, calls) = try Workbench.explain(file: file, callID: nil, lexiconDirectory: Self.evalLexicon)
        #expect(calls == 1)
        #expect(explanation.turns.count == 3)
        let second = explanation.turns[1]
        #expect(second.read.hasPrefix("Mire, no quiero dar de baja nada"))
        #expect(second.normalized.contains("<tarjeta>"))
        #expect(!second.normalized.contains("4539"))
        #expect(second.tokens.contains("<tarjeta>"))
        #expect(second.matches.isEmpty)
        let veto = try #require(second.nearMisses.first)
        #expect(veto.rule == "pide_baja")
        #expect(veto.matched == "dar de baja")
        #expect(veto.vetoedBy?.contains("no quiero dar de baja") == true)
        let third = explanation.turns[2]
        #expect(third.matches.map(\.rule) == ["supervisor"])
        #expect(third.matches.first?.matched == "supervisora")
        #expect(explanation.turns[0].isQuestion)
        #expect(explanation.rulesForCall == ["escalamiento/supervisor"])
        let text = explanation.render(color: false)
        #expect(text.contains("⟦supervisora⟧"))
        #expect(text.contains("almost:      baja/pide_baja"))
        #expect(explanation.render(color: true).contains("\u{1B}[1;30;43msupervisora\u{1B}[0m"))
    }

    @Test("explain uses the run's matcher: for every call of Samples it counts the rules a run counts")
    func explainAgreesWithTheRun() throws {
        let lexicon = try LexiconLoader.load(directory: TestSupport.lexicons)
        let evaluator = LexiconEvaluator(lexicon)
        let categoryOfRule = LexiconTally.categoryOfRule(lexicon)
        var calls = 0, rules = 0
        _ = try CallStream.forEach([TestSupport.samples]) { call in
            let run = evaluator.evaluate(call).matchedRules.sorted().map { "\(lexicon.categories[categoryOfRule[$0]].name)/\(lexicon.rules[$0].id)" }
            let explained = CallExplainer.explain(call, lexicon: lexicon)
            #expect(explained.rulesForCall == run, "\(call.id)")
            // Every rule a turn counts for is a rule the run saw on that turn.
            calls += 1
            rules += run.count
        }
        #expect(calls > 50 && rules > 50)
    }

    @Test("explain shows the turn where a rule ran into the PCRE2 limit, so a silent rule is explained")
    func explainShowsLimitErrors() throws {
        let directory = TestSupport.temporaryDirectory()
        let lexicon = directory.appendingPathComponent("lexicon")
        TestSupport.write(
            """
            category: despedida
            title: Despedida
            rules:
              - id: adios_largo
                label: Se despide tras un rodeo
                pattern: '\\bhola (\\w+ ?)+ adios\\b'
            """, to: "despedida.yaml", in: lexicon)
        let long = "hola " + Array(repeating: "bueno pues mire le cuento que", count: 40).joined(separator: " ")
        let file = TestSupport.write("Cliente: \(long)\nCliente: hola qué tal adiós\n", to: "llamada.txt", in: directory)
        let (explanation, _) = try Workbench.explain(file: file, callID: nil, lexiconDirectory: lexicon.path)
        #expect(
            explanation.turns[0].limitErrors.first?.hasPrefix("despedida/adios_largo: ") == true,
            "\(explanation.turns[0].limitErrors)")
        #expect(explanation.turns[1].limitErrors.isEmpty)
        #expect(explanation.turns[1].matches.map(\.rule) == ["adios_largo"])
        #expect(explanation.render(color: false).contains("limit:       despedida/adios_largo"))
    }

    @Test("diff, sample and eval report the turns a rule lost to the PCRE2 limit, as a run does, rather than a silent 0")
    func workbenchReportsLimitErrors() throws {
        let directory = TestSupport.temporaryDirectory()
        let runaway = directory.appendingPathComponent("runaway")
        let plain = directory.appendingPathComponent("plain")
        TestSupport.write(
            """
            category: despedida
            rules:
              - id: adios_largo
                pattern: '\\bhola (\\w+ ?)+ adios\\b'
            """, to: "despedida.yaml", in: runaway)
        TestSupport.write(
            """
            category: despedida
            rules:
              - id: adios_largo
                pattern: '\\badios\\b'
            """, to: "despedida.yaml", in: plain)
        let long = "hola " + Array(repeating: "bueno pues mire le cuento que", count: 40).joined(separator: " ")
        // «adiosito» holds the literal the fast path looks for, so the pattern runs, and backtracks.
        let calls = TestSupport.write(
            "Cliente: \(long) adiosito\nCliente: hola qué tal adiós\n", to: "llamadas/una.txt", in: directory)
        let diff = try Workbench.diff(old: plain.path, new: runaway.path, inputs: [calls])
        let rule = try #require(diff.changes.first { $0.name == "despedida/adios_largo" })
        #expect(rule.limitTurnsBefore == 0 && rule.limitTurnsAfter == 1, "\(rule)")
        let sample = try Workbench.sample(rule: "adios_largo", count: 5, seed: 1, lexiconDirectory: runaway.path, inputs: [calls])
        #expect(sample.limitErrors.count == 1)
        #expect(sample.limitErrors.first?.contains("despedida/adios_largo ran into the PCRE2 limit on 1 turn(s)") == true, "\(sample.limitErrors)")
        let labels = TestSupport.write("id,text,expected\nuno,\"\(long) adiosito\",adios_largo\n", to: "etiquetas.csv", in: directory)
        let report = try Workbench.evaluate(labels: labels, lexiconDirectory: runaway.path)
        #expect(report.limitErrors.count == 1, "\(report.limitErrors)")
    }

    @Test(
        "lint says which patterns normalization makes unmatchable, and what the turn reads instead",
        arguments: [
            ("\\bme llamo juan\\b", "it reads «me llamo <nombre>»"), ("\\bq tal\\b", "it reads «que tal»"),
            ("\\bque que\\b", "it reads «que»"), ("\\beh\\b", "those words are dropped"),
        ])
    func lintFindsPatternsNormalizationDefeats(pattern: String, reads: String) throws {
        let directory = TestSupport.temporaryDirectory()
        TestSupport.write("category: x\nrules:\n  - id: regla\n    pattern: '\(pattern)'\n", to: "x.yaml", in: directory)
        let findings = try Workbench.lint(directory: directory.path)
        let finding = try #require(findings.first { $0.kind == .cannotMatch }, "\(findings)")
        #expect(finding.severity == .error)
        #expect(finding.message.contains(reads), "\(finding.message)")
    }

    @Test("lint leaves alone patterns that normalized turns can read", arguments: ["\\btercera vez\\b", "pin <numero>", "contraseñ(a|as)", "me llamo"])
    func lintKeepsReadablePatterns(pattern: String) throws {
        let directory = TestSupport.temporaryDirectory()
        TestSupport.write("category: x\nrules:\n  - id: regla\n    pattern: '\(pattern)'\n", to: "x.yaml", in: directory)
        let findings = try Workbench.lint(directory: directory.path)
        #expect(!findings.contains { $0.kind == .cannotMatch }, "\(findings)")
    }

    @Test("eval reads what a Spanish-locale spreadsheet saves (; columns, Windows-1252) and labels copied from its own table")
    func evalReadsSpreadsheetLabels() throws {
        let utf8 = try String(contentsOfFile: Self.labels, encoding: .utf8)
        // The same labels, as Excel saves them in Spain: «;» between columns, Windows-1252 text,
        // and the expected column written as the eval table prints names.
        var rows: [String] = []
        for record in CSVReader.records(utf8).dropFirst() where record.fields.count == 3 {
            let expected = record.fields[2].split(separator: ";").map { name in
                name == "pide_baja" ? "baja/pide_baja" : name == "supervisor" ? "ESCALAMIENTO/supervisor" : String(name)
            }.joined(separator: ",")
            rows.append([record.fields[0], "\"" + record.fields[1] + "\"", expected].joined(separator: ";"))
        }
        let text = (["id;text;expected"] + rows).joined(separator: "\r\n") + "\r\n"
        let bytes = try #require(text.data(using: .windowsCP1252))
        #expect(String(data: bytes, encoding: .utf8) == nil, "the file is not UTF-8, as a spreadsheet saves it")
        let file = TestSupport.temporaryDirectory().appendingPathComponent("etiquetas-excel.csv")
        try bytes.write(to: file)
        let original = try Workbench.evaluate(labels: Self.labels, lexiconDirectory: Self.evalLexicon)
        let excel = try Workbench.evaluate(labels: file.path, lexiconDirectory: Self.evalLexicon)
        #expect(excel.rows == original.rows)
        #expect(excel.rules.map(\.name) == original.rules.map(\.name))
        #expect(excel.rules.map(\.truePositives) == original.rules.map(\.truePositives))
        #expect(excel.rules.map { $0.falsePositives.map(\.id) } == original.rules.map { $0.falsePositives.map(\.id) })
    }

    @Test("eval takes a category's title as the reports print it, as well as its id")
    func evalAcceptsCategoryTitles() throws {
        let directory = TestSupport.temporaryDirectory()
        let byTitle = TestSupport.write(
            "id,text,expected\nt1,quiero dar de baja la línea,Baja y cancelación\nt2,me cobraron dos veces,Cobros y pagos\nt3,hola buenas,\n",
            to: "titulos.csv", in: directory)
        let byName = TestSupport.write(
            "id,text,expected\nt1,quiero dar de baja la línea,baja_cancelacion\nt2,me cobraron dos veces,cobros_pagos\nt3,hola buenas,\n",
            to: "nombres.csv", in: directory)
        let titles = try Workbench.evaluate(labels: byTitle, lexiconDirectory: TestSupport.lexicons)
        let names = try Workbench.evaluate(labels: byName, lexiconDirectory: TestSupport.lexicons)
        #expect(titles.categories.map(\.name) == ["baja_cancelacion", "cobros_pagos"])
        #expect(titles.categories.map(\.truePositives) == names.categories.map(\.truePositives))
    }

    @Test("a label file without the three columns says which columns it found")
    func evalHeaderMessage() throws {
        let file = TestSupport.write("llamada;frase;categoria\ne1;hola;pide_baja\n", to: "malas.csv", in: TestSupport.temporaryDirectory())
        #expect(throws: WorkbenchError.self) { try Workbench.evaluate(labels: file, lexiconDirectory: Self.evalLexicon) }
        do { _ = try Workbench.evaluate(labels: file, lexiconDirectory: Self.evalLexicon) } catch {
            #expect("\(error)".contains("found: llamada, frase, categoria"), "\(error)")
        }
    }

    @Test("a sample of a min_hits rule keeps every turn it needs, so eval of the unedited sample finds it again")
    func sampleThenEvalForMinimumHits() throws {
        let directory = TestSupport.temporaryDirectory()
        let lexicon = directory.appendingPathComponent("lexicon")
        TestSupport.write(
            """
            category: averias
            rules:
              - id: insiste_no_funciona
                pattern: '\\bno (me )?funciona\\b'
                min_hits: 2
                window: {first: 120}
            """, to: "averias.yaml", in: lexicon)
        let calls = TestSupport.write(
            """
            {"call_id": "r1", "turns": [{"speaker": "cliente", "text": "hola, el router no funciona", "start": 0, "end": 3}, {"speaker": "agente", "text": "vamos a reiniciarlo", "start": 4, "end": 6}, {"speaker": "cliente", "text": "sigue igual, no me funciona nada", "start": 30, "end": 33}]}
            {"call_id": "r2", "turns": [{"speaker": "cliente", "text": "no funciona la tele", "start": 0, "end": 2}, {"speaker": "cliente", "text": "ah no, ya va", "start": 5, "end": 6}]}

            """, to: "llamadas.jsonl", in: directory)
        let sample = try Workbench.sample(rule: "insiste_no_funciona", count: 5, seed: 3, lexiconDirectory: lexicon.path, inputs: [calls])
        #expect(sample.sampled == 1)
        let labels = directory.appendingPathComponent("muestra.csv")
        try sample.csv.write(to: labels, atomically: true, encoding: .utf8)
        let report = try Workbench.evaluate(labels: labels.path, lexiconDirectory: lexicon.path)
        let score = try #require(report.rules.first { $0.name == "averias/insiste_no_funciona" })
        #expect(score.truePositives == 1 && score.falseNegatives.isEmpty, "\(score)")
    }

    @Test(
        "lint finds catastrophic backtracking by running the pattern on turns built from its own words",
        arguments: ["\\bhola (\\w+ ?)+ adios\\b", "\\bquiero (\\w+\\s?)* baja\\b", "\\b(no|ya)( \\w+| \\w+ \\w+)+ funciona\\b"])
    func lintFindsBacktrackingFromThePatternsWords(pattern: String) throws {
        let directory = TestSupport.temporaryDirectory()
        TestSupport.write("category: x\nrules:\n  - id: lenta\n    pattern: '\(pattern)'\n", to: "x.yaml", in: directory)
        let findings = try Workbench.lint(directory: directory.path)
        #expect(findings.contains { $0.kind == .backtracking && $0.severity == .error }, "\(findings.map(\.message))")
    }

    @Test("coverage lists one suggestion per topic: a phrase holding a listed one is not listed again, a broader one only when said in clearly more calls")
    func coverageOneSuggestionPerTopic() throws {
        func row(_ text: String, calls: Int, rank: Int) -> PhraseRow {
            let speakers = PhraseSpeakers(
                customer: SpeakerCount(count: calls, calls: calls), agent: SpeakerCount(count: 0, calls: 0),
                unknown: SpeakerCount(count: 0, calls: 0))
            return PhraseRow(
                ranking: .customerQuestions, rank: rank, text: text, n: text.split(separator: " ").count, count: calls, calls: calls,
                shareOfCalls: 0.1, speakers: speakers, score: 1, examples: [], trend: nil)
        }
        let rows = [
            row("se puede pagar con bizum", calls: 10, rank: 1), row("se puede pagar con bizum en la tienda", calls: 6, rank: 2),
            row("hacen envios a canarias", calls: 5, rank: 3), row("envios a canarias", calls: 6, rank: 4),
            row("abren los domingos", calls: 4, rank: 5), row("los domingos", calls: 9, rank: 6),
        ]
        let directory = TestSupport.temporaryDirectory()
        TestSupport.write("category: otra\nrules:\n  - id: nada\n    pattern: 'palabra que nadie dice'\n", to: "otra.yaml", in: directory)
        let lexicon = try LexiconLoader.load(directory: directory.path)
        let coverage = CoverageFinder.find(rows, emerging: [], lexicon: lexicon, hasSpeakers: true)
        #expect(coverage.questions.map(\.text) == ["se puede pagar con bizum", "hacen envios a canarias", "abren los domingos", "los domingos"])
    }

    @Test("explain picks a call by id and names the calls when the id is wrong")
    func explainPicksACall() throws {
        let night = HistoryTests.week.appendingPathComponent("2026-11-22/llamadas.jsonl").path
        let (explanation, calls) = try Workbench.explain(file: night, callID: "sem-1122-0005", lexiconDirectory: TestSupport.lexicons)
        #expect(calls == 66)
        #expect(explanation.callID == "sem-1122-0005")
        #expect(explanation.turns[1].read.contains("código de verificación"))
        do {
            _ = try Workbench.explain(file: night, callID: "nada", lexiconDirectory: TestSupport.lexicons)
            Issue.record("an unknown call was explained")
        } catch let error as WorkbenchError {
            #expect(error.description.contains("has no call nada"))
            #expect(error.description.contains("sem-1122-0001"))
        }
    }

    @Test("lint finds every problem planted in the bad lexicon, with file, line and rule")
    func lintFindsPlantedProblems() throws {
        // A threshold no machine reaches: what is found never depends on the machine's load.
        let findings = try Workbench.lint(directory: Self.badLexicon, slowSeconds: 60)
        func has(_ kind: LintFinding.Kind, _ rule: String) -> Bool { findings.contains { $0.kind == kind && $0.rule == rule } }
        #expect(has(.cannotMatch, "pregunta_con_signos"))
        #expect(has(.failingExample, "pregunta_con_signos"))
        #expect(has(.duplicate, "baja_copia"))
        #expect(has(.shadowed, "hablar_con_supervisor"))
        #expect(has(.noNegativeExamples, "sin_negativos"))
        #expect(has(.backtracking, "retroceso"))
        #expect(findings.first { $0.kind == .backtracking }?.severity == .error)
        // Clean rules raise nothing of their own.
        #expect(!findings.contains { $0.rule == "supervisor" || $0.rule == "baja" })
        let duplicate = try #require(findings.first { $0.kind == .duplicate })
        #expect(duplicate.description.hasPrefix("\(Self.badLexicon)/problemas.yaml:20: warning: rule baja_copia: duplicates rule baja"))
    }

    @Test("lint's slowness threshold is the one it applies: at zero every pattern is slow, at a minute none")
    func lintSlownessThresholdApplies() throws {
        let strict = try Workbench.lint(directory: Self.evalLexicon, slowSeconds: 0)
        #expect(Set(strict.filter { $0.kind == .slowPattern }.map(\.rule)) == ["pide_baja", "portabilidad", "supervisor"])
        let lenient = try Workbench.lint(directory: Self.evalLexicon, slowSeconds: 60)
        #expect(!lenient.contains { $0.kind == .slowPattern })
    }

    @Test("lint reports rules that matched nothing in the history's last run")
    func lintFindsRulesSilentInTheLastRun() throws {
        let root = TestSupport.temporaryDirectory()
        let history = root.appendingPathComponent("frasario.sqlite").path
        var configuration = PipelineConfiguration(
            inputs: [TestSupport.samples], outputDirectory: root.appendingPathComponent("out").path,
            lexiconDirectory: Self.badLexicon)
        configuration.historyPath = history
        configuration.runDate = "2026-11-21"
        _ = try Pipeline.run(configuration)
        let findings = try Workbench.lint(directory: Self.badLexicon, historyPath: history)
        let silent = findings.filter { $0.kind == .silentInLastRun }.map(\.rule)
        #expect(silent.contains("muerta"))
        #expect(!silent.contains("supervisor"))
        #expect(findings.first { $0.rule == "muerta" && $0.kind == .silentInLastRun }?.message.contains("2026-11-21 (57 calls)") == true)
    }

    @Test("the shipped lexicons lint without errors")
    func shippedLexiconsLintClean() throws {
        let findings = try Workbench.lint(directory: TestSupport.lexicons)
        #expect(findings.filter { $0.severity == .error }.isEmpty, "\(findings.filter { $0.severity == .error })")
    }

    @Test("eval gives the hand-computed precision, recall and F1, and lists the misses")
    func evalMatchesHandComputedScores() throws {
        let report = try Workbench.evaluate(labels: Self.labels, lexiconDirectory: Self.evalLexicon)
        #expect(report.rows == 9)
        let scores = Dictionary(uniqueKeysWithValues: (report.rules + report.categories).map { ($0.name, $0) })
        // pide_baja: right on e1, e2, e5; fires on e6 (no baja meant); misses e4 ("cancelar el contrato").
        let baja = try #require(scores["baja/pide_baja"])
        #expect((baja.truePositives, baja.falsePositives.map(\.id), baja.falseNegatives.map(\.id)) == (3, ["e6"], ["e4"]))
        #expect(baja.precision == 0.75 && baja.recall == 0.75 && baja.f1 == 0.75)
        let portability = try #require(scores["baja/portabilidad"])
        #expect((portability.truePositives, portability.falsePositives.count, portability.falseNegatives.count) == (1, 0, 0))
        // supervisor: right on e7; fires on e6 ("el supervisor de la obra"); e8 names only the category.
        let supervisor = try #require(scores["escalamiento/supervisor"])
        #expect((supervisor.truePositives, supervisor.falsePositives.map(\.id), supervisor.falseNegatives.count) == (1, ["e6"], 0))
        #expect(supervisor.precision == 0.5 && supervisor.recall == 1)
        #expect(abs(supervisor.f1! - 2.0 / 3.0) < 1e-12)
        let escalation = try #require(scores["escalamiento"])
        #expect((escalation.truePositives, escalation.falsePositives.map(\.id), escalation.falseNegatives.count) == (2, ["e6"], 0))
        let cancellation = try #require(scores["baja"])
        #expect((cancellation.truePositives, cancellation.falsePositives.count, cancellation.falseNegatives.map(\.id)) == (3, 1, ["e4"]))
        #expect(!report.rules.contains { $0.name.hasSuffix("/otra") })
    }

    @Test("eval refuses a label that is neither a rule nor a category, naming the line")
    func evalRefusesUnknownLabels() throws {
        let directory = TestSupport.temporaryDirectory()
        let file = TestSupport.write("id,text,expected\na,quiero dar de baja,pide_baja\nb,hola,supervisr\n", to: "labels.csv", in: directory)
        do {
            _ = try Workbench.evaluate(labels: file, lexiconDirectory: Self.evalLexicon)
            Issue.record("a typo in a label was accepted")
        } catch let error as WorkbenchError {
            #expect(error.description == "\(file):3: «supervisr» is neither a rule id nor a category of the lexicon; fix the label or the --lexicons folder.")
        }
    }

    @Test("the sample label file in Samples/ evaluates against the shipped lexicons")
    func sampleLabelsEvaluate() throws {
        let report = try Workbench.evaluate(labels: TestSupport.samples + "/etiquetas/etiquetas.csv", lexiconDirectory: TestSupport.lexicons)
        #expect(report.rows == 60)
        #expect(report.categories.count == 5)
        #expect(report.rules.allSatisfy { $0.truePositives + $0.falseNegatives.count + $0.falsePositives.count > 0 })
    }

    @Test("sample draws the same seeded matches every time, each a real match, in a file eval reads back")
    func sampleIsSeededAndRoundTrips() throws {
        let week = HistoryTests.week.path
        let first = try Workbench.sample(rule: "gracias", count: 10, seed: 7, lexiconDirectory: TestSupport.lexicons, inputs: [week])
        let again = try Workbench.sample(rule: "gracias", count: 10, seed: 7, lexiconDirectory: TestSupport.lexicons, inputs: [week])
        let other = try Workbench.sample(rule: "gracias", count: 10, seed: 8, lexiconDirectory: TestSupport.lexicons, inputs: [week])
        #expect(first.csv == again.csv)
        #expect(first.csv != other.csv)
        #expect(first.sampled == 10 && first.matches > 100 && first.calls == 367)
        let file = TestSupport.write(first.csv, to: "muestra.csv", in: TestSupport.temporaryDirectory())
        let labels = try LexiconEvaluation.readLabels(file)
        #expect(labels.count == 10)
        // Unedited, every sampled row is a true positive: the text quoted does match the rule.
        let report = try Workbench.evaluate(labels: file, lexiconDirectory: TestSupport.lexicons)
        let score = try #require(report.rules.first { $0.name == "agradecimiento/gracias" })
        #expect((score.truePositives, score.falsePositives.count, score.falseNegatives.count) == (10, 0, 0))
        let all = try Workbench.sample(rule: "gracias", count: 100_000, seed: 1, lexiconDirectory: TestSupport.lexicons, inputs: [week])
        #expect(all.sampled == all.matches)
        #expect(throws: WorkbenchError.self) { try Workbench.sample(rule: "no_existe", count: 5, seed: 1, lexiconDirectory: TestSupport.lexicons, inputs: [week]) }
    }

    @Test("diff backtests a pattern change: the calls gained and lost, per rule and category")
    func diffShowsGainsAndLosses() throws {
        let root = TestSupport.temporaryDirectory()
        let old = root.appendingPathComponent("antes"), new = root.appendingPathComponent("despues")
        try FileManager.default.createDirectory(at: old, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.evalLexicon + "/baja.yaml", toPath: old.appendingPathComponent("baja.yaml").path)
        // The edit: "cancelar" now counts as baja, "doy de baja" no longer does.
        let edited = try String(contentsOfFile: Self.evalLexicon + "/baja.yaml", encoding: .utf8)
            .replacingOccurrences(of: #"'\b(dar|darme|doy) de baja\b'"#, with: #"'\b((dar|darme) de baja|cancelar)\b'"#)
        TestSupport.write(edited, to: "baja.yaml", in: new)
        let inputs = TestSupport.write(
            """
            {"call_id": "c1", "turns": [{"speaker": "cliente", "text": "quiero dar de baja la línea"}]}
            {"call_id": "c2", "turns": [{"speaker": "cliente", "text": "me doy de baja hoy"}]}
            {"call_id": "c3", "turns": [{"speaker": "cliente", "text": "quiero cancelar el contrato"}]}
            {"call_id": "c4", "turns": [{"speaker": "cliente", "text": "buenas tardes"}]}
            """, to: "calls.jsonl", in: root)
        let result = try Workbench.diff(old: old.path, new: new.path, inputs: [inputs])
        #expect(result.calls == 4)
        let rule = try #require(result.changes.first { $0.name == "baja/pide_baja" })
        #expect(rule.status == .changed)
        #expect((rule.callsBefore, rule.callsAfter) == (2, 2))
        #expect(rule.gained.map(\.callID) == ["c3"] && rule.lost.map(\.callID) == ["c2"])
        #expect(rule.gained.first?.text == "cliente: quiero cancelar el contrato")
        #expect(result.changes.first { $0.name == "baja/portabilidad" }?.status == .unchanged)
        #expect(result.csv.contains("rule,baja/pide_baja,changed,2,2,gained,c3,cliente: quiero cancelar el contrato"))
        // A rule only in the new lexicon is "added", one only in the old is "removed".
        TestSupport.write(try String(contentsOfFile: Self.evalLexicon + "/escalamiento.yaml", encoding: .utf8), to: "escalamiento.yaml", in: new)
        let added = try Workbench.diff(old: old.path, new: new.path, inputs: [inputs])
        #expect(added.changes.first { $0.name == "escalamiento/supervisor" }?.status == .added)
        let removed = try Workbench.diff(old: new.path, new: old.path, inputs: [inputs])
        #expect(removed.changes.first { $0.name == "escalamiento" }?.status == .removed)
    }

    @Test("coverage proposes a question said in 5 calls without «¿?», found by its opening words")
    func coverageFindsUnmarkedQuestions() throws {
        let directory = TestSupport.temporaryDirectory()
        let lexicon = directory.appendingPathComponent("lexicon")
        TestSupport.write("category: otra\nrules:\n  - id: nada\n    pattern: 'palabra que nadie dice'\n", to: "otra.yaml", in: lexicon)
        var lines: [String] = []
        for index in 0..<8 {
            let asked = index < 5 ? "hola, buenas, se puede pagar con bizum en la tienda" : "hola, quería saber el horario de hoy"
            lines.append(
                "{\"call_id\": \"q\(index)\", \"turns\": [{\"speaker\": \"agente\", \"text\": \"buenas tardes, le atiende Ana\"}, "
                    + "{\"speaker\": \"cliente\", \"text\": \"\(asked)\"}, {\"speaker\": \"agente\", \"text\": \"sí, claro\"}]}")
        }
        let calls = TestSupport.write(lines.joined(separator: "\n") + "\n", to: "llamadas.jsonl", in: directory)
        let (outcome, _) = try TestSupport.run([calls], minCount: 3, minCalls: 2, top: 50, lexicons: lexicon.path)
        let questions = try #require(outcome.result.coverage).questions.map(\.text)
        #expect(questions.contains { $0.contains("pagar con bizum") }, "\(questions)")
    }

    @Test("coverage lists the questions planted without a rule, and suggestions.yaml loads as a lexicon whose examples pass")
    func coverageFindsPlantedQuestions() throws {
        let (outcome, out) = try TestSupport.run([TestSupport.samples], minCount: 3, minCalls: 2, top: 50, lexicons: TestSupport.lexicons)
        let coverage = try #require(outcome.result.coverage)
        let questions = coverage.questions.map(\.text)
        #expect(questions.contains("oficina tiene aparcamiento"))
        #expect(questions.contains("tienen tienda física"))
        // Questions a rule answers are not listed.
        #expect(!questions.contains { $0.contains("dónde está mi pedido") || $0.contains("cambio mi contraseña") })
        #expect(coverage.questions.allSatisfy { $0.n >= 2 && !$0.examples.isEmpty })
        let markdown = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(markdown.contains("## Preguntas sin categoría") && markdown.contains("**oficina tiene aparcamiento**"))
        let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("id=\"sin-categoria\"") && html.contains("tienen tienda física"))
        // The draft is a lexicon: it loads, and each suggested rule matches its own examples.
        let draft = TestSupport.temporaryDirectory()
        try FileManager.default.copyItem(at: out.appendingPathComponent("suggestions.yaml"), to: draft.appendingPathComponent("suggestions.yaml"))
        let lexicon = try LexiconLoader.load(directory: draft.path)
        #expect(lexicon.rules.map(\.id).contains("sugerida_oficina_tiene_aparcamiento"))
        let tested = LexiconTester.run(lexicon)
        #expect(tested.failures.isEmpty, "\(tested.failures)")
        #expect(tested.examples >= 6)
    }
}

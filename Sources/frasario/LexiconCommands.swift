import ArgumentParser
import Foundation
import Frasario

// The QA workbench: `lexicon test|lint|eval|sample|diff` and `explain`.

struct LexiconCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lexicon",
        abstract: "Tools for the QA analysts who write lexicon rules.",
        subcommands: [LexiconTest.self, LexiconLint.self, LexiconEval.self, LexiconSample.self, LexiconDiffCommand.self]
    )
}

struct LexiconTest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Runs every rule's match/no_match examples and prints each failure.",
        discussion: "Exit status: 0 when every example behaves, 1 when one fails or the lexicon does not load."
    )

    @Argument(help: "Folder of YAML lexicon files.")
    var directory: String = "Lexicons/es"

    @Flag(name: .long, help: "Print only failures.")
    var quiet = false

    func run() throws {
        let lexicon = try LexiconLoader.load(directory: directory)
        let report = LexiconTester.run(lexicon)
        for failure in report.failures { print(failure.description) }
        if !quiet {
            if !report.rulesWithoutNoMatchExamples.isEmpty {
                print("note: \(report.rulesWithoutNoMatchExamples.count) rule(s) have no no_match example: \(report.rulesWithoutNoMatchExamples.prefix(10).joined(separator: ", "))\(report.rulesWithoutNoMatchExamples.count > 10 ? ", …" : "")")
            }
            if !report.rulesWithoutMatchExamples.isEmpty {
                print("note: \(report.rulesWithoutMatchExamples.count) rule(s) have no match example: \(report.rulesWithoutMatchExamples.prefix(10).joined(separator: ", "))\(report.rulesWithoutMatchExamples.count > 10 ? ", …" : "")")
            }
        }
        print("lexicon: \(report.examples - report.failures.count) passed, \(report.failures.count) failed (\(report.examples) examples of \(report.rules) rules in \(lexicon.categories.count) files)")
        if !report.failures.isEmpty { throw ExitCode.failure }
    }
}

/// The lexicon folder QA tools use: --lexicons, else the default lexicons.
struct LexiconOption: ParsableArguments {
    @Option(name: .long, help: "Folder of YAML lexicon files (default: Lexicons/es here, else the lexicons installed beside the binary).")
    var lexicons: String = DefaultLexicons.directory ?? "Lexicons/es"
}

/// Writes `text` to `path` atomically, or to standard output when `path` is nil.
func emit(_ text: String, to path: String?) throws {
    guard let path else { print(text, terminator: ""); return }
    let url = URL(fileURLWithPath: path)
    try Data(text.utf8).write(to: url, options: .atomic)
}

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Shows one call as the pipeline sees it: each turn read, normalized, tokenized, and the rules it matched.",
        discussion: """
        Matched words are highlighted (in colour on a terminal, ⟦between marks⟧ otherwise). Rules whose
        pattern matched but whose unless: (or window:) vetoed the turn are listed as "almost".
        """
    )

    @Argument(help: "A transcript file (any format frasario run reads).")
    var file: String

    @Option(name: .long, help: "The call to explain (default: the first in the file).")
    var call: String?

    @OptionGroup var lexicon: LexiconOption

    @Option(name: .customLong("agent-speaker"), help: "Speaker label of the agent in diarized exports; repeatable.")
    var agentSpeakers: [String] = []

    @Option(name: .long, help: "Highlight matches: auto (colour on a terminal), always or never.")
    var color: String = "auto"

    func validate() throws {
        guard ["auto", "always", "never"].contains(color) else { throw ValidationError("--color must be auto, always or never, not \(color).") }
    }

    func run() throws {
        let result = try Workbench.explain(file: file, callID: call, lexiconDirectory: lexicon.lexicons, agentSpeakers: agentSpeakers)
        let useColor = color == "always" || (color == "auto" && isatty(STDOUT_FILENO) == 1)
        print(result.explanation.render(color: useColor), terminator: "")
        if call == nil && result.calls > 1 {
            print("(\(file) holds \(result.calls) calls; choose one with --call ID)")
        }
    }
}

struct LexiconLint: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Finds broken, slow, overlapping and dead rules.",
        discussion: """
        Errors: failing examples, patterns that cannot match normalized text, catastrophic backtracking
        (measured on crafted worst-case turns under the night's PCRE2 limits). Warnings: duplicate and
        shadowed rules (on every rule's examples, plus --corpus calls), rules without examples of one kind,
        slow patterns, rules without a literal word, rules that matched nothing in the history's last run.
        Exit status: 0 without errors, 1 with errors.
        """
    )

    @Argument(help: "Folder of YAML lexicon files.")
    var directory: String = "Lexicons/es"

    @Option(name: .long, help: "Transcripts to measure overlaps on, besides the rules' examples; repeatable.")
    var corpus: [String] = []

    @Option(name: .long, help: "A run history; rules that matched nothing in its latest run are reported.")
    var history: String?

    @Flag(name: .long, help: "Print errors only.")
    var quiet = false

    func run() throws {
        if let history { _ = try HistoryOptions.open(history) }
        let findings = try Workbench.lint(directory: directory, corpus: corpus, historyPath: history)
        for finding in findings where !quiet || finding.severity == .error { print(finding.description) }
        let errors = findings.filter { $0.severity == .error }.count
        print("lint: \(errors) error(s), \(findings.count - errors) warning(s) in \(directory)")
        if errors > 0 { throw ExitCode.failure }
    }
}

struct LexiconEval: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Precision, recall and F1 of each rule and category against calls labelled by QA.",
        discussion: """
        LABELS.csv has the columns id, text and expected. text is one turn, or turns separated by " | ",
        each optionally "agente: …" or "cliente: …". expected lists the rule ids or categories the text
        should trigger, separated by ";" (empty: none). Only the rules and categories named in the file
        are scored, unless --all says the labels are exhaustive.
        """
    )

    @Argument(help: "The label file (CSV).")
    var labels: String

    @OptionGroup var lexicon: LexiconOption

    @Flag(name: .long, help: "Score every rule and category: an unlabelled match is a false positive.")
    var all = false

    @Option(name: .long, help: "Also write the scores as CSV to this file.")
    var csv: String?

    @Option(name: .customLong("show"), help: "False positives and negatives listed per rule or category.")
    var examplesShown: Int = 5

    func run() throws {
        let report = try Workbench.evaluate(labels: labels, lexiconDirectory: lexicon.lexicons, everything: all)
        func figure(_ value: Double?) -> String { value.map { String(format: "%.2f", $0) } ?? "  — " }
        print("\(report.rows) labelled calls; \(report.rules.count) rules and \(report.categories.count) categories scored.")
        print("")
        let width = max(24, (report.rules + report.categories).map(\.name.count).max() ?? 0)
        print("\("".padding(toLength: width, withPad: " ", startingAt: 0))    TP   FP   FN  precision  recall    F1")
        for score in report.categories + report.rules {
            let name = (score.level == .category ? score.name.uppercased() : score.name).padding(toLength: width, withPad: " ", startingAt: 0)
            print(String(format: "%@  %4d %4d %4d       %@    %@  %@", name, score.truePositives, score.falsePositives.count,
                         score.falseNegatives.count, figure(score.precision), figure(score.recall), figure(score.f1)))
        }
        for score in report.categories + report.rules where !score.falsePositives.isEmpty || !score.falseNegatives.isEmpty {
            print("")
            print("\(score.level.rawValue) \(score.name):")
            for miss in score.falsePositives.prefix(examplesShown) { print("  false positive \(miss.id): «\(miss.text)»") }
            for miss in score.falseNegatives.prefix(examplesShown) { print("  false negative \(miss.id): «\(miss.text)»") }
        }
        if let csv {
            var text = "level,name,true_positives,false_positives,false_negatives,precision,recall,f1\n"
            for score in report.categories + report.rules {
                text += "\(score.level.rawValue),\(score.name),\(score.truePositives),\(score.falsePositives.count),\(score.falseNegatives.count),\(score.precision.map { String($0) } ?? ""),\(score.recall.map { String($0) } ?? ""),\(score.f1.map { String($0) } ?? "")\n"
            }
            try emit(text, to: csv)
        }
    }
}

struct LexiconSample: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "A seeded random sample of a rule's matches, as a CSV to label and give to lexicon eval.",
        discussion: "The expected column is pre-filled with the rule: delete it where the match is wrong."
    )

    @Option(name: .long, help: "The rule id.")
    var rule: String

    @Option(name: .long, help: "How many matches to draw.")
    var n: Int = 50

    @Option(name: .long, help: "Seed of the draw: the same seed and inputs give the same sample.")
    var seed: UInt64 = 1

    @Option(name: .long, help: "Write the CSV here instead of standard output.")
    var out: String?

    @OptionGroup var lexicon: LexiconOption

    @Argument(help: "Transcript files or folders to draw from.")
    var inputs: [String]

    func validate() throws {
        if n < 1 { throw ValidationError("--n must be at least 1, not \(n).") }
        if inputs.isEmpty { throw ValidationError("Give the transcripts to draw from.") }
    }

    func run() throws {
        let result = try Workbench.sample(rule: rule, count: n, seed: seed, lexiconDirectory: lexicon.lexicons, inputs: inputs)
        try emit(result.csv, to: out)
        StandardError.write("frasario: \(result.sampled) of \(result.matches) matching calls sampled (of \(result.calls) calls read)\(out.map { " into \($0)" } ?? "").\n")
    }
}

struct LexiconDiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Backtests a lexicon change: per rule and category, the calls it gains and loses on past transcripts.",
        discussion: "Only what changes is printed, with up to --show calls gained and lost each; --csv lists them all."
    )

    @Argument(help: "The lexicon folder before the change.")
    var old: String

    @Argument(help: "The lexicon folder after the change.")
    var new: String

    @Argument(help: "Past transcripts: files or folders.")
    var inputs: [String]

    @Option(name: .long, help: "Write every gained and lost call as CSV here.")
    var csv: String?

    @Option(name: .customLong("show"), help: "Calls shown per rule for gains and for losses.")
    var examplesShown: Int = 3

    func run() throws {
        let result = try Workbench.diff(old: old, new: new, inputs: inputs)
        let moved = result.changes.filter { $0.status != .unchanged }
        print("\(result.calls) calls read; \(moved.count) rule(s) or categories change, \(result.changes.count - moved.count) stay the same.")
        for change in moved {
            let delta = change.callsAfter - change.callsBefore
            print("")
            print("\(change.level.rawValue) \(change.name) (\(change.status.rawValue)): \(change.callsBefore) → \(change.callsAfter) calls (\(delta >= 0 ? "+" : "")\(delta)), \(change.gained.count) gained, \(change.lost.count) lost")
            for example in change.gained.prefix(examplesShown) { print("  + \(example.callID): «\(example.text)»") }
            for example in change.lost.prefix(examplesShown) { print("  - \(example.callID): «\(example.text)»") }
        }
        if let csv { try emit(result.csv, to: csv) }
    }
}

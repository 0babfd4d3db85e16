import ArgumentParser
import Foundation
import Frasario

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
        let report = try Workbench.evaluate(labels: labels, lexiconDirectory: lexicon.directory, everything: all)
        func figure(_ value: Double?) -> String { value.map { String(format: "%.2f", $0) } ?? "  — " }
        print("\(report.rows) labelled calls; \(report.rules.count) rules and \(report.categories.count) categories scored.")
        print("")
        let width = max(24, (report.rules + report.categories).map(\.name.count).max() ?? 0)
        print("\("".padding(toLength: width, withPad: " ", startingAt: 0))    TP   FP   FN  precision  recall    F1")
        for score in report.categories + report.rules {
            let name = (score.level == .category ? score.name.uppercased() : score.name).padding(toLength: width, withPad: " ", startingAt: 0)
            print(
                String(
                    format: "%@  %4d %4d %4d       %@    %@  %@", name, score.truePositives, score.falsePositives.count,
                    score.falseNegatives.count, figure(score.precision), figure(score.recall), figure(score.f1)))
        }
        for sentence in report.limitErrors {
            print("")
            print("warning: \(sentence)")
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
                text +=
                    "\(score.level.rawValue),\(score.name),\(score.truePositives),\(score.falsePositives.count),\(score.falseNegatives.count),\(score.precision.map { String($0) } ?? ""),\(score.recall.map { String($0) } ?? ""),\(score.f1.map { String($0) } ?? "")\n"
            }
            try emit(text, to: csv)
        }
    }
}

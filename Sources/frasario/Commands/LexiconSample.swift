import ArgumentParser
import Foundation
import Frasario

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
        let result = try Workbench.sample(rule: rule, count: n, seed: seed, lexiconDirectory: lexicon.directory, inputs: inputs)
        try emit(result.csv, to: out)
        StandardError.write("frasario: \(result.sampled) of \(result.matches) matching calls sampled (of \(result.calls) calls read)\(out.map { " into \($0)" } ?? "").\n")
        for sentence in result.limitErrors { StandardError.write("frasario: warning: \(sentence)\n") }
    }
}

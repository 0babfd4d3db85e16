import ArgumentParser
import Foundation
import Frasario

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
        let result = try Workbench.explain(file: file, callID: call, lexiconDirectory: lexicon.directory, agentSpeakers: agentSpeakers)
        let useColor = color == "always" || (color == "auto" && isatty(STDOUT_FILENO) == 1)
        print(result.explanation.render(color: useColor), terminator: "")
        if call == nil && result.calls > 1 {
            print("(\(file) holds \(result.calls) calls; choose one with --call ID)")
        }
    }
}

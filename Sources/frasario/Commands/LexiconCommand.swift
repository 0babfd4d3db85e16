import ArgumentParser
import Foundation
import Frasario

struct LexiconCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lexicon",
        abstract: "Tools for the QA analysts who write lexicon rules.",
        subcommands: [LexiconTest.self, LexiconLint.self, LexiconEval.self, LexiconSample.self, LexiconDiffCommand.self]
    )
}

/// The lexicon folder QA tools use: --lexicons, else the default lexicons.
struct LexiconOption: ParsableArguments {
    @Option(name: .long, help: "Folder of YAML lexicon files (default: Lexicons/es here, else the lexicons installed beside the binary).")
    var lexicons: String?

    /// The folder given, else the default one.
    var directory: String { lexicons ?? DefaultLexicons.directory ?? "Lexicons/es" }
}

/// Writes `text` to `path` atomically, or to standard output when `path` is nil.
func emit(_ text: String, to path: String?) throws {
    guard let path else { print(text, terminator: ""); return }
    let url = URL(fileURLWithPath: path)
    try Data(text.utf8).write(to: url, options: .atomic)
}

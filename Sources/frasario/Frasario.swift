import ArgumentParser
import Foundation
import Frasario

@main
struct FrasarioCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "frasario",
        abstract: "Turns Spanish contact-center transcripts into ranked phrase reports.",
        version: Pipeline.version,
        subcommands: [Run.self, Count.self, Merge.self, Inputs.self, HistoryCommand.self, ReportCommand.self, Explain.self, LexiconCommand.self]
    )

    /// Exit codes: 0 success, 1 a fatal error (one sentence on stderr), 2 a usage error.
    static func main() {
        if let word = CommandLine.arguments.dropFirst().first, let message = unknownCommand(word) {
            StandardError.write("frasario: \(message)\n")
            Foundation.exit(2)
        }
        // Before anything starts threads: under a handful of files the runtime cannot.
        if let problem = OpenFileLimit.makeRoom() {
            StandardError.write("frasario: \(problem)\n")
            Foundation.exit(1)
        }
        // The thread pool takes its two descriptors now, not when files are open and a low
        // limit would leave it none (it traps then, where our own opens fail with a sentence).
        DispatchQueue.concurrentPerform(iterations: 2) { _ in }
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as CleanExit {
            exit(withError: error)
        } catch let error as ExitCode {
            exit(withError: error)
        } catch let error as any FrasarioFailure {
            StandardError.write("frasario: \(error.description)\n")
            // A history file that is not there was named wrongly: a usage error, without the usage.
            if case HistoryError.missing = error { Foundation.exit(2) }
            Foundation.exit(1)
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure || code.rawValue == 64 {
                StandardError.write((fullMessage(for: error) + "\n"))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }

    /// A first word that is no subcommand, said plainly with the nearest one («reprot»:
    /// did you mean «report»?), instead of a complaint about the options after it.
    static func unknownCommand(_ word: String) -> String? {
        guard !word.hasPrefix("-") else { return nil }
        let names = configuration.subcommands.map { $0._commandName } + ["help"]
        guard !names.contains(word) else { return nil }
        let nearest = names.map { ($0, distance($0, word)) }.min { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }
        let suggestion = nearest.flatMap { $0.1 <= 2 ? " Did you mean «\($0.0)»?" : nil } ?? ""
        return "«\(word)» is not a command (commands: \(names.dropLast().joined(separator: ", ")))." + suggestion
    }

    /// Edit distance (insertions, deletions, substitutions, adjacent swaps).
    static func distance(_ left: String, _ right: String) -> Int {
        let a = Array(left), b = Array(right)
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in stride(from: 1, through: a.count, by: 1) {
            for j in stride(from: 1, through: b.count, by: 1) {
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1) }
            }
        }
        return table[a.count][b.count]
    }
}

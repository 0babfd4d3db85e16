import ArgumentParser
import Foundation
import Frasario

struct Inputs: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Lists the transcript files a run would read, in reading order (for splitting work into shards).",
        discussion: "Prints one path per line with its size in bytes, tab-separated; skipped files are warned about on stderr."
    )

    @Argument(help: "Transcript files or directories.")
    var inputs: [String] = []

    @Option(name: .long, help: "Force an input format: text, jsonl, vtt, srt, whisper, transcribe, contact-lens or ccai.", completion: .list(InputFormat.allCases.map(\.rawValue)))
    var format: String?

    func run() throws {
        let listing = try Workbench.inputFiles(inputs, format: format.flatMap(InputFormat.init(rawValue:)))
        for file in listing.files { print("\(file.path)\t\(file.bytes)") }
        for warning in listing.warnings { StandardError.write("frasario: warning: \(warning)\n") }
    }
}

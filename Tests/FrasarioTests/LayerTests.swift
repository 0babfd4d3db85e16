import Foundation
import Testing

/// The stage rule of DESIGN.md, checked on the sources: a file may name types of its own
/// folder and of folders below it, never above. A new folder must be given its place here
/// and in DESIGN.md.
@Suite("Architecture: stages depend downward only")
struct LayerTests {
    /// Bottom to top, as DESIGN.md draws them.
    static let layers = [
        "Model", "Support", "Normalize", "Ingest", "Count", "Lexicon", "Rank", "Store", "Assemble",
        "Report", "Shard", "Workbench", "Pipeline",
    ]
    static let sources = TestSupport.repositoryRoot.appendingPathComponent("Sources/Frasario")

    /// Every Swift file of the library, by folder, with its text.
    static func files() throws -> [(folder: String, name: String, text: String)] {
        var files: [(String, String, String)] = []
        for folder in try FileManager.default.contentsOfDirectory(atPath: sources.path).sorted() {
            let directory = sources.appendingPathComponent(folder)
            for name in try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() where name.hasSuffix(".swift") {
                files.append((folder, name, try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)))
            }
        }
        return files
    }

    /// Types declared at the top level of a file (nested types are reached through them).
    static func declaredTypes(in text: String) -> [String] {
        let pattern = try! NSRegularExpression(
            pattern: #"^(?:public |internal |private |fileprivate )?(?:final )?(?:struct|enum|class|protocol|typealias|actor) ([A-Z][A-Za-z0-9]*)"#, options: [.anchorsMatchLines])
        return pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
            Range(match.range(at: 1), in: text).map { String(text[$0]) }
        }
    }

    /// Capitalised identifiers used in code, comments and string literals left out.
    static func usedNames(in text: String) -> Set<String> {
        var code = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var stripped = line.range(of: "//").map { String(line[..<$0.lowerBound]) } ?? String(line)
            while let open = stripped.firstIndex(of: "\""),
                let close = stripped[stripped.index(after: open)...].firstIndex(of: "\"")
            {
                stripped.removeSubrange(open...close)
            }
            code += stripped + "\n"
        }
        let pattern = try! NSRegularExpression(pattern: #"\b[A-Z][A-Za-z0-9]*\b"#)
        return Set(
            pattern.matches(in: code, range: NSRange(code.startIndex..., in: code)).compactMap { match in
                Range(match.range, in: code).map { String(code[$0]) }
            })
    }

    @Test("every folder of Sources/Frasario has its place in the layer order")
    func everyFolderPlaced() throws {
        let folders = Set(try Self.files().map(\.folder))
        #expect(folders == Set(Self.layers), "unplaced: \(folders.subtracting(Self.layers)), missing: \(Set(Self.layers).subtracting(folders))")
    }

    @Test("no file names a type of a stage above its own")
    func noUpwardReference() throws {
        let files = try Self.files()
        var owner: [String: String] = [:]
        for file in files {
            for type in Self.declaredTypes(in: file.text) { owner[type] = file.folder }
        }
        #expect(owner.count > 100, "the declaration scan found only \(owner.count) types")
        var upward: [String] = []
        for file in files {
            guard let level = Self.layers.firstIndex(of: file.folder) else { continue }
            for name in Self.usedNames(in: file.text).sorted() {
                guard let folder = owner[name], let other = Self.layers.firstIndex(of: folder), other > level else { continue }
                upward.append("\(file.folder)/\(file.name) uses \(name) of \(folder)")
            }
        }
        #expect(upward.isEmpty, "upward references:\n\(upward.joined(separator: "\n"))")
    }

    @Test("the check sees an upward reference when there is one")
    func checkSeesUpwardReference() {
        #expect(Self.usedNames(in: "let x = Pipeline.run(c) // Ranker\nlet s = \"Ranker\"").contains("Pipeline"))
        #expect(!Self.usedNames(in: "let x = 1 // Ranker\nlet s = \"Ranker\"").contains("Ranker"))
        #expect(Self.declaredTypes(in: "public struct RunResult {\n    struct Nested {}\n}\nenum Share {}") == ["RunResult", "Share"])
    }
}

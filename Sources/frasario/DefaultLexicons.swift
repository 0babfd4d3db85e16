import Foundation

/// Where the shipped Spanish lexicons are when --lexicons is not given: `Lexicons/es` in the
/// current folder (a checkout), else `share/frasario/lexicons/es` beside the installed binary
/// (`make install`), else `Lexicons/es` of the checkout the binary was built in.
enum DefaultLexicons {
    static var directory: String? {
        if FileManager.default.fileExists(atPath: "Lexicons/es") { return "Lexicons/es" }
        var folder = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            for candidate in ["share/frasario/lexicons/es", "Lexicons/es"] {
                let path = folder.appendingPathComponent(candidate).path
                if FileManager.default.fileExists(atPath: path) { return path }
            }
            folder.deleteLastPathComponent()
        }
        return nil
    }
}

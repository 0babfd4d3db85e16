import Foundation

/// The parent and last component of a path, in plain string operations.
/// `NSString.deletingLastPathComponent` of swift-corelibs-foundation traps on some short paths
/// (`--out o` crashed the run after `standardizingPath`); a user's path must never crash it.
public enum PathText {
    /// The folder holding `path`: "" for a bare name, "/" for a child of the root.
    public static func parent(_ path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "" }
        var folder = trimmed[..<slash]
        while folder.count > 1 && folder.hasSuffix("/") { folder = folder.dropLast() }
        return folder.isEmpty ? "/" : String(folder)
    }

    /// The last component of `path`, without trailing slashes ("/" for the root).
    public static func lastComponent(_ path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/"), trimmed != "/" else { return String(trimmed) }
        return String(trimmed[trimmed.index(after: slash)...])
    }
}

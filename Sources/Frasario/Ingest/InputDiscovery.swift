import Foundation

/// One input to read: a file on disk or standard input.
public struct InputFile: Sendable, Equatable {
    /// Path on disk; nil for standard input.
    public var path: String?
    /// The name shown in reports and `rejects.csv` (the path as given, or `-`).
    public var name: String
    /// The format implied by the extension or forced by the user; nil means "look at the content".
    public var format: InputFormat?
}

/// Turns the user's input arguments (files, directories, `-`) into an ordered list of files.
/// Directories are walked recursively in byte order of their paths, so runs are reproducible.
/// A file reached twice (named twice, named inside a folder also given, or through a link or
/// a hard link) is read once, where it first appears, with a warning: its calls are one night's
/// calls, not duplicates to reject.
public enum InputDiscovery {
    /// The files to read, plus warnings about files skipped inside directories.
    public struct Result: Sendable {
        public var files: [InputFile]
        public var warnings: [String]
    }

    /// - Throws: `IngestError.inputNotFound` when an argument names nothing on disk.
    public static func discover(_ arguments: [String], forcedFormat: InputFormat? = nil) throws -> Result {
        var files: [InputFile] = []
        var warnings: [String] = []
        let fileManager = FileManager.default
        for argument in arguments {
            if argument == "-" {
                files.append(InputFile(path: nil, name: "-", format: forcedFormat))
                continue
            }
            var isDirectory: ObjCBool = false
            guard fileManager.fileExists(atPath: argument, isDirectory: &isDirectory) else {
                throw IngestError.inputNotFound(path: argument)
            }
            if !isDirectory.boolValue {
                let byExtension = InputFormat.extensions[(argument as NSString).pathExtension.lowercased()]
                files.append(InputFile(path: argument, name: argument, format: forcedFormat ?? byExtension))
                continue
            }
            var skipped: [String] = []
            guard let enumerator = fileManager.enumerator(atPath: argument) else {
                throw IngestError.unreadable(path: argument, reason: "the directory cannot be listed")
            }
            var found: [String] = []
            var special: [String] = [], dangling: [String] = [], linkedFolders: [String] = []
            while let relative = enumerator.nextObject() as? String {
                let components = relative.split(separator: "/")
                if components.contains(where: { $0.hasPrefix(".") }) { continue }
                let full = (argument as NSString).appendingPathComponent(relative)
                switch kind(of: full) {
                case .regular: found.append(full)
                case .directory:
                    // The walk does not enter a linked folder: it may lead outside, or in a loop.
                    if isSymbolicLink(full) { linkedFolders.append(full) }
                case .special: special.append(full)
                case .missing: dangling.append(full)
                }
            }
            found.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            // A FIFO with no writer would block the run forever; a device never ends.
            for (paths, one, many) in [
                (special, "a FIFO, socket or device, not a regular file", "FIFOs, sockets or devices, not regular files"),
                (dangling, "a link to nothing", "links to nothing"),
                (
                    linkedFolders, "a link to a folder, not followed (pass the folder itself to read it)",
                    "links to folders, not followed (pass the folders themselves to read them)"
                ),
            ]
            where !paths.isEmpty {
                let shown = paths.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.prefix(3).joined(separator: ", ")
                warnings.append("Skipped in \(argument): \(shown)\(paths.count > 3 ? " and \(paths.count - 3) more" : ""), \(paths.count == 1 ? one : many).")
            }
            for full in found {
                let fileExtension = (full as NSString).pathExtension.lowercased()
                if let format = InputFormat.extensions[fileExtension] {
                    files.append(InputFile(path: full, name: full, format: forcedFormat ?? format))
                } else {
                    skipped.append(full)
                }
            }
            if !skipped.isEmpty {
                let shown = skipped.prefix(3).joined(separator: ", ")
                warnings.append(
                    "Skipped \(skipped.count) file(s) in \(argument) whose extension is not a transcript format (\(shown)\(skipped.count > 3 ? ", …" : "")); pass them by name to read them."
                )
            }
        }
        return Result(files: readOnce(files, warnings: &warnings), warnings: warnings)
    }

    /// `files` without the ones that are the same file on disk (device and inode) as an earlier one.
    static func readOnce(_ files: [InputFile], warnings: inout [String]) -> [InputFile] {
        var firstName: [FileIdentity: String] = [:]
        var kept: [InputFile] = []
        var repeated: [(again: String, first: String)] = []
        var standardInputKept = false
        for file in files {
            guard let path = file.path else {
                // Standard input named twice («-» «-») is one stream: read once.
                if standardInputKept { repeated.append((file.name, file.name)) } else { kept.append(file) }
                standardInputKept = true
                continue
            }
            guard let identity = FileIdentity(path: path) else {
                kept.append(file)
                continue
            }
            if let first = firstName[identity] {
                repeated.append((file.name, first))
            } else {
                firstName[identity] = file.name
                kept.append(file)
            }
        }
        if !repeated.isEmpty {
            let shown = repeated.prefix(3).map { $0.again == $0.first ? $0.first : "\($0.again) (same file as \($0.first))" }
            warnings.append(
                "Read once: \(repeated.count) input file(s) were given more than once: \(shown.joined(separator: ", "))\(repeated.count > 3 ? ", …" : "")."
            )
        }
        return kept
    }

    /// A file's identity on disk, whatever path reaches it.
    private struct FileIdentity: Hashable {
        var device: UInt64
        var inode: UInt64

        init?(path: String) {
            var status = stat()
            guard stat(path, &status) == 0 else { return nil }
            device = UInt64(status.st_dev)
            inode = UInt64(status.st_ino)
        }
    }

    private enum Kind { case regular, directory, special, missing }

    /// What a path is once links are followed.
    private static func kind(of path: String) -> Kind {
        var status = stat()
        guard stat(path, &status) == 0 else { return .missing }
        switch status.st_mode & S_IFMT {
        case S_IFREG: return .regular
        case S_IFDIR: return .directory
        default: return .special
        }
    }

    private static func isSymbolicLink(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFLNK
    }
}

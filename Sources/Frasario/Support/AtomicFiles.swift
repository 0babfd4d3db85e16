import Foundation

/// Publishes the set of report files as one: readers see every previous file or every new one.
///
/// The files are written and synced into a fresh staging folder beside `--out`; the staging
/// folder then takes the place of `--out` by one `renameat2(RENAME_EXCHANGE)` (Linux), and the
/// previous set, now in the staging path, is removed. Files of the user's own in `--out` are
/// hard-linked into the new set first, so they stay. Where the exchange cannot be used (no
/// `renameat2`, a file system without it, `--out` a link or holding folders), each file is
/// renamed into place instead, after all are written.
enum AtomicFiles {
    /// Checks before any work that `directory` can be created and written: a run whose reports
    /// cannot land fails at once, before it reads a call or records the night.
    static func checkWritable(_ directory: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw PipelineError.cannotWrite(path: directory, reason: "the folder cannot be created (\(SystemErrorText.describe(error)))")
        }
        let probe = (directory as NSString).appendingPathComponent(".frasario-probe-\(ProcessInfo.processInfo.processIdentifier)")
        guard FileManager.default.createFile(atPath: probe, contents: Data([0x0A])) else {
            throw PipelineError.cannotWrite(path: directory, reason: "no file can be created there")
        }
        try? FileManager.default.removeItem(atPath: probe)
    }

    /// An error of the `beforePublishing` step, passed through as it was thrown.
    private struct BeforePublishingFailed: Error { let error: any Error }

    /// Writes `files` into `directory` as one set; returns their final paths.
    /// - Parameter beforePublishing: runs once every file is written and synced but before
    ///   any replaces the previous set (a run records its night there); when it throws,
    ///   nothing is published and its error is rethrown.
    static func write(
        _ files: [(name: String, contents: Data)], to directory: String, beforePublishing: () throws -> Void = {}
    ) throws -> [String] {
        let directory = (directory as NSString).standardizingPath
        let folder = PathText.parent(directory)
        let parent = folder.isEmpty ? "." : folder
        let stagingPrefix = "." + PathText.lastComponent(directory) + ".staging-"
        do {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            throw PipelineError.cannotWrite(path: parent, reason: "the folder cannot be created (\(SystemErrorText.describe(error)))")
        }
        removeStale(in: parent, prefix: stagingPrefix)
        if FileManager.default.fileExists(atPath: directory) { removeStale(in: directory, names: files.map(\.name)) }
        guard exchangeSupported, canExchange(directory, keeping: files.map(\.name)) else {
            return try writeEach(files, to: directory, beforePublishing: beforePublishing)
        }
        let staging = (parent as NSString).appendingPathComponent(stagingPrefix + "\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: false)
            for file in files { try writeSynced(file.contents, to: (staging as NSString).appendingPathComponent(file.name)) }
            try linkForeignFiles(from: directory, into: staging, except: Set(files.map(\.name)))
            do { try beforePublishing() } catch { throw BeforePublishingFailed(error: error) }
            if FileManager.default.fileExists(atPath: directory) {
                guard exchange(staging, directory) else {
                    // The file system refused the exchange: fall back to one rename per file
                    // (the step before publishing has run).
                    try? FileManager.default.removeItem(atPath: staging)
                    return try writeEach(files, to: directory, beforePublishing: {})
                }
            } else if rename(staging, directory) != 0 {
                throw PipelineError.cannotWrite(path: directory, reason: String(cString: strerror(errno)))
            }
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            if let failed = error as? BeforePublishingFailed { throw failed.error }
            if let error = error as? PipelineError { throw error }
            throw PipelineError.cannotWrite(path: directory, reason: SystemErrorText.describe(error))
        }
        // The staging path now holds the previous set.
        try? FileManager.default.removeItem(atPath: staging)
        return files.map { (directory as NSString).appendingPathComponent($0.name) }
    }

    // MARK: One rename per file

    private static func writeEach(
        _ files: [(name: String, contents: Data)], to directory: String, beforePublishing: () throws -> Void
    ) throws -> [String] {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw PipelineError.cannotWrite(path: directory, reason: "the folder cannot be created (\(SystemErrorText.describe(error)))")
        }
        let suffix = ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        var staged: [(temporary: String, final: String)] = []
        do {
            for file in files {
                let final = (directory as NSString).appendingPathComponent(file.name)
                let temporary = (directory as NSString).appendingPathComponent("." + file.name + suffix)
                staged.append((temporary, final))
                try writeSynced(file.contents, to: temporary)
            }
            do { try beforePublishing() } catch { throw BeforePublishingFailed(error: error) }
            for file in staged {
                guard rename(file.temporary, file.final) == 0 else {
                    throw PipelineError.cannotWrite(path: file.final, reason: String(cString: strerror(errno)))
                }
            }
        } catch {
            for file in staged { try? FileManager.default.removeItem(atPath: file.temporary) }
            if let failed = error as? BeforePublishingFailed { throw failed.error }
            if let error = error as? PipelineError { throw error }
            throw PipelineError.cannotWrite(path: directory, reason: SystemErrorText.describe(error))
        }
        return staged.map(\.final)
    }

    private static func writeSynced(_ contents: Data, to path: String) throws {
        errno = 0
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw PipelineError.cannotWrite(path: path, reason: SystemErrorText.describe(errno: errno, otherwise: "the file cannot be created"))
        }
        defer { try? handle.close() }
        try handle.write(contentsOf: contents)
        try handle.synchronize()
    }

    // MARK: The exchange

    /// True when `directory` can be swapped whole: absent, or a real folder holding only files.
    private static func canExchange(_ directory: String, keeping names: [String]) -> Bool {
        var status = stat()
        guard lstat(directory, &status) == 0 else { return true }
        guard status.st_mode & S_IFMT == S_IFDIR, let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            return false
        }
        return entries.allSatisfy { entry in
            var child = stat()
            return lstat((directory as NSString).appendingPathComponent(entry), &child) == 0 && child.st_mode & S_IFMT == S_IFREG
        }
    }

    /// Hard-links every file of `directory` that is not a report into `staging`.
    private static func linkForeignFiles(from directory: String, into staging: String, except names: Set<String>) throws {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for entry in entries where !names.contains(entry) && !entry.hasPrefix(".frasario-probe-") {
            let source = (directory as NSString).appendingPathComponent(entry)
            guard link(source, (staging as NSString).appendingPathComponent(entry)) == 0 else {
                throw PipelineError.cannotWrite(path: source, reason: "it cannot be kept in the new report set (\(String(cString: strerror(errno))))")
            }
        }
    }

    private typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32

    /// glibc's `renameat2`, looked up at run time (Swift's Glibc module does not declare it).
    private static let renameAt2: RenameAt2? = {
        // SAFETY: the symbol, when present, is glibc's `int renameat2(int, const char *, int,
        // const char *, unsigned int)`, which is exactly `RenameAt2`.
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") else { return nil }
        return unsafeBitCast(symbol, to: RenameAt2.self)
    }()

    private static var exchangeSupported: Bool { renameAt2 != nil }

    /// Swaps two paths in one system call (RENAME_EXCHANGE); false when it cannot.
    private static func exchange(_ first: String, _ second: String) -> Bool {
        guard let renameAt2 else { return false }
        let renameExchange: UInt32 = 1 << 1
        return renameAt2(AT_FDCWD, first, AT_FDCWD, second, renameExchange) == 0
    }

    // MARK: Leftovers of killed runs

    /// Staging folders of runs that died: `.OUT.staging-PID-…` whose process is gone.
    private static func removeStale(in parent: String, prefix: String) {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: parent) else { return }
        for entry in entries where entry.hasPrefix(prefix) {
            guard let pid = Int32(entry.dropFirst(prefix.count).prefix { $0 != "-" }), isGone(pid) else { continue }
            try? FileManager.default.removeItem(atPath: (parent as NSString).appendingPathComponent(entry))
        }
    }

    /// Temporaries of the per-file mode: `.NAME.tmp-PID` files of `names` whose process is gone.
    private static func removeStale(in directory: String, names: [String]) {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for entry in entries {
            guard let name = names.first(where: { entry.hasPrefix("." + $0 + ".tmp-") }),
                let pid = Int32(entry.dropFirst(name.count + 6)), isGone(pid)
            else { continue }
            try? FileManager.default.removeItem(atPath: (directory as NSString).appendingPathComponent(entry))
        }
    }

    private static func isGone(_ pid: Int32) -> Bool {
        pid != ProcessInfo.processInfo.processIdentifier && kill(pid, 0) != 0 && errno == ESRCH
    }
}

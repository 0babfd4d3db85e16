import Foundation

/// Writes a set of files so that readers see either the previous versions or the new ones:
/// every file goes to a temporary name in the same folder, is flushed to disk, and only
/// when all are written are they renamed over the old ones.
enum AtomicFiles {
    /// Checks before any work that `directory` can be created and written: a run whose reports
    /// cannot land fails at once, before it reads a call or records the night.
    static func checkWritable(_ directory: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw PipelineError.cannotWrite(path: directory, reason: "the folder cannot be created (\(error.localizedDescription))")
        }
        let probe = (directory as NSString).appendingPathComponent(".frasario-probe-\(ProcessInfo.processInfo.processIdentifier)")
        guard FileManager.default.createFile(atPath: probe, contents: Data([0x0A])) else {
            throw PipelineError.cannotWrite(path: directory, reason: "no file can be created there")
        }
        try? FileManager.default.removeItem(atPath: probe)
    }

    /// Removes the temporaries of runs that died between writing and renaming: `.NAME.tmp-PID`
    /// files of `names` whose process is gone.
    static func removeStaleTemporaries(in directory: String, names: [String]) {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        let own = ProcessInfo.processInfo.processIdentifier
        for entry in entries {
            guard let name = names.first(where: { entry.hasPrefix("." + $0 + ".tmp-") }),
                  let pid = Int32(entry.dropFirst(name.count + 6)), pid != own, kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(atPath: (directory as NSString).appendingPathComponent(entry))
        }
    }

    static func write(_ files: [(name: String, contents: Data)], to directory: String) throws -> [String] {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw PipelineError.cannotWrite(path: directory, reason: "the folder cannot be created (\(error.localizedDescription))")
        }
        removeStaleTemporaries(in: directory, names: files.map(\.name))
        let suffix = ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        var staged: [(temporary: String, final: String)] = []
        do {
            for file in files {
                let final = (directory as NSString).appendingPathComponent(file.name)
                let temporary = (directory as NSString).appendingPathComponent("." + file.name + suffix)
                guard FileManager.default.createFile(atPath: temporary, contents: nil),
                      let handle = FileHandle(forWritingAtPath: temporary) else {
                    throw PipelineError.cannotWrite(path: temporary, reason: "the file cannot be created")
                }
                staged.append((temporary, final))
                try handle.write(contentsOf: file.contents)
                try handle.synchronize()
                try handle.close()
            }
            for file in staged {
                guard rename(file.temporary, file.final) == 0 else {
                    throw PipelineError.cannotWrite(path: file.final, reason: String(cString: strerror(errno)))
                }
            }
        } catch {
            for file in staged { try? FileManager.default.removeItem(atPath: file.temporary) }
            if let error = error as? PipelineError { throw error }
            throw PipelineError.cannotWrite(path: directory, reason: error.localizedDescription)
        }
        return staged.map(\.final)
    }
}

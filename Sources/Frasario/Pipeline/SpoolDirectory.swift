import Foundation

/// The private temporary folder of a run's snippet spools, owned by an exclusive `flock` on
/// its `owner.lock` for as long as the run holds it. The next run removes the folders no one
/// holds any more: a lock, unlike a process id, is seen across PID namespaces sharing TMPDIR
/// and released by the kernel when the owner dies.
final class SpoolDirectory {
    static let lockName = "owner.lock"
    let url: URL
    private var lock: Int32

    private init(url: URL, lock: Int32) {
        self.url = url
        self.lock = lock
    }

    static func create() throws -> SpoolDirectory {
        Pipeline.removeStaleSpools()
        let temporary = FileManager.default.temporaryDirectory
        let name = "\(Pipeline.spoolPrefix)\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)"
        // Built under a name no cleaner looks at, locked, then given its name: a cleaner never
        // sees the folder unlocked.
        let building = temporary.appendingPathComponent("." + name)
        let url = temporary.appendingPathComponent(name)
        do {
            // Not with intermediate folders: a TMPDIR that does not exist is an error, not a folder to make.
            try FileManager.default.createDirectory(at: building, withIntermediateDirectories: false)
        } catch {
            throw PipelineError.cannotWrite(
                path: temporary.path,
                reason: "the temporary folder cannot hold the run's spools (\(SystemErrorText.describe(error))); set TMPDIR to a writable folder")
        }
        let descriptor = open(building.appendingPathComponent(lockName).path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0, flock(descriptor, LOCK_EX | LOCK_NB) == 0, rename(building.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            if descriptor >= 0 { close(descriptor) }
            try? FileManager.default.removeItem(at: building)
            throw PipelineError.cannotWrite(path: url.path, reason: "the spool folder cannot be created and locked (\(reason))")
        }
        return SpoolDirectory(url: url, lock: descriptor)
    }

    /// Removes the folder and releases the lock.
    func remove() {
        try? FileManager.default.removeItem(at: url)
        if lock >= 0 { close(lock) }
        lock = -1
    }

    deinit { if lock >= 0 { close(lock) } }
}

extension Pipeline {
    static let spoolPrefix = "frasario-spool-"
    /// Phrases per ranking the history keeps for trends.
    static let historyDepth = 1000

    /// Removes the spool folders of runs that were killed: their lock is free. A folder
    /// without a lock file (a run creating it, or an older frasario) is removed only when
    /// its process no longer exists.
    static func removeStaleSpools() {
        let temporary = FileManager.default.temporaryDirectory
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: temporary.path) else { return }
        for name in names where name.hasPrefix(spoolPrefix) {
            let folder = temporary.appendingPathComponent(name)
            let descriptor = open(folder.appendingPathComponent(SpoolDirectory.lockName).path, O_RDWR | O_CLOEXEC)
            if descriptor >= 0 {
                let free = flock(descriptor, LOCK_EX | LOCK_NB) == 0
                if free { try? FileManager.default.removeItem(at: folder) }
                close(descriptor)
                continue
            }
            guard let pid = Int32(name.dropFirst(spoolPrefix.count).prefix { $0 != "-" }) else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { try? FileManager.default.removeItem(at: folder) }
        }
    }
}

import Foundation

/// The process's limit of open files. A merge holds a few files open at a time whatever the
/// number of partials (`ByteReader` opens a file only to read a block), a run a few per worker
/// (its spools); with fewer than a handful free, the Swift runtime itself cannot start its
/// worker threads.
public enum OpenFileLimit {
    /// Files a command must be able to open besides those it inherits: the runtime's thread
    /// pool, an input or partial, a report written beside the previous one.
    public static let minimumFree = 5

    /// Raises the soft limit to the hard one, as a process may, so that the spools of many
    /// worker threads fit. Returns a sentence when fewer than `minimumFree` files could still
    /// be opened: the command cannot run, and says so before anything starts.
    public static func makeRoom() -> String? {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return nil }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        guard limit.rlim_cur < 1 << 20 else { return nil }
        let allowed = Int(limit.rlim_cur)
        // Listing the descriptors takes one itself; none left to take counts as none free.
        let open: Int
        if let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            open = entries.count - 1
        } else {
            open = errno == EMFILE || errno == ENFILE ? allowed : 3
        }
        let free = allowed - open
        guard free < minimumFree else { return nil }
        return
            "The limit of open files (ulimit -n) is \(allowed) and \(open) are open already; frasario needs \(minimumFree) more (its worker threads, an input, a report): raise the limit."
    }
}

import Foundation

/// The process's limit of open files. A merge keeps one file open per partial while it streams
/// their n-grams; the soft limit (often 1,024) is raised to the hard one first, as a process may,
/// so a thousand partials merge without the operator's `ulimit -n`.
enum OpenFileLimit {
    /// Raises the soft limit to the hard limit; returns the limit now in force (nil if unknown).
    @discardableResult
    static func raiseToHard() -> UInt64? {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return nil }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { return UInt64(raised.rlim_cur) }
        }
        return UInt64(limit.rlim_cur)
    }

    /// The soft limit in words, for error messages.
    static var current: String {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return "unknown" }
        return limit.rlim_cur == rlim_t.max ? "unlimited" : String(limit.rlim_cur)
    }
}

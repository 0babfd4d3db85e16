import Foundation

/// The process's limit of open files. A merge keeps one file open per partial it streams at
/// once (at most `BucketMerge.fanIn`, which a low limit lowers); the soft limit is raised to the
/// hard one first, as a process may.
enum OpenFileLimit {
    /// Raises the soft limit to the hard limit (nothing happens if the system refuses).
    static func raiseToHard() {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }

    /// The soft limit, nil when unlimited or unknown.
    static var soft: Int? {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max else { return nil }
        return Int(clamping: limit.rlim_cur)
    }

    /// The soft limit in words, for error messages.
    static var current: String {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return "unknown" }
        return limit.rlim_cur == rlim_t.max ? "unlimited" : String(limit.rlim_cur)
    }
}

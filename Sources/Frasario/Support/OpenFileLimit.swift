import Foundation

/// The process's limit of open files, named in the sentence that says it was reached. A merge
/// holds a few files open at a time whatever the number of partials (`ByteReader` opens a file
/// only to read a block), so the limit does not bound how many partials merge.
enum OpenFileLimit {
    /// The soft limit in words, for error messages.
    static var current: String {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return "unknown" }
        return limit.rlim_cur == rlim_t.max ? "unlimited" : String(limit.rlim_cur)
    }
}

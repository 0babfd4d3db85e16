import Foundation

/// One short clause for a failed file operation: the system's own words («No space left on
/// device», «Permission denied») rather than Foundation's «The operation could not be
/// completed…», so the CLI's sentence names what to fix.
enum SystemErrorText {
    static func describe(_ error: Error) -> String {
        let error = error as NSError
        for candidate in [error] + ((error.userInfo[NSUnderlyingErrorKey] as? NSError).map { [$0] } ?? []) {
            if candidate.domain == NSPOSIXErrorDomain, candidate.code > 0 { return String(cString: strerror(Int32(candidate.code))) }
        }
        switch CocoaError.Code(rawValue: error.code) {
        case .fileWriteOutOfSpace: return String(cString: strerror(ENOSPC))
        case .fileWriteNoPermission, .fileReadNoPermission: return String(cString: strerror(EACCES))
        case .fileNoSuchFile, .fileReadNoSuchFile: return String(cString: strerror(ENOENT))
        case .fileWriteVolumeReadOnly: return String(cString: strerror(EROFS))
        default:
            var text = error.localizedDescription
            while text.hasSuffix(".") { text.removeLast() }
            return text
        }
    }

    /// Why a file could not be created or opened, from `code` (errno, cleared before the
    /// attempt): the system's words, naming the limit to raise when too many files are open;
    /// `fallback` when the system said nothing.
    static func describe(errno code: Int32, otherwise fallback: String) -> String {
        if code == EMFILE || code == ENFILE { return "too many files are open (the limit of open files, ulimit -n, is \(openFileLimit)): raise it" }
        return code > 0 ? String(cString: strerror(code)) : fallback
    }

    /// The process's soft limit of open files, in words.
    static var openFileLimit: String {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return "unknown" }
        return limit.rlim_cur == rlim_t.max ? "unlimited" : String(limit.rlim_cur)
    }
}

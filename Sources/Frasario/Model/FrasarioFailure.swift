/// An error the CLI turns into one sentence and exit status 1: it says what to change. Every
/// stage's error type conforms, so the CLI needs no stage's details to report it.
public protocol FrasarioFailure: Error, CustomStringConvertible {}

/// Failures that stop a run. Each description is one sentence that says what to change.
public enum PipelineError: FrasarioFailure {
    case invalidOption(String)
    case cannotWrite(path: String, reason: String)
    /// A run's own temporary file could not be read back (removed, truncated, a disk error).
    case cannotRead(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidOption(let message): return message
        case .cannotWrite(let path, let reason): return "Cannot write \(path): \(reason)."
        case .cannotRead(let path, let reason): return "Cannot read back the run's temporary file \(path): \(reason)."
        }
    }
}

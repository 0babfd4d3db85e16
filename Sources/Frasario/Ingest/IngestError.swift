import Foundation

/// Failures that stop a run before any call is read: the user named an input that cannot be read at all.
/// (A bad record or file inside a readable input is a `Reject`, not an error.)
public enum IngestError: FrasarioFailure, Equatable {
    case inputNotFound(path: String)
    case unreadable(path: String, reason: String)
    case unknownFormat(name: String)

    public var description: String {
        switch self {
        case .inputNotFound(let path):
            return "Input \(path) does not exist; check the path or pass a directory of transcripts."
        case .unreadable(let path, let reason):
            return "Input \(path) cannot be read: \(reason)."
        case .unknownFormat(let name):
            return "Unknown input format \(name); use one of: \(InputFormat.allCases.map(\.rawValue).joined(separator: ", "))."
        }
    }
}

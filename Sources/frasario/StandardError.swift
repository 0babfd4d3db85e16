import Foundation

/// Messages for the person or scheduler running frasario. A closed or broken standard error
/// (`2>&-`, a log pipe that went away) must never stop a night's run: writes that fail are
/// dropped (the throwing `FileHandle` API; the non-throwing `write(_:)` traps).
enum StandardError {
    static func write(_ text: String) {
        try? FileHandle.standardError.write(contentsOf: Data(text.utf8))
    }
}

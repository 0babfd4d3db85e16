/// A lexicon that cannot be used: found before any input is read, and named precisely
/// (file, line, rule, and where in the pattern) so a QA analyst knows what to change.
public enum LexiconError: FrasarioFailure, Equatable {
    case noLexiconFiles(directory: String)
    case unreadable(file: String, reason: String)
    case malformedYAML(file: String, line: Int, column: Int, problem: String)
    case invalid(file: String, line: Int, rule: String?, problem: String)
    case duplicateRule(id: String, file: String, line: Int, firstFile: String, firstLine: Int)
    case undefinedMacro(file: String, line: Int, rule: String, macro: String)
    case badPattern(file: String, line: Int, rule: String, pattern: String, offset: Int, problem: String)
    /// Every problem of every file, when there is more than one: a QA analyst fixes them in
    /// one pass rather than one run at a time.
    case several([LexiconError])

    public var description: String {
        switch self {
        case .several(let errors):
            return "\(errors.count) problems in the lexicon:\n" + errors.map { "  " + $0.description }.joined(separator: "\n")
        case .noLexiconFiles(let directory):
            return "No lexicon files (*.yaml) in \(directory); pass --lexicons with a folder of rule files."
        case .unreadable(let file, let reason):
            return "Lexicon \(file) cannot be read: \(reason)."
        case .malformedYAML(let file, let line, let column, let problem):
            return "\(file):\(line):\(column): the YAML is malformed (\(problem)); check indentation and quotes around patterns."
        case .invalid(let file, let line, let rule, let problem):
            return "\(file):\(line):\(rule.map { " rule \($0):" } ?? "") \(problem)"
        case .duplicateRule(let id, let file, let line, let firstFile, let firstLine):
            return "\(file):\(line): rule id \(id) is already used at \(firstFile):\(firstLine); rule ids must be unique across all lexicon files."
        case .undefinedMacro(let file, let line, let rule, let macro):
            return "\(file):\(line): rule \(rule): macro {\(macro)} is not defined in this file's define: section or a shared file's."
        case .badPattern(let file, let line, let rule, let pattern, let offset, let problem):
            let characters = Array(pattern)
            let characterOffset = min(String(decoding: Array(pattern.utf8).prefix(offset), as: UTF8.self).count, characters.count)
            let context =
                String(characters[max(0, characterOffset - 12)..<characterOffset]) + "⟨here⟩"
                + String(characters[characterOffset..<min(characters.count, characterOffset + 12)])
            return "\(file):\(line): rule \(rule): the pattern does not compile at offset \(characterOffset) (\(problem)): …\(context)…"
        }
    }
}

import Foundation
import Yams

/// A macro of `define:`: an UPPERCASE name for a pattern fragment, used as `{NAME}`.
struct MacroDefinition: Sendable, Equatable {
    var body: String
    /// Where it is defined, for messages.
    var file: String
    var line: Int

    /// UPPERCASE letters, digits and `_`, starting with a letter: what `{NAME}` may name
    /// (so `{0,3}` quantifiers and `{numero}` placeholders are never taken for macros).
    static func isName<S: StringProtocol>(_ name: S) -> Bool {
        guard let first = name.first, first.isUppercase, first.isASCII else { return false }
        return name.allSatisfy { ($0.isUppercase && $0.isASCII) || $0.isNumber || $0 == "_" }
    }
}

/// Macros: a file's own `define:`, plus those of the lexicon's shared files. A shared file has
/// `define:` and no `category:` or `rules:` (say `comun.yaml`, holding the competitors or
/// the products): its macros are visible in every file of the folder, so a list is written once.
extension LexiconLoader {
    /// The macros of the shared files among `sources`, the names of those files, and the
    /// problems found (a macro defined twice, a macro that does not compile on its own).
    static func sharedMacros(
        _ sources: [LexiconSource], directory: String
    ) -> (
        macros: [String: MacroDefinition], files: Set<String>, errors: [LexiconError]
    ) {
        var macros: [String: MacroDefinition] = [:]
        var files = Set<String>()
        var errors: [LexiconError] = []
        for source in sources where WordList.isWordList(source.name) {
            let path = (directory as NSString).appendingPathComponent(source.name)
            files.insert(source.name)
            guard let name = WordList.macroName(source.name) else {
                errors.append(
                    .invalid(
                        file: path, line: 1, rule: nil,
                        problem:
                            "a word-list file's name must start with a letter from a to z, without accent or ñ (it becomes the macro {NAME}: marcas.txt is {MARCAS}; other characters become _)."
                    ))
                continue
            }
            guard let body = WordList.pattern(source.text) else {
                errors.append(.invalid(file: path, line: 1, rule: nil, problem: "the word list is empty; write one word or phrase per line."))
                continue
            }
            macros[name] = MacroDefinition(body: body, file: path, line: 1)
        }
        for source in sources where !WordList.isWordList(source.name) {
            guard let root = try? Yams.compose(yaml: source.text), let top = root.mapping, let define = top["define"],
                top["category"] == nil, top["rules"] == nil
            else { continue }
            let path = (directory as NSString).appendingPathComponent(source.name)
            files.insert(source.name)
            do throws(LexiconError) {
                macros = try readMacros(define, file: path, shared: macros, validate: false)
            } catch {
                errors.append(error)
            }
        }
        for (name, definition) in macros.sorted(by: { $0.key < $1.key }) {
            if let error = validate(name, definition, macros: macros) { errors.append(error) }
        }
        return (macros, files, errors)
    }

    /// A file's `define:` merged with the shared macros; a name defined in both is an error.
    static func readMacros(
        _ node: Node?, file: String, shared: [String: MacroDefinition], validate checks: Bool = true
    ) throws(LexiconError) -> [String: MacroDefinition] {
        guard let node else { return shared }
        guard let mapping = node.mapping else {
            throw .invalid(file: file, line: line(node), rule: nil, problem: "define: must map NAMES to patterns.")
        }
        var macros = shared
        var own: [String] = []
        for (key, value) in mapping {
            guard let name = key.string, MacroDefinition.isName(name) else {
                throw .invalid(file: file, line: line(key), rule: nil, problem: "macro name \(key.string ?? "?") must be UPPERCASE (letters, digits, _).")
            }
            guard let body = value.scalar?.string else {
                throw .invalid(file: file, line: line(value), rule: nil, problem: "macro \(name) must be a pattern string.")
            }
            if let other = macros[name] {
                throw .invalid(
                    file: file, line: line(key), rule: nil,
                    problem: "macro \(name) is already defined at \(other.file):\(other.line); give one of them another name.")
            }
            macros[name] = MacroDefinition(body: body, file: file, line: line(key))
            own.append(name)
        }
        if checks {
            for name in own {
                if let macro = macros[name], let error = validate(name, macro, macros: macros) { throw error }
            }
        }
        return macros
    }

    /// A macro must compile on its own (it is used as `(?:body)`): else the error is its
    /// `define:` line's, not that of every rule using it.
    static func validate(_ name: String, _ macro: MacroDefinition, macros: [String: MacroDefinition]) -> LexiconError? {
        do {
            let expanded = try expandMacros(macro.body, macros: macros, file: macro.file, line: macro.line, rule: nil, chain: [name])
            _ = try PCRE2Regex(SpanishText.foldedAccents(expanded))
            return nil
        } catch let error as LexiconError {
            return error
        } catch let error as PCRE2CompileError {
            return .invalid(
                file: macro.file, line: macro.line, rule: nil,
                problem: "macro \(name) does not compile on its own (\(error.message)); every macro must be a whole pattern, as it is used as (?:\(name)).")
        } catch {
            return .invalid(file: macro.file, line: macro.line, rule: nil, problem: "macro \(name): \(error)")
        }
    }

    /// A pattern's size after macros past which it is refused: PCRE2 could not compile it,
    /// and macros that use each other twice over double at each step (a 40-line file would
    /// otherwise expand to a terabyte).
    static let maximumExpandedBytes = 256 * 1024

    /// Replaces `{NAME}` (uppercase names only, so `{0,3}` quantifiers stay) with `(?:body)`;
    /// macros may use macros. `chain` is the macros being expanded, to name a loop.
    static func expandMacros(
        _ pattern: String, macros: [String: MacroDefinition], file: String, line: Int, rule: String?, chain: [String] = []
    ) throws(LexiconError) -> String {
        var expanded: [String: String] = [:]
        return try expandMacros(pattern, macros: macros, file: file, line: line, rule: rule, chain: chain, expanded: &expanded)
    }

    /// `expanded` keeps each macro's expansion once made, so a macro used many times is expanded once.
    private static func expandMacros(
        _ pattern: String, macros: [String: MacroDefinition], file: String, line: Int, rule: String?, chain: [String],
        expanded: inout [String: String]
    ) throws(LexiconError) -> String {
        guard pattern.contains("{") else { return pattern }
        var result = ""
        var rest = Substring(pattern)
        while let open = rest.firstIndex(of: "{") {
            result += rest[..<open]
            let afterOpen = rest.index(after: open)
            if let close = rest[afterOpen...].firstIndex(of: "}") {
                let name = String(rest[afterOpen..<close])
                if name == "numero" || name.hasPrefix("numero:") {
                    guard let placeholder = PatternNumbers.placeholder(name) else {
                        throw .invalid(
                            file: file, line: line, rule: rule,
                            problem: "{\(name)} is not a number placeholder: write {numero} or {numero:A-B} with 0 ≤ A ≤ B ≤ 99.")
                    }
                    result += placeholder
                    rest = rest[rest.index(after: close)...]
                    continue
                }
                if MacroDefinition.isName(name) {
                    guard let macro = macros[name] else {
                        if let rule { throw .undefinedMacro(file: file, line: line, rule: rule, macro: name) }
                        throw .invalid(
                            file: file, line: line, rule: nil,
                            problem: "macro {\(name)} is used but not defined in this file's define: or a shared file's.")
                    }
                    if let start = chain.firstIndex(of: name) {
                        let loop = (chain[start...] + [name]).joined(separator: " → ")
                        throw .invalid(
                            file: macro.file, line: macro.line, rule: nil,
                            problem: "macros refer to each other in a loop: \(loop); break the loop in define:.")
                    }
                    let body: String
                    if let known = expanded[name] {
                        body = known
                    } else {
                        body = try expandMacros(
                            macro.body, macros: macros, file: file, line: line, rule: rule, chain: chain + [name], expanded: &expanded)
                        expanded[name] = body
                    }
                    result += "(?:" + body + ")"
                    if result.utf8.count > maximumExpandedBytes {
                        throw .invalid(
                            file: file, line: line, rule: rule,
                            problem:
                                "macro {\(name)} makes the pattern longer than \(maximumExpandedBytes / 1024) KB after macros, more than PCRE2 can compile (macros that use a macro twice double it at each step); put long lists in a word-list file or split the pattern."
                        )
                    }
                    rest = rest[rest.index(after: close)...]
                    continue
                }
            }
            result += "{"
            rest = rest[afterOpen...]
        }
        result += rest
        return result
    }
}

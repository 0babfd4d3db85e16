import Foundation
import Yams

/// Reads a folder of YAML lexicon files into a compiled `Lexicon`, or fails with a `LexiconError`
/// that names file, line and rule. Patterns get their `{MACROS}` expanded and their accents
/// folded, exactly as turns are, so `cómo` in a pattern matches `como`, `cómo` and `CÓMO`.
public enum LexiconLoader {
    static let fileKeys: Set<String> = ["category", "title", "description", "kind", "define", "rules"]
    static let ruleKeys: Set<String> = [
        "id", "label", "speaker", "pattern", "patterns", "unless", "window", "min_hits",
        "all", "in_order", "examples", "description", "near", "within", "never", "not_in",
    ]

    /// Loads every `*.yaml` / `*.yml` file of `directory`, in file-name order, and its word
    /// lists (`*.txt`, see `WordList`).
    public static func load(directory: String) throws(LexiconError) -> Lexicon {
        try load(sources: sources(directory: directory), directory: directory)
    }

    /// The YAML files of a lexicon folder, in name order, with their text.
    static func sources(directory: String) throws(LexiconError) -> [LexiconSource] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
                .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") || WordList.isWordList($0) }
                .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        } catch {
            throw .unreadable(file: directory, reason: "the folder cannot be listed")
        }
        guard names.contains(where: { !WordList.isWordList($0) }) else { throw .noLexiconFiles(directory: directory) }
        var sources: [LexiconSource] = []
        for name in names {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                throw .unreadable(file: path, reason: "not a UTF-8 text file")
            }
            sources.append(LexiconSource(name: name, text: text))
        }
        return sources
    }

    /// Compiles a lexicon from its files' texts (as read from `directory`, or carried in a partial).
    static func load(sources: [LexiconSource], directory: String) throws(LexiconError) -> Lexicon {
        var lexicon = Lexicon(categories: [], rules: [], directory: directory, files: [])
        var seenRules: [String: (file: String, line: Int)] = [:]
        var seenCategories: [String: String] = [:]
        // Every file is read and every rule checked, whatever fails: all problems at once.
        let shared = sharedMacros(sources, directory: directory)
        var errors = shared.errors
        for source in sources where !shared.files.contains(source.name) && !WordList.isWordList(source.name) {
            let path = (directory as NSString).appendingPathComponent(source.name)
            let parsed: (category: LexiconCategory, rules: [LexiconRule], errors: [LexiconError])
            do {
                parsed = try parseCheckingEveryRule(source.text, file: path, shared: shared.macros)
            } catch {
                errors.append(error)
                continue
            }
            errors += parsed.errors
            if let other = seenCategories[parsed.category.name] {
                errors.append(.invalid(file: path, line: 1, rule: nil, problem: "category \(parsed.category.name) is already defined in \(other)."))
                continue
            }
            seenCategories[parsed.category.name] = path
            var category = parsed.category
            for rule in parsed.rules {
                if let first = seenRules[rule.id] {
                    errors.append(.duplicateRule(id: rule.id, file: path, line: rule.line, firstFile: first.file, firstLine: first.line))
                    continue
                }
                seenRules[rule.id] = (path, rule.line)
                category.ruleIndices.append(lexicon.rules.count)
                lexicon.rules.append(rule)
            }
            lexicon.categories.append(category)
            lexicon.files.append(path)
        }
        if errors.count == 1 { throw errors[0] }
        if !errors.isEmpty { throw .several(errors) }
        lexicon.sources = sources
        return lexicon
    }

    /// Parses one lexicon file's text.
    public static func parse(_ text: String, file: String) throws(LexiconError) -> (category: LexiconCategory, rules: [LexiconRule]) {
        let parsed = try parseCheckingEveryRule(text, file: file)
        if parsed.errors.count == 1 { throw parsed.errors[0] }
        if !parsed.errors.isEmpty { throw .several(parsed.errors) }
        return (parsed.category, parsed.rules)
    }

    /// Parses one lexicon file's text, checking every rule: the rules that are sound, and the
    /// problems of the others. Throws only when the file as a whole cannot be read.
    static func parseCheckingEveryRule(
        _ text: String, file: String, shared: [String: MacroDefinition] = [:]
    ) throws(LexiconError) -> (
        category: LexiconCategory, rules: [LexiconRule], errors: [LexiconError]
    ) {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw LexiconError.invalid(file: file, line: 1, rule: nil, problem: "the file is empty; it needs category:, title: and rules:.")
            }
            root = node
        } catch let error as LexiconError {
            throw error
        } catch let error as YamlError {
            throw yamlError(error, file: file)
        } catch {
            throw .malformedYAML(file: file, line: 1, column: 1, problem: "\(error)")
        }
        guard let top = root.mapping else {
            throw .invalid(file: file, line: line(root), rule: nil, problem: "the file must be a mapping with category:, title: and rules:.")
        }
        try checkKeys(top, allowed: fileKeys, file: file, rule: nil)
        guard let categoryNode = top["category"], let name = categoryNode.string, !name.isEmpty else {
            throw .invalid(file: file, line: line(root), rule: nil, problem: "category: is missing; give the category a snake_case name.")
        }
        guard name.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "_" }) else {
            throw .invalid(file: file, line: line(categoryNode), rule: nil, problem: "category \(name) must be lowercase snake_case (letters, digits, _).")
        }
        let title = top["title"]?.string ?? name
        let description = top["description"]?.string ?? ""
        var kind = CategoryKind.topic
        if let kindNode = top["kind"] {
            guard let text = kindNode.string, let parsed = CategoryKind(rawValue: text) else {
                throw .invalid(
                    file: file, line: line(kindNode), rule: nil,
                    problem: "kind must be one of \(CategoryKind.allCases.map(\.rawValue).joined(separator: ", ")), not \(kindNode.string ?? "a list or mapping").")
            }
            kind = parsed
        }
        let macros = try readMacros(top["define"], file: file, shared: shared)
        guard let rulesNode = top["rules"], let ruleList = rulesNode.sequence, !ruleList.isEmpty else {
            throw .invalid(file: file, line: line(root), rule: nil, problem: "rules: is missing or empty; list at least one rule.")
        }
        var rules: [LexiconRule] = []
        var errors: [LexiconError] = []
        for ruleNode in ruleList {
            do {
                rules.append(try parseRule(ruleNode, category: name, file: file, macros: macros))
            } catch {
                errors.append(error)
            }
        }
        return (LexiconCategory(name: name, title: title, description: description, kind: kind, file: file, ruleIndices: []), rules, errors)
    }

    static func parseRule(_ node: Node, category: String, file: String, macros: [String: MacroDefinition]) throws(LexiconError) -> LexiconRule {
        guard let mapping = node.mapping else {
            throw .invalid(file: file, line: line(node), rule: nil, problem: "each rule must be a mapping with id: and pattern:.")
        }
        guard let id = mapping["id"]?.string, !id.isEmpty else {
            throw .invalid(file: file, line: line(node), rule: nil, problem: "a rule has no id:; give every rule a unique snake_case id.")
        }
        try checkKeys(mapping, allowed: ruleKeys, file: file, rule: id)
        let ruleLine = line(node)
        var speaker = RuleSpeaker.customer
        if let speakerNode = mapping["speaker"] {
            guard let named = ruleSpeaker(speakerNode.string) else {
                throw .invalid(file: file, line: line(speakerNode), rule: id, problem: "speaker must be cliente, agente or cualquiera, not \(speakerNode.string ?? "a list").")
            }
            speaker = named
        }
        let hasPattern = mapping["pattern"] != nil, hasPatterns = mapping["patterns"] != nil, hasAll = mapping["all"] != nil
        let hasNear = mapping["near"] != nil, hasNever = mapping["never"] != nil
        guard [hasPattern, hasPatterns, hasAll, hasNear, hasNever].filter({ $0 }).count == 1 else {
            throw .invalid(file: file, line: ruleLine, rule: id, problem: "give exactly one of pattern:, patterns:, all:, near: or never:.")
        }
        if hasNever, let node = mapping["unless"] ?? mapping["min_hits"] {
            throw .invalid(file: file, line: line(node), rule: id, problem: "never: rules take no unless: or min_hits: (the call counts when no turn matches).")
        }
        func compileList(_ key: String) throws(LexiconError) -> [PCRE2Regex] {
            guard let listNode = mapping[key] else { return [] }
            var sources: [(String, Int)] = []
            if let single = listNode.scalar?.string {
                sources = [(single, line(listNode))]
            } else if let list = listNode.sequence {
                for item in list {
                    guard let text = item.scalar?.string else {
                        throw .invalid(file: file, line: line(item), rule: id, problem: "\(key): must hold patterns as strings.")
                    }
                    sources.append((text, line(item)))
                }
            } else {
                throw .invalid(file: file, line: line(listNode), rule: id, problem: "\(key): must be a pattern or a list of patterns.")
            }
            if sources.isEmpty { throw .invalid(file: file, line: line(listNode), rule: id, problem: "\(key): is empty.") }
            var compiled: [PCRE2Regex] = []
            for (source, sourceLine) in sources {
                compiled.append(try compile(source, file: file, line: sourceLine, rule: id, macros: macros))
            }
            return compiled
        }
        var patterns = try compileList("pattern") + compileList("patterns") + compileList("never")
        if let nearNode = mapping["near"] {
            patterns.append(try compileNear(nearNode, within: mapping["within"], file: file, rule: id, macros: macros))
        } else if let withinNode = mapping["within"] {
            throw .invalid(file: file, line: line(withinNode), rule: id, problem: "within: only applies to near: rules.")
        }
        let unless = try compileList("unless")
        let (all, allSpeakers) = try compileSteps(mapping["all"], file: file, rule: id, macros: macros)
        guard all.count <= 64 else { throw .invalid(file: file, line: ruleLine, rule: id, problem: "all: takes at most 64 patterns.") }
        var inOrder = false
        if let node = mapping["in_order"] {
            guard let value = node.bool else { throw .invalid(file: file, line: line(node), rule: id, problem: "in_order must be true or false.") }
            guard hasAll else { throw .invalid(file: file, line: line(node), rule: id, problem: "in_order only applies to all: rules.") }
            inOrder = value
        }
        var minHits = 1
        if let node = mapping["min_hits"] {
            guard let value = node.int, value >= 1 else {
                throw .invalid(file: file, line: line(node), rule: id, problem: "min_hits must be a whole number of at least 1.")
            }
            minHits = value
        }
        let window = try readWindow(mapping["window"], file: file, rule: id)
        let examples = try readExamples(mapping["examples"], file: file, rule: id, speaker: speaker)
        var rule = LexiconRule(
            id: id, label: mapping["label"]?.string ?? id, category: category, file: file, line: ruleLine,
            speaker: speaker, patterns: patterns, unless: unless, all: all, allSpeakers: allSpeakers, inOrder: inOrder,
            window: window, minHits: minHits, examples: examples)
        rule.negated = hasNever
        rule.notIn = try compileList("not_in")
        if !rule.notIn.isEmpty && (hasAll || hasNever), let node = mapping["not_in"] {
            throw .invalid(file: file, line: line(node), rule: id, problem: "not_in: applies to pattern:, patterns: and near: rules.")
        }
        return rule
    }

    /// Expands macros, folds accents, compiles; errors carry PCRE2's message and offset.
    /// `pattern` with every `{NAME}` and `{numero…}` replaced by a character class of the same
    /// length («{COMPETIDOR}» → «[mmmmmmmmmm]»): compiles where the written pattern would, with
    /// every offset where it is in the text the analyst wrote.
    static func macrosNeutralized(_ pattern: String) -> String {
        var characters = Array(pattern)
        var index = 0
        while index < characters.count {
            guard characters[index] == "{", let close = characters[index...].firstIndex(of: "}") else {
                index += 1
                continue
            }
            let name = String(characters[(index + 1)..<close])
            if MacroDefinition.isName(name) || name == "numero" || name.hasPrefix("numero:") {
                let length = close - index + 1
                characters.replaceSubrange(index...close, with: Array("[" + String(repeating: "m", count: length - 2) + "]"))
            }
            index = close + 1
        }
        return String(characters)
    }

    static func hasFourDigits(_ literal: String) -> Bool {
        var run = 0
        for character in literal {
            run = character.isASCII && character.isNumber ? run + 1 : 0
            if run >= 4 { return true }
        }
        return false
    }

    static func compile(_ source: String, file: String, line: Int, rule: String, macros: [String: MacroDefinition]) throws(LexiconError) -> PCRE2Regex {
        let expanded = try expandMacros(source, macros: macros, file: file, line: line, rule: rule)
        let folded = PatternNumbers.folded(SpanishText.foldedAccents(expanded))
        let regex: PCRE2Regex
        do {
            regex = try PCRE2Regex(folded)
        } catch {
            // PCRE2's own words for a pattern past its size (not «code point … too large»).
            if error.message.contains("regular expression is too large") {
                throw .invalid(
                    file: file, line: line, rule: rule,
                    problem:
                        "the pattern is too large for PCRE2 (\(folded.utf8.count) bytes after macros); put a long word list in a word-list file (marcas.txt, one per line, used as {MARCAS}: it compiles to a trie, about 3,000 names fit), or split it into several patterns (patterns: [...]) or rules."
                )
            }
            // The error's place in the pattern as written: each macro or placeholder stands in as a
            // class of the same length, so offsets do not move with expansions or number folding.
            do {
                _ = try PCRE2Regex(Self.macrosNeutralized(source))
            } catch let written {
                throw .badPattern(file: file, line: line, rule: rule, pattern: source, offset: written.offset, problem: written.message)
            }
            throw .badPattern(file: file, line: line, rule: rule, pattern: folded, offset: error.offset, problem: error.message)
        }
        // Certain at load: a run of 4 digits or more never reaches a pattern (it is masked).
        if let literals = RequiredLiterals.of(regex.pattern), !literals.isEmpty,
            let digits = literals.sorted().first(where: Self.hasFourDigits), literals.allSatisfy(Self.hasFourDigits)
        {
            throw .invalid(
                file: file, line: line, rule: rule,
                problem:
                    "the pattern '\(source)' needs «\(digits)», but runs of 4 or more digits are masked as <numero> before any pattern reads a turn; write <numero> or {numero} there."
            )
        }
        if regex.canMatchEmpty {
            throw .invalid(
                file: file, line: line, rule: rule,
                problem:
                    "the pattern '\(source)' can match without a single word (an empty match), so it would match every turn; make its optional parts required or add a word it needs."
            )
        }
        return regex
    }

    static func ruleSpeaker(_ name: String?) -> RuleSpeaker? {
        switch name?.lowercased() {
        case "cliente", "customer": return .customer
        case "agente", "agent": return .agent
        case "cualquiera", "any": return .any
        default: return nil
        }
    }

    /// The steps of `all:`: each a pattern, or `cliente: '…'` / `agente: '…'` /
    /// `cualquiera: '…'` for a step read in that speaker's turns only.
    static func compileSteps(
        _ node: Node?, file: String, rule: String, macros: [String: MacroDefinition]
    ) throws(LexiconError) -> (patterns: [PCRE2Regex], speakers: [RuleSpeaker?]) {
        guard let node else { return ([], []) }
        guard let items = node.sequence, !items.isEmpty else {
            throw .invalid(file: file, line: line(node), rule: rule, problem: "all: must be a list of patterns.")
        }
        var patterns: [PCRE2Regex] = [], speakers: [RuleSpeaker?] = []
        for item in items {
            if let text = item.scalar?.string {
                patterns.append(try compile(text, file: file, line: line(item), rule: rule, macros: macros))
                speakers.append(nil)
            } else if let step = item.mapping, step.count == 1, let key = step.keys.first, let text = step.values.first?.scalar?.string,
                let speaker = ruleSpeaker(key.string)
            {
                patterns.append(try compile(text, file: file, line: line(item), rule: rule, macros: macros))
                speakers.append(speaker)
            } else {
                throw .invalid(
                    file: file, line: line(item), rule: rule,
                    problem: "each step of all: is a pattern, or cliente: / agente: / cualquiera: followed by a pattern.")
            }
        }
        return (patterns, speakers)
    }

    static func readWindow(_ node: Node?, file: String, rule: String) throws(LexiconError) -> RuleWindow? {
        guard let node else { return nil }
        guard let mapping = node.mapping else {
            throw .invalid(file: file, line: line(node), rule: rule, problem: "window must be {first: N} or {last: N}, optionally with turns: M.")
        }
        try checkKeys(mapping, allowed: ["first", "last", "turns"], file: file, rule: rule)
        let first = mapping["first"], last = mapping["last"]
        guard (first == nil) != (last == nil), let edgeNode = first ?? last, let seconds = edgeNode.float, seconds > 0 else {
            throw .invalid(file: file, line: line(node), rule: rule, problem: "window needs exactly one of first: or last: with a positive number.")
        }
        var turns: Int?
        if let turnsNode = mapping["turns"] {
            guard let value = turnsNode.int, value >= 1 else {
                throw .invalid(file: file, line: line(turnsNode), rule: rule, problem: "window turns: must be a whole number of at least 1.")
            }
            turns = value
        }
        return RuleWindow(edge: first != nil ? .first : .last, seconds: seconds, turns: turns)
    }

    static func readExamples(_ node: Node?, file: String, rule: String, speaker: RuleSpeaker) throws(LexiconError) -> [RuleExample] {
        guard let node else { return [] }
        guard let mapping = node.mapping else {
            throw .invalid(file: file, line: line(node), rule: rule, problem: "examples must have match: and no_match: lists.")
        }
        try checkKeys(mapping, allowed: ["match", "no_match"], file: file, rule: rule)
        let defaultSpeaker: Speaker = speaker == .agent ? .agent : .customer
        var examples: [RuleExample] = []
        for (key, mustMatch) in [("match", true), ("no_match", false)] {
            guard let listNode = mapping[key] else { continue }
            guard let list = listNode.sequence else {
                throw .invalid(file: file, line: line(listNode), rule: rule, problem: "examples \(key): must be a list.")
            }
            for item in list {
                var lines: [String] = []
                if let text = item.scalar?.string {
                    lines = [text]
                } else if let turns = item.sequence {
                    for turn in turns {
                        guard let text = turn.scalar?.string else {
                            throw .invalid(file: file, line: line(turn), rule: rule, problem: "a multi-turn example must be a list of strings.")
                        }
                        lines.append(text)
                    }
                } else {
                    throw .invalid(file: file, line: line(item), rule: rule, problem: "an example must be a string or a list of strings.")
                }
                let turns = lines.map { text -> Turn in
                    let (label, rest) = RecordParser.splitSpeakerLabel(Substring(text))
                    return Turn(speaker: label ?? defaultSpeaker, text: label == nil ? text : String(rest))
                }
                examples.append(RuleExample(turns: turns, mustMatch: mustMatch, text: lines.joined(separator: " / ")))
            }
        }
        return examples
    }

    static func checkKeys(_ mapping: Node.Mapping, allowed: Set<String>, file: String, rule: String?) throws(LexiconError) {
        for (key, _) in mapping {
            guard let name = key.string, allowed.contains(name) else {
                let known = allowed.sorted().joined(separator: ", ")
                throw .invalid(file: file, line: line(key), rule: rule, problem: "unknown key \(key.string ?? "?"); allowed here: \(known).")
            }
        }
    }

    static func line(_ node: Node) -> Int { node.mark?.line ?? 0 }

    static func yamlError(_ error: YamlError, file: String) -> LexiconError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return .malformedYAML(file: file, line: mark.line, column: mark.column, problem: problem)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return .malformedYAML(
                file: file, line: context.mark.line, column: context.mark.column,
                problem:
                    "the key \(duplicates.joined(separator: ", ")) is given twice in one mapping, and only one can count; keep one (several patterns go in patterns: [...])"
            )
        default:
            return .malformedYAML(file: file, line: 1, column: 1, problem: "\(error)")
        }
    }
}

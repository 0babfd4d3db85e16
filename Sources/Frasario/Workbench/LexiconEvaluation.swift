import Foundation

/// One row of a QA label file: a call (or turn) and the rules or categories it should trigger.
public struct LabelledCall: Sendable, Equatable {
    public var id: String
    /// Turns separated by " | ", each optionally "agente: …" or "cliente: …".
    public var text: String
    /// Rule ids and category names, as written.
    public var expected: Set<String>
    public var line: Int
}

/// Precision and recall of one rule or category against the labels.
public struct EvaluationScore: Sendable, Equatable {
    public enum Level: String, Sendable { case rule, category }
    /// A labelled row the lexicon got wrong.
    public struct Miss: Sendable, Equatable {
        public var id: String
        public var text: String
    }

    public var level: Level
    /// `category/rule` for rules, the category name for categories.
    public var name: String
    public var truePositives = 0
    public var falsePositives: [Miss] = []
    public var falseNegatives: [Miss] = []

    /// Nil when the lexicon predicted nothing (precision is undefined, not zero).
    public var precision: Double? {
        let predicted = truePositives + falsePositives.count
        return predicted == 0 ? nil : Double(truePositives) / Double(predicted)
    }
    /// Nil when nothing was expected.
    public var recall: Double? {
        let expected = truePositives + falseNegatives.count
        return expected == 0 ? nil : Double(truePositives) / Double(expected)
    }
    public var f1: Double? {
        guard let precision, let recall, precision + recall > 0 else { return nil }
        return 2 * precision * recall / (precision + recall)
    }
}

public struct EvaluationReport: Sendable {
    public var rows: Int
    public var rules: [EvaluationScore]
    public var categories: [EvaluationScore]
    /// One sentence per rule that ran into the PCRE2 limits on the labelled calls.
    public var limitErrors: [String] = []
}

/// `frasario lexicon eval`: the lexicon against calls labelled by QA.
enum LexiconEvaluation {
    /// Scores every rule and category the labels name (every one, with `everything`: then
    /// the labels are taken as exhaustive and an unlabelled match is a false positive).
    /// - Throws: `WorkbenchError.unknownLabel` for a label that is neither a rule nor a category.
    static func evaluate(_ labels: [LabelledCall], lexicon: Lexicon, file: String, everything: Bool = false) throws(WorkbenchError) -> EvaluationReport {
        let categoryOfRule = LexiconTally.categoryOfRule(lexicon)
        let ruleNames = Dictionary(uniqueKeysWithValues: lexicon.rules.enumerated().map { ($1.id, $0) })
        var categoryNames = Dictionary(uniqueKeysWithValues: lexicon.categories.enumerated().map { ($1.name, $0) })
        // A category's title as the reports print it («Baja y cancelación») names it too.
        for (index, category) in lexicon.categories.enumerated() where categoryNames[category.title.lowercased()] == nil {
            categoryNames[category.title.lowercased()] = index
        }
        // What each row expects, as rule and category indices.
        var expectedRules: [Set<Int>] = [], expectedCategories: [Set<Int>] = []
        for label in labels {
            var rules = Set<Int>(), categories = Set<Int>()
            for written in label.expected {
                // As the eval table prints them too: CATEGORY in capitals, category/rule.
                var name = written.lowercased()
                if let slash = name.lastIndex(of: "/"), categoryNames[String(name[..<slash])] != nil {
                    name = String(name[name.index(after: slash)...])
                }
                if let rule = ruleNames[name] ?? ruleNames[written] {
                    rules.insert(rule)
                    categories.insert(categoryOfRule[rule])
                } else if let category = categoryNames[name] ?? categoryNames[written.lowercased()] {
                    categories.insert(category)
                } else {
                    throw .unknownLabel(file: file, line: label.line, label: written)
                }
            }
            expectedRules.append(rules)
            expectedCategories.append(categories)
        }
        let ruleScope = everything ? Set(lexicon.rules.indices) : expectedRules.reduce(into: Set<Int>()) { $0.formUnion($1) }
        let categoryScope = everything ? Set(lexicon.categories.indices) : expectedCategories.reduce(into: Set<Int>()) { $0.formUnion($1) }
        var ruleScores = Dictionary(
            uniqueKeysWithValues: ruleScope.map { rule in
                (rule, EvaluationScore(level: .rule, name: "\(lexicon.categories[categoryOfRule[rule]].name)/\(lexicon.rules[rule].id)"))
            })
        var categoryScores = Dictionary(uniqueKeysWithValues: categoryScope.map { ($0, EvaluationScore(level: .category, name: lexicon.categories[$0].name)) })
        let evaluator = LexiconEvaluator(lexicon, excerpts: true)
        for (row, label) in labels.enumerated() {
            let call = LexiconEvaluator.call(id: label.id, text: label.text, source: SourceLocation(file: file, line: label.line))
            let matched = evaluator.evaluate(call).matchedRules
            let matchedCategories = Set(matched.map { categoryOfRule[$0] })
            let miss = EvaluationScore.Miss(id: label.id, text: label.text)
            for rule in ruleScope {
                // A row labelled with a category but none of its rules says nothing about which rule.
                let category = categoryOfRule[rule]
                if label.expected.contains(lexicon.categories[category].name)
                    && !expectedRules[row].contains(where: { categoryOfRule[$0] == category })
                {
                    continue
                }
                score(&ruleScores[rule]!, predicted: matched.contains(rule), expected: expectedRules[row].contains(rule), miss)
            }
            for category in categoryScope {
                score(&categoryScores[category]!, predicted: matchedCategories.contains(category), expected: expectedCategories[row].contains(category), miss)
            }
        }
        return EvaluationReport(
            rows: labels.count, rules: ruleScores.values.sorted { $0.name < $1.name },
            categories: categoryScores.values.sorted { $0.name < $1.name }, limitErrors: evaluator.limitErrorSentences)
    }

    private static func score(_ score: inout EvaluationScore, predicted: Bool, expected: Bool, _ miss: EvaluationScore.Miss) {
        switch (predicted, expected) {
        case (true, true): score.truePositives += 1
        case (true, false): score.falsePositives.append(miss)
        case (false, true): score.falseNegatives.append(miss)
        case (false, false): break
        }
    }

    /// Reads a label file: a CSV with `id`, `text` and `expected` columns (others ignored);
    /// `expected` lists rule ids or category names separated by `;` or `,`, empty for none.
    /// What a spreadsheet saves is read too: `;`-separated columns (Spanish locale), a
    /// byte-order mark, Windows-1252 text.
    static func readLabels(_ path: String) throws(WorkbenchError) -> [LabelledCall] {
        guard let data = FileManager.default.contents(atPath: path) else { throw .cannotRead(path: path) }
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard let text = String(validating: bytes, as: UTF8.self) ?? String(data: Data(bytes), encoding: .windowsCP1252) else {
            throw .cannotRead(path: path)
        }
        let firstLine = text.prefix { $0 != "\n" && $0 != "\r\n" }
        let separator: Character = firstLine.contains(";") && !firstLine.contains(",") ? ";" : ","
        let records = CSVReader.records(text, separator: separator)
        guard let header = records.first?.fields.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }),
            let id = header.firstIndex(of: "id"), let body = header.firstIndex(of: "text"), let expected = header.firstIndex(of: "expected")
        else {
            let found = records.first?.fields.joined(separator: ", ") ?? ""
            throw .badLabels(
                file: path, line: 1,
                problem:
                    "the first line must name the columns id, text and expected (found: \(found.isEmpty ? "nothing" : found)); columns may be separated by , or ;")
        }
        var labels: [LabelledCall] = []
        for record in records.dropFirst() where !record.fields.allSatisfy({ $0.isEmpty }) {
            guard record.fields.count > max(id, body, expected) else {
                throw .badLabels(file: path, line: record.line, problem: "the row has \(record.fields.count) fields, the header \(header.count)")
            }
            let names = record.fields[expected].split { $0 == ";" || $0 == "," }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            labels.append(LabelledCall(id: record.fields[id], text: record.fields[body], expected: Set(names), line: record.line))
        }
        return labels
    }
}

/// Reads RFC 4180 CSV (quoted fields, doubled quotes, newlines inside quotes), keeping the
/// line each record starts on for messages.
enum CSVReader {
    static func records(_ text: String, separator: Character = ",") -> [(fields: [String], line: Int)] {
        var records: [(fields: [String], line: Int)] = []
        var fields: [String] = [], field = "", quoted = false, line = 1, recordLine = 1, afterQuote = false
        var characters = text.makeIterator()
        while let character = characters.next() {
            if quoted {
                if character == "\"" { quoted = false; afterQuote = true } else { field.append(character) }
                if character == "\n" || character == "\r\n" { line += 1 }
                continue
            }
            switch character {
            case "\"":
                if afterQuote { field.append("\"") }
                quoted = true
                afterQuote = false
            case separator:
                fields.append(field); field = ""; afterQuote = false
            case "\n", "\r\n":
                fields.append(field); field = ""; afterQuote = false
                records.append((fields, recordLine))
                fields = []
                line += 1
                recordLine = line
            default:
                field.append(character); afterQuote = false
            }
        }
        if !field.isEmpty || !fields.isEmpty {
            fields.append(field)
            records.append((fields, recordLine))
        }
        return records
    }
}

/// Failures of the QA tools; each description is one sentence naming the file.
public enum WorkbenchError: FrasarioFailure {
    case cannotRead(path: String)
    case badLabels(file: String, line: Int, problem: String)
    case unknownLabel(file: String, line: Int, label: String)
    case unknownRule(String, known: [String])
    case unknownCall(String, file: String, known: [String])
    case noCalls(file: String)

    public var description: String {
        switch self {
        case .cannotRead(let path): return "Cannot read \(path) as UTF-8 text."
        case .badLabels(let file, let line, let problem): return "\(file):\(line): \(problem)."
        case .unknownLabel(let file, let line, let label):
            return "\(file):\(line): «\(label)» is neither a rule id nor a category of the lexicon; fix the label or the --lexicons folder."
        case .unknownRule(let rule, let known):
            return "There is no rule \(rule) in the lexicon (rules include: \(known.prefix(8).joined(separator: ", "))\(known.count > 8 ? ", …" : ""))."
        case .unknownCall(let call, let file, let known):
            return "\(file) has no call \(call) (calls: \(known.prefix(8).joined(separator: ", "))\(known.count > 8 ? ", …" : ""))."
        case .noCalls(let file): return "\(file) holds no call that could be read; see frasario run for the reasons."
        }
    }
}

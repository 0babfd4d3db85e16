/// Finds, for a PCRE2 pattern, a set of literal strings such that every match of the pattern
/// contains at least one of them. A turn that contains none of them cannot match, so the
/// pattern need not run on it. The analysis is conservative: any construct it does not fully
/// understand makes it answer "no requirement" (nil), never a wrong requirement.
///
/// It follows the classic prefilter construction (as in RE2 and Google Code Search): each
/// sub-expression yields either the exact set of strings it can match (while that set is
/// small) or a set of strings one of which every match must contain.
enum RequiredLiterals {
    /// Largest exact set kept before it is turned into a requirement.
    static let maximumExact = 64
    /// Shortest useful literal, in bytes: shorter ones are in almost every turn.
    static let minimumLength = 2

    /// Literals one of which every match of `pattern` contains, lowercased; nil when none can be
    /// proven (the pattern then runs on every turn and is reported as a slow pattern).
    static func of(_ pattern: String) -> Set<String>? {
        if pattern.contains("(?x") || pattern.contains("(*") { return nil }
        var parser = Parser(Array(pattern.unicodeScalars))
        guard let info = parser.parseAlternation(), parser.atEnd else { return nil }
        guard let required = info.required, !required.isEmpty,
            required.allSatisfy({ $0.utf8.count >= minimumLength })
        else { return nil }
        return required
    }

    /// What is known of one sub-expression.
    struct Info {
        /// Every string the sub-expression can match, when known and small.
        var exact: Set<String>?
        /// Strings one of which every match contains; nil means no requirement.
        var match: Set<String>?

        static let anything = Info(exact: nil, match: nil)
        static let empty = Info(exact: [""], match: nil)

        /// The requirement this sub-expression imposes on its own.
        var required: Set<String>? {
            if let exact, !exact.contains("") { return exact }
            return match
        }

        /// The better of two requirements: the one whose shortest literal is longest.
        static func best(_ first: Set<String>?, _ second: Set<String>?) -> Set<String>? {
            guard let first else { return second }
            guard let second else { return first }
            let firstShortest = first.map(\.utf8.count).min() ?? 0
            let secondShortest = second.map(\.utf8.count).min() ?? 0
            if firstShortest != secondShortest { return firstShortest > secondShortest ? first : second }
            return first.count <= second.count ? first : second
        }

        func alternated(with other: Info) -> Info {
            if let left = exact, let right = other.exact, left.count + right.count <= RequiredLiterals.maximumExact {
                return Info(exact: left.union(right), match: nil)
            }
            if let left = required, let right = other.required { return Info(exact: nil, match: left.union(right)) }
            return .anything
        }
    }

    /// A small recursive-descent reader of PCRE2 syntax.
    struct Parser {
        let scalars: [Unicode.Scalar]
        var position = 0

        init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

        var atEnd: Bool { position >= scalars.count }
        func peek(_ offset: Int = 0) -> Unicode.Scalar? {
            position + offset < scalars.count ? scalars[position + offset] : nil
        }

        mutating func parseAlternation() -> Info? {
            guard var result = parseSequence() else { return nil }
            while peek() == "|" {
                position += 1
                guard let next = parseSequence() else { return nil }
                result = result.alternated(with: next)
            }
            return result
        }

        /// A concatenation: literal runs are multiplied out while small ("es la " + "tercera"),
        /// and a part that is not exact closes the run, keeping the best requirement seen.
        mutating func parseSequence() -> Info? {
            var run: Set<String> = [""]
            var allExact = true
            var requirement: Set<String>?
            func runRequirement(_ run: Set<String>) -> Set<String>? { run.contains("") ? nil : run }
            while let scalar = peek(), scalar != "|", scalar != ")" {
                // A run of plain characters with no quantifier on any is one exact string: the
                // same product as multiplying it in character by character, built once.
                if let text = plainRun() {
                    var product = Set<String>()
                    for prefix in run { product.insert(prefix + text) }
                    run = product
                    continue
                }
                guard let atom = parseAtom(), let quantified = parseQuantifier(atom) else { return nil }
                if let exact = quantified.exact {
                    if run.count * exact.count <= RequiredLiterals.maximumExact {
                        var product = Set<String>()
                        for prefix in run { for suffix in exact { product.insert(prefix + suffix) } }
                        run = product
                    } else {
                        allExact = false
                        requirement = Info.best(requirement, runRequirement(run))
                        run = exact
                    }
                    requirement = Info.best(requirement, quantified.match)
                } else {
                    allExact = false
                    requirement = Info.best(requirement, runRequirement(run))
                    requirement = Info.best(requirement, quantified.match)
                    run = [""]
                }
            }
            if allExact && requirement == nil { return Info(exact: run, match: nil) }
            return Info(exact: nil, match: Info.best(requirement, runRequirement(run)))
        }

        mutating func parseQuantifier(_ atom: Info) -> Info? {
            guard let scalar = peek() else { return atom }
            var quantified: Info
            switch scalar {
            case "?":
                position += 1
                quantified = atom.exact.map { Info(exact: $0.union([""]), match: nil) } ?? .anything
            case "*":
                position += 1
                quantified = .anything
            case "+":
                position += 1
                quantified = Info(exact: nil, match: atom.required)
            case "{":
                guard let (minimum, maximum) = readBraces() else { return atom }  // a literal "{"
                if minimum == 0 {
                    quantified = maximum == 1 ? (atom.exact.map { Info(exact: $0.union([""]), match: nil) } ?? .anything) : .anything
                } else if minimum == 1 && maximum == 1 {
                    quantified = atom
                } else {
                    quantified = Info(exact: nil, match: atom.required)
                }
            default:
                return atom
            }
            // Lazy or possessive suffix changes nothing for what a match contains.
            if let suffix = peek(), suffix == "?" || suffix == "+" { position += 1 }
            return quantified
        }

        /// Reads `{n}`, `{n,}` or `{n,m}`; returns nil (and does not move) when it is not a quantifier.
        mutating func readBraces() -> (Int, Int?)? {
            var cursor = position + 1
            var digits = ""
            while cursor < scalars.count, let value = Optional(scalars[cursor]), ("0"..."9").contains(value) {
                digits.unicodeScalars.append(value); cursor += 1
            }
            guard let minimum = Int(digits), cursor < scalars.count else { return nil }
            var maximum: Int? = minimum
            if scalars[cursor] == "," {
                cursor += 1
                var upper = ""
                while cursor < scalars.count, ("0"..."9").contains(scalars[cursor]) { upper.unicodeScalars.append(scalars[cursor]); cursor += 1 }
                maximum = upper.isEmpty ? nil : Int(upper)
            }
            guard cursor < scalars.count, scalars[cursor] == "}" else { return nil }
            position = cursor + 1
            return (minimum, maximum)
        }

        mutating func parseAtom() -> Info? {
            guard let scalar = peek() else { return nil }
            switch scalar {
            case "(":
                return parseGroup()
            case "[":
                return parseClass()
            case ".":
                position += 1
                return .anything
            case "^", "$":
                position += 1
                return .empty
            case "\\":
                return parseEscape()
            case "*", "+", "?":
                return nil  // a quantifier with nothing to repeat: not ours to judge
            default:
                position += 1
                return literal(scalar)
            }
        }

        /// Whether `scalar` is a character that stands for itself (the default case of `parseAtom`).
        static func isPlain(_ scalar: Unicode.Scalar) -> Bool {
            switch scalar {
            case "(", ")", "[", ".", "^", "$", "\\", "*", "+", "?", "|", "{": return false
            default: return true
            }
        }

        /// Reads two or more plain characters, none followed by a quantifier, as one lowercased
        /// string; nil (not moving) otherwise.
        mutating func plainRun() -> String? {
            var end = position
            while end < scalars.count, Self.isPlain(scalars[end]) {
                if end + 1 < scalars.count, "?*+{".unicodeScalars.contains(scalars[end + 1]) { break }
                end += 1
            }
            guard end - position >= 2 else { return nil }
            var text = ""
            for scalar in scalars[position..<end] { text += String(Character(scalar)).lowercased() }
            position = end
            return text
        }

        func literal(_ scalar: Unicode.Scalar) -> Info {
            Info(exact: [String(Character(scalar)).lowercased()], match: nil)
        }

        mutating func parseGroup() -> Info? {
            position += 1  // (
            var zeroWidth = false
            if peek() == "?" {
                guard let kind = peek(1) else { return nil }
                switch kind {
                case ":", ">", "|":
                    position += 2
                case "=", "!":
                    position += 2; zeroWidth = true
                case "<":
                    if peek(2) == "=" || peek(2) == "!" {
                        position += 3; zeroWidth = true
                    } else {
                        guard skipName(closing: ">", from: position + 2) else { return nil }
                    }
                case "P":
                    guard peek(2) == "<", skipName(closing: ">", from: position + 3) else { return nil }
                case "'":
                    guard skipName(closing: "'", from: position + 2) else { return nil }
                case "#":
                    while let next = peek(), next != ")" { position += 1 }
                    position += 1
                    return .empty
                default:
                    // Option settings such as (?i) or (?i:…); anything else (recursion…) is not understood.
                    var cursor = position + 1
                    while cursor < scalars.count, "imnsUJ-".unicodeScalars.contains(scalars[cursor]) { cursor += 1 }
                    guard cursor < scalars.count, cursor > position + 1 else { return nil }
                    if scalars[cursor] == ")" { position = cursor + 1; return .empty }
                    guard scalars[cursor] == ":" else { return nil }
                    position = cursor + 1
                }
            }
            guard let inner = parseAlternation(), peek() == ")" else { return nil }
            position += 1
            return zeroWidth ? .empty : inner
        }

        mutating func skipName(closing: Unicode.Scalar, from start: Int) -> Bool {
            var cursor = start
            while cursor < scalars.count, scalars[cursor] != closing { cursor += 1 }
            guard cursor < scalars.count else { return false }
            position = cursor + 1
            return true
        }

        mutating func parseClass() -> Info? {
            position += 1  // [
            var members = Set<String>()
            var understood = true
            if peek() == "^" { understood = false; position += 1 }
            var first = true
            while let scalar = peek() {
                if scalar == "]" && !first { break }
                first = false
                if scalar == "\\" {
                    guard let escaped = peek(1) else { return nil }
                    position += 2
                    if escaped.properties.isAlphabetic || ("0"..."9").contains(escaped) { understood = false } else { members.insert(String(Character(escaped))) }
                    continue
                }
                if scalar == "[" && peek(1) == ":" {
                    understood = false
                    while let next = peek(), next != "]" { position += 1 }
                    position += 1
                    continue
                }
                if peek(1) == "-", let end = peek(2), end != "]" {
                    understood = false
                    position += 3
                    continue
                }
                members.insert(String(Character(scalar)).lowercased())
                position += 1
            }
            guard peek() == "]" else { return nil }
            position += 1
            guard understood, !members.isEmpty, members.count <= 8 else { return .anything }
            return Info(exact: members, match: nil)
        }

        mutating func parseEscape() -> Info? {
            guard let escaped = peek(1) else { return nil }
            position += 2
            switch escaped {
            case "b", "B", "A", "z", "Z", "G", "K":
                return .empty
            case "w", "W", "d", "D", "s", "S", "h", "H", "v", "V", "N", "R", "X", "C":
                return .anything
            case "p", "P":
                if peek() == "{" { while let next = peek(), next != "}" { position += 1 }; position += 1 } else { position += 1 }
                return .anything
            case "Q":
                var text = ""
                while let next = peek(), !(next == "\\" && peek(1) == "E") { text.unicodeScalars.append(next); position += 1 }
                if !atEnd { position += 2 }
                return Info(exact: [text.lowercased()], match: nil)
            case "n", "t", "r", "f", "e", "a":
                return .anything
            default:
                if escaped.properties.isAlphabetic || ("0"..."9").contains(escaped) { return nil }  // \x, \g, \1, \k…
                return literal(escaped)
            }
        }
    }
}

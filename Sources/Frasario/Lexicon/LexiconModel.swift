/// Restricts a rule to the start or the end of a call: N seconds when the call's turns have
/// times, otherwise `turns` turns (N when not given).
public struct RuleWindow: Sendable, Equatable {
    public enum Edge: String, Sendable { case first, last }
    public var edge: Edge
    public var seconds: Double
    /// The window in turns for calls without times (`turns:`); nil when the rule gives none:
    /// then the rule is not applied to such calls, and the run says in how many.
    public var turns: Int?
}

/// One rule example: a small call (one turn or several) that must match, or must not.
public struct RuleExample: Sendable, Equatable {
    public var turns: [Turn]
    public var mustMatch: Bool
    /// The example as written in the file, for messages.
    public var text: String
}

/// A compiled rule. Patterns run on the normalized, accent-folded, lowercase turn.
public struct LexiconRule: Sendable {
    public var id: String
    public var label: String
    public var category: String
    public var file: String
    public var line: Int
    public var speaker: RuleSpeaker
    /// Turn-level alternatives: a turn matches when any of them matches.
    public var patterns: [PCRE2Regex]
    /// Vetoes: a turn that matches any of these does not count, even if a pattern matched.
    public var unless: [PCRE2Regex]
    /// Per occurrence: a match lying inside a match of one of these does not count
    /// («credito» `not_in: ['tarjeta de credito']`), other occurrences in the turn still do.
    public var notIn: [PCRE2Regex] = []
    /// Call-level conjunction: every pattern must match some turn of the call.
    public var all: [PCRE2Regex]
    /// Per step of `all:`, the speaker whose turns it reads (`- agente: '…'`); nil: the rule's.
    public var allSpeakers: [RuleSpeaker?] = []
    public var inOrder: Bool
    public var window: RuleWindow?
    public var minHits: Int
    public var examples: [RuleExample]

    public var isCallLevel: Bool { !all.isEmpty }
    /// `never:`: the call counts when none of the patterns matched a turn the rule reads
    /// (compliance: the agent never gave the legal notice), and it has such a turn to judge.
    public var negated = false

    /// The speakers whose turns the rule reads at all: with a speaker per step, any of them.
    public var turnSpeaker: RuleSpeaker { allSpeakers.contains { $0 != nil } ? .any : speaker }
}

/// A category: one YAML file of rules.
public struct LexiconCategory: Sendable {
    public var name: String
    public var title: String
    public var description: String
    public var kind: CategoryKind
    public var file: String
    /// Indices into `Lexicon.rules`, in file order.
    public var ruleIndices: [Int]
}

/// Every category and rule of a lexicon folder, compiled once at load, shared by all workers.
public struct Lexicon: Sendable {
    public var categories: [LexiconCategory]
    public var rules: [LexiconRule]
    public var directory: String
    public var files: [String]
    /// The files' names and texts, as loaded: what partials carry so that a merge compiles the
    /// very same lexicon.
    var sources: [LexiconSource] = []

    public static let empty = Lexicon(categories: [], rules: [], directory: "", files: [])
}

/// One lexicon file: its name in the folder and its text.
struct LexiconSource: Sendable, Codable, Equatable {
    var name: String
    var text: String
}

/// Everything a run found, in the shape every report is written from. Codable, so the JSON
/// report is this value as is, and a report can be re-rendered without the transcripts.
public struct RunResult: Codable, Sendable, Equatable {
    /// 2: run date, trends, emerging phrases and the history context.
    /// 3: keywords ranking; cohesion, keyness and slot per row; question phrases start at
    /// their interrogative; unlabelled turns attributed to customers or agents.
    /// 4: trends hold unknown figures as null (never 0) and steady rises and falls over up
    ///    to 14 nights (`steady`); series reach back 13 nights; `topics`; a category counts
    ///    its customer-side rules.
    public static let currentSchemaVersion = 5

    public var schemaVersion = RunResult.currentSchemaVersion
    public var generator: String
    public var options: RunOptions
    public var summary: RunSummary
    public var phrases: [PhraseRow]
    public var categories: [CategoryResult]
    public var ruleErrors: [RuleErrorRow]
    /// Phrases significantly above their baseline, or new, ranked by evidence (strongest
    /// first). Empty without a history or on its first run.
    public var emerging: [PhraseRow]
    /// Topics of the customer rankings and emerging phrases, most calls first (nil in
    /// reports of schema 3 and earlier).
    public var topics: [TopicRow]?
    /// The whole calls that topics and emerging phrases quote, as written, personal data
    /// masked, by call id (nil in reports of schema 3 and earlier).
    public var quotedCalls: [QuotedCall]?
    /// The earlier runs the trends were measured against; nil when the run kept no history.
    public var history: HistoryContext?
    /// Frequent customer questions and complaints no rule recognises; nil without lexicons.
    public var coverage: Coverage?

    public init(
        generator: String, options: RunOptions, summary: RunSummary, phrases: [PhraseRow],
        categories: [CategoryResult] = [], ruleErrors: [RuleErrorRow] = [], emerging: [PhraseRow] = [],
        history: HistoryContext? = nil
    ) {
        self.generator = generator
        self.options = options
        self.summary = summary
        self.phrases = phrases
        self.categories = categories
        self.ruleErrors = ruleErrors
        self.emerging = emerging
        self.history = history
    }

    /// The rows of one ranking, in rank order.
    public func ranking(_ kind: RankingKind) -> [PhraseRow] { phrases.filter { $0.ranking == kind } }
}

/// The options that shaped the figures, recorded so a report explains itself.
public struct RunOptions: Codable, Sendable, Equatable {
    public var maxN: Int
    public var minCount: Int
    public var minCalls: Int
    public var top: Int
    public var lexicons: [String]
    /// The cohesion a phrase of 2 or more words needed, and the keyness a keyword needed
    /// (nil in reports of schema 2 and earlier).
    public var minCohesion: Double?
    public var minKeyness: Double?
}

/// Accounting of the run: every call read is either processed or rejected.
public struct RunSummary: Codable, Sendable, Equatable {
    public var callsRead = 0
    public var callsProcessed = 0
    public var callsRejected = 0
    public var duplicateCalls = 0
    public var files = 0
    public var turns = 0
    public var turnsBySpeaker = SpeakerFigures()
    public var customerQuestionTurns = 0
    /// Diarized calls (spk_0, SPEAKER_01…) whose agent was recognised by its greeting.
    public var callsMappedByGreeting = 0
    public var tokens = 0
    /// Words counted by speaker (nil in reports of schema 2 and earlier): the corpus sizes
    /// that keyness and cohesion are measured against.
    public var tokensBySpeaker: SpeakerFigures?
    public var piiMasked = PIIFigures()
    /// 0 when counts are exact; otherwise every count may be this much below the truth
    /// (the count tables pruned rare phrases to stay under --max-memory).
    public var countErrorBound = 0
    public var dates: [String] = []
    /// The night this run stands for in the history: `--date`, else the day with the most calls,
    /// else the day the run was made.
    public var runDate = ""
    /// Where `runDate` came from: `option`, `calls` or `today`.
    public var runDateSource = ""
    public var warnings: [String] = []

    public init() {}
}

public struct SpeakerFigures: Codable, Sendable, Equatable {
    public var customer = 0
    public var agent = 0
    public var unknown = 0

    public init(customer: Int = 0, agent: Int = 0, unknown: Int = 0) {
        self.customer = customer
        self.agent = agent
        self.unknown = unknown
    }
}

public struct PIIFigures: Codable, Sendable, Equatable {
    public var email = 0
    public var card = 0
    public var number = 0
    public var url = 0
    /// Names after «me llamo», «mi nombre es»… (nil in reports of schema 3 and earlier).
    public var name: Int? = 0
    /// Street addresses with their number (nil in reports of schema 4 and earlier).
    public var address: Int? = 0
    /// Birth dates (nil in reports of schema 4 and earlier).
    public var birthDate: Int? = 0

    public init() {}

    /// Every mask, whatever its kind.
    public var total: Int { email + card + number + url + (name ?? 0) + (address ?? 0) + (birthDate ?? 0) }

    /// Adds `count` masks of `kind`.
    public mutating func add(_ kind: PIIMask, _ count: Int) {
        switch kind {
        case .email: email += count
        case .card: card += count
        case .number: number += count
        case .url: url += count
        case .name: name = (name ?? 0) + count
        case .address: address = (address ?? 0) + count
        case .birthDate: birthDate = (birthDate ?? 0) + count
        }
    }

    /// Adds another run's figures; a kind unknown in either stays unknown.
    public mutating func add(_ other: PIIFigures) {
        email += other.email
        card += other.card
        number += other.number
        url += other.url
        name = name.flatMap { mine in other.name.map { mine + $0 } }
        address = address.flatMap { mine in other.address.map { mine + $0 } }
        birthDate = birthDate.flatMap { mine in other.birthDate.map { mine + $0 } }
    }
}

/// The rankings a run produces.
public enum RankingKind: String, Codable, Sendable, CaseIterable {
    /// Phrases customers say, by number of calls.
    case customer
    /// Phrases inside customers' questions.
    case customerQuestions = "customer_questions"
    /// Phrases agents say.
    case agent
    /// Every speaker together, including unlabelled transcripts.
    case all
    /// Single words customers use far more than general Spanish does.
    case keywords

    public var spanishTitle: String {
        switch self {
        case .customer: return "Lo que más dicen los clientes"
        case .customerQuestions: return "Lo que más preguntan los clientes"
        case .agent: return "Lo que más dicen los agentes"
        case .all: return "Todas las frases (cualquier hablante)"
        case .keywords: return "Palabras clave"
        }
    }
}

/// One ranked phrase. `count` and `calls` are measured in the ranking's own view
/// (customer turns for `customer`, customer questions for `customer_questions`…).
public struct PhraseRow: Codable, Sendable, Equatable {
    public var ranking: RankingKind
    public var rank: Int
    public var text: String
    public var n: Int
    public var count: Int
    public var calls: Int
    public var shareOfCalls: Double
    public var speakers: PhraseSpeakers
    public var score: Double
    public var examples: [PhraseExample]
    /// Against earlier runs; nil without history.
    public var trend: Trend?
    /// Phrases of 2 or more words: how much their words belong together (NPMI of the weakest
    /// split, 0 = chance, 1 = only together).
    public var cohesion: Double?
    /// Keywords: how many times more often these calls use the word than general Spanish.
    public var keyness: Double?
    /// A position many different words fill («le atiende ‹nombre›»), with its fillers.
    public var slot: PhraseSlot?
}

/// A slot of a phrase row: the words said in that position, most calls first.
public struct PhraseSlot: Codable, Sendable, Equatable {
    /// `before` or `after` the phrase's words.
    public var position: String
    /// What the fillers are: «nombre», «número» or «…».
    public var label: String
    public var fillers: [SlotFiller]
    /// Occurrences of the phrase with none of the listed fillers there (a rarer word, or nothing).
    public var otherOccurrences: Int
}

public struct SlotFiller: Codable, Sendable, Equatable {
    public var text: String
    public var count: Int
    public var calls: Int
}

public struct PhraseSpeakers: Codable, Sendable, Equatable {
    public var customer: SpeakerCount
    public var agent: SpeakerCount
    public var unknown: SpeakerCount
}

public struct SpeakerCount: Codable, Sendable, Equatable {
    public var count: Int
    public var calls: Int
}

/// A quoted occurrence: the normalized turn around the phrase, with PII already masked.
public struct PhraseExample: Codable, Sendable, Equatable {
    public var callId: String
    public var speaker: Speaker
    public var text: String
    /// The phrase as written in this turn, to highlight it in `text`.
    public var match: String
}

/// Lexicon results for one category (filled by the lexicon stage).
public struct CategoryResult: Codable, Sendable, Equatable {
    public var category: String
    public var title: String
    public var description: String
    public var kind: CategoryKind
    public var file: String
    /// Calls where one of the category's customer-side rules matched (agent rules are the
    /// agents' protocol, listed in the report's own section).
    public var calls: Int
    public var shareOfCalls: Double
    /// Turns matched by the customer-side rules.
    public var turns: Int
    public var rules: [RuleResult]
    public var trend: Trend?
}

public struct RuleResult: Codable, Sendable, Equatable {
    public var id: String
    public var label: String
    /// Whose turns the rule reads: cliente, agente or cualquiera.
    public var speaker: String
    public var calls: Int
    public var shareOfCalls: Double
    public var turns: Int
    public var errors: Int
    public var topMatches: [MatchedText]
    public var examples: [PhraseExample]
    public var trend: Trend?
}

public struct MatchedText: Codable, Sendable, Equatable {
    public var text: String
    public var count: Int
}

/// A rule that hit PCRE2's match or depth limit on some turns: counted, reported, never fatal.
public struct RuleErrorRow: Codable, Sendable, Equatable {
    public var category: String
    public var rule: String
    public var turns: Int
    public var message: String
    public var example: String
}

/// Phrases said in largely the same calls tonight: one need, question or incident in its
/// several wordings, named by the member said in the most calls.
public struct TopicRow: Codable, Sendable, Equatable {
    public var rank: Int
    public var name: String
    /// Calls where any member was said, by anyone (a union, not a sum); estimated from a
    /// sample of call ids when `callsEstimated` (past 8,192 calls per phrase).
    public var calls: Int
    public var callsEstimated: Bool
    public var shareOfCalls: Double
    /// The name first, then by calls.
    public var members: [TopicMember]
    /// The naming phrase's trend (the history keeps phrases, not topics).
    public var trend: Trend?
    /// True when one of its members emerges tonight.
    public var emerging: Bool
    /// The naming phrase's examples: quotes from the topic's core calls.
    public var examples: [PhraseExample]
}

/// A call as written, personal data masked: every turn with words, in order.
public struct QuotedCall: Codable, Sendable, Equatable {
    public var callId: String
    public var turns: [QuotedTurn]
}

public struct QuotedTurn: Codable, Sendable, Equatable {
    public var speaker: Speaker
    public var text: String
}

public struct TopicMember: Codable, Sendable, Equatable {
    public var text: String
    public var ranking: RankingKind
    /// The member's calls in its ranking's view, as in its phrase row.
    public var calls: Int
    /// Calls (any speaker) the member shares with the topic's name.
    public var sharedCalls: Int
    public var trend: Trend?
}

/// What the lexicons miss, ranked as in the phrase rankings, with examples.
public struct Coverage: Codable, Sendable, Equatable {
    /// "Preguntas sin categoría": frequent customer questions no rule recognises.
    public var questions: [PhraseRow]
    /// Frequent customer phrases with a complaint cue (otra vez, nadie, no funciona…) no rule recognises.
    public var frustrations: [PhraseRow]
}

/// The lexicon fast path: every pattern's required literals (see `RequiredLiterals`) in one
/// `LiteralScanner`, so a turn is scanned once and PCRE2 runs only for the patterns whose
/// literals it contains. Patterns without a provable literal always run; their rules are
/// "slow rules", listed in the run summary so QA can give them a literal word.
/// Results are identical to running every pattern on every turn (tested).
struct LexiconPrefilter: Sendable {
    /// First global pattern index of each rule: its `patterns`, then its `all` patterns.
    let patternBase: [Int]
    let patternCount: Int
    /// Patterns that run on every turn (no literal could be proven).
    let alwaysRun: [Bool]
    let scanner: LiteralScanner
    /// For each literal, the patterns it enables.
    let literalPatterns: [[Int]]
    /// The rule of each pattern.
    let patternRule: [Int]
    /// Rules with a pattern that always runs: candidates on every turn.
    let alwaysRunRules: [Int]
    /// Ids of rules with at least one pattern that always runs.
    let slowRules: [String]

    init(_ lexicon: Lexicon) {
        var base: [Int] = []
        var always: [Bool] = []
        var literalIDs: [String: Int] = [:]
        var literals: [[UInt8]] = []
        var literalPatterns: [[Int]] = []
        var slow: [String] = []
        var patternRule: [Int] = []
        var alwaysRunRules: [Int] = []
        for (ruleIndex, rule) in lexicon.rules.enumerated() {
            base.append(always.count)
            var ruleIsSlow = false
            for pattern in rule.patterns + rule.all {
                let index = always.count
                patternRule.append(ruleIndex)
                guard let required = RequiredLiterals.of(pattern.pattern) else {
                    always.append(true)
                    ruleIsSlow = true
                    continue
                }
                always.append(false)
                for literal in required.sorted() {
                    let id: Int
                    if let known = literalIDs[literal] {
                        id = known
                    } else {
                        id = literals.count
                        literalIDs[literal] = id
                        literals.append(Array(literal.utf8))
                        literalPatterns.append([])
                    }
                    literalPatterns[id].append(index)
                }
            }
            if ruleIsSlow { slow.append(rule.id); alwaysRunRules.append(ruleIndex) }
        }
        patternBase = base
        patternCount = always.count
        alwaysRun = always
        scanner = LiteralScanner(literals: literals)
        self.literalPatterns = literalPatterns
        slowRules = slow
        self.patternRule = patternRule
        self.alwaysRunRules = alwaysRunRules
    }
}

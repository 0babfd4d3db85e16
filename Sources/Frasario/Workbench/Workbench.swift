import Foundation

/// The QA analysts' tools over lexicons and transcripts: explain one call, lint a lexicon,
/// evaluate it against labels, sample a rule's matches, and backtest a change. Each reads
/// calls and matches rules exactly as a night's run does.
public enum Workbench {
    /// Explains call `callID` of `file` (the first call when nil).
    /// - Returns: the explanation and how many calls the file holds.
    public static func explain(file: String, callID: String?, lexiconDirectory: String, agentSpeakers: [String] = []) throws -> (explanation: CallExplanation, calls: Int) {
        let lexicon = try LexiconLoader.load(directory: lexiconDirectory)
        var found: Call?
        var ids: [String] = []
        _ = try CallStream.forEach([file], agentLabels: Set(agentSpeakers.map { $0.lowercased() })) { call in
            ids.append(call.id)
            if found == nil && (callID == nil || call.id == callID) { found = call }
        }
        guard let call = found else {
            if let callID { throw WorkbenchError.unknownCall(callID, file: file, known: ids) }
            throw WorkbenchError.noCalls(file: file)
        }
        return (CallExplainer.explain(call, lexicon: lexicon), ids.count)
    }

    /// Lints the lexicon in `directory`; overlaps are also measured on the calls of `corpus`,
    /// and dead rules found in the latest run of `historyPath`.
    public static func lint(
        directory: String, corpus: [String] = [], historyPath: String? = nil,
        slowSeconds: Double? = nil
    ) throws -> [LintFinding] {
        let lexicon = try LexiconLoader.load(directory: directory)
        var calls: [Call] = []
        if !corpus.isEmpty { _ = try CallStream.forEach(corpus) { calls.append($0) } }
        let lastRun = try historyPath.flatMap { path throws(HistoryError) in try HistoryStore(path: path).lastRunFigures() }
        return LexiconLinter.lint(lexicon, corpus: calls, lastRun: lastRun, slowSeconds: slowSeconds ?? LexiconLinter.slowSeconds)
    }

    /// Precision, recall and F1 of the lexicon in `lexiconDirectory` on the label file.
    public static func evaluate(labels path: String, lexiconDirectory: String, everything: Bool = false) throws -> EvaluationReport {
        let lexicon = try LexiconLoader.load(directory: lexiconDirectory)
        return try LexiconEvaluation.evaluate(LexiconEvaluation.readLabels(path), lexicon: lexicon, file: path, everything: everything)
    }

    /// A seeded sample of rule `ruleID`'s matches in `inputs`, as the CSV `evaluate` reads.
    public static func sample(
        rule ruleID: String, count: Int, seed: UInt64, lexiconDirectory: String, inputs: [String]
    ) throws -> (csv: String, sampled: Int, matches: Int, calls: Int, limitErrors: [String]) {
        let lexicon = try LexiconLoader.load(directory: lexiconDirectory)
        let result = try RuleSampler.sample(ruleID, count: count, seed: seed, lexicon: lexicon, inputs: inputs)
        return (RuleSampler.csv(result.sample, rule: ruleID), result.sample.count, result.matches, result.calls, result.limitErrors)
    }

    /// The files a run would read from `inputs`, in reading order, with their sizes, and the
    /// warnings about files skipped: what a distributed driver splits into shards.
    public static func inputFiles(_ inputs: [String], format: InputFormat? = nil) throws -> (files: [(path: String, bytes: Int)], warnings: [String]) {
        let discovery = try InputDiscovery.discover(inputs, forcedFormat: format)
        let files = discovery.files.compactMap { file -> (path: String, bytes: Int)? in
            guard let path = file.path else { return nil }  // standard input cannot be shared out
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
            return (file.name, size)
        }
        return (files, discovery.warnings)
    }

    /// What changing the lexicon from `old` to `new` does on `inputs`.
    public static func diff(old: String, new: String, inputs: [String]) throws -> (changes: [LexiconChange], calls: Int, csv: String) {
        let result = try LexiconDiff.compare(old: LexiconLoader.load(directory: old), new: LexiconLoader.load(directory: new), inputs: inputs)
        return (result.changes, result.calls, LexiconDiff.csv(result.changes))
    }
}

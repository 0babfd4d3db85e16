/// Builds report rows from ranked phrases: surface text, figures, quoted examples.
enum PhraseRows {
    /// Tokens of context quoted on each side of the phrase.
    static let contextTokens = 8

    /// Rows of every ranking, in ranking then rank order.
    static func build(
        _ rankings: [RankingKind: [RankedPhrase]], counts: CountTable, callsProcessed: Int,
        examples found: [NGramKey: ExampleFinder.Examples], trends: [RankingKind: [String: Trend]],
        read: (SnippetReference) -> Snippet?
    ) -> [PhraseRow] {
        RankingKind.allCases.flatMap { kind in
            build(rankings[kind] ?? [], counts: counts, callsProcessed: callsProcessed, examples: found, trends: trends, read: read)
        }
    }

    /// Rows of `phrases` in their order, ranked 1…; each keeps the ranking it comes from.
    static func build(
        _ phrases: [RankedPhrase], counts: CountTable, callsProcessed: Int,
        examples found: [NGramKey: ExampleFinder.Examples], trends: [RankingKind: [String: Trend]],
        read: (SnippetReference) -> Snippet?
    ) -> [PhraseRow] {
        let fillerKeys = phrases.flatMap { $0.slot?.fillers.map { counts.key($0.entry) } ?? [] }
        var surfaces = counts.surfaceTexts(for: Set(phrases.map(\.key) + fillerKeys))
        for phrase in phrases where surfaces[phrase.key] == nil { surfaces[phrase.key] = counts.surfaceText(ofLong: phrase.key) }
        var rows: [PhraseRow] = []
        for (index, phrase) in phrases.enumerated() {
            guard let stats = phrase.stats ?? counts.stats(phrase.key) else { continue }
            let kind = phrase.kind
            let examples = found[phrase.key] ?? ExampleFinder.Examples()
            let slots = kind == .agent || examples.customer.all.isEmpty ? examples.agent.all : examples.customer.all
            let quoted = slots.compactMap { slot -> PhraseExample? in
                guard let snippet = read(slot.snippet) else { return nil }
                return example(snippet, tokenStart: Int(slot.tokenStart), length: phrase.key.length)
            }
            var text = surfaces[phrase.key] ?? counts.text(of: phrase.key)
            var slot: PhraseSlot?
            if let group = phrase.slot {
                text = group.side == .after ? "\(text) ‹\(group.label)›" : "‹\(group.label)› \(text)"
                slot = PhraseSlot(
                    position: group.side.rawValue, label: group.label,
                    fillers: group.fillers.map { filler in
                        let filled = surfaces[counts.key(filler.entry)] ?? counts.text(of: counts.key(filler.entry))
                        let word = group.side == .after ? filled.split(separator: " ").last : filled.split(separator: " ").first
                        return SlotFiller(text: word.map(String.init) ?? counts.tokens.string(filler.word), count: filler.count, calls: filler.calls)
                    }, otherOccurrences: group.otherOccurrences)
            }
            rows.append(
                PhraseRow(
                    ranking: kind, rank: index + 1, text: text,
                    n: phrase.key.length, count: phrase.count, calls: phrase.calls,
                    shareOfCalls: Share.of(phrase.calls, in: callsProcessed),
                    speakers: PhraseSpeakers(
                        customer: SpeakerCount(count: Int(stats.occurrences.customer), calls: Int(stats.calls.customer)),
                        agent: SpeakerCount(count: Int(stats.occurrences.agent), calls: Int(stats.calls.agent)),
                        unknown: SpeakerCount(count: Int(stats.occurrences.unknown), calls: Int(stats.calls.unknown))),
                    score: phrase.score, examples: quoted, trend: trends[kind]?[counts.text(of: phrase.key)],
                    cohesion: phrase.cohesion.map { ($0 * 1000).rounded() / 1000 },
                    keyness: phrase.keyness.map { ($0 * 10).rounded() / 10 }, slot: slot))
        }
        return rows
    }

    /// A fraction rounded to 4 decimals, so JSON and CSV print the same digits everywhere.

    /// The written turn around the phrase (case, accents, punctuation and fillers as
    /// transcribed), up to `contextTokens` tokens each side, `…` where cut; the match is the
    /// phrase's own written span.
    static func verbatimExample(_ snippet: Snippet, tokenStart start: Int, length: Int) -> PhraseExample {
        let ranges = snippet.verbatimTokens, bytes = snippet.verbatim
        let end = min(start + max(1, length), ranges.count)
        let lower = max(0, start - contextTokens), upper = min(ranges.count, end + contextTokens)
        func text(_ from: Int, _ to: Int) -> String {
            let slice = bytes[ranges[from].lowerBound..<max(ranges[from].lowerBound, ranges[to - 1].upperBound)]
            // One line: runs of white space (line breaks in a transcript) read as one space.
            return String(decoding: slice, as: UTF8.self).split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }
        // A cut turn shows whole words: the context ends at a token's last byte, and the turn's
        // closing punctuation is kept when the context reaches the end.
        var quoted =
            upper < ranges.count
            ? text(lower, upper)
            : String(decoding: bytes[ranges[lower].lowerBound...], as: UTF8.self).split(whereSeparator: \.isWhitespace).joined(separator: " ")
        if lower > 0 { quoted = "… " + quoted }
        if upper < ranges.count { quoted += " …" }
        return PhraseExample(callId: snippet.callID, speaker: snippet.speaker, text: quoted, match: text(start, end))
    }

    /// The turn around the phrase: up to `contextTokens` tokens each side, `…` where cut.
    static func example(_ snippet: Snippet, tokenStart: Int, length: Int) -> PhraseExample {
        let tokens = snippet.text.split(separator: " ", omittingEmptySubsequences: true)
        // As the customer wrote or said it (masked), when the spool holds the turn as written.
        if snippet.verbatimTokens.count == tokens.count, tokenStart < tokens.count {
            return verbatimExample(snippet, tokenStart: tokenStart, length: length)
        }
        let start = min(tokenStart, tokens.count)
        let end = min(start + length, tokens.count)
        let lower = max(0, start - contextTokens), upper = min(tokens.count, end + contextTokens)
        var text = tokens[lower..<upper].joined(separator: " ")
        if lower > 0 { text = "… " + text }
        if upper < tokens.count { text += " …" }
        return PhraseExample(
            callId: snippet.callID, speaker: snippet.speaker, text: text,
            match: tokens[start..<end].joined(separator: " "))
    }
}

extension PhraseRow {
    /// The slot's most frequent fillers with their calls: "‹nombre›: elena 54, jorge 47, mariana 47 y 11 más".
    var slotSummary: String? {
        guard let slot, !slot.fillers.isEmpty else { return nil }
        let shown = slot.fillers.prefix(5).map { "\($0.text) \($0.calls)" }.joined(separator: ", ")
        let more = slot.fillers.count > 5 ? " y \(slot.fillers.count - 5) más" : ""
        return "‹\(slot.label)›: \(shown)\(more)"
    }
}

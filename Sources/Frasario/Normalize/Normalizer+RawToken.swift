extension Normalizer {
    /// A token before post-processing: byte ranges in the scratch buffers and what it holds.
    struct RawToken {
        var display: Range<Int>
        var folded: Range<Int>
        var digits: Int
        var letters: Int
        /// True when only spaces or number joiners (- . / + ( )) separate it from the previous token.
        var joinedToPrevious: Bool
        var mask: PIIMask?
        /// Byte range in the original text (for a mask: from its first to its last masked token).
        var source: Range<Int> = 0..<0
        /// True for the first token after sentence punctuation (. ! ? ; : …) or of the turn.
        var startsSentence = false
        /// True when `¿…?` marks the sentence of this token as a question.
        var question = false
        /// True for the first token after `¿`: where the question starts.
        var opensQuestion = false
        /// True after an ellipsis that does not end the sentence («Sí... sí»): a pause, across
        /// which a repeated word is said twice, not stuttered.
        var afterPause = false
        /// A mask already written in the text («<numero>», a quote read back from a report or a
        /// sample): kept as that mask, not counted as personal data this run masked.
        var writtenMask = false
        /// What the token is to the masking and filler passes (none for a mask).
        var classes: WordClasses = []

        /// A mask replacing the run of tokens from `first` to `last`.
        static func masking(_ mask: PIIMask, from first: RawToken, to last: RawToken? = nil) -> RawToken {
            RawToken(
                display: 0..<0, folded: 0..<0, digits: 0, letters: 0, joinedToPrevious: false, mask: mask,
                source: first.source.lowerBound..<max(first.source.upperBound, last?.source.upperBound ?? 0),
                startsSentence: first.startsSentence, question: first.question, opensQuestion: first.opensQuestion)
        }
    }
}

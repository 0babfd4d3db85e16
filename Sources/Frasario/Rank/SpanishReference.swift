import Foundation

/// How often general Spanish uses a word: the reference that keyness is measured against.
/// Built from wordfreq 3.1.1 (see `SpanishReferenceFrequencies.swift` and
/// `Scripts/build_reference_frequencies.py`), folded as the count table counts words.
enum SpanishReference {
    /// Zipf frequency (log10 of occurrences per billion words) and frequency rank (0 = most
    /// frequent) of every listed word, by folded form.
    static let words: [String: (zipf: Double, rank: Int)] = {
        var words: [String: (zipf: Double, rank: Int)] = [:]
        words.reserveCapacity(40_000)
        for (rank, line) in table.split(separator: "\n").enumerated() {
            let fields = line.split(separator: " ")
            guard fields.count == 2, let hundredths = Int(fields[1]) else { continue }
            words[String(fields[0])] = (Double(hundredths) / 100, rank)
        }
        return words
    }()

    /// The Zipf frequency given to a word outside the list: just below its least frequent word.
    static let unlistedZipf = 2.5

    /// Occurrences per million words of general Spanish (a word outside the list gets the
    /// frequency just below the list's last word, never 0).
    static func perMillion(_ folded: String) -> Double {
        let zipf = words[folded]?.zipf ?? unlistedZipf
        return pow(10, zipf - 3)
    }

    /// True for the `top` most frequent words of general Spanish.
    static func isAmongMostFrequent(_ folded: String, top: Int) -> Bool {
        (words[folded]?.rank ?? Int.max) < top
    }
}

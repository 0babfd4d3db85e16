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
        // Read as bytes: `word hundredths` pairs separated by spaces or line ends, most frequent first.
        var source = SpanishReference.table
        source.withUTF8 { bytes in
            var rank = 0, fieldStart = 0, word: Range<Int>?
            for index in 0...bytes.count where index == bytes.count || bytes[index] == 0x20 || bytes[index] == 0x0A {
                defer { fieldStart = index + 1 }
                guard index > fieldStart else { continue }
                guard let name = word else {
                    word = fieldStart..<index
                    continue
                }
                var hundredths = 0
                for digit in bytes[fieldStart..<index] where digit >= 0x30 && digit <= 0x39 { hundredths = hundredths * 10 + Int(digit - 0x30) }
                words[String(decoding: bytes[name], as: UTF8.self)] = (Double(hundredths) / 100, rank)
                rank += 1
                word = nil
            }
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

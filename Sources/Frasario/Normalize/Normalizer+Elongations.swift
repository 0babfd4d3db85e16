import Foundation

/// Chat elongations («holaaaa» → «hola»), collapsed as each token is scanned.
extension Normalizer {
    /// Chat elongations: a letter repeated three or more times is written once ("holaaaa" → "hola";
    /// m keeps two, the filler "mm").
    /// Doubled letters (ll, rr, ee) are Spanish spelling and stay.
    mutating func collapseElongations(displayStart: Int, foldedStart: Int) {
        func collapse(_ buffer: inout [UInt8], from start: Int) {
            // Units are one ASCII letter or one two-byte letter (í, ñ…); runs of 3+ equal units shrink.
            func unitLength(_ at: Int) -> Int { buffer[at] >= 0xC0 && at + 1 < buffer.count ? 2 : 1 }
            func isLetter(_ at: Int, _ length: Int) -> Bool { length == 2 || (buffer[at] >= 0x61 && buffer[at] <= 0x7A) }
            func same(_ first: Int, _ second: Int, _ length: Int) -> Bool {
                second + length <= buffer.count && (0..<length).allSatisfy { buffer[first + $0] == buffer[second + $0] }
            }
            guard buffer.count - start >= 3 else { return }
            // Fast path, no allocation: most tokens hold no run of three equal letters.
            var hasRun = false
            var probe = start + 2
            while probe < buffer.count {
                if buffer[probe] == buffer[probe - 1] && buffer[probe] == buffer[probe - 2] { hasRun = true; break }
                if probe >= start + 5 && buffer[probe] == buffer[probe - 2] && buffer[probe] == buffer[probe - 4]
                    && buffer[probe - 1] == buffer[probe - 3] && buffer[probe - 1] == buffer[probe - 5]
                {
                    hasRun = true; break
                }
                probe += 1
            }
            guard hasRun else { return }
            var output: [UInt8] = []
            var changed = false
            var cursor = start
            while cursor < buffer.count {
                let length = unitLength(cursor)
                var end = cursor + length
                var run = 1
                while end < buffer.count && unitLength(end) == length && same(cursor, end, length) { end += length; run += 1 }
                var keep = run
                if run >= 3 && isLetter(cursor, length) {
                    // "mmmm" keeps two m's, so that it still reads as the filler "mm" (and "talla m" stays).
                    keep = length == 1 && buffer[cursor] == UInt8(ascii: "m") ? 2 : 1
                    changed = true
                }
                for _ in 0..<keep { output.append(contentsOf: buffer[cursor..<(cursor + length)]) }
                cursor = end
            }
            if changed { buffer.replaceSubrange(start..., with: output) }
        }
        // A run of three equal letters in the display form is one in the folded form too
        // (folding maps each letter alone), so the folded form alone tells most tokens apart.
        let folded = foldedScratch.withUnsafeBufferPointer { folded in
            // SAFETY: `foldedStart` is within the buffer (the token just written).
            Self.mayHoldRun(UnsafeBufferPointer(rebasing: folded[foldedStart...]))
        }
        guard folded else { return }
        collapse(&lowered, from: displayStart)
        collapse(&foldedScratch, from: foldedStart)
    }

    /// Whether `bytes` may hold a run of three equal one- or two-byte letters: three equal bytes,
    /// or two bytes repeated three times.
    @inline(__always)
    private static func mayHoldRun(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count >= 3 else { return false }
        var probe = 2
        while probe < bytes.count {
            if bytes[probe] == bytes[probe &- 1] && bytes[probe] == bytes[probe &- 2] { return true }
            if probe >= 5 && bytes[probe] == bytes[probe &- 2] && bytes[probe] == bytes[probe &- 4]
                && bytes[probe &- 1] == bytes[probe &- 3] && bytes[probe &- 1] == bytes[probe &- 5]
            {
                return true
            }
            probe &+= 1
        }
        return false
    }
}

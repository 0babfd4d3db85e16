/// N-gram keys as text: the folded key, and the written form people used most.
extension CountTable {
    /// The phrase text of a key, space-separated.
    func text(of key: NGramKey) -> String { String(decoding: bytes(of: key), as: UTF8.self) }

    /// The key's tokens separated by spaces, as bytes.
    func bytes(of key: NGramKey) -> [UInt8] {
        var bytes: [UInt8] = []
        write(key, into: &bytes)
        return bytes
    }

    /// Replaces `bytes` with the key's tokens separated by spaces, keeping its storage (no
    /// allocation per key where millions are written).
    func write(_ key: NGramKey, into bytes: inout [UInt8]) {
        bytes.removeAll(keepingCapacity: true)
        for position in 0..<key.length {
            if position > 0 { bytes.append(0x20) }
            tokens.appendBytes(of: key.id(at: position), to: &bytes)
        }
    }

    /// The written form of a phrase longer than the table's n-grams: the words of its first
    /// `maxN`-word window as most often written, then the last word of each following window.
    func surfaceText(ofLong key: NGramKey) -> String {
        guard key.length > maxN else { return text(of: key) }
        let ids = key.ids
        let windows = (0...(ids.count - maxN)).map { NGramKey(ids: ids[$0..<($0 + maxN)]) }
        let surfaces = surfaceTexts(for: Set(windows))
        var words = (surfaces[windows[0]] ?? text(of: windows[0])).split(separator: " ").map(String.init)
        for window in windows.dropFirst() {
            let last = (surfaces[window] ?? text(of: window)).split(separator: " ").last.map(String.init)
            words.append(last ?? tokens.string(window.id(at: window.length - 1)))
        }
        return words.joined(separator: " ")
    }

    /// The most frequent way each of `keys` was written (ties: the accented form, then bytes).
    func surfaceTexts(for keys: Set<NGramKey>) -> [NGramKey: String] {
        var result: [NGramKey: String] = [:]
        for key in keys {
            guard let entry = find(key) else { continue }
            var candidates: [(count: UInt32, text: String)] = []
            var accented: UInt32 = 0
            var link = entries[entry].surfaceHead
            while link != 0 {
                let variant = surfaceVariants[Int(link - 1)]
                candidates.append((variant.count, text(of: variant.display)))
                accented &+= variant.count
                link = variant.next
            }
            candidates.append((entries[entry].occurrences.count &- accented, text(of: key)))
            // Ties go to the accented form (ASR drops accents; people who write them are careful), then bytes.
            let best = candidates.min { left, right in
                if left.count != right.count { return left.count > right.count }
                if left.text.utf8.count != right.text.utf8.count { return left.text.utf8.count > right.text.utf8.count }
                return left.text.utf8.lexicographicallyPrecedes(right.text.utf8)
            }
            result[key] = best?.text ?? text(of: key)
        }
        return result
    }
}

import Foundation

/// Personal data masked before anything is counted, matched or quoted: digit runs, numbers
/// read out in words, dictated or spaced e-mail addresses (names: `PIINames.swift`).
extension Normalizer {
    /// Digit runs: 13–19 digits (spaces or dashes allowed between groups) are a card;
    /// any other run of 4 or more digits, or a code mixing letters and 4+ digits, is a number.
    /// A code's letter prefix written against its digits («LU-209931», «PED/2024») is part of
    /// it, as in «LU209931»: the prefix alone would otherwise rank as a phrase with the mask.
    mutating func maskDigitRuns(into turn: inout NormalizedTurn) {
        kept.removeAll(keepingCapacity: true)
        var index = 0
        while index < raw.count {
            let token = raw[index]
            guard token.mask == nil, token.digits > 0 else {
                if let mask = token.mask, !token.writtenMask { turn.maskCounts[mask.rawValue] += 1 }
                kept.append(token); index += 1; continue
            }
            // IBAN: two letters and two check digits, then digit groups ("es91 2100 0418 …").
            if token.letters == 2 && token.digits == 2 && token.folded.count == 4,
                index + 1 < raw.count, raw[index + 1].mask == nil, raw[index + 1].letters == 0, raw[index + 1].digits > 0,
                raw[index + 1].joinedToPrevious, !raw[index + 1].startsSentence
            {
                var end = index + 1
                while end < raw.count, raw[end].mask == nil, raw[end].letters == 0, raw[end].joinedToPrevious, !raw[end].startsSentence { end += 1 }
                kept.append(.masking(.number, from: token, to: raw[end - 1]))
                turn.maskCounts[PIIMask.number.rawValue] += 1
                index = end
                continue
            }
            if token.letters > 0 {
                if token.digits >= 4 {
                    kept.append(.masking(.number, from: token))
                    turn.maskCounts[PIIMask.number.rawValue] += 1
                } else {
                    kept.append(token)
                }
                index += 1
                continue
            }
            var end = index + 1
            var total = token.digits
            while end < raw.count, raw[end].mask == nil, raw[end].letters == 0, raw[end].joinedToPrevious, !raw[end].startsSentence {
                total += raw[end].digits
                end += 1
            }
            if total >= 4 {
                let mask: PIIMask = (13...19).contains(total) ? .card : .number
                var masked = RawToken.masking(mask, from: token, to: raw[end - 1])
                masked.question = raw[index..<end].contains { $0.question }
                if let prefix = kept.last, isCodePrefix(prefix, of: token) {
                    kept.removeLast()
                    let question = masked.question || prefix.question
                    masked = RawToken.masking(mask, from: prefix, to: raw[end - 1])
                    masked.question = question
                }
                kept.append(masked)
                turn.maskCounts[mask.rawValue] += 1
            } else {
                kept.append(contentsOf: raw[index..<end])
            }
            index = end
        }
        swap(&raw, &kept)
    }

    /// Letters of a code's prefix, at most.
    static let longestCodePrefix = 3

    /// Whether `prefix` is the letter prefix of the code whose digits start at `digits`: one to
    /// three ASCII letters written right before them, with a «-» or «/» between and no space.
    private func isCodePrefix(_ prefix: RawToken, of digits: RawToken) -> Bool {
        guard prefix.mask == nil, prefix.digits == 0, (1...Self.longestCodePrefix).contains(prefix.letters),
            prefix.folded.count == prefix.letters, !digits.startsSentence,
            prefix.source.upperBound + 1 == digits.source.lowerBound, prefix.source.upperBound < original.count
        else { return false }
        let joiner = original[prefix.source.upperBound]
        return joiner == UInt8(ascii: "-") || joiner == UInt8(ascii: "/")
    }

    /// cero, uno, dos, tres, cuatro, cinco, seis, siete, ocho, nueve.
    @inline(__always)
    func isSpokenDigit(_ token: RawToken) -> Bool { token.classes.contains(.spokenDigit) }

    /// Numbers in a row that make a dictated number.
    static let shortestSpokenNumber = 4
    /// Groups of three written digits, nothing else between them, that make a phone
    /// («613 211 359», «613, 211, 359»); amounts are listed with «y» («99, 199 y 299»).
    static let threeDigitGroupsOfAPhone = 3

    /// Numbers dictated digit by digit or in groups (`cuatro cinco cinco uno …`, `seiscientos
    /// doce trescientos cuarenta y cinco`, `cuatro 1 cinco 2 tres 1`): 4 or more number words
    /// or one- to three-digit numbers in a row are a number, 13–19 single digits a card. Ordinary
    /// speech almost never strings four numbers together («mil doscientos euros» is two).
    mutating func maskSpokenDigits(into turn: inout NormalizedTurn) {
        kept.removeAll(keepingCapacity: true)
        var index = 0
        while index < raw.count {
            // A run of numbers; «y» between them, hesitations inside ("ocho dos eh tres uno") and
            // the commas and full stops ASR puts between dictated groups ("seis, uno, tres. dos,
            // uno, uno") do not end it.
            var end = index
            var numbers = 0, singleDigits = 0, threeDigitGroups = 0, otherTokens = 0
            while end < raw.count, raw[end].mask == nil, end == index || !raw[end].startsSentence || (numbers > 0 && isNumber(raw[end])) {
                if isNumber(raw[end]) {
                    numbers += 1
                    if raw[end].digits == 3 && raw[end].letters == 0 { threeDigitGroups += 1 } else { otherTokens += 1 }
                    if isSpokenDigit(raw[end]) || (raw[end].letters == 0 && raw[end].digits == 1) { singleDigits += 1 }
                } else if !(numbers > 0 && (isFiller(raw[end]) || isAnd(raw[end]))) {
                    break
                } else {
                    otherTokens += 1
                }
                end += 1
            }
            while end > index && !isNumber(raw[end - 1]) { end -= 1 }
            let phoneInGroups = threeDigitGroups >= Self.threeDigitGroupsOfAPhone && otherTokens == 0
            if numbers >= Self.shortestSpokenNumber || phoneInGroups {
                let mask: PIIMask = (13...19).contains(singleDigits) && singleDigits == numbers ? .card : .number
                var masked = RawToken.masking(mask, from: raw[index], to: raw[end - 1])
                masked.question = raw[index..<end].contains { $0.question }
                kept.append(masked)
                turn.maskCounts[mask.rawValue] += 1
                index = end
            } else {
                kept.append(raw[index])
                index += 1
            }
        }
        swap(&raw, &kept)
    }

    /// Replaces each of `runs` (ascending, not overlapping ranges of `raw`) by its one mask
    /// token, in one pass: a turn with thousands of masks costs linear time.
    mutating func replaceRuns(_ runs: [(range: Range<Int>, mask: RawToken)]) {
        guard !runs.isEmpty else { return }
        kept.removeAll(keepingCapacity: true)
        var next = 0
        for run in runs {
            kept.append(contentsOf: raw[next..<run.range.lowerBound])
            kept.append(run.mask)
            next = run.range.upperBound
        }
        kept.append(contentsOf: raw[next...])
        swap(&raw, &kept)
    }

    static let and = Array("y".utf8)

    /// «y», compared in place (this runs on every token of a run of numbers).
    @inline(__always)
    func isAnd(_ token: RawToken) -> Bool {
        token.mask == nil && token.folded.count == 1 && foldedScratch[token.folded.lowerBound] == UInt8(ascii: "y")
    }

    /// A number said in words («doce», «cuarenta», «seiscientos», «mil») or written with one
    /// to three digits.
    func isNumber(_ token: RawToken) -> Bool {
        guard token.mask == nil else { return false }
        if token.letters == 0 { return token.digits >= 1 && token.digits <= 3 }
        guard token.digits == 0 else { return false }
        return !token.classes.isDisjoint(with: .number)
    }

    /// A folded word by its length and its first and last eight bytes: no allocation per token.
    struct FoldedWordKey: Hashable, Comparable, Sendable {
        var length: Int, head: UInt64, tail: UInt64
        @inline(__always)
        init(_ bytes: UnsafeBufferPointer<UInt8>) {
            length = bytes.count
            head = 0; tail = 0
            var offset = 0
            while offset < min(8, length) { head = head << 8 | UInt64(bytes[offset]); offset &+= 1 }
            offset = max(0, length &- 8)
            while offset < length { tail = tail << 8 | UInt64(bytes[offset]); offset &+= 1 }
        }

        /// The key of a word given as text (building the tables).
        init(_ word: String) {
            self = Array(word.utf8).withUnsafeBufferPointer { FoldedWordKey($0) }
        }

        static func < (left: Self, right: Self) -> Bool {
            (left.length, left.head, left.tail) < (right.length, right.head, right.tail)
        }
    }

    /// Numbers said in words beyond the single digits.
    static let numberWordList = [
        "diez", "once", "doce", "trece", "catorce", "quince", "dieciseis", "diecisiete", "dieciocho", "diecinueve",
        "veinte", "veintiuno", "veintidos", "veintitres", "veinticuatro", "veinticinco", "veintiseis", "veintisiete",
        "veintiocho", "veintinueve", "treinta", "cuarenta", "cincuenta", "sesenta", "setenta", "ochenta", "noventa",
        "cien", "ciento", "doscientos", "trescientos", "cuatrocientos", "quinientos", "seiscientos", "setecientos",
        "ochocientos", "novecientos", "mil",
    ]

    static let arroba = Array("arroba".utf8)
    static let punto = Array("punto".utf8)
    static let guion = Array("guion".utf8)
    static let bajo = Array("bajo".utf8)
    static let topLevelDomains: Set<[UInt8]> = Set(
        [
            "com", "es", "net", "org", "mx", "co", "ar", "cl", "pe", "edu", "gob",
            "info", "eu", "io", "uy", "ec", "ve", "bo", "py", "cr", "do",
        ].map { Array($0.utf8) })

    /// Words before a dictated address that are not part of it («mi correo es …»), folded.
    static let emailLeadWords: Set<[UInt8]> = Set(
        [
            "es", "correo", "email", "mail", "e", "electronico", "electronica",
            "direccion", "mi", "su", "tu", "el", "la", "a", "al", "de", "del", "que", "y", "o", "seria", "sera", "pues",
            "entonces", "como", "en", "con", "para", "por", "le", "te", "me", "se", "lo", "bueno", "vale", "si", "no",
            "ok", "mire", "oiga", "apunte", "anote", "tome", "escriba", "escribir", "mande", "manden", "envie", "envien",
            "enviar", "mandar", "cuenta", "usuario", "gmail", "hotmail", "outlook", "yahoo", "ya", "era", "tengo", "uso",
            "this", "is", "my",
        ].map { Array($0.utf8) })
    /// Words of a user part said without joiners, before the ones joined by «punto» or numbers.
    static let longestSpokenUserPart = 3
    /// Tokens of a user part spelled letter by letter, joiners included, at most.
    static let longestSpelledUserPart = 40
    /// The names of the letters as they are spelled out («jota», «erre», «uve doble»), folded,
    /// and single letters.
    static let letterNames: Set<[UInt8]> = Set(
        [
            "a", "be", "ce", "de", "e", "efe", "ge", "hache", "i", "jota", "ka", "ele", "eme", "ene", "o", "pe", "cu",
            "erre", "ere", "ese", "te", "u", "uve", "ve", "doble", "equis", "ye", "zeta", "griega", "latina",
            "b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "q", "r", "s", "t", "v", "w", "x", "y", "z",
        ].map { Array($0.utf8) })

    /// Dictated addresses as ASR writes them: `juan punto perez arroba gmail punto com` → `<email>`.
    mutating func maskSpokenEmails(into turn: inout NormalizedTurn) {
        var runs: [(range: Range<Int>, mask: RawToken)] = []
        // The first token after the last address: the next one never reaches back past it.
        var floor = 0
        var index = 1
        while index + 1 < raw.count {
            guard raw[index].folded.count == 6, foldedScratch[raw[index].folded.lowerBound] == UInt8(ascii: "a"),
                token(raw[index], is: Self.arroba), index - 1 >= floor, raw[index - 1].mask == nil, raw[index + 1].mask == nil
            else {
                index += 1
                continue
            }
            // The user part: words joined by «punto», «guion», «guion bajo», and numbers
            // said after a word («pedro guion bajo ruiz setenta»).
            var start = index - 1
            while true {
                if start - 2 >= floor && (token(raw[start - 1], is: Self.punto) || token(raw[start - 1], is: Self.guion)) && raw[start - 2].mask == nil {
                    start -= 2
                } else if start - 3 >= floor && token(raw[start - 1], is: Self.bajo) && token(raw[start - 2], is: Self.guion) && raw[start - 3].mask == nil {
                    start -= 3
                } else if start - 1 >= floor && isNumber(raw[start]) && raw[start - 1].mask == nil && !raw[start].startsSentence {
                    start -= 1
                } else {
                    break
                }
            }
            // Words of the user part said with nothing between them («maria fernanda noventa
            // arroba…»): up to three more, back to a word that introduces the address.
            var extra = 0
            while extra < Self.longestSpokenUserPart, start - 1 >= floor, !raw[start].startsSentence,
                raw[start - 1].mask == nil, raw[start - 1].letters > 0,
                !Self.emailLeadWords.contains(Array(foldedScratch[raw[start - 1].folded]))
            {
                start -= 1
                extra += 1
            }
            // A user part spelled letter by letter («jota u a ene punto pe e erre e arroba…»):
            // letter names and joiners back from it, when there are at least three letters.
            var spelled = start, letters = 0
            while spelled - 1 >= floor, spelled - start < Self.longestSpelledUserPart, !raw[spelled].startsSentence,
                raw[spelled - 1].mask == nil
            {
                let word = Array(foldedScratch[raw[spelled - 1].folded])
                if Self.letterNames.contains(word) {
                    letters += 1
                } else if !(token(raw[spelled - 1], is: Self.punto) || token(raw[spelled - 1], is: Self.guion)
                    || token(raw[spelled - 1], is: Self.bajo))
                {
                    break
                }
                spelled -= 1
            }
            if letters >= 3 {
                while spelled < start && !Self.letterNames.contains(Array(foldedScratch[raw[spelled].folded])) { spelled += 1 }
                start = spelled
            }
            // The domain: words joined by «punto», or by a written «.» before a top-level
            // domain («hotmail . com»).
            var end = index + 1
            while true {
                if end + 2 < raw.count && token(raw[end + 1], is: Self.punto) && raw[end + 2].mask == nil {
                    end += 2
                } else if end + 1 < raw.count && raw[end + 1].mask == nil && Self.topLevelDomains.contains(Array(foldedScratch[raw[end + 1].folded])) {
                    end += 1
                } else {
                    break
                }
            }
            var masked = RawToken.masking(.email, from: raw[start], to: raw[end])
            masked.question = raw[start...end].contains { $0.question }
            runs.append((start..<(end + 1), masked))
            turn.maskCounts[PIIMask.email.rawValue] += 1
            floor = end + 1
            index = end + 2
        }
        replaceRuns(runs)
    }
}

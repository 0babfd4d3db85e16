import Foundation

/// Personal data that needs a few words of context to be seen: street addresses, birth
/// dates, and tax or identity codes said with spaces (Mexican RFC).
extension Normalizer {
    /// Words that open a street address, folded.
    static let streetWordList = [
        "calle", "c", "avenida", "avda", "av", "plaza", "pza", "paseo", "carrera",
        "carretera", "ctra", "calzada", "bulevar", "boulevard", "travesia", "pasaje", "glorieta", "jiron", "urbanizacion",
        "ronda", "callejon", "privada", "cerrada", "diagonal", "transversal",
    ]
    /// Words that may belong to a street's name between its type and its number.
    static let streetNameJoiners: Set<[UInt8]> = Set(["de", "del", "la", "las", "los", "el", "san", "santa", "y"].map { Array($0.utf8) })
    /// Words after the number that still belong to the address: floor, door, stair, side.
    static let addressDetailWords: Set<[UInt8]> = Set(
        [
            "numero", "num", "no", "n", "piso", "planta", "puerta", "pta",
            "escalera", "esc", "portal", "bloque", "bajo", "atico", "izquierda", "izda", "izq", "derecha", "dcha", "dcho",
            "centro", "interior", "int", "exterior", "ext", "letra", "departamento", "depto", "dpto", "apartamento", "apto",
            "oficina", "local", "casa", "lote", "manzana", "mz", "primero", "primera", "segundo", "segunda", "tercero",
            "tercera", "cuarto", "cuarta", "quinto", "quinta", "sexto", "sexta", "septimo", "octavo", "noveno", "decimo",
            "guion",
        ].map { Array($0.utf8) })
    /// Name words between a street type and its number, at most.
    static let longestStreetName = 5
    /// Tokens after the number that can still be floor, door and side details, at most.
    static let longestAddressDetail = 8

    /// «vivo en calle mayor 12 3º b», «avenida de la constitución número 45 piso 2»: a street
    /// type, up to five name words, then a number; the number and the floor, door and side
    /// details that follow become one `<direccion>` mask with the street. A street named
    /// without a number («la oficina de la calle mayor») is not an address of anyone and stays.
    mutating func maskAddresses(into turn: inout NormalizedTurn) {
        var runs: [(range: Range<Int>, mask: RawToken)] = []
        var index = 0
        while index < raw.count {
            guard raw[index].classes.contains(.street) else {
                index += 1
                continue
            }
            // The name: words (not numbers) up to the number.
            var cursor = index + 1
            // A street's name holds names and its joiners («de la», «san»), not the small words of
            // a sentence going on («son carrera pues te meten a mil…» is no address).
            while cursor < raw.count, cursor - index <= Self.longestStreetName, !raw[cursor].startsSentence,
                raw[cursor].mask == nil, raw[cursor].digits == 0, !isNumber(raw[cursor]),
                !token(raw[cursor], is: Self.numero), raw[cursor].letters > 0,
                Self.streetNameJoiners.contains(Array(foldedScratch[raw[cursor].folded]))
                    || !Self.afterName.contains(Array(foldedScratch[raw[cursor].folded]))
            {
                cursor += 1
            }
            // «número» before the number is part of the address.
            if cursor < raw.count, token(raw[cursor], is: Self.numero) || token(raw[cursor], is: Self.numberSign) { cursor += 1 }
            guard cursor < raw.count, !raw[cursor].startsSentence, isHouseNumber(raw[cursor]) else {
                index += 1
                continue
            }
            var end = cursor + 1
            var lastDetail = end
            while end < raw.count, end - cursor <= Self.longestAddressDetail, !raw[end].startsSentence {
                let detail = raw[end]
                let folded = Array(foldedScratch[detail.folded])
                if isHouseNumber(detail) || Self.addressDetailWords.contains(folded)
                    || (detail.mask == nil && detail.digits > 0 && detail.letters <= 3)  // «3º», «3a», «12b»
                    || (detail.mask == nil && detail.digits == 0 && detail.letters == 1 && folded.first.map { $0 >= 0x61 && $0 <= 0x68 } == true)
                {  // door «b»
                    end += 1
                    lastDetail = end
                } else if token(detail, is: Self.and) || Self.streetNameJoiners.contains(folded) {
                    end += 1  // «piso 3 y puerta b»: kept only if a detail follows
                } else {
                    break
                }
            }
            end = lastDetail
            var masked = RawToken.masking(.address, from: raw[index], to: raw[end - 1])
            masked.question = raw[index..<end].contains { $0.question }
            runs.append((index..<end, masked))
            turn.maskCounts[PIIMask.address.rawValue] += 1
            index = end
        }
        replaceRuns(runs)
    }

    static let numero = Array("numero".utf8)
    static let numberSign = Array("n".utf8)

    /// A house number: digits (with a letter or two: «12b»), a number said in words, or a
    /// number already masked (a postcode).
    private func isHouseNumber(_ token: RawToken) -> Bool {
        if let mask = token.mask { return mask == .number }
        if token.digits > 0 { return token.digits <= 5 && token.letters <= 2 }
        return isNumber(token)
    }

    /// Words after which a birth date is said, folded.
    static let birthCueList = ["naci", "nacio", "nacimiento", "nacida", "nacido", "cumpleanos", "nacer"]
    static let monthList = [
        "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
        "septiembre", "setiembre", "octubre", "noviembre", "diciembre",
    ]
    static let dateJoiners: Set<[UInt8]> = Set(["de", "del", "y", "el", "en", "es", "año", "ano"].map { Array($0.utf8) })
    /// Tokens after a birth cue searched for the date's first word, at most.
    static let birthDateReach = 6

    /// «nací el doce de marzo de mil novecientos ochenta», «fecha de nacimiento: 3 de mayo del
    /// 85»: after a word of birth, the day, month and year said in words or digits become one
    /// `<fecha>` mask. Dates said in any other context (a bill, an appointment) stay.
    mutating func maskBirthDates(into turn: inout NormalizedTurn) {
        var runs: [(range: Range<Int>, mask: RawToken)] = []
        var index = 0
        while index < raw.count {
            guard raw[index].classes.contains(.birthCue) else {
                index += 1
                continue
            }
            // The first date word within reach of the cue.
            var start = index + 1
            while start < raw.count, start - index <= Self.birthDateReach, !isDateWord(raw[start]) { start += 1 }
            guard start < raw.count, start - index <= Self.birthDateReach else {
                index += 1
                continue
            }
            var end = start
            var lastDateWord = start
            while end < raw.count, end == start || !raw[end].startsSentence {
                if isDateWord(raw[end]) {
                    end += 1
                    lastDateWord = end
                } else if raw[end].mask == nil, Self.dateJoiners.contains(Array(foldedScratch[raw[end].folded])) {
                    end += 1
                } else {
                    break
                }
            }
            var masked = RawToken.masking(.birthDate, from: raw[start], to: raw[lastDateWord - 1])
            masked.question = raw[start..<lastDateWord].contains { $0.question }
            runs.append((start..<lastDateWord, masked))
            turn.maskCounts[PIIMask.birthDate.rawValue] += 1
            index = lastDateWord
        }
        replaceRuns(runs)
    }

    /// A day, month or year: a number in digits or words, a month's name, a masked number.
    private func isDateWord(_ token: RawToken) -> Bool {
        if let mask = token.mask { return mask == .number }
        if token.digits > 0 { return token.letters <= 2 && token.digits <= 4 }
        return isNumber(token) || token.classes.contains(.month)
    }

    /// A Mexican RFC or CURP said in groups, «gode 561231 ab1»: three or four letters, six
    /// digits of a birth date, then a two- or three-character check code. The six digits are
    /// already a `<numero>`; the letters around them (initials, check code) join it.
    mutating func maskSpacedTaxCodes() {
        var runs: [(range: Range<Int>, mask: RawToken)] = []
        var index = 1
        while index + 1 < raw.count {
            let code = raw[index]
            guard code.mask == .number, code.source.count == 6,
                raw[index - 1].mask == nil, raw[index - 1].digits == 0, (3...4).contains(raw[index - 1].letters),
                raw[index - 1].folded.count == raw[index - 1].letters,
                raw[index + 1].mask == nil, (2...3).contains(raw[index + 1].folded.count), raw[index + 1].digits >= 1,
                raw[index + 1].letters >= 1
            else {
                index += 1
                continue
            }
            var masked = RawToken.masking(.number, from: raw[index - 1], to: raw[index + 1])
            masked.question = raw[index - 1].question || code.question || raw[index + 1].question
            runs.append(((index - 1)..<(index + 2), masked))
            index += 3
        }
        replaceRuns(runs)
    }
}

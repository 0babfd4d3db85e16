/// Byte-level facts about Spanish text in UTF-8, shared by normalization and the lexicon loader.
/// Spanish letters outside ASCII are two bytes, `C3 xx`; they are lowered and folded by table.
public enum SpanishText {
    /// The second byte of a lowercase `C3 xx` letter, given any `C3 xx` second byte (À→à, Ñ→ñ…).
    @inline(__always)
    static func lowerSecondByte(_ byte: UInt8) -> UInt8 {
        (byte >= 0x80 && byte <= 0x9E && byte != 0x97) ? byte &+ 0x20 : byte
    }

    /// The ASCII letter a lowercase `C3 xx` letter folds to, or 0 when it is kept as is (ñ).
    @inline(__always)
    static func foldedASCII(secondByte byte: UInt8) -> UInt8 {
        switch byte {
        case 0xA0...0xA5: return UInt8(ascii: "a")
        case 0xA7: return UInt8(ascii: "c")
        case 0xA8...0xAB: return UInt8(ascii: "e")
        case 0xAC...0xAF: return UInt8(ascii: "i")
        case 0xB2...0xB6: return UInt8(ascii: "o")
        case 0xB9...0xBC: return UInt8(ascii: "u")
        case 0xBD, 0xBF: return UInt8(ascii: "y")
        default: return 0
        }
    }

    /// True for the second byte of a `C3 xx` sequence that is a letter (not × or ÷).
    @inline(__always)
    static func isLetterSecondByte(_ byte: UInt8) -> Bool {
        byte >= 0x80 && byte <= 0xBF && byte != 0x97 && byte != 0xB7
    }

    /// Lowercases and folds accents (keeping ñ) of any text: the matching view of a string.
    /// Used outside the hot loop, for lookups and tests.
    public static func folded(_ text: String) -> String { fold(text, lowercasingASCII: true) }

    /// Folds accented letters (and lowers accented capitals, Ñ → ñ) but leaves every ASCII byte
    /// alone: used on lexicon patterns, where `\W` or `\B` must not become `\w` or `\b`.
    /// Patterns are compiled caseless, so ASCII case does not matter.
    public static func foldedAccents(_ text: String) -> String { fold(text, lowercasingASCII: false) }

    private static func fold(_ text: String, lowercasingASCII: Bool) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            if lowercasingASCII && byte >= 0x41 && byte <= 0x5A {
                output.append(byte | 0x20)
            } else if byte == 0xC3, let second = iterator.next() {
                let lower = lowerSecondByte(second)
                let ascii = foldedASCII(secondByte: lower)
                if ascii != 0 { output.append(ascii) } else { output.append(0xC3); output.append(lower) }
            } else {
                output.append(byte)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Words of conversation rather than content: greetings, courtesy, back-channels, discourse
    /// markers. A phrase made only of these and stopwords ("hola buenas tardes", "no nada") says
    /// nothing about what customers need, so it is not ranked. Compared against the folded form.
    public static let conversational: Set<String> = [
        "hola", "buenas", "buenos", "buen", "buena", "dia", "dias", "tardes", "noches", "gracias", "muchas", "muchisimas",
        "no", "si", "claro", "perfecto", "exacto", "correcto", "listo", "dale", "vale", "okay", "ok", "bueno", "pues",
        "mira", "mire", "oiga", "oye", "che", "senor", "señor", "senora", "señora", "senorita", "señorita", "joven",
        "nada", "igual", "ahora", "ahorita", "entonces", "favor", "momento", "verdad", "sale", "andale", "orale", "hombre",
        "tio", "tia", "hija", "mija", "mijo", "amigo", "amiga", "aja", "ya", "eso", "esto", "asi", "tambien", "bien",
        "adios", "chao", "chau", "hasta", "luego", "pronto", "saludos", "disculpe", "disculpa", "perdon", "vez", "cosa",
        "tengo", "tiene", "quiero", "queria", "puedo", "puede", "dice", "dijo", "digo", "sabe", "se", "creo", "ver", "va",
        "entiendo", "comento", "permite", "gusto", "atiende", "habla", "saluda",
        "como", "cuando", "donde", "cual", "quien", "cuanto", "porque", "dos", "uno", "tres",
    ]

    /// Number words from 0 to 99 written as one word, by folded form. "uno", "un" and "una" are
    /// left out: they are mostly the article ("un cargo"), not the number.
    static let numberWords: [String: Int] = {
        let words = [
            "cero", "", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez", "once", "doce",
            "trece", "catorce", "quince", "dieciseis", "diecisiete", "dieciocho", "diecinueve", "veinte", "veintiuno",
            "veintidos", "veintitres", "veinticuatro", "veinticinco", "veintiseis", "veintisiete", "veintiocho",
            "veintinueve",
        ]
        var table: [String: Int] = [:]
        for (value, word) in words.enumerated() where !word.isEmpty { table[word] = value }
        for (index, word) in ["treinta", "cuarenta", "cincuenta", "sesenta", "setenta", "ochenta", "noventa"].enumerated() {
            table[word] = 30 + index * 10
        }
        return table
    }()

    /// Ordinal words by folded stem (masculine, feminine and apocopated forms share it).
    static let ordinalWords: [String: Int] = [
        "primer": 1, "primero": 1, "primera": 1, "segundo": 2, "segunda": 2, "tercer": 3, "tercero": 3, "tercera": 3,
        "cuarto": 4, "cuarta": 4, "quinto": 5, "quinta": 5, "sexto": 6, "sexta": 6, "septimo": 7, "septima": 7,
        "octavo": 8, "octava": 8, "noveno": 9, "novena": 9, "decimo": 10, "decima": 10,
    ]

    /// The counting form of a number or ordinal token: "tres" and "3" count as "3"; "tercera",
    /// "3a", "3ª" and "3er" as "3º". Nil for every other token. Used only when counting, so
    /// patterns and quotes still see the words as said.
    public static func canonicalNumber(_ folded: String) -> String? {
        if let value = numberWords[folded] { return String(value) }
        if let value = ordinalWords[folded] { return "\(value)º" }
        let digits = folded.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 2 else { return nil }
        let suffix = folded.dropFirst(digits.count)
        let ordinalSuffixes: Set<Substring> = ["º", "ª", "o", "a", "er", "ero", "era", "ro", "ra", "do", "da", "to", "ta", "vo", "va", "mo", "ma", "no", "na"]
        return ordinalSuffixes.contains(suffix) ? "\(Int(digits)!)º" : nil
    }

    /// Discourse markers that open or close a sentence without adding to it ("oiga, cómo
    /// cambio mi contraseña"): like stopwords, they may not start or end a ranked phrase.
    /// Words and phrases (folded) that signal a complaint; a frequent customer phrase holding
    /// one is "frustration-like" for the coverage report.
    public static let frustrationCues: [String] = [
        "otra vez", "de nuevo", "todavia", "aun no", "nadie", "harto", "harta", "cansado", "cansada", "siempre",
        "nunca", "no funciona", "no sirve", "no me deja", "no me llega", "no me ha llegado", "no llega", "queja",
        "reclamo", "reclamacion", "verguenza", "increible", "inaceptable", "tercera vez", "segunda vez", "llevo",
        "esperando", "mal servicio", "no puede ser", "denuncia", "estafa", "error", "problema", "no entiendo por que",
    ]

    public static let discourseMarkers: Set<String> = [
        "oiga", "oye", "mire", "mira", "che", "hola", "pues", "bueno", "entonces", "vale", "okay", "ok", "ay",
        "ahorita", "senorita", "señorita", "joven", "amigo", "amiga", "mija", "mijo", "tio", "tia", "disculpe",
        "perdon", "porfa",
    ]

    /// Spanish function words that make poor phrase edges. `no` is deliberately absent:
    /// "no funciona" matters. Compared against the folded form.
    public static let stopwords: Set<String> = [
        "a", "al", "algo", "algun", "alguna", "algunas", "alguno", "algunos", "ante", "antes", "aqui", "asi",
        "aunque", "bien", "cada", "con", "contra", "de", "del", "desde", "durante", "e", "el", "ella", "ellas", "ellos", "en", "entre", "era", "es", "esa", "esas", "ese", "eso",
        "esos", "esta", "estaba", "estas", "este", "esto", "estos", "fue", "ha", "hacia", "han", "has", "hasta",
        "hay", "he", "la", "las", "le", "les", "lo", "los", "mas", "me", "mi", "mis", "mucho", "muy", "nos",
        "nosotros", "o", "os", "para", "pero", "poco", "por", "porque", "pues", "que", "se", "sea",
        "ser", "si", "sin", "sino", "sobre", "su", "sus", "tambien", "te", "ti", "tu", "tus", "u", "un", "una",
        "unas", "uno", "unos", "usted", "ustedes", "y", "ya", "yo", "vos", "vosotros", "ahi", "entonces",
        "bueno", "ok", "okay", "vale", "ah", "oh", "pa", "pos", "tan", "tanto", "todo", "toda", "todos", "todas",
        "otro", "otra", "otros", "otras", "mismo", "misma", "ni",
    ]
}

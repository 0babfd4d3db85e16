import Testing
@testable import Frasario

@Suite("Normalize: Spanish text on UTF-8 bytes")
struct NormalizeTests {
    @Test("lowercases including accented capitals and keeps ñ in both views")
    func lowercasesAccentedCapitalsAndKeepsEnye() {
        let turn = Normalizer.normalize("ÁNGEL PIDIÓ UNA SEÑAL ÚNICA, ¡Ñandú!")
        #expect(turn.displayText == "ángel pidió una señal única ñandú")
        #expect(turn.foldedText == "angel pidio una señal unica ñandu")
    }

    @Test("accent-folded view folds á é í ó ú ü but the display keeps them")
    func foldedViewDropsAccents() {
        let turn = Normalizer.normalize("¿Cuándo llegará el pingüino?")
        #expect(turn.displayText == "cuándo llegará el pingüino")
        #expect(turn.foldedText == "cuando llegara el pinguino")
        #expect(turn.displayTokens.count == turn.foldedTokens.count)
    }

    @Test(
        "the hesitation «este» and the marker «o sea» are dropped; the demonstrative stays",
        arguments: [
            ("no me llega el este código de verificación", "no me llega el código de verificación"),
            ("me cobraron este una comisión que no reconozco", "me cobraron una comisión que no reconozco"),
            ("el código de este verificación", "el código de verificación"),
            ("quiero cancelar o sea la tarjeta", "quiero cancelar la tarjeta"),
            ("la factura de este mes viene cara", "la factura de este mes viene cara"),
            ("no reconozco este cargo", "no reconozco este cargo"),
        ])
    func contextualFillers(input: String, expected: String) {
        #expect(Normalizer.normalize(input).displayText == expected)
    }

    @Test("a written question starts after its «¿», even inside a sentence")
    func questionOpeningsAfterInvertedMark() {
        let turn = Normalizer.normalize("Quería saber, ¿eh, tienen tienda física en Zaragoza?")
        #expect(turn.displayText == "quería saber tienen tienda física en zaragoza")
        #expect(turn.questionOpenings == [2])
    }

    @Test("strips punctuation and symbols, collapses spaces")
    func stripsPunctuation() {
        let turn = Normalizer.normalize("  Sí, claro... «la factura» — ¿no?  (gracias) 😊  ")
        #expect(turn.displayText == "sí claro la factura no gracias")
    }

    @Test(
        "question flag",
        arguments: [
            ("¿Dónde está mi pedido?", true),
            ("donde esta mi pedido", true),
            ("oiga y cuándo llega el técnico", true),
            ("me puede dar el número de folio", true),
            ("por qué me cobraron", true),
            ("puedo pagar en el oxxo", true),
            ("ya me llegó el pedido", false),
            ("como le decía ayer", false),
            ("cuando llamé me dijeron que el viernes", false),
            ("que sí que ya lo recibí", false),
            ("está bien?", true),
        ])
    func questionFlag(text: String, isQuestion: Bool) {
        #expect(Normalizer.normalize(text).isQuestion == isQuestion)
    }

    @Test("only the asking sentence of a turn is a question")
    func questionIsPerSentence() {
        let turn = Normalizer.normalize("Ya me llegó la tarjeta. ¿Cómo la activo?")
        #expect(turn.sentences.count == 2)
        #expect(turn.sentenceIsQuestion == [false, true])
        #expect(turn.isQuestion)
    }

    @Test(
        "sentences end at real ends, not at titles, times or a pause before a lowercase word",
        arguments: [
            ("El Sr. García me dijo que sí", 1), ("la Sra. López, la Dra. Ruiz y Ud. lo saben", 1),
            ("me llamaron a las 10:30 y no contesté", 1), ("Quiero... dar de baja la línea", 1),
            ("quiero… dar de baja", 1), ("No funciona. Quiero la baja", 2), ("No funciona... Quiero la baja", 2),
            ("Son 1.500 euros. Es mucho", 2), ("Hola: quiero la baja", 2), ("vivo en la calle Mayor. Ahí", 2),
        ])
    func sentenceEnds(text: String, sentences: Int) {
        #expect(Normalizer.normalize(text).sentences.count == sentences, "\(text)")
    }

    @Test("a mask written in the text stays that mask and is not counted as masked again; other markup is dropped")
    func writtenMasksStay() {
        let turn = Normalizer.normalize("mi número es <numero> y mi correo <email>, <unk> gracias")
        #expect(turn.displayText == "mi número es <numero> y mi correo <email> gracias")
        #expect(turn.maskCounts.allSatisfy { $0 == 0 })
    }

    @Test("drops fillers and collapses stutters")
    func dropsFillersAndStutters() {
        #expect(Normalizer.normalize("eh que que que me cobraron mmm dos veces ehm").displayText == "que me cobraron dos veces")
        #expect(Normalizer.normalize("no me no me llega el código mhm").displayText == "no me llega el código")
        #expect(Normalizer.normalize("Eeeh, hmm, ¿me escucha?").displayText == "me escucha")
    }

    @Test("ajá alone is dropped, inside a sentence it stays")
    func ajaOnlyAsWholeTurn() {
        #expect(Normalizer.normalize("Ajá.").tokenCount == 0)
        #expect(Normalizer.normalize("ajá ajá").tokenCount == 0)
        #expect(Normalizer.normalize("ajá y luego me colgaron").displayText == "ajá y luego me colgaron")
    }

    @Test(
        "masks PII",
        arguments: [
            ("mi correo es mariana.lopez@correo.com, anótelo", "mi correo es <email> anótelo"),
            ("la tarjeta 4152 3131 0000 1234 ya no sirve", "la tarjeta <tarjeta> ya no sirve"),
            ("la tarjeta 5579-0000-1111-2222", "la tarjeta <tarjeta>"),
            ("4915603398127740", "<tarjeta>"),
            ("mi cel es 55 1234 5678", "mi cel es <numero>"),
            ("llámame al +34 612 34 56 78 por favor", "llámame al <numero> por favor"),
            ("el folio 88231", "el folio <numero>"),
            ("mi DNI es 12345678Z", "mi dni es <numero>"),
            ("curp GOMJ800101HDFRRN09", "curp <numero>"),
            ("el documento 28.456.912", "el documento <numero>"),
            ("juan punto perez arroba gmail punto com", "<email>"),
            ("es ocho ocho dos tres uno", "es <numero>"),
            ("cuatro uno cinco dos tres uno tres uno cero cero cero cero uno dos tres cuatro", "<tarjeta>"),
        ])
    func masksPersonalData(text: String, expected: String) {
        #expect(Normalizer.normalize(text).displayText == expected)
    }

    @Test("short numbers stay: three digits or fewer are not PII")
    func shortNumbersStay() {
        #expect(Normalizer.normalize("me cobraron 3 veces 150 pesos").displayText == "me cobraron 3 veces 150 pesos")
        #expect(Normalizer.normalize("tengo 2 tarjetas y 3 cuentas").displayText == "tengo 2 tarjetas y 3 cuentas")
    }

    @Test(
        "a code's letter prefix written against its digits is part of its mask, as when written without the dash",
        arguments: [
            ("¿Dónde está mi pedido LU-209931? No llega", "dónde está mi pedido <numero> no llega"),
            ("el pedido LU209931 no llega", "el pedido <numero> no llega"),
            ("la guía PED/2024/0001 dice entregado", "la guía <numero> dice entregado"),
            ("mi cuenta es la 2099 3145", "mi cuenta es la <numero>"),
            ("tuve covid-19 y no pude pagar", "tuve covid 19 y no pude pagar"),
            ("el plan de-1234 pesos", "el plan <numero> pesos"),
        ])
    func codePrefixJoinsItsMask(text: String, expected: String) {
        let turn = Normalizer.normalize(text)
        #expect(turn.displayText == expected)
        #expect(turn.maskCounts[PIIMask.number.rawValue] == (expected.contains("<numero>") ? 1 : 0))
        // The written form masks the prefix with the digits: nothing of the code is quoted.
        #expect(!turn.verbatimText.contains("LU") && !turn.verbatimText.contains("PED"))
    }

    @Test("a mask never carries the digits it hides")
    func maskHidesDigits() {
        let turn = Normalizer.normalize("mi número de cliente es 00012345 y mi teléfono 612345678")
        #expect(!turn.displayText.contains { $0.isNumber })
        #expect(turn.maskCounts[PIIMask.number.rawValue] == 2)
    }

    @Test("reused buffers give the same result as a fresh normalizer")
    func reuseIsClean() {
        var normalizer = Normalizer()
        var turn = NormalizedTurn()
        normalizer.normalize("¿Dónde está mi pedido? Llevo una semana esperando", into: &turn)
        normalizer.normalize("hola", into: &turn)
        #expect(turn.displayText == "hola")
        #expect(!turn.isQuestion)
        #expect(turn.sentences == [0..<1])
    }

    @Test("folding helper matches the normalizer's folded view")
    func foldingHelper() {
        #expect(SpanishText.folded("CÓMO Está ÑOÑO, Ü") == "como esta ñoño, u")
    }

    @Test(
        "chat style: elongations, shorthand, emoticons, emojis, URLs",
        arguments: [
            ("holaaaa buenas!!! q tal 😊", "hola buenas que tal"),
            ("siiii xq no me llega el msj :(", "si porque no me llega el mensaje"),
            ("tmb quiero saber dnd está mi pedido xD", "también quiero saber dónde está mi pedido"),
            ("x favor ayúdame porfa <3", "por favor ayúdame por favor"),
            ("mira el link https://telvira.example/pago?id=123 ahí dice", "mira el link <url> ahí dice"),
            ("graciaaas, muy amableee", "gracias muy amable"),
            ("me llamo para llamar al carro", "me llamo para llamar al carro"),
        ])
    func chatStyle(text: String, expected: String) {
        #expect(Normalizer.normalize(text).displayText == expected)
    }

    @Test(
        "IBAN and elongated fillers",
        arguments: [
            ("mi iban es ES91 2100 0418 4502 0005 1332 gracias", "mi iban es <numero> gracias"),
            ("mmmm eeeh ehhh bueno", "bueno"),
        ])
    func ibanAndElongatedFillers(text: String, expected: String) {
        #expect(Normalizer.normalize(text).displayText == expected)
    }

    @Test("the turn as written keeps case, accents, punctuation and fillers, masks personal data, and maps every token to its words")
    func verbatimTurn() {
        let text =
            "Hola, buenas. Eh, xq NO me ha llegado la transferencia de la Nómina?? Mi tarjeta es 4152 3134 5678 9012, el DNI cinco cinco tres dos uno ocho y el correo juan.perez@gmail.com"
        let turn = Normalizer.normalize(text)
        let verbatim = String(decoding: turn.verbatim, as: UTF8.self)
        #expect(verbatim == "Hola, buenas. Eh, xq NO me ha llegado la transferencia de la Nómina?? Mi tarjeta es <tarjeta>, el DNI <numero> y el correo <email>")
        #expect(turn.verbatimTokens.count == turn.displayTokens.count)
        for (index, range) in turn.verbatimTokens.enumerated() {
            let written = String(decoding: turn.verbatim[range], as: UTF8.self).lowercased()
            let display = String(decoding: turn.display[turn.displayTokens[index]], as: UTF8.self)
            // «xq» stands for «por qué»: both words map to what was written.
            #expect(written == display || written == "xq", "token \(index): «\(written)» for «\(display)»")
        }
        #expect(!verbatim.contains("4152") && !verbatim.contains("juan") && !verbatim.contains("cinco"))
    }

    @Test(
        "numbers read out in words, in groups or mixed with digits are masked",
        arguments: [
            ("mi teléfono es seiscientos doce trescientos cuarenta y cinco sesenta y siete", "mi teléfono es <numero>"),
            ("la tarjeta es cuatro mil ciento cincuenta y dos tres mil doscientos", "la tarjeta es <numero>"),
            ("el dni es cuatro 1 cinco 2 tres 1 ocho", "el dni es <numero>"),
            ("cinco cinco doce treinta y cuatro noventa", "<numero>"),
            ("son mil doscientos euros", "son mil doscientos euros"),
            ("tengo dos hijos de cinco y siete años", "tengo dos hijos de cinco y siete años"),
            ("llamo a las 10 y 30", "llamo a las 10 y 30"),
        ])
    func numbersInWordsMasked(text: String, expected: String) {
        #expect(Normalizer.normalize(text).displayText == expected)
    }

    @Test(
        "a number dictated in groups stays one mask across the commas and full stops ASR puts between them",
        arguments: [
            ("sí mi teléfono es el 613, 211, 359", "<numero>"),
            ("seis, uno, tres. dos, uno, uno. tres, cinco, nueve.", "<numero>"),
        ])
    func dictatedGroupsAcrossPunctuationMasked(text: String, expected: String) {
        let normalized = Normalizer.normalize(text).displayText
        #expect(normalized.hasSuffix(expected) && normalized.range(of: #"\d|seis|nueve|cinco"#, options: .regularExpression) == nil, "\(normalized)")
    }

    @Test(
        "a name said after «me llamo», «mi nombre es», «a nombre de» or «se llama» is masked, up to the word that follows it",
        arguments: [
            ("hola me llamo juan pérez y quería saber el saldo", "hola me llamo <nombre> y quería saber el saldo"),
            ("mi nombre es maría josé garcía lópez", "mi nombre es <nombre>"),
            ("la cuenta está a nombre de pedro ruiz", "la cuenta está a nombre de <nombre>"),
            ("mi hijo se llama andrés", "mi hijo se llama <nombre>"),
            ("le llamo porque no me llega el código", "le llamo porque no me llega el código"),
            ("me llamo porque tengo un problema", "me llamo porque tengo un problema"),
            ("Mi nombre es: Marcos Quintanilla.", "mi nombre es <nombre>"),
            ("me llaman todos los días del banco", "me llaman todos los días del banco"),
            ("me llamó ayer un señor del banco", "me llamó ayer un señor del banco"),
            ("hola soy juan pérez garcía y llamo por la factura", "hola soy <nombre> y llamo por la factura"),
            ("buenas tardes le habla rodrigo villalobos", "buenas tardes le habla <nombre>"),
            ("banco altamar buenas tardes le atiende carmen en qué le puedo ayudar", "banco altamar buenas tardes le atiende <nombre> en qué le puedo ayudar"),
            ("soy cliente desde hace años", "soy cliente desde hace años"),
            ("no habla inglés", "no habla inglés"),
            ("mi nombre es maría del carmen fernández ruiz", "mi nombre es <nombre>"),
            ("me llamo josé luis rodríguez de la fuente", "me llamo <nombre>"),
            ("me llamo ana y mi número de cliente", "me llamo <nombre> y mi número de cliente"),
        ])
    func introducedNamesMasked(text: String, expected: String) {
        #expect(Normalizer.normalize(text).displayText == expected)
    }

    @Test(
        "e-mail addresses typed with spaces or dictated with «guion bajo» and numbers are masked whole",
        arguments: [
            ("mi correo es maria @ hotmail . com gracias", "mi correo es <email> gracias"),
            ("es pedro guion bajo ruiz setenta arroba gmail punto com", "es <email>"),
            ("escriba a ana punto lopez arroba correo punto es", "escriba a <email>"),
            ("mi correo es maria fernanda noventa arroba gmail punto com", "mi correo es <email>"),
            ("sí claro es juan carlos arroba hotmail punto es vale", "sí claro es <email> vale"),
            ("mi correo es jota u a ene punto pe e erre e zeta arroba gmail punto com", "mi correo es <email>"),
            ("escríbame a juan.perez＠gmail.com por favor", "escríbame a <email> por favor"),
        ])
    func spacedAndDictatedEmailsMasked(text: String, expected: String) {
        #expect(Normalizer.normalize(text).displayText == expected)
    }

    @Test(
        "street addresses with their number, floor and door are masked; a street named without a number stays",
        arguments: [
            ("vivo en calle mayor 12 3º b", "vivo en <direccion>"),
            ("la dirección es avenida de la constitución número 45 piso 2 puerta b gracias", "la dirección es <direccion> gracias"),
            ("mándelo a carrera 7 45 sur", "mándelo a <direccion> sur"),
            ("plaza españa cinco segundo izquierda", "<direccion>"),
            ("la oficina de la calle mayor está cerrada", "la oficina de la calle mayor está cerrada"),
            ("calle sin salida no hay número", "calle sin salida no hay número"),
            ("ellos son carrera pues te meten a mil al lado", "ellos son carrera pues te meten a mil al lado"),
        ])
    func addressesMasked(text: String, expected: String) {
        #expect(Normalizer.normalize(text).displayText == expected)
    }

    @Test(
        "a birth date said after «nací» or «fecha de nacimiento» is masked; other dates stay",
        arguments: [
            ("nací el doce de marzo de mil novecientos ochenta", "nací el <fecha>"),
            ("mi fecha de nacimiento es 3 de mayo del 85", "mi fecha de nacimiento es <fecha>"),
            ("fecha de nacimiento veinte de enero de dos mil uno y el dni", "fecha de nacimiento <fecha> y el dni"),
            ("me cobraron el doce de marzo", "me cobraron el doce de marzo"),
        ])
    func birthDatesMasked(text: String, expected: String) {
        #expect(Normalizer.normalize(text).displayText == expected)
    }

    @Test("an RFC said in groups is masked whole, initials and check code with the digits")
    func spacedTaxCodeMasked() {
        #expect(Normalizer.normalize("mi rfc es GODE 561231 AB1 para la factura").displayText == "mi rfc es <numero> para la factura")
    }

    @Test("a turn of twenty thousand dictated numbers, e-mails and names masks every one of them")
    func manyMasksInOneTurn() {
        let pieces = (0..<20_000).map { index -> String in
            switch index % 3 {
            case 0: return "el número es seis cinco cuatro tres dos uno"
            case 1: return "y el correo pepe arroba gmail punto com"
            default: return "me llamo ana ruiz"
            }
        }
        let turn = Normalizer.normalize(pieces.joined(separator: " "))
        #expect(turn.maskCounts[PIIMask.number.rawValue] == 6667)
        #expect(turn.maskCounts[PIIMask.email.rawValue] == 6667)
        #expect(turn.maskCounts[PIIMask.name.rawValue] == 6666)
        #expect(!turn.displayText.contains("pepe") && !turn.displayText.contains("ana ruiz"))
    }
}

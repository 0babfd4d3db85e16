import Foundation
import Testing
@testable import Frasario

/// Personal data said every way callers say it, planted in enough calls to be ranked if it
/// escaped its mask, then looked for in every file a run and a shard leave behind.
@Suite("Personal data: no variant reaches a report, the history or a partial")
struct PersonalDataLeakTests {
    /// What the caller says, and the pieces of it that must never appear in any output.
    static let variants: [(said: String, secrets: [String])] = [
        ("mi teléfono es seiscientos doce trescientos cuarenta y cinco sesenta y siete", ["seiscientos doce", "trescientos cuarenta"]),
        ("el número es cinco cinco doce treinta y cuatro noventa", ["doce treinta", "cuatro noventa"]),
        ("la tarjeta es cuatro mil ciento cincuenta y dos tres mil doscientos once cero cero cero uno", ["ciento cincuenta y dos", "doscientos once"]),
        ("el dni es cuatro 1 cinco 2 tres 1 ocho", ["cuatro 1", "2 tres"]),
        ("mi correo es marisol @ hotmail . com", ["marisol", "hotmail"]),
        ("es pedro guion bajo ruiz setenta arroba gmail punto com", ["pedro", "ruiz setenta"]),
        ("mi rfc es GODE 561231 AB1", ["gode", "561231", "ab1"]),
        ("hola me llamo Rigoberto Anzures y quería consultar", ["rigoberto", "anzures"]),
        ("mi nombre es Filomena Ugarte Salas", ["filomena", "ugarte"]),
        ("vivo en calle Zurbarán 12 3º b", ["zurbar", "12 3"]),
        ("la dirección es avenida Insurgentes Sur número 1602 piso 4", ["insurgentes", "1602"]),
        ("nací el doce de marzo de mil novecientos ochenta y uno", ["doce de marzo", "novecientos ochenta"]),
        ("mi fecha de nacimiento es 3 de mayo del 85", ["3 de mayo", "mayo del 85"]),
        ("el correo es maria fernanda noventa arroba yahoo punto com", ["fernanda", "yahoo"]),
        ("la tarjeta 4152 3131 0000 1234", ["4152", "3131"]),
        ("llámeme al 612 34 56 78", ["612 34"]),
        ("mi dni es 12345678Z", ["12345678"]),
        ("escríbame a juan.perez@gmail.com", ["juan.perez", "perez@"]),
        ("entre en https://pago.example.com/t?token=abc123secreto", ["abc123secreto", "pago.example"]),
    ]

    /// Each variant in four calls, each time in other words around it.
    static func plantedCalls() -> String {
        let contexts = [
            "buenas tardes mire %@ y quería saber el saldo de la cuenta", "hola sí %@ porque no me llega el código",
            "oiga %@ es que me cobraron dos veces", "sí señorita %@ gracias por su ayuda",
        ]
        var lines: [String] = []
        for variant in variants {
            for context in contexts {
                let said = context.replacingOccurrences(of: "%@", with: variant.said)
                lines.append(
                    "{\"call_id\": \"pii-\(lines.count + 1)\", \"turns\": [{\"speaker\": \"agente\", \"text\": \"banco altamar buenas tardes en qué le puedo ayudar\"}, {\"speaker\": \"cliente\", \"text\": \"\(said)\"}, {\"speaker\": \"agente\", \"text\": \"muy bien un momento por favor\"}]}"
                )
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test("every variant is masked in the reports, the history and the partial", arguments: [1, 2])
    func noVariantLeaks(threads: Int) throws {
        let root = TestSupport.temporaryDirectory()
        let input = TestSupport.write(Self.plantedCalls(), to: "llamadas.jsonl", in: root)
        var configuration = PipelineConfiguration(
            inputs: [input], outputDirectory: root.appendingPathComponent("noche").path,
            threads: threads, rank: RankOptions(minCount: 2, minCalls: 2, top: 1000),
            lexiconDirectory: TestSupport.lexicons)
        configuration.historyPath = root.appendingPathComponent("frasario.sqlite").path
        let outcome = try Pipeline.run(configuration)
        #expect(outcome.result.summary.callsProcessed == Self.variants.count * 4)
        let masked = outcome.result.summary.piiMasked
        #expect(masked.address == 8 && masked.birthDate == 8 && masked.name == 8)
        let partial = root.appendingPathComponent("noche.partial").path
        _ = try Pipeline.countPartial(configuration, to: partial)

        var outputs: [(name: String, text: String)] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: configuration.outputDirectory) {
            let data = try Data(contentsOf: URL(fileURLWithPath: configuration.outputDirectory).appendingPathComponent(name))
            if name == "timings.json" {
                // Measured seconds and rates only: its digits can spell a secret's by chance
                // ("3131" in 0.43131…), so it is checked to hold nothing but numbers instead.
                #expect(Self.onlyNumbers(try JSONSerialization.jsonObject(with: data)), "timings.json holds more than numbers")
                continue
            }
            outputs.append((name, String(decoding: data, as: UTF8.self)))
        }
        outputs.append(("frasario.sqlite", String(decoding: try Data(contentsOf: URL(fileURLWithPath: configuration.historyPath!)), as: UTF8.self)))
        let stream = try PartialReader(path: partial).entries(bucket: 0)
        var partialText = ""
        while let entry = try stream.next() {
            partialText += String(decoding: entry.key, as: UTF8.self) + "\n"
            for surface in entry.surfaces { partialText += String(decoding: surface.display, as: UTF8.self) + "\n" }
        }
        outputs.append(("partial n-grams", partialText))
        #expect(outputs.count >= 10)
        for output in outputs {
            let text = output.text.lowercased()
            let leaked = Self.variants.flatMap(\.secrets).filter { text.contains($0.lowercased()) }
            #expect(leaked.isEmpty, "\(leaked) leaked into \(output.name)")
        }
        // The contexts around the masks are still counted: masking took the data, not the call.
        #expect(outcome.result.row(.customer, "me cobraron dos veces")?.calls == Self.variants.count)
    }

    /// Whether a decoded JSON value holds numbers only (in objects and arrays, under any keys).
    static func onlyNumbers(_ value: Any) -> Bool {
        switch value {
        case let object as [String: Any]: return object.values.allSatisfy(onlyNumbers)
        case let array as [Any]: return array.allSatisfy(onlyNumbers)
        case is NSNumber: return true
        default: return false
        }
    }
}

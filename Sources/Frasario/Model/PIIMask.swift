import Foundation

/// The kinds of personal data masked before anything is counted or quoted.
public enum PIIMask: Int, Sendable, CaseIterable, Codable {
    case email = 0
    case card = 1
    case number = 2
    /// Web addresses: not personal data as such, but they carry ids and tokens.
    case url = 3
    /// A person's name said after «me llamo», «mi nombre es», «a nombre de», «se llama».
    case name = 4
    /// A street address with its number: «calle mayor 12 3º b».
    case address = 5
    /// A birth date, said after «nací», «fecha de nacimiento»…
    case birthDate = 6

    /// The token that replaces the personal data in every view of the text.
    public var token: String {
        switch self {
        case .email: return "<email>"
        case .card: return "<tarjeta>"
        case .number: return "<numero>"
        case .url: return "<url>"
        case .name: return "<nombre>"
        case .address: return "<direccion>"
        case .birthDate: return "<fecha>"
        }
    }

    /// The mask's token as UTF-8, made once.
    var bytes: [UInt8] { Self.tokenBytes[rawValue] }
    private static let tokenBytes: [[UInt8]] = allCases.map { Array($0.token.utf8) }
}

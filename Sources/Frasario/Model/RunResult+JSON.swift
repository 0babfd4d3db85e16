import Foundation

/// `report.json`'s encoding: the result as is, keys sorted, snake_case. Shared by the report
/// writer and the history, which stores each night's result.
extension RunResult {
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        var data = try encoder.encode(self)
        data.append(0x0A)
        return data
    }

    /// Reads a `report.json` back.
    public static func decode(_ data: Data) throws -> RunResult {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(RunResult.self, from: data)
    }
}

import Foundation

/// The frame shared by partials and bucket results: an 8-byte mark, a u32 version and a JSON
/// header (u64 length, bytes) at the start; at the end, two section offsets, a checksum of
/// every byte before it, and an end mark.
/// Written atomically (temporary name, sync, rename), so a killed task leaves no half file; read
/// only after the whole file is checked.
enum ChecksummedFile {
    /// The two offsets and the checksum stored in a file's trailer.
    struct Trailer {
        var first: Int
        var second: Int
        var checksum: UInt64
        var size: Int
    }

    /// Where a file's header ends, and the checksum of its bytes up to there (mark, version,
    /// header): a section may store it, so a reader of that section checks the header alone.
    struct Start {
        var end: Int
        var checksum: UInt64
    }

    /// Writes `path`: the mark, version and `header`, then what `body` emits (it is told where
    /// the header ends and returns the two offsets to store in the trailer).
    static func write(
        to path: String, magic: [UInt8], version: UInt32, header: some Encodable,
        _ body: (_ emit: @escaping ([UInt8]) throws -> Void, _ start: Start) throws -> (Int, Int)
    ) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var start = ByteWriter()
        start.bytes = magic
        start.u32(version)
        let headerBytes = try encoder.encode(header)
        start.u64(UInt64(headerBytes.count))
        start.bytes += headerBytes
        let directory = PathText.parent(path)
        if !directory.isEmpty { try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        let temporary =
            (directory.isEmpty ? "." : directory) + "/." + PathText.lastComponent(path) + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        errno = 0
        guard FileManager.default.createFile(atPath: temporary, contents: nil), let handle = FileHandle(forWritingAtPath: temporary) else {
            throw PartialError.cannotWrite(path: path, reason: SystemErrorText.describe(errno: errno, otherwise: "the file cannot be created"))
        }
        var checksum = PartialChecksum()
        do {
            let emit: ([UInt8]) throws -> Void = { bytes in
                checksum.add(bytes)
                try handle.write(contentsOf: bytes)
            }
            try emit(start.bytes)
            var startChecksum = PartialChecksum()
            startChecksum.add(start.bytes)
            let (first, second) = try body(emit, Start(end: start.bytes.count, checksum: startChecksum.final))
            var trailer = ByteWriter()
            trailer.u64(UInt64(first))
            trailer.u64(UInt64(second))
            trailer.u64(checksum.final)
            trailer.bytes.append(contentsOf: PartialFormat.endMagic)
            try handle.write(contentsOf: trailer.bytes)
            try handle.synchronize()
            try handle.close()
            guard rename(temporary, path) == 0 else { throw PartialError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(atPath: temporary)
            if let error = error as? PartialError { throw error }
            throw PartialError.cannotWrite(path: path, reason: SystemErrorText.describe(error))
        }
    }

    /// Checks the file (see `check`) and decodes its header, which must end where the first
    /// section starts.
    /// - Parameter verify: false reads the checksum without recomputing it, for a file that
    ///   the tasks reading its sections have checked whole already (see `PartialReader`).
    static func open<Header: Decodable>(
        path: String, magic: [UInt8], version: UInt32, header: Header.Type, verify: Bool = true
    ) throws(PartialError) -> (trailer: Trailer, header: Header) {
        let trailer = try check(path: path, magic: magic, version: version, verify: verify)
        let head = try ByteReader(path: path, from: 12, to: trailer.first)
        let headerLength = Int(clamping: try head.u64())
        guard headerLength > 0, 20 + headerLength == trailer.first else { throw .corrupt(path: path, reason: "its header length is wrong") }
        do {
            let data = Data(try head.bytes(headerLength))
            // A header is checksummed, not signed: a figure out of range (edited, or written by
            // something else) would overflow the sums a merge makes.
            if let figure = outOfRangeFigure(in: data) {
                throw PartialError.corrupt(path: path, reason: "its header holds the figure \(figure), out of range")
            }
            return (trailer, try JSONDecoder().decode(Header.self, from: data))
        } catch let error as PartialError {
            throw error
        } catch {
            throw .corrupt(path: path, reason: "its header cannot be decoded")
        }
    }

    /// The largest figure a header may hold (calls, bytes, offsets, counts): 2⁴⁰, so sums of
    /// thousands of partials stay far from overflow.
    static let largestFigure = Double(1 << 40)

    /// The first number in the JSON `data` that is negative, not finite or past `largestFigure`.
    static func outOfRangeFigure(in data: Data) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else { return nil }
        var pending: [Any] = [object]
        while let next = pending.popLast() {
            switch next {
            case let number as NSNumber:
                let value = number.doubleValue
                if !(value.isFinite && value >= 0 && value <= largestFigure) { return number.stringValue }
            case let array as [Any]: pending.append(contentsOf: array)
            case let dictionary as [String: Any]: pending.append(contentsOf: dictionary.values)
            default: continue
            }
        }
        return nil
    }

    /// Checks mark, version, end mark and (with `verify`) checksum; returns the trailer.
    static func check(path: String, magic: [UInt8], version expected: UInt32, verify: Bool = true) throws(PartialError) -> Trailer {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path), let size = (attributes[.size] as? NSNumber)?.intValue else {
            throw .unreadable(path: path, reason: FileManager.default.fileExists(atPath: path) ? "its size cannot be read" : "it does not exist")
        }
        guard size >= magic.count + 12 + PartialFormat.trailerSize else { throw .notAPartial(path: path) }
        let trailerOffset = size - PartialFormat.trailerSize
        let head = try ByteReader(path: path, from: 0, to: 12)
        guard Array(try head.bytes(8)) == magic else { throw .notAPartial(path: path) }
        let version = try head.bytes(4).enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << UInt32(8 * $1.offset) }
        guard version == expected else { throw .unsupportedVersion(path: path, version: version) }
        let reader = try ByteReader(path: path, from: trailerOffset, to: size)
        let trailer = Trailer(first: Int(clamping: try reader.u64()), second: Int(clamping: try reader.u64()), checksum: try reader.u64(), size: size)
        guard Array(try reader.bytes(8)) == PartialFormat.endMagic else { throw .corrupt(path: path, reason: "its end mark is missing: it was cut short") }
        guard trailer.first < trailer.second, trailer.second <= trailerOffset else { throw .corrupt(path: path, reason: "its section offsets are wrong") }
        guard verify else { return trailer }
        // The whole file is checked before any figure is trusted.
        var computed = PartialChecksum()
        let all = try ByteReader(path: path, from: 0, to: trailerOffset)
        var remaining = trailerOffset
        while remaining > 0 {
            let chunk = try all.bytes(min(remaining, 4 << 20))
            computed.add(chunk)
            remaining -= chunk.count
        }
        guard computed.final == trailer.checksum else { throw .corrupt(path: path, reason: "its checksum does not match its contents") }
        return trailer
    }
}

import CZlib

/// zlib's deflate for the n-gram section of partials: sorted, front-coded records compress
/// well, and partials cross the network from every executor. The only file that calls zlib.
enum Deflate {
    /// The most deflate can shrink data (RFC 1951: 258 bytes in a 2-bit code at best, about
    /// 1,032 to 1): a block that claims more raw bytes per compressed byte is damaged.
    static let maximumRatio = 1032

    /// `bytes` compressed at a fast level (the network is cheaper than the CPU here, but not free).
    static func compress(_ bytes: [UInt8]) -> [UInt8] {
        var length = compressBound(uLong(bytes.count))
        var output = [UInt8](repeating: 0, count: Int(length))
        // SAFETY: zlib writes at most `length` bytes into `output` (sized by compressBound) and
        // reads exactly `bytes.count` bytes from `bytes`.
        let status = output.withUnsafeMutableBufferPointer { out in
            bytes.withUnsafeBufferPointer { input in
                compress2(out.baseAddress, &length, input.baseAddress, uLong(input.count), 1)
            }
        }
        precondition(status == Z_OK, "zlib compress2 failed with \(status) on a buffer it sized itself")
        output.removeSubrange(Int(length)...)
        return output
    }

    /// The `rawLength` bytes that `compressed` holds; nil when they do not inflate to exactly that.
    static func decompress(_ compressed: ArraySlice<UInt8>, rawLength: Int) -> [UInt8]? {
        guard rawLength >= 0 else { return nil }
        var output = [UInt8](repeating: 0, count: rawLength)
        var length = uLong(rawLength)
        // SAFETY: zlib writes at most `length` (= output.count) bytes and reads `compressed.count`.
        let status = output.withUnsafeMutableBufferPointer { out in
            compressed.withUnsafeBufferPointer { input in
                uncompress(out.baseAddress, &length, input.baseAddress, uLong(input.count))
            }
        }
        guard status == Z_OK, Int(length) == rawLength else { return nil }
        return output
    }
}

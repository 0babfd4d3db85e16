import Foundation

/// Quoted turns stored compressed, as a partial carries them: the spool's bytes cut into
/// 64 KB raw blocks, each deflated, with an index of where each block starts, so a turn is
/// read at any raw offset by inflating one or two blocks. (Turns compress about 4×; they were
/// half of a partial's bytes.)
///
/// Layout of the section: u64 raw length, the blocks (u32 raw length, u32 compressed length,
/// bytes), then one u64 per block (its offset from the section's start), then u64 block count.
enum CompressedSpool {
    static let blockBytes = 64 << 10

    /// Compresses bytes given in any pieces into blocks, through `emit`.
    struct Writer {
        private let emit: ([UInt8]) throws -> Void
        private var pending: [UInt8] = []
        private var offsets: [UInt64] = []
        private var written = 0

        /// - Parameter rawLength: the bytes that will be added in all.
        init(rawLength: Int, emit: @escaping ([UInt8]) throws -> Void) throws {
            self.emit = emit
            let head = littleEndian(UInt64(rawLength), bytes: 8)
            try emit(head)
            written = head.count
            pending.reserveCapacity(blockBytes)
        }

        mutating func add(_ bytes: [UInt8]) throws {
            var start = 0
            while start < bytes.count {
                let take = min(blockBytes - pending.count, bytes.count - start)
                pending.append(contentsOf: bytes[start..<(start + take)])
                start += take
                if pending.count == blockBytes { try flush() }
            }
        }

        private mutating func flush() throws {
            guard !pending.isEmpty else { return }
            let compressed = Deflate.compress(pending)
            let head = littleEndian(UInt64(pending.count), bytes: 4) + littleEndian(UInt64(compressed.count), bytes: 4)
            offsets.append(UInt64(written))
            try emit(head + compressed)
            written += head.count + compressed.count
            pending.removeAll(keepingCapacity: true)
        }

        mutating func finish() throws {
            try flush()
            var index: [UInt8] = []
            for offset in offsets { index += littleEndian(offset, bytes: 8) }
            index += littleEndian(UInt64(offsets.count), bytes: 8)
            try emit(index)
        }
    }

    static func littleEndian(_ value: UInt64, bytes: Int) -> [UInt8] {
        (0..<bytes).map { UInt8(truncatingIfNeeded: value >> UInt64(8 * $0)) }
    }

    /// A compressed spool section `start..<end` of a file, opened for reading.
    final class Reader: @unchecked Sendable {
        // SAFETY: the only mutable state, the last inflated block, is guarded by `lock`.
        let rawLength: Int
        private let blockStarts: [Int]
        private let end: Int
        private var cachedIndex = -1
        private var cached: [UInt8] = []
        private let lock = NSLock()

        /// Checks the section's index; nil when it is malformed.
        init?(url: URL, start: Int, end: Int) {
            guard let handle = FileHandle(forReadingAtPath: url.path) else { return nil }
            defer { try? handle.close() }
            func u64(at offset: Int) -> Int? {
                guard (try? handle.seek(toOffset: UInt64(offset))) != nil, let data = try? handle.read(upToCount: 8), data.count == 8 else { return nil }
                return Int(clamping: data.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << UInt64(8 * $1.offset) })
            }
            guard end - start >= 16, let raw = u64(at: start), let count = u64(at: end - 8), count >= 0, count <= (end - start) / 8,
                raw <= count * CompressedSpool.blockBytes, raw > (count - 1) * CompressedSpool.blockBytes || count == 0
            else { return nil }
            var starts: [Int] = []
            for block in 0..<count {
                guard let offset = u64(at: end - 8 - 8 * (count - block)), offset >= 8, offset < end - 8 - 8 * count - start else { return nil }
                starts.append(start + offset)
            }
            self.end = end - 8 - 8 * count
            rawLength = raw
            blockStarts = starts
        }

        /// Blocks in the section.
        var blockCount: Int { blockStarts.count }

        /// The raw bytes of block `index`, inflated (the last one read by `read` is kept).
        func block(_ index: Int, handle: FileHandle) -> [UInt8]? {
            guard index >= 0, index < blockStarts.count, (try? handle.seek(toOffset: UInt64(blockStarts[index]))) != nil,
                let head = try? handle.read(upToCount: 8), head.count == 8
            else { return nil }
            let raw = Int(head[0]) | Int(head[1]) << 8 | Int(head[2]) << 16 | Int(head[3]) << 24
            let compressed = Int(head[4]) | Int(head[5]) << 8 | Int(head[6]) << 16 | Int(head[7]) << 24
            guard raw <= CompressedSpool.blockBytes, blockStarts[index] + 8 + compressed <= end,
                let data = try? handle.read(upToCount: compressed), data.count == compressed,
                let bytes = Deflate.decompress([UInt8](data)[...], rawLength: raw)
            else { return nil }
            return bytes
        }

        private func cachedBlock(_ index: Int, handle: FileHandle) -> [UInt8]? {
            lock.lock()
            defer { lock.unlock() }
            if index == cachedIndex { return cached }
            guard let bytes = block(index, handle: handle) else { return nil }
            (cachedIndex, cached) = (index, bytes)
            return bytes
        }

        /// `count` raw bytes from raw offset `offset`, or nil past the end or on a bad block.
        func read(_ offset: Int, _ count: Int, handle: FileHandle) -> [UInt8]? {
            guard offset >= 0, count >= 0, offset + count <= rawLength else { return nil }
            var result: [UInt8] = []
            result.reserveCapacity(count)
            var position = offset
            while result.count < count {
                let index = position / CompressedSpool.blockBytes
                guard let bytes = cachedBlock(index, handle: handle) else { return nil }
                let from = position - index * CompressedSpool.blockBytes
                guard from < bytes.count else { return nil }
                let take = min(bytes.count - from, count - result.count)
                result.append(contentsOf: bytes[from..<(from + take)])
                position += take
            }
            return result
        }
    }
}

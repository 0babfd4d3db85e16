import Foundation

/// The order in which a partial stores its quoted turns: call by call in input order, whichever
/// worker counted each call. Workers take calls in slices, so their spools interleave the input
/// differently for every thread count; laid out this way, a partial is the same bytes for any
/// `--threads`. Example references into the workers' spools are moved with their calls.
struct SpoolLayout {
    /// A call's turns: bytes `start..<end` of spool `spool` (position in the corpus's spools),
    /// written at `target` in the partial's spool section.
    struct Piece {
        var ordinal: Int
        var spool: Int
        var start: Int
        var end: Int
        var target = 0
    }

    /// The pieces in the order they are written.
    private(set) var pieces: [Piece] = []
    /// Bytes of the laid-out spool section.
    private(set) var length = 0
    /// Per spool (by its index): its pieces' old starts, ascending, and their new places.
    private var moves: [Int: (starts: [Int], targets: [Int])] = [:]

    init(spools: [SnippetSpool]) {
        for (position, spool) in spools.enumerated() {
            let calls = spool.callStarts
            // Bytes before the first marked call (none when every call was marked) go first.
            if let first = calls.first?.offset ?? (spool.byteCount > 0 ? spool.byteCount : nil), first > 0 {
                pieces.append(Piece(ordinal: Int.min + position, spool: position, start: 0, end: first))
            }
            for (index, call) in calls.enumerated() {
                let end = index + 1 < calls.count ? calls[index + 1].offset : spool.byteCount
                if end > call.offset { pieces.append(Piece(ordinal: call.ordinal, spool: position, start: call.offset, end: end)) }
            }
        }
        pieces.sort { ($0.ordinal, $0.spool) < ($1.ordinal, $1.spool) }
        for index in pieces.indices {
            pieces[index].target = length
            length += pieces[index].end - pieces[index].start
        }
        for piece in pieces {
            let index = spools[piece.spool].index
            moves[index, default: ([], [])].starts.append(piece.start)
            moves[index, default: ([], [])].targets.append(piece.target)
        }
        // Each spool's pieces were appended in ordinal order, which is its offset order too.
    }

    /// Where the turn at `reference` lands in the laid-out spool section.
    func offset(of reference: SnippetReference) -> Int {
        guard let move = moves[reference.spool], !move.starts.isEmpty else { return reference.offset }
        // The last piece starting at or before the offset.
        var low = 0, high = move.starts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if move.starts[middle] <= reference.offset { low = middle } else { high = middle - 1 }
        }
        return move.targets[low] + reference.offset - move.starts[low]
    }

    /// Writes the pieces in order through `emit`, reading each spool front to back once.
    func copy(from spools: [SnippetSpool], emit: ([UInt8]) throws -> Void) throws {
        var readers: [SequentialReader] = []
        for spool in spools { readers.append(try SequentialReader(path: spool.url.path)) }
        defer { readers.forEach { $0.close() } }
        var output: [UInt8] = []
        for piece in pieces {
            try readers[piece.spool].read(from: piece.start, count: piece.end - piece.start, into: &output)
            if output.count >= 4 << 20 {
                try emit(output)
                output.removeAll(keepingCapacity: true)
            }
        }
        if !output.isEmpty { try emit(output) }
    }

    /// Reads one file forward in large chunks; a read may skip ahead but never go back.
    private final class SequentialReader {
        private let handle: FileHandle
        private let path: String
        private var buffer: [UInt8] = []
        private var bufferStart = 0

        init(path: String) throws {
            guard let handle = FileHandle(forReadingAtPath: path) else {
                throw PartialError.cannotWrite(path: path, reason: "the spool \(path) cannot be read")
            }
            self.handle = handle
            self.path = path
        }

        func read(from start: Int, count: Int, into output: inout [UInt8]) throws {
            var position = start
            var remaining = count
            while remaining > 0 {
                let available = bufferStart + buffer.count - position
                if position >= bufferStart && available > 0 {
                    let from = position - bufferStart
                    let take = min(available, remaining)
                    output.append(contentsOf: buffer[from..<(from + take)])
                    position += take
                    remaining -= take
                    continue
                }
                if position > bufferStart + buffer.count || position < bufferStart {
                    try handle.seek(toOffset: UInt64(position))
                    bufferStart = position
                } else {
                    bufferStart += buffer.count
                }
                guard let more = try handle.read(upToCount: 8 << 20), !more.isEmpty else {
                    throw PartialError.cannotWrite(path: path, reason: "the spool \(path) is short")
                }
                buffer = [UInt8](more)
            }
        }

        func close() { try? handle.close() }
    }
}

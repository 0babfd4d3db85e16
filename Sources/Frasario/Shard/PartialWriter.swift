import Foundation

/// Writes a shard's counted corpus as a partial file, atomically (temporary name, sync, rename).
enum PartialWriter {
    static func write(_ corpus: CountedCorpus, fingerprint: PartialFingerprint, to path: String) throws {
        // The spool section holds every worker's quoted turns in input order; rule examples move with them.
        let layout = SpoolLayout(spools: corpus.spools)
        let spoolLength = layout.length
        let header = PartialHeader(
            fingerprint: fingerprint, summary: corpus.summary, dates: corpus.dates,
            ingest: corpus.ingest, discoveryWarnings: corpus.discoveryWarnings, slowRules: corpus.slowRules,
            countErrorBound: corpus.counts.countErrorBound, prunes: corpus.counts.prunes, bytesRead: corpus.bytesRead,
            tally: corpus.lexicon == nil ? nil : tallyInPartial(corpus.tally, layout: layout))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let headerBytes = try encoder.encode(header)

        let directory = PathText.parent(path)
        if !directory.isEmpty { try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        let temporary = (directory.isEmpty ? "." : directory) + "/." + (path as NSString).lastPathComponent + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        guard FileManager.default.createFile(atPath: temporary, contents: nil), let handle = FileHandle(forWritingAtPath: temporary) else {
            throw PartialError.cannotWrite(path: path, reason: "the file cannot be created")
        }
        var checksum = PartialChecksum()
        var written = 0
        func emit(_ bytes: [UInt8]) throws {
            checksum.add(bytes)
            written += bytes.count
            try handle.write(contentsOf: bytes)
        }
        do {
            var start = ByteWriter()
            start.bytes = PartialFormat.magic
            start.u32(PartialFormat.version)
            start.u64(UInt64(headerBytes.count))
            try emit(start.bytes)
            try emit([UInt8](headerBytes))

            // Entries, sorted by key bytes so merges can stream them.
            let entriesOffset = written
            let counts = corpus.counts
            let order = counts.entriesInKeyOrder()
            var count = ByteWriter()
            count.u64(UInt64(order.count))
            try emit(count.bytes)
            func emitBlock(_ raw: [UInt8]) throws {
                guard !raw.isEmpty else { return }
                let compressed = Deflate.compress(raw)
                var head = ByteWriter()
                head.u32(UInt32(raw.count))
                head.u32(UInt32(compressed.count))
                try emit(head.bytes + compressed)
            }
            var section = ByteWriter()
            var previous: [UInt8] = []
            for entry in order {
                let key = counts.keyBytes(entry)
                var shared = 0
                while shared < min(previous.count, key.count) && previous[shared] == key[shared] { shared += 1 }
                section.varint(shared)
                section.varint(key.count - shared)
                section.bytes.append(contentsOf: key[shared...])
                let stats = counts.stats(entry: entry)
                for value in stats.occurrences.stored + stats.calls.stored { section.varint(value) }
                section.varint(counts.entries[entry].delta)
                // Written forms in byte order: the order workers met them in depends on the thread count.
                let surfaces = counts.surfaces(entry).sorted { $0.display.lexicographicallyPrecedes($1.display) }
                section.varint(surfaces.count)
                for surface in surfaces {
                    section.varint(surface.display.count)
                    section.bytes.append(contentsOf: surface.display)
                    section.varint(surface.count)
                }
                previous = key
                if section.bytes.count >= PartialFormat.blockBytes { try emitBlock(section.bytes); section.bytes.removeAll(keepingCapacity: true) }
            }
            try emitBlock(section.bytes)

            let spoolOffset = written
            var length = ByteWriter()
            length.u64(UInt64(spoolLength))
            try emit(length.bytes)
            try layout.copy(from: corpus.spools, emit: emit)
            var trailer = ByteWriter()
            trailer.u64(UInt64(entriesOffset))
            trailer.u64(UInt64(spoolOffset))
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

    /// The tally with its rule examples pointing into the partial's spool section.
    static func tallyInPartial(_ tally: LexiconTally, layout: SpoolLayout) -> LexiconTally {
        var moved = tally
        moved.moveExamples { SnippetReference(spool: 0, offset: layout.offset(of: $0)) }
        return moved
    }
}

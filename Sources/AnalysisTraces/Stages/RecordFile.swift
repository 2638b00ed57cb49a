import Foundation

/// Publishing a stage's output so that Make's timestamps stay honest: the file appears
/// atomically, and an output whose bytes would not change is left alone (its mtime too), so
/// the stages downstream of it are not rerun.
public enum RecordFile {
    /// Writes `records` as gzip JSON Lines to `path` atomically unless the file already holds
    /// exactly these bytes. Returns whether the file changed.
    @discardableResult
    public static func publish<Record: Encodable>(_ records: some Sequence<Record>, to path: String) throws -> Bool {
        let file = try AtomicFile(target: path)
        do {
            let gzip = try GzipWriter(fileDescriptor: file.fileDescriptor, path: path, closesDescriptor: false)
            let writer = JSONLinesWriter<Record>(gzip: gzip)
            for record in records { try writer.write(record) }
            try gzip.close()
        } catch {
            file.discard()
            throw error
        }
        return try commitIfChanged(file)
    }

    /// Writes `bytes` to `path` atomically unless the file already holds exactly these bytes.
    /// Returns whether the file changed.
    @discardableResult
    public static func publish(bytes: [UInt8], to path: String) throws -> Bool {
        let file = try AtomicFile(target: path)
        do {
            try bytes.withUnsafeBytes { try POSIXFile.writeAll(file.fileDescriptor, $0, path: file.temporaryPath) }
        } catch {
            file.discard()
            throw error
        }
        return try commitIfChanged(file)
    }

    /// Commits a fully written `file`, unless its target already holds the same bytes, in which
    /// case the temporary is discarded and the target (and its mtime) left alone. Returns whether
    /// the target changed.
    static func commitIfChanged(_ file: AtomicFile) throws -> Bool {
        do {
            if try sameContents(file.temporaryPath, file.target) {
                file.discard()
                return false
            }
            try file.commit()
            return true
        } catch {
            file.discard()
            throw error
        }
    }

    /// Whether two files hold the same bytes (false when either is missing).
    static func sameContents(_ a: String, _ b: String) throws -> Bool {
        guard let first = FileHandle(forReadingAtPath: a), let second = FileHandle(forReadingAtPath: b) else { return false }
        defer {
            try? first.close()
            try? second.close()
        }
        while true {
            let x = try first.read(upToCount: 1 << 20) ?? Data()
            let y = try second.read(upToCount: 1 << 20) ?? Data()
            if x != y { return false }
            if x.isEmpty { return true }
        }
    }

    /// Writes a run log to `path` (`<output>.run.json`), pretty-printed; run logs hold
    /// wall-clock facts, so they are rewritten every run.
    public static func writeRunLog(_ log: RunLog, to path: String) throws {
        var bytes = JSONWriter.prettyBytes(try RecordEncoder().encodeValue(log))
        bytes.append(0x0A)
        try AtomicFile.write(to: path) { file in
            try bytes.withUnsafeBytes { try POSIXFile.writeAll(file.fileDescriptor, $0, path: file.temporaryPath) }
        }
    }
}

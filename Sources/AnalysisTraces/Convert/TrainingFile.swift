/// One output file of `convert` (`<format>/<split>.jsonl.gz`), written as rows arrive and
/// published like `RecordFile.publish`: atomically, and only when its bytes change (an unchanged
/// file keeps its mtime, so Make and rsync see no change).
final class TrainingFile {
    let path: String
    private let file: AtomicFile
    private let gzip: GzipWriter
    private var line: [UInt8] = []
    private(set) var rows = 0

    init(path: String) throws {
        self.path = path
        file = try AtomicFile(target: path)
        do {
            gzip = try GzipWriter(fileDescriptor: file.fileDescriptor, path: path, closesDescriptor: false)
        } catch {
            file.discard()
            throw error
        }
    }

    func write(_ row: JSONValue) throws {
        line.removeAll(keepingCapacity: true)
        JSONWriter.write(row, floatsWithFraction: true, to: &line)
        line.append(0x0A)
        try line.withUnsafeBytes { try gzip.write($0) }
        rows += 1
    }

    /// Finishes the file and publishes it unless the target already holds these bytes.
    /// Returns whether the target changed.
    func publish() throws -> Bool {
        do {
            try gzip.close()
        } catch {
            file.discard()
            throw error
        }
        return try RecordFile.commitIfChanged(file)
    }

    func discard() {
        file.discard()
    }

    /// Writes `text` to `path` atomically unless the file already holds it; returns whether it changed.
    static func publishText(_ text: String, to path: String) throws -> Bool {
        try RecordFile.publish(bytes: Array(text.utf8), to: path)
    }
}

/// Reads a gzip JSON Lines file of one record type, streaming: each line is decoded straight
/// from the decompression buffer and handed over with its line number.
///
/// Every decode failure is a `JSONLinesError` naming the file, the line and the field; gzip
/// problems are `GzipError`s (with offset and line), I/O problems `FileSystemError`s.
public struct JSONLinesReader<Record: Decodable> {
    public let path: String
    public let options: GzipLineReader.Options
    public let decoder: RecordDecoder

    public init(path: String, options: GzipLineReader.Options = GzipLineReader.Options(), decoder: RecordDecoder = RecordDecoder()) {
        self.path = path
        self.options = options
        self.decoder = decoder
    }

    /// Decodes every line in order and calls `body` with the record and its 1-based line number.
    /// Stops at the first line that does not decode (throwing `JSONLinesError`) or when `body`
    /// throws. Under `.completeMembersOnly`, a damaged tail ends the read and is described in
    /// the returned summary.
    @discardableResult
    public func forEach(
        policy: GzipLineReader.Policy = .strict, _ body: (Record, Int) throws -> Void
    ) throws -> GzipReadSummary {
        let reader = try GzipLineReader(path: path, options: options)
        return try reader.forEachLine(policy: policy) { bytes, line in
            try body(try JSONLinesError.decode(Record.self, from: bytes, path: path, line: line, decoder: decoder), line)
        }
    }

    /// Every record of the file, in order (for files known to be small).
    public func readAll() throws -> [Record] {
        var records: [Record] = []
        try forEach { record, _ in records.append(record) }
        return records
    }
}

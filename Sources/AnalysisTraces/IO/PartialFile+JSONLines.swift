extension PartialFile {
    /// `open(resuming:)` for a file of `Record`s: each resumed line is decoded and handed to
    /// `body` with its record number. A line that does not decode throws `JSONLinesError`
    /// (the partial file is left untouched).
    @discardableResult
    public func open<Record: Decodable>(
        resuming type: Record.Type, decoder: RecordDecoder = RecordDecoder(), _ body: (Record, Int) throws -> Void
    ) throws -> PartialFileResume {
        let path = self.path
        return try open(resuming: { bytes, line in
            try body(try JSONLinesError.decode(type, from: bytes, path: path, line: line, decoder: decoder), line)
        })
    }

    /// Encodes `record` as one JSON line and appends it (see `append(_:)`).
    public func append<Record: Encodable>(record: Record, encoder: RecordEncoder = RecordEncoder()) throws {
        let line = try encoder.encode(record)
        try append(line)
    }
}

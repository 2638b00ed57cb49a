/// Writes records of one type as gzip JSON Lines: one `RecordEncoder` line per record.
///
/// The writer does not own a file: give it a `GzipWriter` (usually from `AtomicFile.writeGzip`
/// or `JSONLinesWriter.write(_:to:level:)`, which publish atomically).
public final class JSONLinesWriter<Record: Encodable> {
    /// The gzip stream the lines go to (end members or flush through it).
    public let gzip: GzipWriter
    public let encoder: RecordEncoder
    /// Records written so far.
    public private(set) var count = 0
    private var buffer: [UInt8] = []

    public init(gzip: GzipWriter, encoder: RecordEncoder = RecordEncoder()) {
        self.gzip = gzip
        self.encoder = encoder
        buffer.reserveCapacity(64 * 1024)
    }

    /// Encodes `record` and writes it as one line.
    public func write(_ record: Record) throws {
        buffer.removeAll(keepingCapacity: true)
        try encoder.append(record, to: &buffer)
        buffer.append(0x0A)
        try buffer.withUnsafeBytes { try gzip.write($0) }
        count += 1
    }

    /// Writes every record of `records` to a gzip JSON Lines file at `path`, atomically: the
    /// file appears complete or not at all (see `AtomicFile`).
    public static func write<Records: Sequence<Record>>(
        _ records: Records, to path: String, level: Int = GzipWriter.defaultLevel
    ) throws {
        try AtomicFile.writeGzip(to: path, level: level) { gzip in
            let writer = JSONLinesWriter(gzip: gzip)
            for record in records { try writer.write(record) }
        }
    }

    /// Runs `body` with a writer whose file is published atomically at `path` when `body`
    /// returns, and discarded if it throws or the task is cancelled.
    public static func publishing<Result>(
        to path: String, level: Int = GzipWriter.defaultLevel, _ body: (JSONLinesWriter<Record>) async throws -> Result
    ) async throws -> Result {
        try await AtomicFile.writeGzip(to: path, level: level) { gzip in
            try await body(JSONLinesWriter(gzip: gzip))
        }
    }
}

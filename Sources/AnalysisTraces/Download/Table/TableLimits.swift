/// Caps that keep `TableExtractor` bounded in memory and time, whatever it is given.
///
/// Every size is in bytes. The archive caps are checked against what the headers declare
/// (a cheap early refusal) and again against what inflating actually produces, so an archive
/// that lies about its sizes is stopped after at most the cap, never inflated in full.
public struct TableLimits: Sendable, Equatable {
    /// The most bytes accepted as input, and the most bytes a table inflated from an archive
    /// may have. Default 512 MiB.
    public var maxInputBytes: Int
    /// The most bytes of normalised CSV. Default 256 MiB.
    public var maxOutputBytes: Int
    /// The most entries a zip archive may list (folders included). Default 10 000.
    public var maxArchiveEntries: Int
    /// The most uncompressed bytes all entries of a zip may declare together, and the most
    /// bytes a gzip file may inflate to. Default 2 GiB.
    public var maxUncompressedBytes: Int
    /// The highest ratio of uncompressed to compressed size accepted for a zip entry or gzip
    /// file that inflates to more than `compressionRatioFloor` bytes. Default 200.
    public var maxCompressionRatio: Int
    /// Below this many uncompressed bytes the compression ratio is not checked (small, very
    /// repetitive tables legitimately compress well). Default 1 MiB.
    public var compressionRatioFloor: Int
    /// The fewest data rows (header not counted) a table must keep. Default 20.
    public var minRows: Int
    /// The fewest columns a table must keep. Default 2.
    public var minColumns: Int
    /// Rows with more non-empty fields than the header are dropped (with a note) while there
    /// are at most this fraction of the data rows of them; beyond it the table is rejected.
    /// Default 0.01 (one malformed row per hundred rows). 0 rejects any such row.
    public var maxMalformedRowFraction: Double

    public init(
        maxInputBytes: Int = 512 << 20,
        maxOutputBytes: Int = 256 << 20,
        maxArchiveEntries: Int = 10_000,
        maxUncompressedBytes: Int = 2 << 30,
        maxCompressionRatio: Int = 200,
        compressionRatioFloor: Int = 1 << 20,
        minRows: Int = 20,
        minColumns: Int = 2,
        maxMalformedRowFraction: Double = 0.01
    ) {
        self.maxInputBytes = maxInputBytes
        self.maxOutputBytes = maxOutputBytes
        self.maxArchiveEntries = maxArchiveEntries
        self.maxUncompressedBytes = maxUncompressedBytes
        self.maxCompressionRatio = maxCompressionRatio
        self.compressionRatioFloor = compressionRatioFloor
        self.minRows = minRows
        self.minColumns = minColumns
        self.maxMalformedRowFraction = maxMalformedRowFraction
    }
}

/// `data/datasets/<id>/download.run.json`: the facts of the download that made a dataset that
/// are not provenance (they would differ between two downloads of the same table): timings,
/// attempts, and what normalisation found in the source (its encoding, delimiter, the file
/// taken and the other tables left). Rewritten on every download that reaches the table.
public struct DownloadRunLog: Codable, Sendable, Equatable {
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int
    public var stage: String
    public var datasetID: String
    /// The entry as written, and where (`path:line`, or the entry for a command-line one).
    public var entry: String
    public var location: String
    public var arguments: [String]
    public var startedAt: String
    public var finishedAt: String
    public var seconds: Double
    /// `written` (new or changed content) or `unchanged` (same content; files left alone).
    public var outcome: String
    /// The URL the bytes came from after redirects; null for a local file.
    public var finalURL: String?
    public var httpAttempts: Int
    public var httpResumes: Int
    public var downloadedBytes: Int
    public var sourceFile: String
    public var otherTables: [String]
    public var detectedEncoding: String
    public var detectedDelimiter: String
    public var notes: [String]

    public init(
        datasetID: String, entry: String, location: String, arguments: [String], startedAt: String,
        finishedAt: String, seconds: Double, outcome: String, finalURL: String?, httpAttempts: Int,
        httpResumes: Int, downloadedBytes: Int, table: NormalizedTable
    ) {
        self.schemaVersion = Self.currentSchemaVersion
        self.stage = "download"
        self.datasetID = datasetID
        self.entry = entry
        self.location = location
        self.arguments = arguments
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.seconds = seconds
        self.outcome = outcome
        self.finalURL = finalURL
        self.httpAttempts = httpAttempts
        self.httpResumes = httpResumes
        self.downloadedBytes = downloadedBytes
        self.sourceFile = table.sourceFile
        self.otherTables = table.otherTables
        self.detectedEncoding = table.detectedEncoding
        self.detectedDelimiter = table.detectedDelimiter
        self.notes = table.notes
    }

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case schemaVersion = "schema_version", stage, datasetID = "dataset_id", entry, location, arguments
        case startedAt = "started_at", finishedAt = "finished_at", seconds, outcome
        case finalURL = "final_url", httpAttempts = "http_attempts", httpResumes = "http_resumes"
        case downloadedBytes = "downloaded_bytes", sourceFile = "source_file", otherTables = "other_tables"
        case detectedEncoding = "detected_encoding", detectedDelimiter = "detected_delimiter", notes
    }
}

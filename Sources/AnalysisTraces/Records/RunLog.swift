/// `<output>.run.json`: the wall-clock facts of one stage run, kept out of the records so that
/// records compare byte for byte across runs. `download` writes one per dataset it reached,
/// `data/datasets/<id>/download.run.json`, with the facts of its source (``RunLogSource``).
public struct RunLog: Codable, Sendable, Equatable {
    /// 2: `source` added (download's run logs, which had a format of their own, are run logs).
    public static let currentSchemaVersion = 2

    public var schemaVersion: Int
    public var stage: String
    public var datasetID: String?
    /// The arguments the stage was run with.
    public var arguments: [String]
    public var startedAt: String
    public var finishedAt: String
    public var seconds: Double
    /// Counts by outcome (`done`, `verified`, `failed`, `resumed`, `cache_hits`, ...).
    public var counters: [String: Int]
    /// Failures by kind.
    public var failures: [String: Int]
    /// One entry per item the stage worked on.
    public var items: [RunLogItem]
    /// `download`: what normalising the source found; null for the other stages.
    public var source: RunLogSource?

    public init(stage: String, datasetID: String?, arguments: [String], startedAt: String, finishedAt: String,
                seconds: Double, counters: [String: Int], failures: [String: Int], items: [RunLogItem],
                source: RunLogSource? = nil) {
        self.schemaVersion = Self.currentSchemaVersion
        self.stage = stage
        self.datasetID = datasetID
        self.arguments = arguments
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.seconds = seconds
        self.counters = counters
        self.failures = failures
        self.items = items
        self.source = source
    }

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case schemaVersion = "schema_version", stage, datasetID = "dataset_id", arguments
        case startedAt = "started_at", finishedAt = "finished_at", seconds, counters, failures, items, source
    }
}

/// The facts of the download that made a dataset that are not provenance (they would differ
/// between two downloads of the same table): the entry, where the bytes came from, and what
/// normalisation found in the source (its encoding, delimiter, the file taken and the other
/// tables left). The attempts, resumes and bytes are the run log's counters.
public struct RunLogSource: Codable, Sendable, Equatable {
    /// The entry as written, and where (`path:line`, or the entry for a command-line one).
    public var entry: String
    public var location: String
    /// The URL the bytes came from after redirects; null for a local file.
    public var finalURL: String?
    public var sourceFile: String
    public var otherTables: [String]
    public var detectedEncoding: String
    public var detectedDelimiter: String
    public var notes: [String]

    public init(entry: String, location: String, finalURL: String?, sourceFile: String, otherTables: [String],
                detectedEncoding: String, detectedDelimiter: String, notes: [String]) {
        self.entry = entry
        self.location = location
        self.finalURL = finalURL
        self.sourceFile = sourceFile
        self.otherTables = otherTables
        self.detectedEncoding = detectedEncoding
        self.detectedDelimiter = detectedDelimiter
        self.notes = notes
    }

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case entry, location, finalURL = "final_url", sourceFile = "source_file", otherTables = "other_tables"
        case detectedEncoding = "detected_encoding", detectedDelimiter = "detected_delimiter", notes
    }
}

/// Timings of one question, trace or dataset.
public struct RunLogItem: Codable, Sendable, Equatable {
    public var id: String
    public var outcome: String
    public var seconds: Double
    /// Named parts of `seconds` (`sandbox`, `model`, `host`, ...).
    public var breakdown: [String: Double]

    public init(id: String, outcome: String, seconds: Double, breakdown: [String: Double]) {
        self.id = id
        self.outcome = outcome
        self.seconds = seconds
        self.breakdown = breakdown
    }

    public enum CodingKeys: String, CodingKey, CaseIterable { case id, outcome, seconds, breakdown }
}

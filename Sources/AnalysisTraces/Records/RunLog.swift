/// `<output>.run.json`: the wall-clock facts of one stage run, kept out of the records so that
/// records compare byte for byte across runs.
public struct RunLog: Codable, Sendable, Equatable {
    public static let currentSchemaVersion = 1

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

    public init(stage: String, datasetID: String?, arguments: [String], startedAt: String, finishedAt: String,
                seconds: Double, counters: [String: Int], failures: [String: Int], items: [RunLogItem]) {
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
    }

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case schemaVersion = "schema_version", stage, datasetID = "dataset_id", arguments
        case startedAt = "started_at", finishedAt = "finished_at", seconds, counters, failures, items
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

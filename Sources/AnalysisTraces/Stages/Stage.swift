import Logging

/// One of the five pipeline stages (`download`, `question-gen`, `episode-gen`, `validate`,
/// `convert`) as its command runs it: set up from settings alone (no I/O before ``execute(logger:)``),
/// then run once to a ``StageReport``.
///
/// The command (the `AnalysisTracesCLI` target's `StageRun`) does the rest the same way for all
/// five: the start and end log lines, cancellation on SIGINT/SIGTERM (exit 130), an error printed
/// once as a diagnostic (exit 1), the report's summary line, its run logs, and its exit code.
public protocol Stage: Sendable {
    /// The stage's name in logs and run logs: `episode-gen`.
    static var name: String { get }
    /// What the start line names as the dataset: the dataset id, or `all`.
    var datasetLabel: String { get }
    /// What the start line names as the output.
    var outputLabel: String { get }

    /// Does the stage's work and says what happened. Throws when the stage could not produce its
    /// output; a cancelled run throws `CancellationError`, whatever layer noticed it.
    func execute(logger: Logger) async throws -> StageReport
}

/// What a stage run reports, the same for every stage: a summary line, what to print on stderr,
/// the run logs to write, and whether the run failed though it finished.
public struct StageReport: Sendable {
    /// The summary line's message (`episodes written`) and its fields.
    public var summary: String
    public var metadata: Logger.Metadata
    /// Problems to print on stderr, compiler-style, before the summary line (validate's
    /// diagnostics, download's failed entries).
    public var diagnostics: [Diagnostic]
    /// Text printed on stderr after the diagnostics (validate's readable summary).
    public var notes: [String]
    /// The run logs to write: one next to the output for most stages, one per dataset folder
    /// for `download`.
    public var runLogs: [Entry]
    /// The run finished but failed (a download entry that could not be fetched): exit 1.
    public var failed: Bool

    public init(summary: String, metadata: Logger.Metadata, diagnostics: [Diagnostic] = [], notes: [String] = [],
                runLogs: [Entry], failed: Bool = false) {
        self.summary = summary
        self.metadata = metadata
        self.diagnostics = diagnostics
        self.notes = notes
        self.runLogs = runLogs
        self.failed = failed
    }

    /// The stage's part of one ``RunLog``; the command adds the stage name, the arguments and the
    /// run's times.
    public struct Entry: Sendable, Equatable {
        /// Where the run log goes: `<output>.run.json`, or `<dataset folder>/download.run.json`.
        public var path: String
        public var datasetID: String?
        public var counters: [String: Int]
        public var failures: [String: Int]
        public var items: [RunLogItem]
        public var source: RunLogSource?

        public init(path: String, datasetID: String?, counters: [String: Int], failures: [String: Int],
                    items: [RunLogItem], source: RunLogSource? = nil) {
            self.path = path
            self.datasetID = datasetID
            self.counters = counters
            self.failures = failures
            self.items = items
            self.source = source
        }

        /// The run log of one output: `<output>.run.json`.
        public static func next(to output: String, datasetID: String?, counters: [String: Int],
                                failures: [String: Int], items: [RunLogItem]) -> Entry {
            Entry(path: output + ".run.json", datasetID: datasetID, counters: counters, failures: failures, items: items)
        }
    }
}

/// Where a stage reports each item it finishes; the command shows it (the `AnalysisTracesCLI`
/// target's progress reporter: a live bar on a terminal, a log line now and then otherwise).
public protocol StageProgress: Sendable {
    /// The run has `total` items, `resumed` of them done before it started.
    func start(total: Int, resumed: Int) async
    /// One item finished.
    func finished(verified: Bool, failed: Bool) async
    /// The run ended; show the final figures.
    func finish() async
}

/// Runs `body`, then shuts `service` down whether or not `body` threw; a run that failed first
/// logs what the service spent, since no report will.
func withShutdown<T: Sendable>(
    of service: LLMService?, logger: Logger, _ body: () async throws -> T
) async throws -> T {
    let result: T
    do {
        result = try await body()
    } catch {
        if let service {
            logger.notice("LLM usage", metadata: ["llm_usage": "\(service.ledger.totals.summary)"])
            await service.shutdown()
        }
        throw error
    }
    await service?.shutdown()
    return result
}

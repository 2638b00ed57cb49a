import Logging

/// `episode-gen` as its command runs it: reads the dataset folder, finds the interpreter, picks
/// the teacher (the program teacher, or the LLM teacher over a service it makes), runs
/// ``EpisodeGeneration``, shuts the service down on every path, and reports the run.
public struct EpisodeGenStage: Stage {
    public static let name = "episode-gen"

    /// Which teacher writes the traces.
    public enum TeacherKind: String, Sendable, CaseIterable {
        case program, llm

        /// Traces in flight by default: the program teacher is bound by the CPUs, the LLM
        /// teacher by the model's latency.
        public var defaultWorkers: Int { self == .program ? 2 : 8 }
    }

    /// The dataset folder, holding `dataset.json` and `data.csv`.
    public var dataset: String
    public var questions: String
    public var output: String
    public var sandbox: SandboxSettings
    public var teacher: TeacherKind
    /// The teacher's model; required for the LLM teacher.
    public var llm: LLMConfiguration?
    /// Consistency traces per LLM question (LLM teacher only; nil: ``ConsistencyPlan/default``).
    public var consistency: ConsistencyPlan?
    /// Flawed and self-correcting traces per template question (program teacher only).
    public var negatives: NegativePlan?
    public var seed: Int
    /// Traces at once; nil: the teacher's default.
    public var workers: Int?
    public var maxTurns: Int
    /// Told of every finished episode.
    public var progress: (any StageProgress)?

    public init(dataset: String, questions: String, output: String, sandbox: SandboxSettings, teacher: TeacherKind,
                llm: LLMConfiguration?, consistency: ConsistencyPlan?, negatives: NegativePlan? = nil, seed: Int, workers: Int?, maxTurns: Int,
                progress: (any StageProgress)?) {
        self.dataset = dataset
        self.questions = questions
        self.output = output
        self.sandbox = sandbox
        self.teacher = teacher
        self.llm = llm
        self.consistency = consistency
        self.negatives = negatives
        self.seed = seed
        self.workers = workers
        self.maxTurns = maxTurns
        self.progress = progress
    }

    public var datasetLabel: String { DatasetFolder.id(ofPath: dataset) }
    public var outputLabel: String { output }

    public func execute(logger: Logger) async throws -> StageReport {
        let folder = try DatasetFolder(path: dataset)
        let configuration = try sandbox.configuration(for: folder)
        let chosen: any Teacher
        var service: LLMService?
        if teacher == .llm, let llm {
            let made = try LLMService.make(configuration: llm, logger: logger)
            service = made
            chosen = LLMTeacher(service: made, model: llm.model, sampling: llm.sampling)
            logger.info("LLM teacher", metadata: ["llm": "\(llm.summary)"])
        } else {
            chosen = ProgramTeacher()
        }
        let stage = EpisodeGeneration(
            dataset: folder, questionsPath: questions, output: output, sandbox: configuration, teacher: chosen,
            loop: AgentLoopConfiguration(maxTurns: maxTurns), seed: seed, workers: workers ?? teacher.defaultWorkers,
            consistency: teacher == .llm ? consistency ?? .default : nil, negatives: negatives, progress: progress)
        let summary = try await withShutdown(of: service, logger: logger) { try await stage.run(logger: logger) }
        return Self.report(summary, ledger: service?.ledger.totals, output: output, dataset: folder.record.id)
    }

    /// The summary as a report: counters (with the LLM ledger's when there is one), failures
    /// by reason, and the summary line.
    static func report(_ summary: EpisodeGeneration.Summary, ledger: LLMLedger.Totals?, output: String, dataset: String) -> StageReport {
        var counters = ["questions": summary.questions, "verified": summary.verified, "resumed": summary.resumed]
        for (role, count) in summary.negativeTraces { counters["traces_\(role)"] = count }
        for (key, count) in summary.mistakesSkipped { counters["mistake_skipped:\(key)"] = count }
        var metadata: Logger.Metadata = [
            "dataset": "\(dataset)", "questions": "\(summary.questions)",
            "verified": "\(summary.verified)", "resumed": "\(summary.resumed)", "changed": "\(summary.outputChanged)",
        ]
        if let ledger {
            counters["traces"] = summary.traces
            counters["llm_calls"] = ledger.calls
            counters["llm_cache_hits"] = ledger.cacheHits
            counters["llm_prompt_tokens"] = ledger.promptTokens
            counters["llm_completion_tokens"] = ledger.completionTokens
            counters["llm_reasoning_tokens"] = ledger.reasoningTokens
            counters["llm_retries"] = ledger.retries
            counters["llm_failures"] = ledger.failures.values.reduce(0, +)
            metadata["traces"] = "\(summary.traces)"
            metadata["llm_usage"] = "\(ledger.summary)"
        }
        return StageReport(
            summary: "episodes written", metadata: metadata,
            runLogs: [.next(to: output, datasetID: dataset, counters: counters, failures: summary.failuresByReason, items: summary.items)])
    }
}

import Foundation
import Logging

/// `question-gen` as its command runs it: reads the dataset folder, finds the interpreter, makes
/// the LLM service when the sources include LLM questions, runs ``QuestionGeneration``, shuts the
/// service down on every path, and reports the run.
public struct QuestionGenStage: Stage {
    public static let name = "question-gen"

    /// The dataset folder, holding `dataset.json` and `data.csv`.
    public var dataset: String
    public var output: String
    public var sandbox: SandboxSettings
    /// See ``QuestionGeneration/seed``.
    public var seed: UInt64
    public var maxQuestions: Int
    public var workers: Int
    public var sources: QuestionGeneration.SourceSelection
    /// The model that proposes questions; required when `sources` includes LLM questions.
    public var llm: LLMConfiguration?
    public var llmSettings: LLMQuestionSettings

    public init(dataset: String, output: String, sandbox: SandboxSettings, seed: UInt64, maxQuestions: Int, workers: Int,
                sources: QuestionGeneration.SourceSelection, llm: LLMConfiguration?, llmSettings: LLMQuestionSettings) {
        self.dataset = dataset
        self.output = output
        self.sandbox = sandbox
        self.seed = seed
        self.maxQuestions = maxQuestions
        self.workers = workers
        self.sources = sources
        self.llm = llm
        self.llmSettings = llmSettings
    }

    public var datasetLabel: String { DatasetFolder.id(ofPath: dataset) }
    public var outputLabel: String { output }

    public func execute(logger: Logger) async throws -> StageReport {
        let folder = try DatasetFolder(path: dataset)
        let configuration = try sandbox.configuration(for: folder)
        var generator: LLMQuestionGenerator?
        var service: LLMService?
        if sources.includesLLM, let llm {
            let prompt = try QuestionPrompt.load()
            let made = try LLMService.make(configuration: llm, logger: logger)
            service = made
            generator = LLMQuestionGenerator(
                service: made, model: llm.model, sampling: llm.sampling, settings: llmSettings, prompt: prompt)
        }
        let stage = QuestionGeneration(
            dataset: folder, output: output, sandbox: configuration, seed: seed, maxQuestions: maxQuestions,
            workers: workers, sources: sources, llm: generator)
        let summary = try await withShutdown(of: service, logger: logger) { try await stage.run(logger: logger) }
        return Self.report(summary, ledger: service?.ledger.totals, output: output, dataset: folder.record.id, logger: logger)
    }

    /// The summary as a report: counters, failures by template or LLM reason, and the summary
    /// line (with a warning first when LLM questions were lost).
    static func report(
        _ summary: QuestionGeneration.Summary, ledger: LLMLedger.Totals?, output: String, dataset: String, logger: Logger
    ) -> StageReport {
        var counters = ["candidates": summary.candidates, "written": summary.written, "failed": summary.failures.count,
                        "template_written": summary.templateWritten]
        var failures = Dictionary(summary.failures.map { ($0.instance.split(separator: " ").first.map(String.init) ?? $0.instance, 1) }, uniquingKeysWith: +)
        var metadata: Logger.Metadata = [
            "dataset": "\(dataset)", "questions": "\(summary.written)", "template": "\(summary.templateWritten)",
            "failed": "\(summary.failures.count)", "changed": "\(summary.outputChanged)",
        ]
        if let quality = summary.quality {
            counters.merge(quality.counters) { current, _ in current }
            metadata["quality"] = "\(quality.line)"
        }
        if let llm = summary.llm {
            let lost = max(0, llm.requested - summary.llmWritten)
            counters["llm_requested"] = llm.requested
            counters["llm_written"] = summary.llmWritten
            counters["llm_lost"] = lost
            counters["llm_rejected"] = llm.rejections.count
            counters["llm_cells"] = llm.cells
            counters["llm_calls"] = llm.usage.calls
            counters["llm_cache_hits"] = llm.cacheHits
            counters["llm_prompt_tokens"] = llm.usage.promptTokens
            counters["llm_completion_tokens"] = llm.usage.completionTokens
            for rejection in llm.rejections { failures["llm_rejected_\(rejection.reason.kind)", default: 0] += 1 }
            if let failure = llm.failure { failures["llm_\(failure.kind)", default: 0] += 1 }
            metadata["llm"] = "\(summary.llmWritten)"
            metadata["llm_lost"] = "\(lost)"
            var byReason: [String: Int] = [:]
            for rejection in llm.rejections { byReason[rejection.reason.kind, default: 0] += 1 }
            let reasons: [String] = byReason.keys.sorted().map { "\($0) \(byReason[$0] ?? 0)" }
            metadata["llm_rejected"] = "\(reasons.joined(separator: ", "))"
            if let ledger { metadata["llm_usage"] = "\(ledger.summary)" }
            if let failure = llm.failure, lost > 0 {
                logger.warning("LLM questions lost", metadata: ["dataset": "\(dataset)", "lost": "\(lost)", "reason": "\(failure)"])
            }
        }
        return StageReport(
            summary: "questions written", metadata: metadata,
            runLogs: [.next(to: output, datasetID: dataset, counters: counters, failures: failures, items: summary.items)])
    }
}

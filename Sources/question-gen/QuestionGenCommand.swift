import AnalysisTraces
import ArgumentParser
import Foundation
import Logging

extension QuestionGeneration.SourceSelection: ExpressibleByArgument {}

@main
struct QuestionGenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "question-gen",
        abstract: "Profile a dataset and write questions about it.",
        discussion: """
            Profiles the table in the sandbox (each column's type, missing values, summaries and \
            role). Template questions: instantiates every question template that applies, and \
            computes each question's ground truth by running the template's reference program in \
            the sandbox. LLM questions: a model explores the table in the sandbox for a few cells, \
            then proposes questions as JSON; proposals that are malformed, duplicates (of each \
            other or of a template question) or that leak their hint are rejected with a reason, \
            and the model is asked once more when too few are left. LLM questions have no ground \
            truth (episode-gen verifies them by triangulation) and keep the exploration \
            transcript. Template questions come first in the output.

            Writes the questions as gzip JSON Lines to '--output', atomically, and leaves an \
            output whose content would not change untouched (so Make does not rerun what depends \
            on it). A template whose program fails, a rejected proposal, or a failed LLM request \
            is reported and counted; it does not fail the stage. A run log goes to \
            '<output>.run.json'. The LLM is configured by the 'LLM_*' variables or the '--llm-*' \
            options (see the LLM client documentation); its responses are cached, so a rerun \
            replays them and writes the same bytes.

            Exit status: 0 when the output was written, 1 when it could not be (broken input, \
            sandbox unavailable, LLM budget spent before any question existed), 64 on bad usage, \
            130 when interrupted.
            """
    )

    @Option(help: "The dataset folder, holding 'dataset.json' and 'data.csv'.")
    var dataset: String

    @Option(help: "Where to write the questions, e.g. 'data/questions/penguins.jsonl.gz'.")
    var output: String

    @Option(help: "Which questions to write: 'template', 'llm' or 'both'. Defaults to 'both' when an LLM is configured, else 'template'.")
    var source: QuestionGeneration.SourceSelection?

    @Option(help: "Seed for the order in which each template's column choices are taken; 0 keeps the templates' own order.")
    var seed: UInt64 = 0

    @Option(help: "The most template questions to write for the dataset.")
    var maxQuestions: Int = 40

    @Option(help: "How many questions to ask the LLM for.")
    var llmQuestions: Int = 10

    @Option(help: "How many cells the LLM may run to explore the table before it proposes questions.")
    var explorationTurns: Int = 6

    @Option(help: "Sandbox workers computing ground truths at once.")
    var workers: Int = 2

    @OptionGroup var sandbox: SandboxOptions
    @OptionGroup var llm: LLMOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard maxQuestions > 0 else { throw ValidationError("'--max-questions' must be at least 1; found \(maxQuestions)") }
        guard workers > 0 else { throw ValidationError("'--workers' must be at least 1; found \(workers)") }
        guard llmQuestions > 0 else { throw ValidationError("'--llm-questions' must be at least 1; found \(llmQuestions)") }
        guard explorationTurns >= 0 else { throw ValidationError("'--exploration-turns' must be 0 or more; found \(explorationTurns)") }
        let configured = try llm.commandConfiguration(role: .questions)
        if let source, source.includesLLM, configured == nil {
            throw ValidationError("'--source \(source.rawValue)' needs an LLM; set 'LLM_BASE_URL' (or '--llm-base-url'), or use '--source template'")
        }
    }

    func run() async throws {
        let logger = try logging.bootstrap(label: "question-gen")
        let configuration = try llm.commandConfiguration(role: .questions)
        let sources = source ?? (configuration == nil ? .template : .both)
        let folder: DatasetFolder
        let sandboxConfiguration: SandboxConfiguration
        let prompt: QuestionPrompt?
        let service: LLMService?
        do {
            folder = try DatasetFolder(path: dataset)
            sandboxConfiguration = try sandbox.configuration(for: folder)
            if sources.includesLLM, let configuration {
                prompt = try QuestionPrompt.load()
                service = try LLMService.make(configuration: configuration, logger: logger)
            } else {
                prompt = nil
                service = nil
            }
        } catch {
            FileHandleStandardError.write("\(error)")
            throw StageExitCode.failure
        }
        var generator: LLMQuestionGenerator?
        if let service, let prompt {
            generator = LLMQuestionGenerator(
                service: service, model: service.configuration.model, sampling: service.configuration.sampling,
                settings: LLMQuestionSettings(questionCount: llmQuestions, explorationTurns: explorationTurns), prompt: prompt)
        }
        let stage = QuestionGeneration(
            dataset: folder, output: output, sandbox: sandboxConfiguration, seed: seed, maxQuestions: maxQuestions,
            workers: workers, sources: sources, llm: generator)
        try await StageRun.execute(stage: "question-gen", dataset: folder.record.id, output: output, logger: logger) {
            let summary: QuestionGeneration.Summary
            do {
                summary = try await stage.run(logger: logger)
            } catch {
                await service?.shutdown()
                throw error
            }
            await service?.shutdown()
            return Self.report(summary, ledger: service?.ledger.totals, logger: logger, dataset: folder.record.id)
        }
    }

    /// Logs the summary and turns it into the run log's counters, failures and items.
    static func report(_ summary: QuestionGeneration.Summary, ledger: LLMLedger.Totals?, logger: Logger, dataset: String) -> StageRun.Report {
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
        logger.info("questions written", metadata: metadata)
        return StageRun.Report(counters: counters, failures: failures, items: summary.items)
    }
}

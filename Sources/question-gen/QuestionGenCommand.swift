import AnalysisTraces
import AnalysisTracesCLI
import ArgumentParser
import Foundation
import Logging

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
        let stage = QuestionGenStage(
            dataset: dataset, output: output, sandbox: sandbox.settings, seed: seed, maxQuestions: maxQuestions,
            workers: workers, sources: source ?? (configuration == nil ? .template : .both), llm: configuration,
            llmSettings: LLMQuestionSettings(questionCount: llmQuestions, explorationTurns: explorationTurns))
        try await StageRun.execute(stage, logger: logger)
    }
}

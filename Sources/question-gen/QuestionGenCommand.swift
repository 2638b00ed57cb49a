import AnalysisTraces
import ArgumentParser
import Foundation

@main
struct QuestionGenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "question-gen",
        abstract: "Profile a dataset and write questions about it.",
        discussion: """
            Profiles the table in the sandbox (each column's type, missing values, summaries and \
            role), instantiates every question template that applies, and computes each \
            question's ground truth by running the template's reference program in the sandbox. \
            Writes the questions as gzip JSON Lines to '--output', atomically, and leaves an \
            output whose content would not change untouched (so Make does not rerun what depends \
            on it). A template whose program fails is reported and left out; it does not fail \
            the stage. A run log goes to '<output>.run.json'.

            Exit status: 0 when the output was written, 1 when it could not be (broken input, \
            sandbox unavailable), 64 on bad usage, 130 when interrupted.
            """
    )

    @Option(help: "The dataset folder, holding 'dataset.json' and 'data.csv'.")
    var dataset: String

    @Option(help: "Where to write the questions, e.g. 'data/questions/penguins.jsonl.gz'.")
    var output: String

    @Option(help: "Seed for the order in which each template's column choices are taken; 0 keeps the templates' own order.")
    var seed: UInt64 = 0

    @Option(help: "The most questions to write for the dataset.")
    var maxQuestions: Int = 40

    @Option(help: "Sandbox workers computing ground truths at once.")
    var workers: Int = 2

    @OptionGroup var sandbox: SandboxOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard maxQuestions > 0 else { throw ValidationError("'--max-questions' must be at least 1; found \(maxQuestions)") }
        guard workers > 0 else { throw ValidationError("'--workers' must be at least 1; found \(workers)") }
    }

    func run() async throws {
        let logger = try logging.bootstrap(label: "question-gen")
        let stage: QuestionGeneration
        do {
            let folder = try DatasetFolder(path: dataset)
            stage = QuestionGeneration(
                dataset: folder, output: output, sandbox: try sandbox.configuration(for: folder),
                seed: seed, maxQuestions: maxQuestions, workers: workers)
        } catch {
            FileHandleStandardError.write("\(error)")
            throw StageExitCode.failure
        }
        try await StageRun.execute(stage: "question-gen", dataset: stage.dataset.record.id, output: output, logger: logger) {
            let summary = try await stage.run(logger: logger)
            logger.info("questions written", metadata: [
                "dataset": "\(stage.dataset.record.id)", "questions": "\(summary.written)",
                "failed": "\(summary.failures.count)", "changed": "\(summary.outputChanged)",
            ])
            return StageRun.Report(
                counters: ["candidates": summary.candidates, "written": summary.written, "failed": summary.failures.count],
                failures: Dictionary(summary.failures.map { ($0.instance.split(separator: " ").first.map(String.init) ?? $0.instance, 1) }, uniquingKeysWith: +),
                items: summary.items)
        }
    }
}

import AnalysisTraces
import ArgumentParser
import Foundation

@main
struct EpisodeGenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "episode-gen",
        abstract: "Solve questions in the sandbox and verify the answers.",
        discussion: """
            Runs a teacher on every question of '--questions' in the dataset's sandbox: the \
            teacher writes reasoning and one Python cell per turn, the cell runs in a worker, the \
            output is fed back, until the teacher submits an answer. Every turn is recorded, and \
            the answer is verified against the question's accepted answers. With no LLM \
            configured the teacher is the deterministic program teacher, which replays each \
            template's reference program step by step.

            Episodes are appended to '<output>.partial' as they complete, so an interrupted run \
            resumes where it stopped; at the end they are written to '--output' in question \
            order, atomically (an output whose content would not change is left untouched). A \
            question that fails is data, recorded in its episode. A run log goes to \
            '<output>.run.json'.

            Exit status: 0 when the output was written, 1 when it could not be (broken input, \
            sandbox unavailable), 64 on bad usage, 130 when interrupted (the partial file is kept).
            """
    )

    @Option(help: "The questions file, e.g. 'data/questions/penguins.jsonl.gz'.")
    var questions: String

    @Option(help: "The dataset folder, holding 'dataset.json' and 'data.csv'.")
    var dataset: String

    @Option(help: "Where to write the episodes, e.g. 'data/episodes/penguins.jsonl.gz'.")
    var output: String

    @Option(help: "Seed of 'random' and NumPy in the sandbox, set again before every question.")
    var seed: Int = 0

    @Option(help: "Questions solved at once, each on its own sandbox worker.")
    var workers: Int = 2

    @Option(help: "The most cells in one trace.")
    var maxTurns: Int = 16

    @OptionGroup var sandbox: SandboxOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard workers > 0 else { throw ValidationError("'--workers' must be at least 1; found \(workers)") }
        guard maxTurns > 0 else { throw ValidationError("'--max-turns' must be at least 1; found \(maxTurns)") }
    }

    func run() async throws {
        let logger = try logging.bootstrap(label: "episode-gen")
        let stage: EpisodeGeneration
        do {
            let folder = try DatasetFolder(path: dataset)
            stage = EpisodeGeneration(
                dataset: folder, questionsPath: questions, output: output,
                sandbox: try sandbox.configuration(for: folder), teacher: ProgramTeacher(),
                loop: AgentLoopConfiguration(maxTurns: maxTurns), seed: seed, workers: workers)
        } catch {
            FileHandleStandardError.write("\(error)")
            throw StageExitCode.failure
        }
        try await StageRun.execute(stage: "episode-gen", dataset: stage.dataset.record.id, output: output, logger: logger) {
            let summary = try await stage.run(logger: logger)
            logger.info("episodes written", metadata: [
                "dataset": "\(stage.dataset.record.id)", "questions": "\(summary.questions)",
                "verified": "\(summary.verified)", "resumed": "\(summary.resumed)", "changed": "\(summary.outputChanged)",
            ])
            return StageRun.Report(
                counters: ["questions": summary.questions, "verified": summary.verified, "resumed": summary.resumed],
                failures: summary.failuresByReason, items: summary.items)
        }
    }
}

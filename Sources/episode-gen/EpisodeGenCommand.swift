import AnalysisTraces
import AnalysisTracesCLI
import ArgumentParser
import Foundation
import Logging

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
            template's reference program step by step; after a verified gold trace it also writes \
            up to '--negatives' flawed traces (one catalogued analyst mistake, carried on to a \
            wrong answer) and '--recoveries' self-correcting traces (a mistake, a check whose \
            output reveals it, the fix), appended to the episode and never verified. Mistakes \
            tried and not kept are counted in the run log by reason.

            With an LLM configured (the 'LLM_*' variables or the '--llm-*' options) the teacher \
            is the model ('--teacher llm'). A question the LLM proposed, which has no ground \
            truth, then gets one gold trace with its hint and N consistency traces without it (N \
            by difficulty, '--consistency'), run concurrently, and is verified by triangulation: \
            verified when at least two traces and more than half of those that submitted agree, \
            and the gold answer is among them. A template question gets the gold trace alone, \
            verified against its ground truth. Unverified episodes are kept and say why. Every \
            response is cached, so a rerun pays for no call twice.

            Episodes are appended to '<output>.partial' as they complete, so an interrupted run \
            resumes where it stopped; at the end they are written to '--output' in question \
            order, atomically (an output whose content would not change is left untouched). A \
            question that fails is data, recorded in its episode. A run log goes to \
            '<output>.run.json'. When the LLM budget is spent the stage starts no more traces, \
            lets the running ones end, keeps the finished episodes in the partial file and \
            exits 1; rerun with a larger budget to continue.

            Exit status: 0 when the output was written, 1 when it could not be (broken input, \
            sandbox unavailable, LLM budget spent), 64 on bad usage, 130 when interrupted (the \
            partial file is kept).
            """
    )

    @Option(help: "The questions file, e.g. 'data/questions/penguins.jsonl.gz'.")
    var questions: String

    @Option(help: "The dataset folder, holding 'dataset.json' and 'data.csv'.")
    var dataset: String

    @Option(help: "Where to write the episodes, e.g. 'data/episodes/penguins.jsonl.gz'.")
    var output: String

    @Option(help: "The teacher: 'program' (the deterministic reference programs of template questions) or 'llm' (the configured model). Defaults to 'llm' when an LLM is configured, else 'program'.")
    var teacher: EpisodeGenStage.TeacherKind?

    @Option(help: "Consistency traces per LLM question by difficulty, e.g. 'easy=2,medium=2,hard=4,very_hard=6' (the default; difficulties not named keep theirs). LLM teacher only.")
    var consistency: String?

    @Option(help: "Seed of 'random' and NumPy in the sandbox, set again before every trace.")
    var seed: Int = 0

    @Option(help: "Traces run at once, each on its own sandbox worker (default 2 with the program teacher, 8 with the LLM teacher).")
    var workers: Int?

    @Option(help: "The most cells in one trace.")
    var maxTurns: Int = 16

    @Option(help: "Flawed traces per template question (a catalogued mistake carried on to a wrong answer). Program teacher only; 0 with '--recoveries 0' writes the episodes of before the feature.")
    var negatives: Int = 2

    @Option(help: "Self-correcting traces per template question (a catalogued mistake, a check that reveals it, the fix). Program teacher only.")
    var recoveries: Int = 1

    @OptionGroup var sandbox: SandboxOptions
    @OptionGroup var llm: LLMOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        if let workers, workers < 1 { throw ValidationError("'--workers' must be at least 1; found \(workers)") }
        guard maxTurns > 0 else { throw ValidationError("'--max-turns' must be at least 1; found \(maxTurns)") }
        guard negatives >= 0, recoveries >= 0 else { throw ValidationError("'--negatives' and '--recoveries' must be at least 0; found \(negatives) and \(recoveries)") }
        _ = try plan()
        let configured = try llm.commandConfiguration(role: .teacher)
        if teacher == .llm, configured == nil {
            throw ValidationError("'--teacher llm' needs an LLM; set 'LLM_BASE_URL' (or '--llm-base-url'), or use '--teacher program'")
        }
        if consistency != nil, (teacher ?? (configured == nil ? .program : .llm)) == .program {
            throw ValidationError("'--consistency' applies to the LLM teacher only; the program teacher writes one trace per question")
        }
    }

    private func plan() throws -> ConsistencyPlan? {
        guard let consistency else { return nil }
        do {
            return try ConsistencyPlan(parsing: consistency)
        } catch {
            throw ValidationError("'--consistency': \(error)")
        }
    }

    func run() async throws {
        let logger = try logging.bootstrap(label: "episode-gen")
        let configuration = try llm.commandConfiguration(role: .teacher)
        let stage = EpisodeGenStage(
            dataset: dataset, questions: questions, output: output, sandbox: sandbox.settings,
            teacher: teacher ?? (configuration == nil ? .program : .llm), llm: configuration, consistency: try plan(),
            negatives: NegativePlan(negatives: negatives, recoveries: recoveries),
            seed: seed, workers: workers, maxTurns: maxTurns,
            progress: ProgressReporter(label: DatasetFolder.id(ofPath: dataset), logger: logger))
        try await StageRun.execute(stage, logger: logger)
    }
}

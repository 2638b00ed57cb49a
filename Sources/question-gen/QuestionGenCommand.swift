import AnalysisTraces
import ArgumentParser

@main
struct QuestionGenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "question-gen",
        abstract: "Profile a dataset and write questions about it.",
        discussion: "This stage is not yet available; it exits 1 without writing anything."
    )

    func run() throws {
        FileHandleStandardError.write(StageNotYetAvailable(stage: "question-gen", issue: "planned in issue 4").description)
        throw StageExitCode.failure
    }
}

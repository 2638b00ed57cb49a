import AnalysisTraces
import ArgumentParser

@main
struct EpisodeGenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "episode-gen",
        abstract: "Solve questions in the sandbox and verify the answers.",
        discussion: "This stage is not yet available; it exits 1 without writing anything."
    )

    func run() throws {
        FileHandleStandardError.write(StageNotYetAvailable(stage: "episode-gen", issue: "planned in issue 4").description)
        throw StageExitCode.failure
    }
}

import AnalysisTraces
import ArgumentParser

@main
struct SandboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Run Python cells against a dataset in the sandbox.",
        discussion: "This stage is not yet available; it exits 1 without writing anything."
    )

    func run() throws {
        FileHandleStandardError.write(StageNotYetAvailable(stage: "sandbox", issue: "planned in issue 3").description)
        throw StageExitCode.failure
    }
}

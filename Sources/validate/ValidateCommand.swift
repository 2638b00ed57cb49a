import AnalysisTraces
import ArgumentParser

@main
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check stage files against the record contracts.",
        discussion: "This stage is not yet available; it exits 1 without writing anything."
    )

    func run() throws {
        FileHandleStandardError.write(StageNotYetAvailable(stage: "validate", issue: "being built in issue 2").description)
        throw StageExitCode.failure
    }
}

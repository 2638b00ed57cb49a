import AnalysisTraces
import ArgumentParser

@main
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert validated episodes into training formats.",
        discussion: "This stage is not yet available; it exits 1 without writing anything."
    )

    func run() throws {
        FileHandleStandardError.write(StageNotYetAvailable(stage: "convert", issue: "planned in issue 5").description)
        throw StageExitCode.failure
    }
}

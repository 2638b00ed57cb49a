import AnalysisTraces
import ArgumentParser

@main
struct DownloadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "download",
        abstract: "Fetch datasets from Kaggle, URLs and local files and normalise them.",
        discussion: "This stage is not yet available; it exits 1 without writing anything."
    )

    func run() throws {
        FileHandleStandardError.write(StageNotYetAvailable(stage: "download", issue: "planned in issue 7").description)
        throw StageExitCode.failure
    }
}

import Foundation
import TestSupport

/// A temporary pipeline folder with one bundled dataset copied in, for end-to-end runs of the
/// stages with the repository's sandbox environment.
final class PipelineFixture {
    private let directory: TemporaryDirectory

    /// The fixture's folder, removed when the fixture goes away.
    var url: URL { directory.url }

    init(dataset: String) throws {
        directory = try TemporaryDirectory()
        let target = directory.url.appendingPathComponent("data/datasets/\(dataset)")
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: BundledDatasets.folder(dataset), to: target)
    }

    func path(_ relative: String) -> String { url.appendingPathComponent(relative).path }

    /// The arguments of a stage run in the fixture: `arguments` and the sandbox's interpreter.
    func arguments(_ arguments: [String]) -> [String] {
        arguments + ["--python", SandboxTestEnvironment.python]
    }

    /// Starts a stage binary in the fixture folder with the repository's venv.
    func start(_ stage: String, _ arguments: [String], environment: [String: String]? = nil, output: ChildProcess.Output = .capture) throws -> ChildProcess {
        try ChildProcess(
            ChildProcess.productsDirectory.appendingPathComponent(stage).path, self.arguments(arguments),
            currentDirectory: url, environment: environment, output: output)
    }

    /// Runs a stage binary in the fixture folder with the repository's venv, to its end.
    func run(_ stage: String, _ arguments: [String], environment: [String: String]? = nil) async throws -> ChildProcess.Outcome {
        try await start(stage, arguments, environment: environment).outcome()
    }
}

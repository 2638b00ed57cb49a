import Foundation

/// A temporary pipeline folder with one bundled dataset copied in, and the repository's
/// sandbox environment, for end-to-end runs of question-gen and episode-gen.
final class PipelineFixture {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let python = repository.appendingPathComponent(".venv/bin/python").path

    /// Whether the sandbox can run here (the venv and bubblewrap are installed).
    static var sandboxAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: python) && FileManager.default.isExecutableFile(atPath: "/usr/bin/bwrap")
    }

    /// The fixture's folder, removed when the fixture goes away.
    let url: URL

    init(dataset: String) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("analysis-traces-pipeline-\(UUID().uuidString)")
        let target = url.appendingPathComponent("data/datasets/\(dataset)")
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.repository.appendingPathComponent("data/datasets/\(dataset)"), to: target)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ relative: String) -> String { url.appendingPathComponent(relative).path }

    /// Runs a stage binary in the fixture folder with the repository's venv.
    func run(_ stage: String, _ arguments: [String]) throws -> StageProcess.Outcome {
        try StageProcess.run(stage, arguments + ["--python", Self.python], currentDirectory: url)
    }
}

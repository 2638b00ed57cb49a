import AnalysisTraces
import AnalysisTracesCLI
import ArgumentParser
import Foundation
import Logging

/// `bench episodes`: the offline path end to end on the bundled datasets.
struct EpisodeBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "episodes",
        abstract: "Measure the program teacher: episodes per second and host overhead per turn.",
        discussion: """
            For each dataset, writes its questions with question-gen's library code, then times \
            episode-gen with the program teacher (the sandbox start included in the wall time, \
            and reported apart). The host overhead per turn is the time of a trace not spent \
            inside Python: trace wall time minus the cells' own run time, divided by the turns.
            """
    )

    @Option(help: "The folder of bundled datasets.")
    var datasets = "data/datasets"

    @Option(help: "Sandbox workers per dataset.")
    var workers = 2

    @OptionGroup var sandbox: SandboxOptions

    func run() async throws {
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("bench-episodes-\(getpid())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let ids = try FileManager.default.contentsOfDirectory(atPath: datasets).filter {
            FileManager.default.fileExists(atPath: "\(datasets)/\($0)/dataset.json")
        }.sorted()

        print("episode-gen with the program teacher, \(workers) workers per dataset")
        print(pad("dataset", 22) + pad("episodes", 10) + pad("verified", 10) + pad("wall s", 9) + pad("ep/s", 8) + pad("ep/s*", 8) + pad("turns", 7) + pad("python ms/turn", 16) + "host ms/turn")
        var totalEpisodes = 0, totalTurns = 0
        var totalWall = 0.0, totalTraceSeconds = 0.0, totalPython = 0.0
        for id in ids {
            let folder = try DatasetFolder(path: "\(datasets)/\(id)")
            let configuration = try sandbox.settings.configuration(for: folder)
            let questions = scratch.appendingPathComponent("\(id).questions.jsonl.gz").path
            let episodes = scratch.appendingPathComponent("\(id).episodes.jsonl.gz").path
            _ = try await QuestionGeneration(dataset: folder, output: questions, sandbox: configuration, seed: 0, maxQuestions: 40, workers: workers).run(logger: logger)
            let started = ContinuousClock.now
            let summary = try await EpisodeGeneration(
                dataset: folder, questionsPath: questions, output: episodes, sandbox: configuration,
                teacher: ProgramTeacher(), seed: 0, workers: workers
            ).run(logger: logger)
            let wall = (ContinuousClock.now - started).seconds
            let traceSeconds = summary.items.map(\.seconds).reduce(0, +)
            let python = summary.items.compactMap { $0.breakdown["python_seconds"] }.reduce(0, +)
            let turns = Int(summary.items.compactMap { $0.breakdown["turns"] }.reduce(0, +))
            let solving = traceSeconds / Double(max(1, workers))
            print(pad(id, 22) + pad("\(summary.questions)", 10) + pad("\(summary.verified)", 10) + pad(fmt(wall), 9)
                  + pad(fmt(Double(summary.questions) / wall), 8) + pad(fmt(Double(summary.questions) / max(solving, 1e-9)), 8)
                  + pad("\(turns)", 7) + pad(fmt(python / Double(max(turns, 1)) * 1000), 16)
                  + fmt((traceSeconds - python) / Double(max(turns, 1)) * 1000))
            totalEpisodes += summary.questions
            totalTurns += turns
            totalWall += wall
            totalTraceSeconds += traceSeconds
            totalPython += python
        }
        print(pad("all", 22) + pad("\(totalEpisodes)", 10) + pad("", 10) + pad(fmt(totalWall), 9)
              + pad(fmt(Double(totalEpisodes) / totalWall), 8) + pad("", 8) + pad("\(totalTurns)", 7)
              + pad(fmt(totalPython / Double(max(totalTurns, 1)) * 1000), 16)
              + fmt((totalTraceSeconds - totalPython) / Double(max(totalTurns, 1)) * 1000))
        print("ep/s counts the whole stage (sandbox start, profile, publish); ep/s* only the solving.")
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }

    private func fmt(_ value: Double) -> String { String(format: "%.2f", value) }
}

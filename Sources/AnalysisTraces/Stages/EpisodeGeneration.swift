import Foundation
import Logging

/// The `episode-gen` stage on one dataset: solve every question with a teacher in the sandbox,
/// verify the answers, and write the episodes.
///
/// Episodes are appended to a resumable partial file (`<output>.partial`) as each one
/// completes, so an interrupted run continues where it stopped; when every question is done the
/// episodes are published in question order, atomically, and only when the bytes change.
public struct EpisodeGeneration: Sendable {
    public var dataset: DatasetFolder
    public var questionsPath: String
    public var output: String
    public var sandbox: SandboxConfiguration
    public var teacher: any Teacher
    public var loop: AgentLoopConfiguration
    /// Seeds `random` and NumPy in every worker; a worker is reset (and reseeded) before each
    /// question, so an answer does not depend on which worker ran it or what ran before.
    public var seed: Int
    /// Questions solved at once, each on its own worker of the dataset's zygote.
    public var workers: Int

    public init(dataset: DatasetFolder, questionsPath: String, output: String, sandbox: SandboxConfiguration,
                teacher: any Teacher, loop: AgentLoopConfiguration = .init(), seed: Int, workers: Int) {
        self.dataset = dataset
        self.questionsPath = questionsPath
        self.output = output
        self.sandbox = sandbox
        self.teacher = teacher
        self.loop = loop
        self.seed = seed
        self.workers = workers
    }

    public struct Summary: Sendable {
        public var questions = 0
        public var resumed = 0
        public var verified = 0
        public var failuresByReason: [String: Int] = [:]
        public var outputChanged = false
        public var items: [RunLogItem] = []
    }

    public func run(logger: Logger) async throws -> Summary {
        let questions = try JSONLinesReader<Question>(path: questionsPath).readAll()
        for (index, question) in questions.enumerated() where question.datasetSHA256 != dataset.record.sha256 {
            throw StageInputError(
                path: questionsPath, line: index + 1,
                message: "'dataset_sha256' is \(question.datasetSHA256), but \(dataset.csvPath) has \(dataset.record.sha256); the questions were written for another version of the table (rerun question-gen)")
        }
        var summary = Summary()
        summary.questions = questions.count

        let sink = try EpisodeSink(output: output, logger: logger)
        let producerTemplate = Producer(teacher: teacher.name, promptVersion: teacher.promptVersion, sandbox: [:], tool: AnalysisTracesVersion.string)
        let expectedIDs = Dictionary(questions.map { (ContentAddress.episodeID(questionID: $0.id, producer: producerTemplate), $0.id) }) { first, _ in first }
        let done = try await sink.resume(keepingIDs: Set(expectedIDs.keys))
        summary.resumed = done.count
        let pending = questions.filter { question in
            !done.contains(ContentAddress.episodeID(questionID: question.id, producer: producerTemplate))
        }
        if summary.resumed > 0 {
            logger.info("resuming from the partial file", metadata: ["done": "\(summary.resumed)", "pending": "\(pending.count)"])
        }
        let progress = ProgressReporter(label: dataset.record.id, total: questions.count, resumed: done.count, logger: logger)

        if !pending.isEmpty {
            let items = try await solve(pending, sink: sink, progress: progress, logger: logger)
            summary.items = items
        }
        await progress.finish()

        let episodes = try await sink.finish()
        let order = Dictionary(questions.enumerated().map { ($1.id, $0) }) { first, _ in first }
        let sorted = episodes.sorted { (order[$0.question.id] ?? .max) < (order[$1.question.id] ?? .max) }
        for episode in sorted {
            if episode.verification.verified {
                summary.verified += 1
            } else {
                summary.failuresByReason[Self.failureKind(episode), default: 0] += 1
            }
        }
        summary.outputChanged = try RecordFile.publish(sorted, to: output)
        try await sink.removePartial()
        return summary
    }

    /// Solves the questions on `workers` workers; each finished episode goes to the sink at once.
    private func solve(_ pending: [Question], sink: EpisodeSink, progress: ProgressReporter, logger: Logger) async throws -> [RunLogItem] {
        let teacher = teacher
        let loop = AgentLoop(configuration: loop, logger: logger)
        let dataset = dataset.record
        let seed = seed
        let lanes = max(1, min(workers, pending.count))
        return try await withSandbox(sandbox, logger: logger) { sandbox in
            let first = try await sandbox.makeWorker(seed: seed)
            let profile = try await TableProfiler.profile(on: first)
            let overview = try await DatasetOverview.make(on: first, profile: profile)
            let prompt = try TeacherPrompt.load()
            let producer = Producer(teacher: teacher.name, promptVersion: teacher.promptVersion, sandbox: await sandbox.versions, tool: AnalysisTracesVersion.string)
            var pool = [first]
            for _ in 1..<lanes { pool.append(try await sandbox.makeWorker(seed: seed)) }
            let workers = pool
            return try await withThrowingTaskGroup(of: [RunLogItem].self) { group in
                for (lane, worker) in workers.enumerated() {
                    group.addTask {
                        var items: [RunLogItem] = []
                        for index in stride(from: lane, to: pending.count, by: workers.count) {
                            try Task.checkCancellation()
                            let question = pending[index]
                            let started = ContinuousClock.now
                            let system = try prompt.systemPrompt(
                                datasetTitle: dataset.title, datasetDescription: dataset.description,
                                dataOverview: overview.text, expectedHooks: question.expectedSteps)
                            let task = AgentTask(
                                question: question, role: .gold, systemPrompt: system,
                                userMessage: TeacherPrompt.userMessage(question: question, role: .gold))
                            let timed = TimedExecutor(worker)
                            let trace = try await loop.run(task, teacher: teacher, executor: timed)
                            let totals = timed.current
                            let verification = GroundTruthVerifier().verify(question: question, traces: [trace])
                            let episode = Episode(
                                id: ContentAddress.episodeID(questionID: question.id, producer: producer),
                                question: question, traces: [trace], verification: verification,
                                usage: trace.usage, producer: producer)
                            try await sink.add(episode)
                            let failed = !verification.verified
                            await progress.finished(verified: verification.verified, failed: failed)
                            items.append(RunLogItem(
                                id: question.id, outcome: verification.verified ? "verified" : Self.failureKind(episode),
                                seconds: (ContinuousClock.now - started).seconds,
                                breakdown: [
                                    "turns": Double(trace.turns.count), "cells": Double(totals.cells),
                                    "python_seconds": totals.pythonSeconds, "round_trip_seconds": totals.roundTripSeconds,
                                ]))
                        }
                        return items
                    }
                }
                var items: [RunLogItem] = []
                for try await batch in group { items += batch }
                return items.sorted { $0.id < $1.id }
            }
        }
    }

    /// A short name for why an episode did not verify, for summaries and run logs.
    static func failureKind(_ episode: Episode) -> String {
        guard let gold = episode.traces.first else { return "no_trace" }
        if gold.endReason != .submitted { return gold.endReason.rawValue }
        return "wrong_answer"
    }
}

/// Where finished episodes go while a dataset runs: the partial file, appended to as each
/// episode completes and fsynced member by member.
actor EpisodeSink {
    private let partial: PartialFile
    private let logger: Logger

    init(output: String, logger: Logger) throws {
        partial = PartialFile(target: output, options: .init(recordsPerMember: 1))
        self.logger = logger
    }

    /// Opens the partial file and returns the ids of the episodes it already holds. A partial
    /// made under other settings (an episode id not among `keepingIDs`) is started over.
    func resume(keepingIDs: Set<String>) throws -> Set<String> {
        var ids = Set<String>()
        var stale = 0
        let resume = try partial.open(resuming: Episode.self) { episode, _ in
            if keepingIDs.contains(episode.id) { ids.insert(episode.id) } else { stale += 1 }
        }
        if let damage = resume.damagedTail {
            logger.warning("the partial file ended in an incomplete record; it was cut after the last complete one", metadata: ["detail": "\(damage)"])
        }
        if stale > 0 {
            logger.notice("the partial file was made with other questions or settings; starting over", metadata: ["stale": "\(stale)"])
            try partial.discard()
            _ = try partial.open()
            return []
        }
        return ids
    }

    func add(_ episode: Episode) throws {
        try partial.append(record: episode)
    }

    /// Flushes the partial file and reads back every episode in it.
    func finish() throws -> [Episode] {
        try partial.close()
        return try JSONLinesReader<Episode>(path: partial.path).readAll()
    }

    func removePartial() throws {
        try FileManager.default.removeItem(atPath: partial.path)
    }
}

/// An input file a stage cannot use, with the line and the reason.
public struct StageInputError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var line: Int?
    public var message: String

    public var description: String {
        Diagnostic(path: path, line: line, severity: .error, rule: "input", message: message).description
    }
}

import Foundation
import Logging

/// The `episode-gen` stage on one dataset: solve every question with a teacher in the sandbox,
/// verify the answers, and write the episodes.
///
/// Every question gets a gold trace (with the hint). With a ``ConsistencyPlan`` (the LLM
/// teacher), an LLM question (`source == .llm`) also gets N consistency traces without the hint
/// (`role: .consistency`, `sample` 1...N, N by difficulty) and is verified by triangulation
/// (``TriangulationVerifier``); every other question is verified against its ground truth
/// (``GroundTruthVerifier``) from the gold trace alone. Traces run concurrently on the dataset's
/// workers, across questions: a trace holds one worker from its reset to its end, and
/// `workers` bounds the traces in flight.
///
/// Episodes are appended to a resumable partial file (`<output>.partial`) as each one
/// completes, so an interrupted run continues where it stopped; when every question is done the
/// episodes are published in question order, atomically, and only when the bytes change.
///
/// When the teacher reports a spent LLM budget (``LLMError/budgetExhausted(spentUSD:budgetUSD:)``),
/// the stage starts no more traces, lets the traces in flight end, writes no episode that is
/// missing a trace, keeps the partial file and throws ``EpisodeBudgetStop``; a rerun with a larger
/// budget resumes from the partial file.
public struct EpisodeGeneration: Sendable {
    public var dataset: DatasetFolder
    public var questionsPath: String
    public var output: String
    public var sandbox: SandboxConfiguration
    public var teacher: any Teacher
    public var loop: AgentLoopConfiguration
    /// Seeds `random` and NumPy in every worker; a worker is reset (and reseeded) before each
    /// trace, so an answer does not depend on which worker ran it or what ran before.
    public var seed: Int
    /// Traces run at once, each on its own worker of the dataset's zygote.
    public var workers: Int
    /// Consistency traces for LLM questions. Nil runs the gold trace alone for every question,
    /// verified against ground truth: the program teacher's path, whose traces are deterministic
    /// and could only repeat each other.
    public var consistency: ConsistencyPlan?
    /// Flawed and self-correcting traces for template questions solved by the program teacher
    /// (<doc:Negatives>), run after the gold trace on its worker and appended to the episode.
    /// Nil (or a plan asking for none) writes exactly the episodes of before the feature.
    public var negatives: NegativePlan?

    /// Told of every finished episode; nil shows nothing.
    public var progress: (any StageProgress)?

    public init(dataset: DatasetFolder, questionsPath: String, output: String, sandbox: SandboxConfiguration,
                teacher: any Teacher, loop: AgentLoopConfiguration = .init(), seed: Int, workers: Int,
                consistency: ConsistencyPlan? = nil, negatives: NegativePlan? = nil, progress: (any StageProgress)? = nil) {
        self.dataset = dataset
        self.questionsPath = questionsPath
        self.output = output
        self.sandbox = sandbox
        self.teacher = teacher
        self.loop = loop
        self.seed = seed
        self.workers = workers
        self.consistency = consistency
        self.negatives = negatives
        self.progress = progress
    }

    public struct Summary: Sendable {
        public var questions = 0
        public var resumed = 0
        public var verified = 0
        /// Traces run in this run (resumed episodes excluded).
        public var traces = 0
        public var failuresByReason: [String: Int] = [:]
        public var outputChanged = false
        public var items: [RunLogItem] = []
        /// What the teacher's model calls cost in this run; nil for a teacher without a model.
        public var spending: LLMSpending?
        /// Flawed and self-correcting traces written in this run, by role.
        public var negativeTraces: [String: Int] = [:]
        /// Mistakes tried and not kept, by `<mistake>:<reason>` (see ``NegativeTraceMaker``).
        public var mistakesSkipped: [String: Int] = [:]
    }

    /// How many traces an episode of `question` has: the gold trace, plus the consistency
    /// traces of an LLM question under a plan.
    public func traceCount(for question: Question) -> Int {
        guard let consistency, question.source == .llm else { return 1 }
        return 1 + consistency[question.difficulty]
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
        // An episode in the partial file is kept when it answers one of these questions with these
        // settings: the same id (question and producer) and as many traces as the plan asks for.
        let expectedTraces = Dictionary(questions.map { (ContentAddress.episodeID(questionID: $0.id, producer: producerTemplate), traceCount(for: $0)) }) { first, _ in first }
        let plan = activeNegatives
        let done = try await sink.resume { episode in
            let attempts = episode.traces.filter(\.role.isAttempt).count
            let flawed = episode.traces.filter { $0.role == .flawed }.count
            let recovered = episode.traces.filter { $0.role == .selfCorrecting }.count
            return expectedTraces[episode.id] == attempts && flawed <= (plan?.negatives ?? 0) && recovered <= (plan?.recoveries ?? 0)
        }
        summary.resumed = done.count
        let pending = questions.filter { question in
            !done.contains(ContentAddress.episodeID(questionID: question.id, producer: producerTemplate))
        }
        if summary.resumed > 0 {
            logger.info("resuming from the partial file", metadata: ["done": "\(summary.resumed)", "pending": "\(pending.count)"])
        }
        await progress?.start(total: questions.count, resumed: done.count)

        if !pending.isEmpty {
            let solved = try await solve(pending, sink: sink, logger: logger)
            summary.items = solved.items
            summary.traces = solved.traces
            summary.negativeTraces = solved.negativeTraces
            summary.mistakesSkipped = solved.mistakesSkipped
            if let stop = solved.budgetStop {
                await progress?.finish()
                let spending = teacher.modelSpending
                try await sink.close()
                let error = EpisodeBudgetStop(
                    cause: stop, done: summary.resumed + solved.episodes, total: questions.count,
                    partialPath: await sink.path, spending: spending)
                logger.notice("the LLM budget is spent; stopping", metadata: [
                    "done": "\(error.done)", "total": "\(error.total)", "spending": "\(spending.map(\.description) ?? "none")",
                ])
                throw error
            }
        }
        await progress?.finish()

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
        summary.spending = teacher.modelSpending
        return summary
    }

    /// One trace to run: which pending question, and which trace of its episode.
    private struct TraceJob: Sendable {
        var question: Int
        var role: Trace.Role
        var sample: Int
    }

    /// A finished trace job and the worker it hands back.
    private struct TraceResult: Sendable {
        var job: TraceJob
        var worker: SandboxWorker
        /// The trace, or nil when the LLM budget stopped it (`budgetStop`).
        var trace: Trace?
        var budgetStop: LLMError?
        var totals: TimedExecutor<SandboxWorker>.Totals
        /// The flawed and self-correcting traces written after a gold trace.
        var negatives = NegativeTraceMaker.Result()
    }

    /// The traces of one question collected so far.
    private struct EpisodeInProgress {
        var traces: [Trace?]
        var negatives: [Trace] = []
        var started: ContinuousClock.Instant
        var totals = TimedExecutor<SandboxWorker>.Totals()
        var stopped = false

        var isComplete: Bool { traces.allSatisfy { $0 != nil } }
    }

    private struct Solved: Sendable {
        var items: [RunLogItem] = []
        var episodes = 0
        var traces = 0
        var budgetStop: LLMError?
        var negativeTraces: [String: Int] = [:]
        var mistakesSkipped: [String: Int] = [:]
    }

    /// Runs the traces of the pending questions on up to `workers` workers, in question order;
    /// each episode goes to the sink as soon as its last trace ends.
    private func solve(_ pending: [Question], sink: EpisodeSink, logger: Logger) async throws -> Solved {
        let teacher = teacher
        let loop = AgentLoop(configuration: loop, logger: logger)
        let dataset = dataset.record
        let seed = seed
        let negativeMaker = activeNegatives.flatMap { plan in
            (teacher as? ProgramTeacher).map { (maker: NegativeTraceMaker(plan: plan, seed: seed), teacher: $0) }
        }
        let progress = progress
        var jobs: [TraceJob] = []
        for (index, question) in pending.enumerated() {
            jobs.append(TraceJob(question: index, role: .gold, sample: 0))
            for sample in stride(from: 1, to: traceCount(for: question), by: 1) {
                jobs.append(TraceJob(question: index, role: .consistency, sample: sample))
            }
        }
        let triangulate = pending.map { consistency != nil && $0.source == .llm }
        let lanes = max(1, min(workers, jobs.count))
        return try await withSandbox(sandbox, logger: logger) { sandbox in
            let first = try await sandbox.makeWorker(seed: seed)
            let profile = try await TableProfiler.profile(on: first)
            let overview = try await DatasetOverview.make(on: first, profile: profile)
            let prompt = try TeacherPrompt.load()
            let producer = Producer(teacher: teacher.name, promptVersion: teacher.promptVersion, sandbox: await sandbox.versions, tool: AnalysisTracesVersion.string)
            var idle = [first]
            for _ in 1..<lanes { idle.append(try await sandbox.makeWorker(seed: seed)) }

            return try await withThrowingTaskGroup(of: TraceResult.self) { group in
                var solved = Solved()
                var inProgress: [Int: EpisodeInProgress] = [:]

                /// Files a finished trace; writes the episode when it was the question's last.
                func collect(_ result: TraceResult) async throws {
                    let index = result.job.question
                    guard var entry = inProgress[index] else { return }
                    entry.totals.cells += result.totals.cells
                    entry.totals.pythonSeconds += result.totals.pythonSeconds
                    entry.totals.roundTripSeconds += result.totals.roundTripSeconds
                    if let trace = result.trace {
                        solved.traces += 1
                        entry.traces[result.job.sample] = trace
                        entry.negatives += result.negatives.traces
                        for negative in result.negatives.traces { solved.negativeTraces[negative.role.rawValue, default: 0] += 1 }
                        solved.mistakesSkipped.merge(result.negatives.skipped, uniquingKeysWith: +)
                    } else {
                        entry.stopped = true
                        if solved.budgetStop == nil { solved.budgetStop = result.budgetStop }
                    }
                    inProgress[index] = entry
                    guard entry.isComplete, !entry.stopped else { return }
                    inProgress[index] = nil

                    let question = pending[index]
                    let attempts = entry.traces.compactMap { $0 }
                    let verification = triangulate[index]
                        ? TriangulationVerifier().verify(question: question, traces: attempts)
                        : GroundTruthVerifier().verify(question: question, traces: attempts)
                    let traces = attempts + entry.negatives
                    let usage = traces.dropFirst().reduce(traces[0].usage) { $0 + $1.usage }
                    let episode = Episode(
                        id: ContentAddress.episodeID(questionID: question.id, producer: producer),
                        question: question, traces: traces, verification: verification,
                        usage: usage, producer: producer)
                    try await sink.add(episode)
                    solved.episodes += 1
                    await progress?.finished(verified: verification.verified, failed: !verification.verified)
                    var breakdown: [String: Double] = [
                        "turns": Double(traces.map(\.turns.count).reduce(0, +)), "cells": Double(entry.totals.cells),
                        "python_seconds": entry.totals.pythonSeconds, "round_trip_seconds": entry.totals.roundTripSeconds,
                    ]
                    if traces.count > 1 { breakdown["traces"] = Double(traces.count) }
                    for negative in entry.negatives { breakdown[negative.role.rawValue, default: 0] += 1 }
                    if usage.calls > 0 {
                        breakdown["calls"] = Double(usage.calls)
                        breakdown["prompt_tokens"] = Double(usage.promptTokens)
                        breakdown["completion_tokens"] = Double(usage.completionTokens)
                        if let cost = usage.costUSD { breakdown["cost_usd"] = cost }
                    }
                    solved.items.append(RunLogItem(
                        id: question.id, outcome: verification.verified ? "verified" : Self.failureKind(episode),
                        seconds: (ContinuousClock.now - entry.started).seconds, breakdown: breakdown))
                }

                for job in jobs {
                    if idle.isEmpty, let result = try await group.next() {
                        idle.append(result.worker)
                        try await collect(result)
                    }
                    if let stop = solved.budgetStop {
                        logger.debug("not starting more traces", metadata: ["cause": "\(stop)"])
                        break
                    }
                    let question = pending[job.question]
                    if inProgress[job.question] == nil {
                        inProgress[job.question] = EpisodeInProgress(traces: Array(repeating: nil, count: traceCount(for: question)), started: .now)
                    }
                    let worker = idle.removeLast()
                    group.addTask {
                        let system = try prompt.systemPrompt(
                            datasetTitle: dataset.title, datasetDescription: dataset.description,
                            dataOverview: overview.text, expectedHooks: question.expectedSteps)
                        let task = AgentTask(
                            question: question, role: job.role, sample: job.sample, systemPrompt: system,
                            userMessage: TeacherPrompt.userMessage(question: question, role: job.role))
                        let timed = TimedExecutor(worker)
                        do {
                            let trace = try await loop.run(task, teacher: teacher, executor: timed)
                            var negatives = NegativeTraceMaker.Result()
                            if let negativeMaker, job.role == .gold, question.source == .template,
                               GroundTruthVerifier().verify(question: question, traces: [trace]).verified {
                                let instance = try negativeMaker.teacher.instance(for: question)
                                negatives = try await negativeMaker.maker.traces(
                                    for: question, instance: instance, gold: trace, task: task, loop: loop,
                                    promptVersion: negativeMaker.teacher.promptVersion, executor: timed)
                            }
                            return TraceResult(job: job, worker: worker, trace: trace, budgetStop: nil, totals: timed.current, negatives: negatives)
                        } catch let error as LLMError {
                            // The loop lets only a spent budget through.
                            return TraceResult(job: job, worker: worker, trace: nil, budgetStop: error, totals: timed.current)
                        }
                    }
                }
                while let result = try await group.next() {
                    try await collect(result)
                }
                solved.items.sort { $0.id < $1.id }
                return solved
            }
        }
    }

    /// The negative plan when it asks for any trace, else nil.
    var activeNegatives: NegativePlan? {
        guard let negatives, negatives.isActive else { return nil }
        return negatives
    }

    /// A short name for why an episode did not verify, for summaries and run logs.
    static func failureKind(_ episode: Episode) -> String {
        if episode.verification.method == .triangulation {
            return TriangulationVerifier().judge(question: episode.question, traces: episode.traces).outcome.kind
        }
        guard let gold = episode.traces.first else { return "no_trace" }
        if gold.endReason != .submitted { return gold.endReason.rawValue }
        return "wrong_answer"
    }
}

/// The LLM budget ran out during `episode-gen`: the stage stopped starting traces, wrote every
/// episode that was complete, and kept the partial file for a rerun.
public struct EpisodeBudgetStop: DiagnosticError {
    /// The error the service reported (``LLMError/budgetExhausted(spentUSD:budgetUSD:)``).
    public var cause: LLMError
    /// Questions with a finished episode in the partial file (resumed ones included).
    public var done: Int
    public var total: Int
    public var partialPath: String
    public var spending: LLMSpending?

    public var diagnosticLocation: String? { nil }

    public var diagnosticMessage: String {
        var text = "\(cause). \(done) of \(total) questions are done; their episodes are kept in '\(partialPath)'."
        if let spending { text += " This run: \(spending)." }
        text += " Rerun with a larger budget to continue: finished episodes are not redone, and the response cache keeps every paid call, so nothing is paid twice."
        return text
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

    var path: String { partial.path }

    /// Opens the partial file and returns the ids of the episodes it already holds. A partial
    /// made under other settings (an episode that `keeping` rejects) is started over.
    func resume(keeping: @Sendable (Episode) -> Bool) throws -> Set<String> {
        var ids = Set<String>()
        var stale = 0
        let resume = try partial.open(resuming: Episode.self) { episode, _ in
            if keeping(episode) { ids.insert(episode.id) } else { stale += 1 }
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

    /// Flushes and closes the partial file, keeping it.
    func close() throws {
        try partial.close()
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
public struct StageInputError: DiagnosticError {
    public var path: String
    public var line: Int?
    public var message: String

    public var diagnosticLocation: String? { line.map { "\(path):\($0)" } ?? path }
    public var diagnosticRule: String? { "input" }
    public var diagnosticMessage: String { message }
}

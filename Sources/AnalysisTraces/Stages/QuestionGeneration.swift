import Foundation
import Logging

/// The `question-gen` stage on one dataset: profile the table in the sandbox; for template
/// questions, instantiate every template that applies and compute each question's ground truth
/// by running its reference program in the sandbox; for LLM questions, let a model explore the
/// table and propose questions (``LLMQuestionGenerator``). Writes the template questions first,
/// then the LLM questions.
///
/// Failures are data: a template program that fails, a rejected proposal, or an LLM request that
/// fails (LLM questions lost, counted in the summary) still leave a complete output. The one
/// exception: when the LLM budget is spent before any question exists, ``run(logger:)`` throws
/// ``QuestionGenerationError/budgetExhausted(_:)`` and publishes nothing.
public struct QuestionGeneration: Sendable {
    /// Which kinds of questions a run writes.
    public enum SourceSelection: String, Sendable, CaseIterable {
        case template, llm, both

        public var includesTemplates: Bool { self != .llm }
        public var includesLLM: Bool { self != .template }
    }

    public var dataset: DatasetFolder
    public var output: String
    public var sandbox: SandboxConfiguration
    /// Seeds the weighted draw of questions (``QuestionSelection``).
    public var seed: UInt64
    /// The most template questions written for the dataset.
    public var maxQuestions: Int
    /// Sandbox workers computing ground truths at once.
    public var workers: Int
    public var sources: SourceSelection
    /// The LLM question generator; required when ``sources`` includes LLM questions.
    public var llm: LLMQuestionGenerator?

    public init(dataset: DatasetFolder, output: String, sandbox: SandboxConfiguration, seed: UInt64, maxQuestions: Int, workers: Int,
                sources: SourceSelection = .template, llm: LLMQuestionGenerator? = nil) {
        self.dataset = dataset
        self.output = output
        self.sandbox = sandbox
        self.seed = seed
        self.maxQuestions = maxQuestions
        self.workers = workers
        self.sources = sources
        self.llm = llm
    }

    /// What one run did; failures are data (a template whose program fails is a bug to fix),
    /// not a reason to fail the stage.
    public struct Summary: Sendable {
        public var candidates = 0
        public var written = 0
        public var templateWritten = 0
        public var failures: [(instance: String, message: String)] = []
        public var outputChanged = false
        public var items: [RunLogItem] = []
        /// The LLM part, when the run had one.
        public var llm: LLMQuestionOutcome?
        /// LLM questions written (an LLM question equal to a template question by id is not).
        public var llmWritten = 0
        /// What the template questions are made of; nil when the run wrote none by template.
        public var quality: QuestionQualityReport?
    }

    public func run(logger: Logger) async throws -> Summary {
        var summary = Summary()
        if sources.includesLLM && llm == nil { throw QuestionGenerationError.noLLM(sources: sources.rawValue) }
        let configuration = sandbox
        let dataset = dataset
        let sources = sources
        let llm = llm
        let (profile, instances, failures, dropped, llmOutcome, llmSeconds) = try await withSandbox(configuration, logger: logger) { sandbox in
            let worker = try await sandbox.makeWorker(seed: 0)
            let profile = try await TableProfiler.profile(on: worker)
            var runs: [(TemplateInstance, TemplateRun, Double)] = []
            var failures: [(instance: String, message: String)] = []
            var dropped: [QuestionSelection.Drop] = []
            if sources.includesTemplates {
                (runs, failures, dropped) = try await Self.selectAndRun(
                    profile: profile, seed: seed, limit: maxQuestions, sandbox: sandbox, first: worker, workers: workers)
            }
            guard sources.includesLLM, let llm else { return (profile, runs, failures, dropped, LLMQuestionOutcome?.none, 0.0) }
            let started = ContinuousClock.now
            let templateTexts = runs.filter { $0.1.succeeded && $0.1.answer != nil }.map(\.0.question)
            let outcome: LLMQuestionOutcome
            do {
                let overview = try await DatasetOverview.make(on: worker, profile: profile)
                outcome = try await llm.run(
                    dataset: dataset.record, overview: overview.text, templateQuestions: templateTexts, executor: worker, logger: logger)
            } catch {
                if error is CancellationError || Task.isCancelled { throw CancellationError() }
                outcome = .failed(.sandbox("the data overview could not be made: \(error)"), requested: llm.settings.questionCount)
            }
            return (profile, runs, failures, dropped, outcome, (ContinuousClock.now - started).seconds)
        }
        logger.info("profiled the table", metadata: [
            "dataset": "\(dataset.record.id)", "rows": "\(profile.rows)", "columns": "\(profile.columns.count)",
        ])
        summary.failures = failures
        summary.candidates = instances.count + failures.count
        var questions: [Question] = []
        var seen = Set<String>()
        var written: [(instance: TemplateInstance, answer: JSONValue)] = []
        for (instance, run, seconds) in instances {
            let label = "\(instance.templateID) \(CanonicalJSON.string(instance.parameters))"
            guard run.succeeded, let answer = run.answer else {
                let message = run.failure ?? "the program submitted no answer"
                logger.warning("template program failed", metadata: ["template": "\(instance.templateID)", "problem": "\(message)"])
                summary.failures.append((label, message))
                summary.items.append(RunLogItem(id: label, outcome: "failed", seconds: seconds, breakdown: [:]))
                continue
            }
            let question = Self.question(instance, answer: answer, alternatives: run.alternatives, dataset: dataset.record)
            summary.items.append(RunLogItem(id: question.id, outcome: "written", seconds: seconds, breakdown: [:]))
            if seen.insert(question.id).inserted {
                questions.append(question)
                written.append((instance, answer))
            }
        }
        summary.templateWritten = questions.count
        if sources.includesTemplates {
            let quality = QuestionQualityReport(profile: profile, written: written, dropped: dropped)
            summary.quality = quality
            summary.items += quality.items
            logger.info("question quality", metadata: [
                "dataset": "\(dataset.record.id)", "report": "\(quality.line)",
                "per_template": "\(quality.perTemplate.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))",
                "per_column": "\(quality.perColumn.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))",
                "unused": "\(quality.unusedColumns.map { "\($0.name) (\($0.reason))" }.joined(separator: "; "))",
                "degenerate": "\(quality.degenerate.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))",
            ])
        }
        if let llmOutcome {
            summary.llm = llmOutcome
            for question in llmOutcome.questions where seen.insert(question.id).inserted {
                questions.append(question)
                summary.llmWritten += 1
                summary.items.append(RunLogItem(id: question.id, outcome: "written", seconds: 0, breakdown: [:]))
            }
            for rejection in llmOutcome.rejections {
                summary.items.append(RunLogItem(
                    id: "llm round \(rejection.round)" + (rejection.index.map { " proposal \($0 + 1)" } ?? " reply"),
                    outcome: "rejected_\(rejection.reason.kind): \(rejection.reason)", seconds: 0, breakdown: [:]))
            }
            let lost = max(0, llmOutcome.requested - summary.llmWritten)
            var outcome = "\(summary.llmWritten) written, \(lost) lost"
            if let failure = llmOutcome.failure { outcome += ": \(failure)" }
            summary.items.append(RunLogItem(id: "llm", outcome: outcome, seconds: llmSeconds, breakdown: [:]))
            if let failure = llmOutcome.failure, failure.isBudgetExhausted, questions.isEmpty {
                throw QuestionGenerationError.budgetExhausted(failure.description)
            }
        }
        summary.written = questions.count
        summary.outputChanged = try RecordFile.publish(questions, to: output)
        return summary
    }

    /// Draws the questions (``QuestionSelection``) and runs their programs; a question whose
    /// validity check rejects it or whose answer is degenerate (``DegenerateAnswer``) is excluded
    /// and the draw is made again, at most ``maxSelectionPasses`` times, running only programs not
    /// run before. Returns the runs of the final selection, in its order, the instantiation
    /// failures and every dropped candidate with its rule and reason.
    static func selectAndRun(
        profile: TableProfile, seed: UInt64, limit: Int, sandbox: Sandbox, first: SandboxWorker, workers: Int
    ) async throws -> ([(TemplateInstance, TemplateRun, Double)], [(instance: String, message: String)], [QuestionSelection.Drop]) {
        var excluded: [String: QuestionSelection.Drop] = [:]
        var done: [String: (TemplateRun, Double)] = [:]
        var pass = 0
        while true {
            pass += 1
            let selection = QuestionSelection.select(from: profile, seed: seed, limit: limit, excluded: excluded)
            let label = { (instance: TemplateInstance) in "\(instance.templateID) \(CanonicalJSON.string(instance.parameters))" }
            let pending = selection.selected.filter { done[label($0)] == nil }
            for (instance, run, seconds) in try await execute(pending, sandbox: sandbox, first: first, workers: workers) {
                done[label(instance)] = (run, seconds)
            }
            var newlyExcluded: [QuestionSelection.Drop] = []
            for instance in selection.selected {
                let key = label(instance)
                guard excluded[key] == nil, let (run, _) = done[key] else { continue }
                if let reason = run.rejection {
                    newlyExcluded.append(.init(label: key, rule: .validity, reason: reason))
                } else if run.succeeded, let answer = run.answer, let kind = DegenerateAnswer.kind(answer), kind != DegenerateAnswer.shared {
                    newlyExcluded.append(.init(label: key, rule: .degenerate, reason: "the answer is degenerate (\(kind))"))
                }
            }
            for drop in newlyExcluded { excluded[drop.label] = drop }
            if newlyExcluded.isEmpty || pass >= maxSelectionPasses {
                let kept = selection.selected.filter { excluded[label($0)] == nil }
                let runs = kept.compactMap { instance in done[label(instance)].map { (instance, $0.0, $0.1) } }
                return (runs, selection.failures, selection.dropped + newlyExcluded)
            }
        }
    }

    /// How many times ``selectAndRun(profile:seed:limit:sandbox:first:workers:)`` draws again.
    static let maxSelectionPasses = 4

    /// Runs the reference programs on `workers` workers at once; results come back in input order.
    static func execute(
        _ instances: [TemplateInstance], sandbox: Sandbox, first: SandboxWorker, workers: Int
    ) async throws -> [(TemplateInstance, TemplateRun, Double)] {
        var pool = [first]
        for _ in 1..<max(1, min(workers, instances.count)) {
            pool.append(try await sandbox.makeWorker(seed: first.seed))
        }
        let lanes = pool
        return try await withThrowingTaskGroup(of: [(Int, TemplateRun, Double)].self) { group in
            for (lane, worker) in lanes.enumerated() {
                group.addTask {
                    var results: [(Int, TemplateRun, Double)] = []
                    for index in stride(from: lane, to: instances.count, by: lanes.count) {
                        let started = ContinuousClock.now
                        let run = try await TemplateExecution.run(instances[index], on: worker)
                        results.append((index, run, (ContinuousClock.now - started).seconds))
                    }
                    return results
                }
            }
            var runs = [(TemplateRun, Double)?](repeating: nil, count: instances.count)
            for try await batch in group {
                for (index, run, seconds) in batch { runs[index] = (run, seconds) }
            }
            return instances.enumerated().compactMap { index, instance in
                runs[index].map { (instance, $0.0, $0.1) }
            }
        }
    }

    static func question(_ instance: TemplateInstance, answer: JSONValue, alternatives: [JSONValue], dataset: Dataset) -> Question {
        var accepted = [AnswerValue(answer)]
        for value in alternatives {
            let candidate = AnswerValue(value)
            if !accepted.contains(where: { $0.sha256 == candidate.sha256 }) { accepted.append(candidate) }
        }
        let generator = QuestionGenerator(
            name: instance.templateID, version: instance.version, parameters: instance.parameters,
            program: instance.program, exploration: nil)
        let id = ContentAddress.questionID(
            datasetSHA256: dataset.sha256, source: .template, question: instance.question, hint: instance.hint,
            generator: generator)
        return Question(
            id: id, datasetID: dataset.id, datasetSHA256: dataset.sha256, source: .template,
            question: instance.question, hint: instance.hint, difficulty: instance.difficulty,
            expectedSteps: instance.steps.count, outputSchema: instance.outputSchema,
            groundTruth: GroundTruth(value: answer, sha256: accepted[0].sha256, accepted: accepted),
            generator: generator)
    }
}

/// Why `question-gen` wrote nothing.
public enum QuestionGenerationError: DiagnosticError, Equatable {
    /// The sources include LLM questions but no generator was given.
    case noLLM(sources: String)
    /// The LLM budget was spent before any question existed.
    case budgetExhausted(String)

    public var diagnosticLocation: String? { nil }

    public var diagnosticMessage: String {
        switch self {
        case .noLLM(let sources):
            "the question sources '\(sources)' include LLM questions, but no LLM question generator was given"
        case .budgetExhausted(let detail):
            "no questions were written: \(detail)"
        }
    }
}

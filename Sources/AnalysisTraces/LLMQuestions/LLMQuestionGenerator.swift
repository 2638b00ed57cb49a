import Logging

/// Limits of one LLM question generation.
public struct LLMQuestionSettings: Sendable, Equatable {
    /// How many questions to ask the model for; at most this many are kept.
    public var questionCount: Int
    /// Cells the model may run while exploring (0: it proposes questions from the overview alone).
    public var explorationTurns: Int
    /// Unusable exploration replies answered with a corrective message; one more ends the
    /// exploration early (the questions are still requested).
    public var maxMalformedReplies: Int
    /// Times the model is asked again when a reply gave fewer valid questions than asked for.
    public var maxReasks: Int
    /// Largest stdout, stderr, result or traceback shown to the model per cell, in bytes
    /// (``ShownOutput``).
    public var maxShownBytes: Int
    /// Each exploration cell's time limit; nil uses the sandbox's.
    public var cellTimeout: Duration?

    public init(questionCount: Int = 10, explorationTurns: Int = 6, maxMalformedReplies: Int = 2, maxReasks: Int = 1,
                maxShownBytes: Int = 4096, cellTimeout: Duration? = nil) {
        self.questionCount = questionCount
        self.explorationTurns = explorationTurns
        self.maxMalformedReplies = maxMalformedReplies
        self.maxReasks = maxReasks
        self.maxShownBytes = maxShownBytes
        self.cellTimeout = cellTimeout
    }
}

/// Why LLM question generation stopped before it could ask for every question it wanted.
public enum LLMQuestionFailure: Sendable, Equatable, CustomStringConvertible {
    /// A chat request failed (budget spent, HTTP error, timeout, ...); `during` says which
    /// request (`exploration cell 3`, `questions`, `re-ask 1`).
    case llm(LLMError, during: String)
    /// The sandbox could not run an exploration cell at all.
    case sandbox(String)

    /// `budget_exhausted`, `request_failed` or `sandbox_failed`, for counting.
    public var kind: String {
        switch self {
        case .llm(.budgetExhausted, _): "budget_exhausted"
        case .llm: "request_failed"
        case .sandbox: "sandbox_failed"
        }
    }

    public var isBudgetExhausted: Bool {
        if case .llm(.budgetExhausted, _) = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .llm(let error, let during): "the LLM request for \(during) failed: \(error)"
        case .sandbox(let message): "the sandbox could not run an exploration cell: \(message)"
        }
    }
}

/// What one LLM question generation produced.
public struct LLMQuestionOutcome: Sendable {
    /// The questions, in the order the model proposed them.
    public var questions: [Question]
    /// The whole conversation: system prompt, exploration, the request for questions, every
    /// reply and re-ask. Every question holds it as `generator.exploration`.
    public var transcript: [Message]
    /// Every proposal (or proposals reply) not turned into a question, with its reason.
    public var rejections: [ProposalRejection]
    /// Exploration cells that ran.
    public var cells: Int
    /// Summed usage of every chat request.
    public var usage: Usage
    /// Chat requests answered from the response cache.
    public var cacheHits: Int
    /// Set when a request or the sandbox failed; the questions accepted before it are kept.
    public var failure: LLMQuestionFailure?
    /// ``LLMQuestionSettings/questionCount``.
    public var requested: Int

    /// Questions asked for and not produced.
    public var lost: Int { max(0, requested - questions.count) }

    public init(questions: [Question], transcript: [Message], rejections: [ProposalRejection], cells: Int, usage: Usage,
                cacheHits: Int, failure: LLMQuestionFailure?, requested: Int) {
        self.questions = questions
        self.transcript = transcript
        self.rejections = rejections
        self.cells = cells
        self.usage = usage
        self.cacheHits = cacheHits
        self.failure = failure
        self.requested = requested
    }

    /// An outcome with no questions because generation could not start.
    public static func failed(_ failure: LLMQuestionFailure, requested: Int) -> LLMQuestionOutcome {
        LLMQuestionOutcome(questions: [], transcript: [], rejections: [], cells: 0, usage: .zero, cacheHits: 0, failure: failure, requested: requested)
    }
}

/// Writes questions with an LLM: the model explores the table in a sandbox worker for a bounded
/// number of cells, then proposes questions as JSON; each proposal is checked
/// (``ProposalValidator``) and a valid one becomes a ``Question`` with `source: .llm`, no ground
/// truth, and `generator` = (model, prompt version, `{}`, no program, the transcript).
///
/// The conversation:
/// 1. system prompt (``QuestionPrompt``), then ``QuestionPrompt/start(cells:)``;
/// 2. each reply is read with ``ReplyParser``: a usable one is run, and the next user message is
///    ``AgentMessages/feedback(cell:execution:hooks:notes:)`` on the output capped by
///    ``ShownOutput``, with the cells left; an unusable one gets ``AgentMessages/corrective(_:)``,
///    at most ``LLMQuestionSettings/maxMalformedReplies`` times (one more ends the exploration);
/// 3. after the last cell, one user message holds its feedback and ``QuestionPrompt/request(count:)``;
/// 4. the reply is read with ``ProposalParser``; while fewer than
///    ``LLMQuestionSettings/questionCount`` valid questions exist and re-asks remain
///    (``LLMQuestionSettings/maxReasks``), ``QuestionPrompt/reask(rejections:missing:accepted:)``
///    asks for the missing ones. Valid questions beyond the count are rejected as surplus.
///
/// Every request is made with sample index 0, so the same cached responses replay the same run
/// and give the same questions byte for byte. Failures are data: ``run(dataset:overview:templateQuestions:executor:logger:)``
/// throws only `CancellationError`.
public struct LLMQuestionGenerator: Sendable {
    public var service: any ChatService
    public var model: String
    public var sampling: SamplingParameters
    public var settings: LLMQuestionSettings
    public var prompt: QuestionPrompt

    public init(service: any ChatService, model: String, sampling: SamplingParameters = .init(),
                settings: LLMQuestionSettings = .init(), prompt: QuestionPrompt) {
        self.service = service
        self.model = model
        self.sampling = sampling
        self.settings = settings
        self.prompt = prompt
    }

    /// Explores the table on `executor` (reset first) and returns the questions.
    ///
    /// - Parameters:
    ///   - overview: the ``DatasetOverview`` text of the table.
    ///   - templateQuestions: this run's template question texts (for the duplicate rule).
    public func run(
        dataset: Dataset, overview: String, templateQuestions: [String], executor: some CellExecutor, logger: Logger
    ) async throws -> LLMQuestionOutcome {
        var run = Conversation(generator: self, logger: logger)
        var outcome = LLMQuestionOutcome(
            questions: [], transcript: [], rejections: [], cells: 0, usage: .zero, cacheHits: 0, failure: nil,
            requested: settings.questionCount)
        do {
            let system = try prompt.systemPrompt(
                datasetTitle: dataset.title, datasetDescription: dataset.description, dataOverview: overview,
                explorationTurns: settings.explorationTurns)
            run.messages.append(Message(role: .system, content: system))
        } catch {
            // The prompt ships with the library; a broken one is a bug, reported as data here.
            outcome.failure = .sandbox("the prompt '\(prompt.version)' cannot be filled: \(error)")
            return outcome
        }

        var failure: LLMQuestionFailure?
        do {
            try await run.explore(executor: executor)
            try await run.propose(dataset: dataset, templateQuestions: templateQuestions)
        } catch let stop as Conversation.Stop {
            failure = stop.failure
        }
        outcome.questions = run.accepted.map { question(for: $0, dataset: dataset, transcript: run.messages) }
        outcome.transcript = run.messages
        outcome.rejections = run.rejections
        outcome.cells = run.cells
        outcome.usage = run.usage
        outcome.cacheHits = run.cacheHits
        outcome.failure = failure
        if let failure {
            logger.warning("LLM question generation stopped early", metadata: [
                "dataset": "\(dataset.id)", "problem": "\(failure)", "questions": "\(outcome.questions.count)",
            ])
        }
        return outcome
    }

    /// The question record for an accepted proposal.
    public func question(for proposal: QuestionProposal, dataset: Dataset, transcript: [Message]) -> Question {
        let generator = QuestionGenerator(name: model, version: prompt.version, parameters: .object([]), program: nil, exploration: transcript)
        let id = ContentAddress.questionID(
            datasetSHA256: dataset.sha256, source: .llm, question: proposal.question, hint: proposal.hint, generator: generator)
        return Question(
            id: id, datasetID: dataset.id, datasetSHA256: dataset.sha256, source: .llm, question: proposal.question,
            hint: proposal.hint, difficulty: proposal.difficulty, expectedSteps: proposal.expectedSteps,
            outputSchema: proposal.outputSchema, groundTruth: nil, generator: generator)
    }
}

/// The mutable state of one generation.
private struct Conversation {
    struct Stop: Error {
        var failure: LLMQuestionFailure
    }

    let generator: LLMQuestionGenerator
    let logger: Logger
    var messages: [Message] = []
    var accepted: [QuestionProposal] = []
    var rejections: [ProposalRejection] = []
    var cells = 0
    var usage = Usage.zero
    var cacheHits = 0

    init(generator: LLMQuestionGenerator, logger: Logger) {
        self.generator = generator
        self.logger = logger
    }

    var settings: LLMQuestionSettings { generator.settings }

    /// One chat request on the conversation so far; the reply is appended.
    mutating func ask(during: String) async throws -> Message {
        try Task.checkCancellation()
        let request = ChatRequest(model: generator.model, messages: messages, sampling: generator.sampling, sample: 0)
        let completion: ChatCompletion
        do {
            completion = try await generator.service.complete(request)
        } catch {
            try Task.checkCancellation()
            throw Stop(failure: .llm(error, during: during))
        }
        usage += completion.usage
        if completion.cacheHit { cacheHits += 1 }
        messages.append(completion.message)
        return completion.message
    }

    mutating func explore(executor: some CellExecutor) async throws {
        var pending: String?
        guard settings.explorationTurns > 0 else {
            messages.append(Message(role: .user, content: QuestionPrompt.request(count: settings.questionCount)))
            return
        }
        do {
            try await executor.reset()
        } catch {
            try Task.checkCancellation()
            throw Stop(failure: .sandbox("the worker could not be reset: \(error)"))
        }
        messages.append(Message(role: .user, content: QuestionPrompt.start(cells: settings.explorationTurns)))
        var malformed = 0
        while cells < settings.explorationTurns {
            let reply = try await ask(during: "exploration cell \(cells + 1)")
            switch ReplyParser.parse(reply.content) {
            case .malformed(let problem):
                malformed += 1
                logger.debug("An exploration reply cannot be run.", metadata: ["problem": "\(problem)", "malformed": "\(malformed)"])
                if malformed > settings.maxMalformedReplies {
                    messages.append(Message(role: .user, content: QuestionPrompt.request(count: settings.questionCount)))
                    return
                }
                messages.append(Message(role: .user, content: AgentMessages.corrective(problem)))
            case .step(_, let code):
                let result: CellResult
                do {
                    result = try await executor.run(code, timeout: settings.cellTimeout)
                } catch {
                    try Task.checkCancellation()
                    throw Stop(failure: .sandbox("\(error)"))
                }
                cells += 1
                let shown = ShownOutput.cap(result.execution, maxBytes: settings.maxShownBytes)
                let left = settings.explorationTurns - cells
                let notes = left > 0 ? [QuestionPrompt.cellsLeft(left)] : []
                let feedback = AgentMessages.feedback(cell: cells, execution: shown, hooks: [], notes: notes)
                if left > 0 {
                    messages.append(Message(role: .user, content: feedback))
                } else {
                    pending = feedback
                }
            }
        }
        let request = QuestionPrompt.request(count: settings.questionCount)
        messages.append(Message(role: .user, content: pending.map { $0 + "\n\n" + request } ?? request))
    }

    mutating func propose(dataset: Dataset, templateQuestions: [String]) async throws {
        var validator = ProposalValidator(columns: dataset.columns, templateQuestions: templateQuestions)
        var round = 0
        while true {
            let reply = try await ask(during: round == 0 ? "questions" : "re-ask \(round)")
            var roundRejections: [ProposalRejection] = []
            switch ProposalParser.parse(reply.content) {
            case .failure(let problem):
                roundRejections.append(ProposalRejection(round: round, index: nil, question: nil, reason: .unusableReply(problem)))
            case .success(let values):
                for (index, value) in values.enumerated() {
                    switch validator.review(value) {
                    case .success(let proposal):
                        if accepted.count < settings.questionCount {
                            accepted.append(proposal)
                        } else {
                            roundRejections.append(ProposalRejection(round: round, index: index, question: proposal.question, reason: .surplus))
                        }
                    case .failure(let reason):
                        let text: String? = if case .string(let q)? = value["question"] { q } else { nil }
                        roundRejections.append(ProposalRejection(round: round, index: index, question: text, reason: reason))
                    }
                }
            }
            for rejection in roundRejections {
                logger.info("A question proposal was rejected.", metadata: [
                    "dataset": "\(dataset.id)", "reason": "\(rejection.reason.kind)", "detail": "\(rejection)",
                ])
            }
            rejections += roundRejections
            let missing = settings.questionCount - accepted.count
            guard missing > 0, round < settings.maxReasks else { return }
            round += 1
            messages.append(Message(role: .user, content: QuestionPrompt.reask(
                rejections: roundRejections.filter { $0.reason != .surplus }, missing: missing, accepted: accepted.map(\.question))))
        }
    }
}

import Logging

/// Runs one trace: a teacher writes a step, the loop runs its code in a sandbox worker, records
/// the turn, sends back what the cell did, and goes on until the teacher submits an answer that
/// is accepted, the turn limit, the time budget, too many unusable replies, or an error.
///
/// What the loop guarantees about the ``Trace`` it returns:
/// - `messages` is the conversation exactly as the teacher saw it: the system prompt, the
///   question, every reply verbatim (unusable ones included), and every feedback or corrective
///   message. Nothing is ever pruned, so turn `i` is always `messages[turns[i].message]`, and
///   the message after it is that turn's feedback. A message the teacher never got to read
///   (the feedback after the last cell) is not added.
/// - `turns` holds one turn per cell that ran, numbered 0, 1, 2, ... with no gaps, each recorded
///   as soon as its cell ran: the reasoning and the exact code of the reply, the execution as the
///   model was shown it (see ``ShownOutput``), the hooks with their grounding (see
///   ``ExecutedCode``) and bounded values (see ``HookValueSummary``), the cell's submission (the
///   last `submit` of that cell; a falsy value such as `0`, `""` or `false` is an answer like any
///   other), and correction metadata when the previous cell failed.
/// - An answer is accepted when it was submitted in a cell that did not fail and the trace has
///   at least ``AgentLoopConfiguration/minimumHooks`` distinct grounded hook lines; with too few,
///   the loop asks for hooks, at most ``AgentLoopConfiguration/maxHookReprompts`` times, then
///   accepts. The trace's `answer` is the accepted answer, or, when the trace ended another way,
///   the last answer submitted (its end reason then says it was not accepted).
///
/// The loop throws only `CancellationError` and ``LLMError/budgetExhausted(spentUSD:budgetUSD:)``:
/// a teacher that throws anything else, or a sandbox that cannot run a cell, ends the trace with
/// end reason `error` and the message in `error`. A spent LLM budget is no fault of the trace
/// (the trace is unfinished, not failed), so it stops the loop like a cancellation and the stage
/// decides what to keep.
public struct AgentLoop: Sendable {
    public var configuration: AgentLoopConfiguration
    public var logger: Logger

    public init(configuration: AgentLoopConfiguration = AgentLoopConfiguration(), logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Resets `executor` and runs one trace of `task` with `teacher`.
    public func run(_ task: AgentTask, teacher: some Teacher, executor: some CellExecutor) async throws -> Trace {
        var recorder = TraceRecorder(task: task, configuration: configuration)
        let clock = ContinuousClock()
        var metadata: Logger.Metadata = ["question": "\(task.question.id)", "role": "\(task.role.rawValue)", "teacher": "\(teacher.name)"]

        do {
            try await executor.reset()
        } catch {
            try Self.rethrowCancellation(error)
            return recorder.finish(.error, error: "the sandbox worker could not be reset before the trace: \(error)")
        }
        // The budget covers the trace itself, not getting a clean worker for it.
        let deadline = clock.now + configuration.timeBudget

        while true {
            try Task.checkCancellation()
            if recorder.turns.count >= configuration.maxTurns {
                return recorder.finish(.maxTurns, error: nil)
            }
            if clock.now >= deadline {
                return recorder.finish(.budget, error: budgetMessage(recorder))
            }
            let context = TeacherContext(
                question: task.question, role: task.role, sample: task.sample, turns: recorder.turns,
                replies: recorder.replies, turnsLeft: configuration.maxTurns - recorder.turns.count)
            let reply: TeacherReply
            do {
                reply = try await teacher.reply(to: recorder.messages, context: context)
            } catch {
                try Self.rethrowCancellation(error)
                try Self.rethrowBudgetExhausted(error)
                logger.debug("The teacher failed.", metadata: metadata.merging(["problem": "\(error)"]) { $1 })
                return recorder.finish(.error, error: "the teacher '\(teacher.name)' failed: \(error)")
            }
            recorder.receive(reply)

            switch ReplyParser.parse(reply.message.content) {
            case .malformed(let problem):
                recorder.malformed += 1
                metadata["malformed"] = "\(recorder.malformed)"
                logger.debug("The teacher's reply cannot be run.", metadata: metadata.merging(["problem": "\(problem)"]) { $1 })
                if recorder.malformed > configuration.maxMalformedReplies {
                    return recorder.finish(.malformed, error: "\(recorder.malformed) replies could not be run (at most \(configuration.maxMalformedReplies) are corrected); the last one: \(problem)")
                }
                if clock.now >= deadline {
                    return recorder.finish(.budget, error: budgetMessage(recorder))
                }
                recorder.messages.append(Message(role: .user, content: AgentMessages.corrective(problem)))

            case .step(let reasoning, let code):
                let result: CellResult
                do {
                    result = try await executor.run(code, timeout: configuration.cellTimeout)
                } catch {
                    try Self.rethrowCancellation(error)
                    return recorder.finish(.error, error: "the sandbox could not run cell \(recorder.turns.count + 1): \(error)")
                }
                let outcome = recorder.record(reasoning: reasoning, code: code, result: result)
                logger.debug("Ran a cell.", metadata: metadata.merging([
                    "turn": "\(recorder.turns.count - 1)",
                    "error": "\(result.execution.error?.kind ?? "none")",
                    "seconds": "\(result.seconds)",
                ]) { $1 })
                guard case .continuing(var notes) = outcome else {
                    return recorder.finish(.submitted, error: nil)
                }
                if recorder.turns.count >= configuration.maxTurns {
                    return recorder.finish(.maxTurns, error: nil)
                }
                if clock.now >= deadline {
                    return recorder.finish(.budget, error: budgetMessage(recorder))
                }
                if configuration.maxTurns - recorder.turns.count == 1 { notes.append(AgentMessages.lastTurn) }
                recorder.sendFeedback(notes: notes)
            }
        }
    }

    private func budgetMessage(_ recorder: TraceRecorder) -> String {
        "the time budget of \(SandboxWorker.formatSeconds(configuration.timeBudget)) ran out after \(recorder.turns.count) \(recorder.turns.count == 1 ? "turn" : "turns")"
    }

    /// Rethrows `error` when it says the LLM budget is spent.
    private static func rethrowBudgetExhausted(_ error: any Error) throws {
        if let error = error as? LLMError, case .budgetExhausted = error { throw error }
    }

    /// Rethrows `error` when it is, or comes from, a cancellation of the task.
    private static func rethrowCancellation(_ error: any Error) throws {
        if error is CancellationError || Task.isCancelled { throw CancellationError() }
    }
}

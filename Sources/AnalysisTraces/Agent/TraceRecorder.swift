/// The state of one trace while the ``AgentLoop`` runs it: the conversation, the turns, the
/// code that ran, the budgets spent.
struct TraceRecorder {
    /// What recording a cell means for the loop.
    enum Outcome: Equatable {
        /// The cell submitted an answer that is accepted: the trace is done.
        case accepted
        /// The trace goes on; these notes follow the cell's output in the feedback.
        case continuing(notes: [String])
    }

    let task: AgentTask
    let configuration: AgentLoopConfiguration
    var messages: [Message]
    private(set) var turns: [Turn] = []
    private(set) var usage = Usage.zero
    private(set) var replies = 0
    var malformed = 0
    private var hookReprompts = 0
    private var executed = ExecutedCode()
    /// Normalised code lines of the grounded hooks so far: what the minimum counts.
    private var groundedLines: Set<String> = []
    private var hooksSeen = 0
    private var lastSubmission: AnswerValue?

    init(task: AgentTask, configuration: AgentLoopConfiguration) {
        self.task = task
        self.configuration = configuration
        self.messages = [
            Message(role: .system, content: task.systemPrompt),
            Message(role: .user, content: task.userMessage),
        ]
    }

    /// Appends a teacher's reply to the conversation, as an assistant message.
    mutating func receive(_ reply: TeacherReply) {
        replies += 1
        usage += reply.usage
        var message = reply.message
        message.role = .assistant
        messages.append(message)
    }

    /// Records the cell that the last message asked for, and decides what happens next.
    mutating func record(reasoning: String, code: String, result: CellResult) -> Outcome {
        let execution = ShownOutput.cap(result.execution, maxBytes: configuration.maxShownBytes)
        if result.execution.error?.kind != "syntax" { executed.add(code) }
        var hooks: [Hook] = []
        var submission: JSONValue?
        for event in result.events {
            switch event {
            case .hook(let name, let codeLine, let value, let dependsOn, let description):
                hooksSeen += 1
                let grounded = executed.grounds(codeLine)
                if grounded { groundedLines.insert(ExecutedCode.codeLines(codeLine).joined(separator: "\n")) }
                let kept = HookValueSummary.bounded(value, limitBytes: configuration.maxHookValueBytes)
                hooks.append(Hook(
                    name: name ?? "hook_\(hooksSeen)", codeLine: codeLine, value: kept.value,
                    valueSummarized: kept.summarized, valueSHA256: CanonicalJSON.sha256(value),
                    dependsOn: dependsOn, description: description, grounded: grounded))
            case .submit(let value):
                submission = value
            }
        }
        let correction = turns.last.flatMap { previous -> Correction? in
            guard Self.failed(previous.execution) else { return nil }
            return Correction(fixesTurn: previous.index, errorKind: previous.execution.error?.kind ?? "timeout")
        }
        let answer = submission.map { AnswerValue($0) }
        turns.append(Turn(
            index: turns.count, message: messages.count - 1, reasoning: reasoning, code: code,
            execution: execution, hooks: hooks, submission: answer, correction: correction))

        var notes: [String] = []
        if let answer {
            lastSubmission = answer
            if Self.failed(execution) {
                notes.append(AgentMessages.submitInFailedCell)
            } else if groundedLines.count >= configuration.minimumHooks || hookReprompts >= configuration.maxHookReprompts {
                return .accepted
            } else {
                hookReprompts += 1
                notes.append(AgentMessages.hooksWanted(grounded: groundedLines.count, minimum: configuration.minimumHooks))
            }
        }
        return .continuing(notes: notes)
    }

    /// Appends the feedback on the last turn.
    mutating func sendFeedback(notes: [String]) {
        guard let turn = turns.last else { return }
        let text = AgentMessages.feedback(cell: turn.index + 1, execution: turn.execution, hooks: turn.hooks, notes: notes)
        messages.append(Message(role: .user, content: text))
    }

    /// The finished trace. Its answer is the accepted one (`submitted`) or the last submitted.
    func finish(_ reason: Trace.EndReason, error: String?) -> Trace {
        Trace(role: task.role, messages: messages, turns: turns, answer: lastSubmission, endReason: reason, error: error, usage: usage)
    }

    static func failed(_ execution: Execution) -> Bool {
        execution.error != nil || execution.timedOut
    }
}

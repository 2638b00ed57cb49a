/// Whatever writes the assistant's side of a trace: the deterministic ``ProgramTeacher``, or a
/// model behind an OpenAI-compatible endpoint. The ``AgentLoop`` treats every teacher alike.
///
/// A teacher sees the conversation exactly as the loop recorded it (system prompt, question,
/// its own earlier replies verbatim, every feedback and corrective message) and returns the next
/// assistant message. It should not keep state between calls that the conversation and the
/// context do not carry, so that a trace can be replayed. Throwing ends the trace with end
/// reason `error` and the error's description recorded; throwing `CancellationError` or
/// `LLMError.budgetExhausted` stops the loop instead (the stage then stops cleanly).
public protocol Teacher: Sendable {
    /// Recorded as `Producer.teacher`: `program`, or the model name.
    var name: String { get }
    /// Recorded as `Producer.promptVersion`: the version of the prompts this teacher is run with.
    var promptVersion: String { get }

    /// The next assistant message for `conversation`, and what producing it cost.
    func reply(to conversation: [Message], context: TeacherContext) async throws -> TeacherReply

    /// What this teacher's model calls have cost so far; nil for a teacher without a model.
    var modelSpending: LLMSpending? { get }
}

extension Teacher {
    public var modelSpending: LLMSpending? { nil }
}

/// What a teacher may know about the trace it is writing, beyond the conversation.
public struct TeacherContext: Sendable {
    /// The question being solved (for the program teacher: its template and parameters).
    public var question: Question
    public var role: Trace.Role
    /// Which trace of the episode this is (0 for the gold trace); an LLM teacher uses it in its
    /// response-cache key so that consistency samples are distinct requests.
    public var sample: Int
    /// The turns recorded so far in this trace, in order.
    public var turns: [Turn]
    /// Replies already requested in this trace, valid and malformed.
    public var replies: Int
    /// Cells the loop will still run, this reply's included.
    public var turnsLeft: Int

    public init(question: Question, role: Trace.Role, sample: Int, turns: [Turn], replies: Int, turnsLeft: Int) {
        self.question = question
        self.role = role
        self.sample = sample
        self.turns = turns
        self.replies = replies
        self.turnsLeft = turnsLeft
    }
}

/// One assistant message and its cost.
public struct TeacherReply: Sendable, Equatable {
    /// The assistant message verbatim: content and, where the endpoint returns one, reasoning.
    public var message: Message
    public var usage: Usage

    public init(message: Message, usage: Usage = .zero) {
        self.message = message
        self.usage = usage
    }

    /// A reply with this content (and reasoning field), at no cost.
    public init(content: String, reasoning: String? = nil, usage: Usage = .zero) {
        self.init(message: Message(role: .assistant, content: content, reasoning: reasoning), usage: usage)
    }
}

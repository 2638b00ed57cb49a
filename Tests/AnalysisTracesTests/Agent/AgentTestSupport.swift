import Foundation
import Testing
@testable import AnalysisTraces
import TestSupport

/// A teacher that replays canned replies in order (reply `n` answers request `n`, malformed
/// replies included) and records every conversation it was sent.
struct ScriptedTeacher: Teacher {
    enum Step: Sendable {
        case reply(String)
        /// Waits, then replies.
        case slow(Duration, String)
        case fail(String)
    }

    struct ScriptError: Error, CustomStringConvertible {
        var description: String
    }

    let name = "scripted"
    let promptVersion = "scripted-v0"
    let steps: [Step]
    let log = ConversationLog()

    init(_ steps: [Step]) {
        self.steps = steps
    }

    /// Each reply is the reasoning and one python block.
    init(cells: [String]) {
        self.init(cells.map { .reply(Self.text($0)) })
    }

    static func text(_ code: String, reasoning: String = "Next step.") -> String {
        "\(reasoning)\n\n```python\n\(code)\n```"
    }

    func reply(to conversation: [Message], context: TeacherContext) async throws -> TeacherReply {
        await log.append(conversation, context)
        guard context.replies < steps.count else {
            throw ScriptError(description: "the script has no reply \(context.replies + 1)")
        }
        switch steps[context.replies] {
        case .reply(let text):
            return TeacherReply(content: text, reasoning: "thinking \(context.replies)", usage: Usage(calls: 1, promptTokens: 10, completionTokens: 5))
        case .slow(let delay, let text):
            try await Task.sleep(for: delay)
            return TeacherReply(content: text, usage: Usage(calls: 1))
        case .fail(let message):
            throw ScriptError(description: message)
        }
    }
}

actor ConversationLog {
    private(set) var conversations: [[Message]] = []
    private(set) var contexts: [TeacherContext] = []

    func append(_ conversation: [Message], _ context: TeacherContext) {
        conversations.append(conversation)
        contexts.append(context)
    }
}

enum AgentFixtures {
    /// A question about the sandbox test fixture (`SandboxFixture.csvText`), whose `value`
    /// column has the mean 5.9 (29.5 over 5 non-missing values).
    static func question(
        _ text: String = "What is the mean of the value column, rounded to 2 decimals?",
        hint: String? = nil, schema: AnswerSchema = .number(decimals: 2), groundTruth: JSONValue? = .double(5.9),
        generator: QuestionGenerator = QuestionGenerator(name: "fixture", version: "1", parameters: .object([]), program: nil, exploration: nil)
    ) -> Question {
        Question(
            id: "q_fixture", datasetID: "fixture", datasetSHA256: String(repeating: "0", count: 64), source: .template,
            question: text, hint: hint, difficulty: .easy, expectedSteps: 2, outputSchema: schema,
            groundTruth: groundTruth.map { GroundTruth(value: $0, sha256: CanonicalJSON.sha256($0), accepted: [AnswerValue($0)]) },
            generator: generator)
    }

    static func task(_ question: Question = question(), role: Trace.Role = .gold) -> AgentTask {
        AgentTask(question: question, role: role, sample: 0, systemPrompt: "You are a test system prompt.", userMessage: TeacherPrompt.userMessage(question: question, role: role))
    }

    static func loop(_ adjust: (inout AgentLoopConfiguration) -> Void = { _ in }) -> AgentLoop {
        var configuration = AgentLoopConfiguration()
        adjust(&configuration)
        return AgentLoop(configuration: configuration, logger: SandboxTestEnvironment.logger)
    }

    /// Runs one trace of `teacher` on a fresh sandbox over the fixture table.
    static func run(
        _ teacher: some Teacher, task: AgentTask = task(),
        _ adjust: @escaping @Sendable (inout AgentLoopConfiguration) -> Void = { _ in },
        sandbox adjustSandbox: @escaping @Sendable (inout SandboxConfiguration) -> Void = { _ in }
    ) async throws -> Trace {
        try await withTestWorker(adjustSandbox) { _, worker in
            try await loop(adjust).run(task, teacher: teacher, executor: worker)
        }
    }
}

/// Checks what every trace must satisfy: turns numbered 0... without gaps, each pointing at an
/// assistant message that holds its code, followed (except at the end) by a user message; the
/// conversation starts with the system and user messages.
func expectWellFormed(_ trace: Trace, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(trace.messages.count >= 2, sourceLocation: sourceLocation)
    #expect(trace.messages.first?.role == .system, sourceLocation: sourceLocation)
    #expect(trace.messages.dropFirst().first?.role == .user, sourceLocation: sourceLocation)
    for (position, turn) in trace.turns.enumerated() {
        #expect(turn.index == position, sourceLocation: sourceLocation)
        guard trace.messages.indices.contains(turn.message) else {
            Issue.record("turn \(position) points at message \(turn.message) of \(trace.messages.count)", sourceLocation: sourceLocation)
            continue
        }
        let message = trace.messages[turn.message]
        #expect(message.role == .assistant, sourceLocation: sourceLocation)
        #expect(message.content.contains(turn.code), sourceLocation: sourceLocation)
        if turn.message + 1 < trace.messages.count {
            #expect(trace.messages[turn.message + 1].role == .user, sourceLocation: sourceLocation)
        }
        if position > 0 {
            #expect(turn.message > trace.turns[position - 1].message, sourceLocation: sourceLocation)
        }
    }
    // Roles alternate after the system prompt: user, assistant, user, ...
    for (offset, message) in trace.messages.dropFirst().enumerated() {
        #expect(message.role == (offset % 2 == 0 ? .user : .assistant), sourceLocation: sourceLocation)
    }
}

/// What one trace is about: the question, the trace's role and the opening messages.
public struct AgentTask: Sendable {
    public var question: Question
    public var role: Trace.Role
    /// Which trace of the episode this is (0 for the gold trace); passed to the teacher.
    public var sample: Int
    /// The rendered system prompt (``TeacherPrompt/systemPrompt(datasetTitle:datasetDescription:dataOverview:expectedHooks:)``).
    public var systemPrompt: String
    /// The first user message (``TeacherPrompt/userMessage(question:role:)``).
    public var userMessage: String

    public init(question: Question, role: Trace.Role, sample: Int = 0, systemPrompt: String, userMessage: String) {
        self.question = question
        self.role = role
        self.sample = sample
        self.systemPrompt = systemPrompt
        self.userMessage = userMessage
    }
}

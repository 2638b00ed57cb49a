/// Why the program teacher cannot go on with a question.
public enum ProgramTeacherError: Error, Sendable, Equatable, CustomStringConvertible {
    case notATemplateQuestion(questionID: String)
    case unknownTemplate(questionID: String, template: String)
    case versionMismatch(questionID: String, template: String, recorded: String, current: String)
    case instantiationFailed(questionID: String, template: String, problem: String)
    case questionChanged(questionID: String, template: String)
    case noSteps(questionID: String, template: String)
    /// Step `step` (1-based) of the reference program failed when it ran.
    case stepFailed(questionID: String, step: Int, of: Int, kind: String, message: String)
    /// Every step ran and the loop still asked for a reply: the program submitted nothing that
    /// was accepted.
    case programEnded(questionID: String, steps: Int, lastMessage: String)

    public var description: String {
        switch self {
        case .notATemplateQuestion(let id):
            "question \(id): program teacher: only template questions have a program; found an LLM question"
        case .unknownTemplate(let id, let template):
            "question \(id): program teacher: no template has the id '\(template)'"
        case .versionMismatch(let id, let template, let recorded, let current):
            "question \(id): program teacher: template '\(template)' is at version '\(current)', the question was made by version '\(recorded)'"
        case .instantiationFailed(let id, let template, let problem):
            "question \(id): program teacher: template '\(template)' rejects the recorded parameters: \(problem)"
        case .questionChanged(let id, let template):
            "question \(id): program teacher: template '\(template)' now writes another question text for the recorded parameters; expected the recorded text"
        case .noSteps(let id, let template):
            "question \(id): program teacher: template '\(template)' has no program steps"
        case .stepFailed(let id, let step, let count, let kind, let message):
            "question \(id): program teacher: step \(step) of \(count) failed with \(kind): \(message)"
        case .programEnded(let id, let steps, let lastMessage):
            "question \(id): program teacher: all \(steps) steps ran but no answer was accepted; the loop's last message: \(lastMessage)"
        }
    }
}

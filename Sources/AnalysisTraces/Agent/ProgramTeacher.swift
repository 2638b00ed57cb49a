/// The deterministic teacher of the offline path: it solves a template question by replying
/// with the template's reference program, one step per reply, each step's reasoning followed by
/// its code in one ```python block.
///
/// It rebuilds the steps from the question's generator (`TemplateCatalog.template(id:)` and
/// `instantiate(parameters)`), after checking that the question is a template question, that
/// the template's version is the one recorded, and that the rebuilt question text is the
/// recorded text. Reply `n` is step `n`, where `n` is the number of turns already recorded, so
/// the teacher keeps no state. It never hides a failure: when the previous step's cell failed,
/// or the loop asks for more after the last step (no submission was accepted), it throws, and
/// the trace ends with end reason `error` and the problem stated, so the episode fails
/// verification and the template's bug shows.
public struct ProgramTeacher: Teacher {
    /// The version of the program teacher's reply format.
    public static let version = "program-v1"

    public let name = "program"
    /// `program-v1+<system prompt version>`: the reply format and the prompt the conversation
    /// opens with, which the stage renders from ``TeacherPrompt``.
    public let promptVersion: String
    private let templates: [any QuestionTemplate]

    /// A program teacher over `templates` (every template by default), for conversations that
    /// open with the system prompt `systemPromptVersion`.
    public init(systemPromptVersion: String = TeacherPrompt.currentVersion, templates: [any QuestionTemplate] = TemplateCatalog.all) {
        self.promptVersion = Self.version + "+" + systemPromptVersion
        self.templates = templates
    }

    public func reply(to conversation: [Message], context: TeacherContext) async throws -> TeacherReply {
        let question = context.question
        let steps = try instance(for: question).steps
        if let previous = context.turns.last, previous.execution.error != nil || previous.execution.timedOut {
            let kind = previous.execution.error?.kind ?? "timeout"
            let message = previous.execution.error?.message ?? "the cell ran past its time limit"
            throw ProgramTeacherError.stepFailed(questionID: question.id, step: previous.index + 1, of: steps.count, kind: kind, message: message)
        }
        let next = context.turns.count
        guard next < steps.count else {
            let feedback = conversation.last.map { String($0.content.prefix(300)) } ?? ""
            throw ProgramTeacherError.programEnded(questionID: question.id, steps: steps.count, lastMessage: feedback)
        }
        return TeacherReply(content: Self.replyText(steps[next]))
    }

    /// The reply for one step: its reasoning, a blank line, then its code in a python block.
    public static func replyText(_ step: ProgramStep) -> String {
        step.reasoning + "\n\n```python\n" + step.code + "\n```"
    }

    /// The template instance a question was made from.
    public func instance(for question: Question) throws(ProgramTeacherError) -> TemplateInstance {
        let generator = question.generator
        guard question.source == .template else { throw .notATemplateQuestion(questionID: question.id) }
        guard let template = templates.first(where: { $0.id == generator.name }) else {
            throw .unknownTemplate(questionID: question.id, template: generator.name)
        }
        guard template.version == generator.version else {
            throw .versionMismatch(questionID: question.id, template: generator.name, recorded: generator.version, current: template.version)
        }
        let instance: TemplateInstance
        do {
            instance = try template.instantiate(generator.parameters)
        } catch {
            throw .instantiationFailed(questionID: question.id, template: generator.name, problem: "\(error)")
        }
        guard instance.question == question.question else {
            throw .questionChanged(questionID: question.id, template: generator.name)
        }
        guard !instance.steps.isEmpty else { throw .noSteps(questionID: question.id, template: generator.name) }
        return instance
    }
}

/// The program teacher of a flawed or self-correcting trace: it replies with given steps, one
/// per turn, like ``ProgramTeacher``, and, for a self-correcting trace, writes the fix step's
/// reasoning from the executed hooks of the mistaken step and of the check (so it claims only
/// what the check's output shows).
struct MistakenProgramTeacher: Teacher {
    let name = "program"
    let promptVersion: String
    let steps: [ProgramStep]
    /// Self-correcting traces: the application, whose step is followed by the check and the fix.
    let recovery: MistakeApplication?

    func reply(to conversation: [Message], context: TeacherContext) async throws -> TeacherReply {
        let question = context.question
        if let previous = context.turns.last, !previous.execution.succeeded {
            let kind = previous.execution.error?.kind ?? "timeout"
            let message = previous.execution.error?.message ?? "the cell did not finish"
            throw ProgramTeacherError.stepFailed(questionID: question.id, step: previous.index + 1, of: steps.count, kind: kind, message: message)
        }
        let next = context.turns.count
        guard next < steps.count else {
            throw ProgramTeacherError.programEnded(questionID: question.id, steps: steps.count, lastMessage: conversation.last.map { String($0.content.prefix(300)) } ?? "")
        }
        var step = steps[next]
        if let recovery, next == recovery.step + 2 {
            guard let reasoning = SelfCorrection.fixReasoning(
                mistaken: context.turns[recovery.step], check: context.turns[recovery.step + 1],
                step: recovery.step, mistake: recovery.mistake, original: recovery.original) else {
                throw NegativeTraceProblem.checkShowedNothing
            }
            step.reasoning = reasoning
        }
        return TeacherReply(content: ProgramTeacher.replyText(step))
    }
}

/// Why a self-correcting trace could not be written.
enum NegativeTraceProblem: Error, CustomStringConvertible {
    case checkShowedNothing

    var description: String {
        switch self {
        case .checkShowedNothing: "the check's output shows no difference from the mistaken step, so the trace cannot claim one"
        }
    }
}

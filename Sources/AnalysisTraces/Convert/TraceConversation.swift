import Foundation

/// A trace read for conversion: the prompt the teacher saw (hint removed, host paths scrubbed)
/// and its replies in order, each either a step that ran code or an unusable reply.
public struct TraceConversation: Sendable {
    /// One assistant reply and the message the loop answered it with.
    public enum Step: Sendable {
        /// A reply whose code ran: the recorded turn, the reply verbatim, and the feedback
        /// message that followed (nil for the last reply of a trace, usually the submission).
        case code(turn: Turn, reply: String, feedback: String?)
        /// A reply that ran nothing (no or several code blocks) and the corrective message.
        case unusable(reply: String, correction: String?)
    }

    /// Why a trace cannot be converted.
    public enum Exclusion: String, Sendable, CaseIterable {
        /// The messages do not start with a system and a user message.
        case unexpectedLayout = "unexpected_layout"
        /// The hint is in the user message but not as the `\n\nHint: ...` suffix the teacher
        /// prompt adds, so it cannot be removed cleanly.
        case hintNotRemovable = "hint_not_removable"
        /// An assistant message quotes the hint, which would leak it into hint-free data.
        case hintQuoted = "hint_quoted"
        /// The trace has no step that ran code.
        case noCode = "no_code"
    }

    public var system: String
    /// The first user message without the hint.
    public var user: String
    public var steps: [Step]

    /// The code steps alone, in order.
    public var codeSteps: [(turn: Turn, reply: String, feedback: String?)] {
        steps.compactMap {
            if case .code(let turn, let reply, let feedback) = $0 { return (turn, reply, feedback) }
            return nil
        }
    }

    /// Reads `trace` of a question whose hint is `hint`; the failure names why it cannot be used.
    public static func read(_ trace: Trace, hint: String?, scrubber: HostPathScrubber) -> Result<TraceConversation, ExclusionError> {
        let messages = trace.messages
        guard messages.count >= 2, messages[0].role == .system, messages[1].role == .user else {
            return .failure(ExclusionError(.unexpectedLayout))
        }
        var user = messages[1].content
        let hintText = hint?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if !hintText.isEmpty, let hint {
            let suffix = "\n\nHint: " + hint
            if user.hasSuffix(suffix) {
                user = String(user.dropLast(suffix.count))
            }
            if user.contains(hintText) || messages[0].content.contains(hintText) {
                return .failure(ExclusionError(.hintNotRemovable))
            }
            if messages.dropFirst(2).contains(where: { $0.role == .assistant && ($0.content.contains(hintText) || ($0.reasoning ?? "").contains(hintText)) }) {
                return .failure(ExclusionError(.hintQuoted))
            }
        }
        let turnsByMessage = Dictionary(trace.turns.map { ($0.message, $0) }, uniquingKeysWith: { first, _ in first })
        var steps: [Step] = []
        var index = 2
        while index < messages.count {
            let message = messages[index]
            guard message.role == .assistant else {
                // A user message that answers no reply (never written by the loop): not a step.
                index += 1
                continue
            }
            let next = index + 1 < messages.count && messages[index + 1].role == .user ? messages[index + 1].content : nil
            let reply = scrubber.scrub(message.content)
            if let turn = turnsByMessage[index] {
                steps.append(.code(turn: scrubbed(turn, scrubber), reply: reply, feedback: next.map(scrubber.scrub)))
            } else {
                steps.append(.unusable(reply: reply, correction: next.map(scrubber.scrub)))
            }
            index += next == nil ? 1 : 2
        }
        let conversation = TraceConversation(system: scrubber.scrub(messages[0].content), user: scrubber.scrub(user), steps: steps)
        guard !conversation.codeSteps.isEmpty else { return .failure(ExclusionError(.noCode)) }
        return .success(conversation)
    }

    /// The turn with every text a row can show scrubbed of host paths.
    private static func scrubbed(_ turn: Turn, _ scrubber: HostPathScrubber) -> Turn {
        var turn = turn
        turn.reasoning = scrubber.scrub(turn.reasoning)
        turn.code = scrubber.scrub(turn.code)
        turn.execution.stdout = scrubber.scrub(turn.execution.stdout)
        turn.execution.stderr = scrubber.scrub(turn.execution.stderr)
        turn.execution.result = turn.execution.result.map(scrubber.scrub)
        if var error = turn.execution.error {
            error.message = scrubber.scrub(error.message)
            error.traceback = scrubber.scrub(error.traceback)
            turn.execution.error = error
        }
        return turn
    }

    /// The feedback after a code step: the recorded message, or for the last step (which the
    /// loop answers with nothing) the same text rendered from the recorded execution.
    public static func feedback(of turn: Turn, recorded: String?) -> String {
        recorded ?? AgentMessages.feedback(cell: turn.index + 1, execution: turn.execution, hooks: turn.hooks, notes: [])
    }
}

/// Why ``TraceConversation/read(_:hint:scrubber:)`` left a trace out.
public struct ExclusionError: Error, Sendable, Equatable {
    public var reason: TraceConversation.Exclusion

    public init(_ reason: TraceConversation.Exclusion) {
        self.reason = reason
    }
}

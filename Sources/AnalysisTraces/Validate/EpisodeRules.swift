import Foundation

/// The semantic rules on an episode, beyond what decoding, ids and hashes check: everything
/// recorded is recomputed from what the traces hold and compared, never trusted.
///
/// - `answer`: a verified episode's gold answer matches an accepted answer (ground truth) or
///   the majority group of the answers (triangulation), under the question's matcher.
/// - `submission`: a trace's answer is the last answer submitted in its turns, and a trace that
///   ended by submitting has one.
/// - `verification`: ground truth episodes are re-verified with ``GroundTruthVerifier`` and the
///   verdict, vote groups, agreement and entropy compared; triangulation episodes have their vote
///   groups re-tallied with ``VoteTally`` and the quorum rule of <doc:Verification> (at least two
///   traces and more than half of those that submitted, the gold answer among them) applied to
///   the recorded groups.
/// - `grounding`: every hook's `grounded` flag is recomputed with ``ExecutedCode`` from the code
///   the trace ran, and every hook of a verified trace must be grounded.
/// - `turns`, `messages`, `feedback`: turns are numbered 0... without gaps and ran code; each
///   points at an assistant message whose one code block (``ReplyParser``) is its code; the user
///   message after it begins with the feedback ``AgentMessages`` renders from the recorded
///   execution and hooks (the recorded execution is the capped one, so the truncation marker
///   comes out the same).
/// - `flawed`, `recovery`: the flawed and self-correcting traces (see ``NegativeRules``).
/// - `hint-leak`, `prompt`: the hint is in neither the question text nor a consistency trace's
///   user message; the gold trace's user message is ``TeacherPrompt/userMessage(question:role:)``.
enum EpisodeRules {
    typealias Problem = RecordRules.Problem

    static func check(_ episode: Episode) -> [Problem] {
        var problems: [Problem] = []
        problems += hintLeaks(episode)
        for (t, trace) in episode.traces.enumerated() {
            problems += turnProblems(trace, t)
            problems += messageProblems(trace, t)
            problems += feedbackProblems(trace, t)
            problems += submissionProblems(trace, t)
            problems += promptProblems(trace, t, question: episode.question)
        }
        let outcome = verificationProblems(episode)
        problems += outcome.problems
        problems += groundingProblems(episode, verifiedTraces: outcome.verifiedTraces)
        problems += NegativeRules.check(episode)
        return problems
    }

    // MARK: Turns and messages

    static func turnProblems(_ trace: Trace, _ t: Int) -> [Problem] {
        var problems: [Problem] = []
        for (position, turn) in trace.turns.enumerated() {
            if turn.index != position {
                problems.append((ValidationRule.turns.rawValue, "'traces[\(t)].turns[\(position)].index' must count from 0 without gaps; expected \(position), found \(turn.index)"))
            }
            if turn.code.trimmingWhitespace().isEmpty {
                problems.append((ValidationRule.turns.rawValue, "'traces[\(t)].turns[\(position)].code' is empty; every turn runs code"))
            }
        }
        return problems
    }

    static func messageProblems(_ trace: Trace, _ t: Int) -> [Problem] {
        let rule = ValidationRule.messages.rawValue
        var problems: [Problem] = []
        let messages = trace.messages
        if messages.count < 2 || messages[0].role != .system || messages[1].role != .user {
            let found = messages.prefix(2).map { "'\($0.role.rawValue)'" }.joined(separator: ", ")
            problems.append((rule, "'traces[\(t)].messages' must open with a system and a user message; found [\(found)]"))
        }
        var previous: Int?
        for (position, turn) in trace.turns.enumerated() {
            let path = "traces[\(t)].turns[\(position)].message"
            guard messages.indices.contains(turn.message) else {
                problems.append((rule, "'\(path)' is \(turn.message); expected the index of an assistant message, and the trace has \(messages.count) messages"))
                continue
            }
            if let previous, turn.message <= previous {
                problems.append((rule, "'\(path)' is \(turn.message); turns must point at later messages than the turn before (\(previous))"))
            }
            previous = turn.message
            let message = messages[turn.message]
            guard message.role == .assistant else {
                problems.append((rule, "'\(path)' points at a '\(message.role.rawValue)' message; expected an assistant message"))
                continue
            }
            // An empty turn is reported under `turns`; its message cannot hold an empty block.
            guard !turn.code.trimmingWhitespace().isEmpty else { continue }
            switch ReplyParser.parse(message.content) {
            case .step(_, let code) where code == turn.code:
                break
            case .step(_, let code):
                problems.append((rule, "the code block of 'traces[\(t)].messages[\(turn.message)]' is not the code of turn \(position); \(TextDifference.describe(expected: turn.code, found: code))"))
            case .malformed(let problem):
                problems.append((rule, "'traces[\(t)].messages[\(turn.message)]', the message of turn \(position), cannot be run: \(problem); expected one python block holding the turn's code"))
            }
        }
        return problems
    }

    static func feedbackProblems(_ trace: Trace, _ t: Int) -> [Problem] {
        var problems: [Problem] = []
        for (position, turn) in trace.turns.enumerated() {
            let next = turn.message + 1
            guard trace.messages.indices.contains(turn.message), trace.messages.indices.contains(next) else { continue }
            let message = trace.messages[next]
            let path = "traces[\(t)].messages[\(next)]"
            guard message.role == .user else {
                problems.append((ValidationRule.feedback.rawValue, "'\(path)' follows turn \(position) but is a '\(message.role.rawValue)' message; expected the user message with the cell's feedback"))
                continue
            }
            // The loop appends notes (answer not accepted, hooks wanted, last turn) as further
            // paragraphs; the rendered execution and hooks must come first, exactly.
            let expected = AgentMessages.feedback(cell: position + 1, execution: turn.execution, hooks: turn.hooks, notes: [])
            if message.content != expected && !message.content.hasPrefix(expected + "\n\n") {
                problems.append((ValidationRule.feedback.rawValue, "'\(path)' is not the feedback rendered from turn \(position)'s recorded execution and hooks; \(TextDifference.describe(expected: expected, found: message.content))"))
            }
        }
        return problems
    }

    static func submissionProblems(_ trace: Trace, _ t: Int) -> [Problem] {
        let rule = ValidationRule.submission.rawValue
        let last = trace.turns.last(where: { $0.submission != nil })?.submission
        if trace.endReason == .submitted && trace.answer == nil {
            return [(rule, "'traces[\(t)].answer' is null, but the trace ended by submitting; expected the accepted answer")]
        }
        guard trace.answer != last else { return [] }
        let found = trace.answer.map { AnswerMatcher.describe($0.value) } ?? "null"
        let expected = last.map { AnswerMatcher.describe($0.value) } ?? "null (no turn submitted)"
        return [(rule, "'traces[\(t)].answer' is not the last answer submitted in its turns; expected \(expected), found \(found)")]
    }

    static func promptProblems(_ trace: Trace, _ t: Int, question: Question) -> [Problem] {
        guard trace.role == .gold, let user = firstUserMessage(trace) else { return [] }
        let expected = TeacherPrompt.userMessage(question: question, role: .gold)
        guard user.content != expected else { return [] }
        return [(ValidationRule.prompt.rawValue, "the user message of the gold trace 'traces[\(t)]' is not the question as the teacher prompt renders it; \(TextDifference.describe(expected: expected, found: user.content))")]
    }

    static func hintLeaks(_ episode: Episode) -> [Problem] {
        guard let hint = episode.question.hint else { return [] }
        let needle = comparable(hint)
        guard !needle.isEmpty else { return [] }
        var problems: [Problem] = []
        if comparable(episode.question.question).contains(needle) {
            problems.append((ValidationRule.hintLeak.rawValue, "'question.question' contains the hint; the question must be answerable without it, and consistency traces are asked the question alone"))
        }
        for (t, trace) in episode.traces.enumerated() where trace.role == .consistency {
            if let user = firstUserMessage(trace), comparable(user.content).contains(needle) {
                problems.append((ValidationRule.hintLeak.rawValue, "the user message of the consistency trace 'traces[\(t)]' contains the hint; consistency traces must solve the question without it"))
            }
        }
        return problems
    }

    /// White space collapsed and case folded, so that a hint re-wrapped or re-cased still shows.
    private static func comparable(_ text: String) -> String {
        ExecutedCode.normalize(text).folding(options: [.caseInsensitive], locale: nil)
    }

    private static func firstUserMessage(_ trace: Trace) -> Message? {
        trace.messages.first(where: { $0.role == .user })
    }

    // MARK: Grounding

    /// Recomputes each hook's grounding as the loop does: a cell's code counts once it ran
    /// (a cell that failed to parse ran nothing), and a hook may point at its own cell.
    static func groundingProblems(_ episode: Episode, verifiedTraces: Set<Int>) -> [Problem] {
        let rule = ValidationRule.grounding.rawValue
        var problems: [Problem] = []
        for (t, trace) in episode.traces.enumerated() {
            var executed = ExecutedCode()
            for (i, turn) in trace.turns.enumerated() {
                if turn.execution.error?.kind != "syntax" { executed.add(turn.code) }
                for (h, hook) in turn.hooks.enumerated() {
                    let grounded = executed.grounds(hook.codeLine)
                    let path = "traces[\(t)].turns[\(i)].hooks[\(h)]"
                    if !grounded && verifiedTraces.contains(t) {
                        let claim = hook.grounded ? " (its 'grounded' flag says it is)" : ""
                        problems.append((rule, "hook '\(hook.name)' ('\(path)') of a verified trace is not grounded\(claim): its code_line is not a line of code the trace ran; found \(quoted(hook.codeLine))"))
                    } else if grounded != hook.grounded {
                        problems.append((rule, grounded
                            ? "'\(path).grounded' is false, but its code_line is a line of code the trace ran"
                            : "'\(path).grounded' is true, but its code_line is not a line of code the trace ran; found \(quoted(hook.codeLine))"))
                    }
                }
            }
        }
        return problems
    }

    // MARK: Verification

    struct VerificationOutcome {
        var problems: [Problem] = []
        /// The traces whose answer is the verified one (empty when the episode is not verified).
        var verifiedTraces: Set<Int> = []
    }

    static func verificationProblems(_ episode: Episode) -> VerificationOutcome {
        switch episode.verification.method {
        case .groundTruth: groundTruthProblems(episode)
        case .triangulation: triangulationProblems(episode)
        }
    }

    static func goldIndex(_ episode: Episode) -> Int? {
        episode.traces.firstIndex(where: { $0.role == .gold }) ?? episode.traces.indices.first
    }

    private static func groundTruthProblems(_ episode: Episode) -> VerificationOutcome {
        var outcome = VerificationOutcome()
        let recorded = episode.verification
        let question = episode.question
        guard let truth = question.groundTruth else {
            outcome.problems.append((ValidationRule.verification.rawValue, "'verification.method' is 'ground_truth', but 'question.ground_truth' is null; expected 'triangulation' for a question without ground truth"))
            return outcome
        }
        let verifier = GroundTruthVerifier()
        let recomputed = verifier.verify(question: question, traces: episode.traces.filter(\.role.isAttempt))
        var answerWrong = false
        if recorded.verified, let gold = goldIndex(episode) {
            if let answer = episode.traces[gold].answer {
                if case .differs(let mismatch) = verifier.check(answer.value, against: truth, schema: question.outputSchema) {
                    answerWrong = true
                    outcome.problems.append((ValidationRule.answer.rawValue, "the episode is verified, but the gold answer matches none of the \(GroundTruthVerifier.accepted(truth).count) accepted answers, \(mismatch)"))
                }
            } else {
                answerWrong = true
                outcome.problems.append((ValidationRule.answer.rawValue, "the episode is verified, but the gold trace 'traces[\(gold)]' has no answer"))
            }
        }
        if recorded.verified != recomputed.verified && !answerWrong {
            outcome.problems.append((ValidationRule.verification.rawValue, "'verification.verified' is \(recorded.verified), but re-verifying the gold trace against the ground truth gives \(recomputed.verified): \(recomputed.reason)"))
        }
        outcome.problems += tallyProblems(recorded: recorded, expected: recomputed.votes, agreement: recomputed.agreement, entropy: recomputed.entropy, labelled: true)
        if recorded.verified && recomputed.verified {
            for (t, trace) in episode.traces.enumerated() where trace.endReason == .submitted && trace.role.isAttempt {
                guard let answer = trace.answer else { continue }
                if case .matches = verifier.check(answer.value, against: truth, schema: question.outputSchema) {
                    outcome.verifiedTraces.insert(t)
                }
            }
        }
        return outcome
    }

    private static func triangulationProblems(_ episode: Episode) -> VerificationOutcome {
        var outcome = VerificationOutcome()
        let recorded = episode.verification
        let rule = ValidationRule.verification.rawValue
        let matcher = AnswerMatcher(schema: episode.question.outputSchema)
        let tally = VoteTally(traces: episode.traces.filter(\.role.isAttempt), matcher: matcher)
        let gold = goldIndex(episode)

        var answerWrong = false
        if recorded.verified, let gold {
            if let answer = episode.traces[gold].answer {
                if let majority = tally.groups.first, !majority.traces.contains(gold) {
                    answerWrong = true
                    let mismatch = matcher.mismatch(answer.value, majority.answer.value).map { ", \($0)" } ?? ""
                    outcome.problems.append((ValidationRule.answer.rawValue, "the episode is verified, but the gold answer is not in the majority group of \(majority.traces.count) of \(tally.submitted) answers\(mismatch)"))
                }
            } else {
                answerWrong = true
                outcome.problems.append((ValidationRule.answer.rawValue, "the episode is verified, but the gold trace 'traces[\(gold)]' has no answer"))
            }
        }

        // The quorum rule (see <doc:Verification>), applied to the recorded vote groups.
        let submitted = recorded.votes.reduce(0) { $0 + $1.traces.count }
        let goldGroup = gold.flatMap { index in recorded.votes.first(where: { $0.traces.contains(index) }) }
        let size = goldGroup?.traces.count ?? 0
        let quorum = size >= 2 && 2 * size > submitted
        if recorded.verified != quorum && !answerWrong {
            let detail = goldGroup == nil
                ? "the gold trace is in no vote group"
                : "the gold answer's group holds \(size) of \(submitted) answers, and a quorum needs at least 2 and more than half"
            outcome.problems.append((rule, "'verification.verified' is \(recorded.verified), but the quorum rule on the recorded vote groups gives \(quorum): \(detail)"))
        }
        for (v, group) in recorded.votes.enumerated() where group.matchesGroundTruth != nil {
            outcome.problems.append((rule, "'verification.votes[\(v)].matches_ground_truth' must be null under triangulation; found \(group.matchesGroundTruth == true)"))
        }
        outcome.problems += tallyProblems(recorded: recorded, expected: tally.groups, agreement: tally.agreement, entropy: tally.entropy, labelled: false)
        if recorded.verified && quorum, let goldGroup {
            outcome.verifiedTraces = Set(goldGroup.traces)
        }
        return outcome
    }

    /// The recorded vote groups, agreement and entropy against the recomputed ones.
    private static func tallyProblems(recorded: Verification, expected: [VoteGroup], agreement: Double?, entropy: Double?, labelled: Bool) -> [Problem] {
        let rule = ValidationRule.verification.rawValue
        var problems: [Problem] = []
        let found = recorded.votes.map { VoteKey($0, labelled: labelled) }
        let wanted = expected.map { VoteKey($0, labelled: labelled) }
        if found != wanted {
            problems.append((rule, "'verification.votes' are not the traces' answers grouped by the matcher; expected \(VoteKey.describe(wanted)), found \(VoteKey.describe(found))"))
        }
        if !closeEnough(recorded.agreement, agreement) {
            problems.append((rule, "'verification.agreement' is not the largest group's share of the answers; expected \(describe(agreement)), found \(describe(recorded.agreement))"))
        }
        if !closeEnough(recorded.entropy, entropy) {
            problems.append((rule, "'verification.entropy' is not the entropy of the vote groups; expected \(describe(entropy)), found \(describe(recorded.entropy))"))
        }
        return problems
    }

    /// What identifies a vote group: its traces, its answer and (under ground truth) its label.
    private struct VoteKey: Equatable {
        var traces: [Int]
        var sha256: String
        var label: Bool?

        init(_ group: VoteGroup, labelled: Bool) {
            traces = group.traces
            sha256 = group.answer.sha256
            label = labelled ? group.matchesGroundTruth : nil
        }

        static func describe(_ keys: [VoteKey]) -> String {
            "[" + keys.map { key in
                "traces \(key.traces)" + (key.label.map { $0 ? " (matches)" : " (differs)" } ?? "")
            }.joined(separator: ", ") + "]"
        }
    }

    private static func closeEnough(_ a: Double?, _ b: Double?) -> Bool {
        switch (a, b) {
        case (nil, nil): true
        case (let x?, let y?): abs(x - y) <= 1e-9 * max(1, abs(x), abs(y))
        default: false
        }
    }

    private static func describe(_ value: Double?) -> String {
        value.map { CanonicalJSON.string(.double($0)) } ?? "null"
    }

    private static func quoted(_ text: String) -> String {
        AnswerMatcher.describe(.string(text))
    }
}

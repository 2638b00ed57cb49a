/// Verifies LLM questions, which have no ground truth, by agreement (see <doc:Verification>): one gold
/// trace written with the hint and N consistency traces written without it answer the same
/// question independently, and the episode is verified when a quorum of them agrees and the
/// gold answer is in that quorum.
///
/// The rules, in the order they are checked:
/// 1. Only accepted answers vote: a trace votes when it ended by submitting (`end_reason`
///    `submitted`). A trace that ended by the turn limit, the time budget, malformed replies or
///    an error has at most an answer the loop did not accept, and an unaccepted answer is no
///    evidence, so it neither votes nor counts among the traces that submitted.
/// 2. The gold trace (the first whose role is `gold`, else the first) must have submitted.
/// 3. At least two traces must have submitted: a quorum of one verifies nothing.
/// 4. Answers are grouped by ``VoteTally`` with the question's ``AnswerMatcher`` (gold first, so
///    the gold answer anchors its group). The two largest groups must not tie.
/// 5. The largest group must be a quorum: at least two traces, and more than half of the
///    traces that submitted.
/// 6. The gold answer must be in the largest group.
///
/// The record stores `method: triangulation`, the vote groups of the accepted answers (largest
/// first; `matches_ground_truth` null), the agreement ratio and entropy over the traces that
/// submitted, and one sentence saying which rule decided. An unverified episode is still an
/// episode: the stage keeps it with `verified: false`.
public struct TriangulationVerifier: Sendable {
    public init() {}

    /// What decided the verdict, with the counts the reason sentence names.
    public enum Outcome: Sendable, Equatable {
        /// The gold answer is in a quorum of `agreeing` of `submitted` traces.
        case verified(agreeing: Int, submitted: Int)
        case noTrace
        /// The gold trace ended without an accepted answer; `submitted` other traces did.
        case goldDidNotSubmit(endReason: Trace.EndReason, error: String?, submitted: Int, others: Int)
        /// Only the gold trace submitted, of `traces`.
        case quorumOfOne(traces: Int)
        /// The two largest groups have `size` traces each.
        case tie(size: Int, submitted: Int)
        /// The largest group, of `largest` traces, is not a quorum.
        case noQuorum(largest: Int, submitted: Int)
        /// A quorum of `majority` traces agrees on an answer the gold trace does not share.
        case goldOutsideMajority(majority: Int, submitted: Int, majorityAnswer: AnswerValue, goldAnswer: AnswerValue, difference: AnswerMismatch?)

        public var verified: Bool {
            if case .verified = self { return true }
            return false
        }

        /// A short name for summaries and run logs: `verified`, `no_trace`, `gold_<end reason>`,
        /// `quorum_of_one`, `tie`, `no_quorum`, `gold_outside_majority`.
        public var kind: String {
            switch self {
            case .verified: "verified"
            case .noTrace: "no_trace"
            case .goldDidNotSubmit(let endReason, _, _, _): "gold_\(endReason.rawValue)"
            case .quorumOfOne: "quorum_of_one"
            case .tie: "tie"
            case .noQuorum: "no_quorum"
            case .goldOutsideMajority: "gold_outside_majority"
            }
        }

        /// The verdict in one sentence.
        public var reason: String {
            switch self {
            case .verified(let agreeing, let submitted):
                return "The gold trace's answer is in a quorum of \(agreeing) of the \(submitted) traces that submitted an accepted answer."
            case .noTrace:
                return "The episode has no trace."
            case .goldDidNotSubmit(let endReason, let error, let submitted, let others):
                let detail = error.map { ": \($0)" } ?? ""
                return "The gold trace ended without an accepted answer (\(endReason.rawValue)\(detail)); \(submitted) of the \(others) other \(others == 1 ? "trace" : "traces") submitted one."
            case .quorumOfOne(let traces):
                let others = traces - 1
                return "Only the gold trace submitted an accepted answer (none of the \(others) other \(others == 1 ? "trace" : "traces") did), and a quorum of one verifies nothing."
            case .tie(let size, let submitted):
                return "No quorum: the two largest answer groups tie with \(size) \(size == 1 ? "trace" : "traces") each, of the \(submitted) traces that submitted an accepted answer."
            case .noQuorum(let largest, let submitted):
                return "No quorum: the largest answer group has \(largest) of the \(submitted) traces that submitted an accepted answer; a quorum needs at least two and more than half."
            case .goldOutsideMajority(let majority, let submitted, let majorityAnswer, let goldAnswer, let difference):
                let how = difference.map { ", \($0)" } ?? ""
                return "A quorum of \(majority) of the \(submitted) traces that submitted agrees on \(AnswerMatcher.describe(majorityAnswer.value)), but the gold trace's answer \(AnswerMatcher.describe(goldAnswer.value)) is not in it\(how)."
            }
        }
    }

    /// The vote groups of the accepted answers of `traces` and the outcome of the rules.
    public func judge(question: Question, traces: [Trace]) -> (tally: VoteTally, outcome: Outcome) {
        let matcher = AnswerMatcher(schema: question.outputSchema)
        // Unaccepted answers do not vote; keep every trace so group indices stay episode indices.
        let voters = traces.map { trace in
            var voter = trace
            if voter.endReason != .submitted { voter.answer = nil }
            return voter
        }
        let tally = VoteTally(traces: voters, matcher: matcher)
        guard let goldIndex = traces.firstIndex(where: { $0.role == .gold }) ?? traces.indices.first else {
            return (tally, .noTrace)
        }
        guard let goldAnswer = voters[goldIndex].answer else {
            let gold = traces[goldIndex]
            return (tally, .goldDidNotSubmit(endReason: gold.endReason, error: gold.error, submitted: tally.submitted, others: traces.count - 1))
        }
        guard tally.submitted >= 2, let largest = tally.groups.first else {
            return (tally, .quorumOfOne(traces: traces.count))
        }
        if tally.groups.count >= 2, tally.groups[1].traces.count == largest.traces.count {
            return (tally, .tie(size: largest.traces.count, submitted: tally.submitted))
        }
        guard largest.traces.count >= 2, 2 * largest.traces.count > tally.submitted else {
            return (tally, .noQuorum(largest: largest.traces.count, submitted: tally.submitted))
        }
        guard largest.traces.contains(goldIndex) else {
            return (tally, .goldOutsideMajority(
                majority: largest.traces.count, submitted: tally.submitted, majorityAnswer: largest.answer,
                goldAnswer: goldAnswer, difference: matcher.mismatch(goldAnswer.value, largest.answer.value)))
        }
        return (tally, .verified(agreeing: largest.traces.count, submitted: tally.submitted))
    }

    /// The verification record of an episode of `question` made of `traces` (gold first).
    public func verify(question: Question, traces: [Trace]) -> Verification {
        let (tally, outcome) = judge(question: question, traces: traces)
        return Verification(
            method: .triangulation, verified: outcome.verified, votes: tally.groups,
            agreement: tally.agreement, entropy: tally.entropy, reason: outcome.reason)
    }
}

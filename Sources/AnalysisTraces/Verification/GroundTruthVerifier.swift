/// Verifies template questions: the gold trace's answer must match one of the question's
/// accepted answers under the question's output schema (see <doc:Verification>).
///
/// The verdict depends on the gold trace alone (the first trace whose role is `gold`, else the
/// first trace): it is verified when that trace ended by submitting (`end_reason` `submitted`)
/// and its answer matches an accepted answer. Every other trace still votes in the histogram,
/// and each vote group says whether its answer matches the ground truth.
public struct GroundTruthVerifier: Sendable {
    public init() {}

    /// How one answer compares with a question's ground truth.
    public enum Verdict: Sendable, Equatable {
        /// Matches `GroundTruth.accepted[index]`.
        case matches(index: Int)
        /// Matches none; the difference from the reference answer (`accepted[0]`).
        case differs(AnswerMismatch)
    }

    /// Compares `answer` with each accepted answer in order.
    public func check(_ answer: JSONValue, against groundTruth: GroundTruth, schema: AnswerSchema) -> Verdict {
        let matcher = AnswerMatcher(schema: schema)
        let accepted = Self.accepted(groundTruth)
        var first: AnswerMismatch?
        for (index, candidate) in accepted.enumerated() {
            guard let problem = matcher.mismatch(answer, candidate.value) else { return .matches(index: index) }
            if first == nil { first = problem }
        }
        return .differs(first ?? AnswerMismatch(path: "$", problem: "the ground truth accepts no answer"))
    }

    /// The verification record of an episode of `question` made of `traces` (gold first).
    public func verify(question: Question, traces: [Trace]) -> Verification {
        let matcher = AnswerMatcher(schema: question.outputSchema)
        let groundTruth = question.groundTruth
        let tally = VoteTally(traces: traces, matcher: matcher, matchesGroundTruth: groundTruth.map { truth in
            { answer in
                if case .matches = check(answer.value, against: truth, schema: question.outputSchema) { return true }
                return false
            }
        })
        func record(_ verified: Bool, _ reason: String) -> Verification {
            Verification(method: .groundTruth, verified: verified, votes: tally.groups, agreement: tally.agreement, entropy: tally.entropy, reason: reason)
        }
        guard let groundTruth else {
            return record(false, "The question has no ground truth to verify against.")
        }
        guard let goldIndex = traces.firstIndex(where: { $0.role == .gold }) ?? traces.indices.first else {
            return record(false, "The episode has no trace.")
        }
        let gold = traces[goldIndex]
        guard let answer = gold.answer else {
            let detail = gold.error.map { ": \($0)" } ?? ""
            return record(false, "The gold trace ended without an answer (\(gold.endReason.rawValue))\(detail).")
        }
        switch check(answer.value, against: groundTruth, schema: question.outputSchema) {
        case .matches(let index):
            let accepted = Self.accepted(groundTruth).count
            guard gold.endReason == .submitted else {
                return record(false, "The gold trace's last submission matches the ground truth, but the trace ended by \(gold.endReason.rawValue), not by an accepted submission.")
            }
            let which = accepted == 1 ? "the ground truth" : "accepted answer \(index + 1) of \(accepted)"
            return record(true, "The gold trace's answer matches \(which).")
        case .differs(let problem):
            return record(false, "The gold trace's answer does not match the ground truth, \(problem).")
        }
    }

    /// `accepted`, or the reference value alone when a question lists no accepted answers.
    static func accepted(_ groundTruth: GroundTruth) -> [AnswerValue] {
        groundTruth.accepted.isEmpty ? [AnswerValue(groundTruth.value)] : groundTruth.accepted
    }
}

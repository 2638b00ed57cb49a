/// What is known about an episode's traces: whether the right answer is known at all, which
/// traces reached it, and which trace the others' hooks are compared with.
///
/// The right answer is known for a question with ground truth (verification by ground truth,
/// whatever the gold trace did) and for a verified triangulation (the gold trace's vote group).
/// An unverified triangulation knows nothing: its traces go into no labelled format.
public struct EpisodeOutcome: Sendable, Equatable {
    /// Whether the right answer is known.
    public var truthKnown: Bool
    /// Per trace (same indices as `Episode.traces`): ended by submitting an answer that is right.
    public var correct: [Bool]
    /// The trace whose hooks are the reference for step labels: the gold trace when it is
    /// correct, else the first correct trace; nil when no trace is correct.
    public var reference: Int?
    /// The right answer as a value (the ground truth's reference value, or the verified majority).
    public var answer: JSONValue?
    /// Every answer that counts as right (ground truth: the accepted answers; triangulation: the
    /// verified answer alone).
    public var acceptedAnswers: [JSONValue]

    public init(episode: Episode) {
        let traces = episode.traces
        let gold = traces.firstIndex(where: { $0.role == .gold }) ?? (traces.isEmpty ? nil : 0)
        var correct = [Bool](repeating: false, count: traces.count)
        switch episode.verification.method {
        case .groundTruth:
            if let truth = episode.question.groundTruth {
                let verifier = GroundTruthVerifier()
                for (index, trace) in traces.enumerated() {
                    guard trace.endReason == .submitted, let answer = trace.answer else { continue }
                    if case .matches = verifier.check(answer.value, against: truth, schema: episode.question.outputSchema) {
                        correct[index] = true
                    }
                }
                truthKnown = true
                answer = truth.value
                acceptedAnswers = truth.accepted.isEmpty ? [truth.value] : truth.accepted.map(\.value)
            } else {
                truthKnown = false
                answer = nil
                acceptedAnswers = []
            }
        case .triangulation:
            if episode.verification.verified, let gold, let goldAnswer = traces[gold].answer,
               let group = episode.verification.votes.first(where: { $0.traces.contains(gold) }) {
                for index in group.traces where traces.indices.contains(index) {
                    correct[index] = traces[index].endReason == .submitted && traces[index].answer != nil
                }
                truthKnown = true
                answer = goldAnswer.value
                acceptedAnswers = [goldAnswer.value]
            } else {
                truthKnown = false
                answer = nil
                acceptedAnswers = []
            }
        }
        self.correct = correct
        if let gold, correct[gold] {
            reference = gold
        } else {
            reference = correct.firstIndex(of: true)
        }
    }

    /// Whether `value` is one of the right answers under the question's schema.
    public func isRight(_ value: JSONValue, schema: AnswerSchema) -> Bool {
        let matcher = AnswerMatcher(schema: schema)
        return acceptedAnswers.contains { matcher.matches(value, $0) }
    }
}

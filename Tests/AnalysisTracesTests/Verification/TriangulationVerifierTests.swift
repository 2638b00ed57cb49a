import Testing
@testable import AnalysisTraces

@Suite struct TriangulationVerifierTests {
    static let question = Question(
        id: "q_llm", datasetID: "fixture", datasetSHA256: String(repeating: "0", count: 64), source: .llm,
        question: "What is the mean body mass, rounded to 1 decimal?", hint: "Use the body_mass_g column.",
        difficulty: .medium, expectedSteps: 2, outputSchema: .number(decimals: 1), groundTruth: nil,
        generator: QuestionGenerator(name: "llm", version: "1", parameters: .object([]), program: nil, exploration: nil))

    /// A trace that ended `end` with `answer` (nil: none).
    static func trace(_ answer: Double?, _ end: Trace.EndReason = .submitted, role: Trace.Role = .consistency, error: String? = nil) -> Trace {
        Trace(role: role, messages: [], turns: [], answer: answer.map { AnswerValue(.double($0)) }, endReason: end, error: error, usage: .zero)
    }

    /// Gold first, then consistency traces.
    static func traces(_ gold: Double?, _ others: Double?..., goldEnd: Trace.EndReason = .submitted) -> [Trace] {
        [trace(gold, goldEnd, role: .gold)] + others.map { trace($0, $0 == nil ? .maxTurns : .submitted) }
    }

    func verify(_ traces: [Trace]) -> (Verification, TriangulationVerifier.Outcome) {
        let verifier = TriangulationVerifier()
        return (verifier.verify(question: Self.question, traces: traces), verifier.judge(question: Self.question, traces: traces).outcome)
    }

    @Test func verifiesWhenTheGoldAnswerIsInAQuorum() {
        // 4201.9 and 4201.94 agree at one decimal; 4300 does not.
        let (verification, outcome) = verify(Self.traces(4201.9, 4201.94, 4300, 4201.88))
        #expect(verification.method == .triangulation)
        #expect(verification.verified)
        #expect(outcome == .verified(agreeing: 3, submitted: 4))
        #expect(verification.votes.map(\.traces) == [[0, 1, 3], [2]])
        #expect(verification.votes.allSatisfy { $0.matchesGroundTruth == nil })
        #expect(verification.agreement == 0.75)
        #expect(abs((verification.entropy ?? -1) - 0.8112781244591328) < 1e-12)
        #expect(verification.reason == "The gold trace's answer is in a quorum of 3 of the 4 traces that submitted an accepted answer.")
    }

    @Test func twoAgreeingTracesOfTwoAreAQuorum() {
        let (verification, outcome) = verify(Self.traces(1.0, 1.0))
        #expect(verification.verified)
        #expect(outcome == .verified(agreeing: 2, submitted: 2))
        #expect(verification.agreement == 1)
        #expect(verification.entropy == 0)
    }

    @Test func noQuorumWhenTheLargestGroupIsHalfOrLess() {
        // Groups of 2, 1 and 1 among 4: the largest is half, not more than half.
        let (verification, outcome) = verify(Self.traces(1.0, 1.0, 2.0, 3.0))
        #expect(!verification.verified)
        #expect(outcome == .noQuorum(largest: 2, submitted: 4))
        #expect(outcome.kind == "no_quorum")
        #expect(verification.reason == "No quorum: the largest answer group has 2 of the 4 traces that submitted an accepted answer; a quorum needs at least two and more than half.")
    }

    @Test func aTieBetweenTheTwoLargestGroupsIsNoQuorum() {
        let (verification, outcome) = verify(Self.traces(1.0, 1.0, 2.0, 2.0))
        #expect(!verification.verified)
        #expect(outcome == .tie(size: 2, submitted: 4))
        #expect(verification.votes.map(\.traces) == [[0, 1], [2, 3]], "gold's group first among equals")
        #expect(verification.reason.hasPrefix("No quorum: the two largest answer groups tie with 2 traces each"))
    }

    @Test func everyAnswerDifferentIsATieOfOnes() {
        let (verification, outcome) = verify(Self.traces(1.0, 2.0, 3.0))
        #expect(!verification.verified)
        #expect(outcome == .tie(size: 1, submitted: 3))
        #expect(verification.agreement == 1.0 / 3.0)
    }

    @Test func aQuorumOfOneVerifiesNothing() {
        let (verification, outcome) = verify(Self.traces(1.0, nil, nil))
        #expect(!verification.verified)
        #expect(outcome == .quorumOfOne(traces: 3))
        #expect(outcome.kind == "quorum_of_one")
        #expect(verification.agreement == 1)
        #expect(verification.votes.map(\.traces) == [[0]])
        #expect(verification.reason == "Only the gold trace submitted an accepted answer (none of the 2 other traces did), and a quorum of one verifies nothing.")
    }

    @Test func theGoldTraceAloneIsAQuorumOfOne() {
        let (_, outcome) = verify(Self.traces(1.0))
        #expect(outcome == .quorumOfOne(traces: 1))
    }

    @Test func goldOutsideTheMajorityIsNotVerified() {
        let (verification, outcome) = verify(Self.traces(9.0, 1.0, 1.0, 1.0))
        #expect(!verification.verified)
        #expect(outcome.kind == "gold_outside_majority")
        #expect(verification.votes.map(\.traces) == [[1, 2, 3], [0]])
        #expect(verification.agreement == 0.75)
        #expect(verification.reason.hasPrefix("A quorum of 3 of the 4 traces that submitted agrees on 1, but the gold trace's answer 9 is not in it, at $:"))
    }

    @Test func aGoldTraceThatDidNotSubmitIsNotVerifiedEvenWhenTheOthersAgree() {
        var traces = Self.traces(7.0, 1.0, 1.0, goldEnd: .maxTurns)
        traces[0].error = nil
        let (verification, outcome) = verify(traces)
        #expect(!verification.verified)
        #expect(outcome.kind == "gold_max_turns")
        #expect(verification.votes.map(\.traces) == [[1, 2]], "an unaccepted answer does not vote")
        #expect(verification.reason == "The gold trace ended without an accepted answer (max_turns); 2 of the 2 other traces submitted one.")
    }

    @Test func aGoldTraceThatFailedSaysWhy() {
        let traces = [Self.trace(nil, .error, role: .gold, error: "the teacher 'm' failed: boom"), Self.trace(1.0), Self.trace(1.0)]
        let (verification, outcome) = verify(traces)
        #expect(!verification.verified)
        #expect(outcome.kind == "gold_error")
        #expect(verification.reason.contains("(error: the teacher 'm' failed: boom)"))
    }

    @Test func unacceptedAnswersOfConsistencyTracesDoNotVote() {
        // Trace 2 ended by the turn limit with a last submission of 5.0: it neither votes nor counts.
        let traces = [Self.trace(5.0, role: .gold), Self.trace(5.0), Self.trace(5.0, .maxTurns), Self.trace(6.0, .budget)]
        let (verification, outcome) = verify(traces)
        #expect(outcome == .verified(agreeing: 2, submitted: 2))
        #expect(verification.votes.map(\.traces) == [[0, 1]])
    }

    @Test func tracesWithoutAnswersLeaveNoHistogram() {
        let traces = [Self.trace(nil, .malformed, role: .gold), Self.trace(nil, .error), Self.trace(nil, .maxTurns)]
        let (verification, outcome) = verify(traces)
        #expect(!verification.verified)
        #expect(outcome.kind == "gold_malformed")
        #expect(verification.votes.isEmpty)
        #expect(verification.agreement == nil)
        #expect(verification.entropy == nil)
        #expect(verification.reason == "The gold trace ended without an accepted answer (malformed); 0 of the 2 other traces submitted one.")
    }

    @Test func anEpisodeWithoutTracesIsNotVerified() {
        let (verification, outcome) = verify([])
        #expect(!verification.verified)
        #expect(outcome == .noTrace)
        #expect(verification.reason == "The episode has no trace.")
    }
}

@Suite struct ConsistencyPlanTests {
    @Test func defaultsGrowWithDifficulty() {
        let plan = ConsistencyPlan.default
        #expect(Question.Difficulty.allCases.map { plan[$0] } == [2, 2, 4, 6])
        #expect(plan.description == "easy=2,medium=2,hard=4,very_hard=6")
    }

    @Test func parsesItsOwnDescription() throws {
        let plan = ConsistencyPlan(easy: 1, medium: 3, hard: 5, veryHard: 8)
        #expect(try ConsistencyPlan(parsing: plan.description) == plan)
    }

    @Test func keepsTheDefaultsForDifficultiesNotNamed() throws {
        let plan = try ConsistencyPlan(parsing: " hard = 3 , easy=1")
        #expect(plan == ConsistencyPlan(easy: 1, medium: 2, hard: 3, veryHard: 6))
    }

    @Test(arguments: [
        ("easy", "'easy' is not 'difficulty=count'"),
        ("easy=2,,hard=4", "'' is not 'difficulty=count'"),
        ("trivial=2", "'trivial' is not a difficulty; expected one of easy, medium, hard, very_hard"),
        ("easy=2,easy=3", "'easy' is given twice"),
        ("hard=0", "the count for 'hard' must be a whole number from 1 to 32; found '0'"),
        ("very_hard=many", "the count for 'very_hard' must be a whole number from 1 to 32; found 'many'"),
        ("medium=33", "found '33'"),
    ])
    func refusesTextItCannotUse(text: String, message: String) {
        #expect {
            _ = try ConsistencyPlan(parsing: text)
        } throws: { error in
            "\(error)".contains(message)
        }
    }
}

import Foundation
import Testing
@testable import AnalysisTraces

@Suite struct GroundTruthVerifierTests {
    static func trace(_ answer: JSONValue?, role: Trace.Role = .consistency, end: Trace.EndReason = .submitted) -> Trace {
        Trace(role: role, messages: [], turns: [], answer: answer.map { AnswerValue($0) }, endReason: answer == nil && end == .submitted ? .maxTurns : end, error: nil, usage: .zero)
    }

    static func question(accepted: [JSONValue] = [.double(5.9)], schema: AnswerSchema = .number(decimals: 2)) -> Question {
        var question = Question(
            id: "q_test", datasetID: "fixture", datasetSHA256: String(repeating: "0", count: 64), source: .template,
            question: "Mean?", hint: nil, difficulty: .easy, expectedSteps: 2, outputSchema: schema,
            groundTruth: nil, generator: QuestionGenerator(name: "t", version: "1", parameters: .object([]), program: nil, exploration: nil))
        if let first = accepted.first {
            question.groundTruth = GroundTruth(value: first, sha256: CanonicalJSON.sha256(first), accepted: accepted.map { AnswerValue($0) })
        }
        return question
    }

    @Test func verifiesAGoldAnswerWithinTheRoundingTolerance() {
        let traces = [Self.trace(.double(5.9012), role: .gold), Self.trace(.double(5.9)), Self.trace(.double(6.1)), Self.trace(nil)]
        let verification = GroundTruthVerifier().verify(question: Self.question(), traces: traces)
        #expect(verification.method == .groundTruth)
        #expect(verification.verified)
        #expect(verification.reason == "The gold trace's answer matches the ground truth.")
        #expect(verification.votes.map(\.traces) == [[0, 1], [2]])
        #expect(verification.votes.map(\.matchesGroundTruth) == [true, false])
        #expect(verification.votes.first?.answer == AnswerValue(.double(5.9012)), "a group is named by its first answer")
        #expect(verification.agreement == 2.0 / 3.0)
        let entropy = -(2.0 / 3.0 * log2(2.0 / 3.0) + 1.0 / 3.0 * log2(1.0 / 3.0))
        #expect(abs((verification.entropy ?? -1) - entropy) < 1e-12)
    }

    @Test func rejectsAGoldAnswerOutsideTheTolerance() {
        let verification = GroundTruthVerifier().verify(question: Self.question(), traces: [Self.trace(.double(5.92), role: .gold)])
        #expect(!verification.verified)
        #expect(verification.reason == "The gold trace's answer does not match the ground truth, at $: 5.92 does not equal 5.9 within ±0.005 (2 decimals).")
        #expect(verification.votes.map(\.matchesGroundTruth) == [false])
        #expect(verification.agreement == 1)
        #expect(verification.entropy == 0)
    }

    @Test func acceptsAnyOfSeveralAcceptedAnswers() {
        let question = Self.question(accepted: [.string("Adelie"), .string("Gentoo")], schema: .string)
        let verification = GroundTruthVerifier().verify(question: question, traces: [Self.trace(.string("gentoo"), role: .gold)])
        #expect(verification.verified)
        #expect(verification.reason == "The gold trace's answer matches accepted answer 2 of 2.")
    }

    @Test func judgesTheGoldTraceNotTheMajority() {
        let traces = [Self.trace(.double(1), role: .gold), Self.trace(.double(5.9)), Self.trace(.double(5.9))]
        let verification = GroundTruthVerifier().verify(question: Self.question(), traces: traces)
        #expect(!verification.verified)
        #expect(verification.votes.map(\.traces) == [[1, 2], [0]])
        #expect(verification.votes.map(\.matchesGroundTruth) == [true, false])
    }

    @Test func doesNotVerifyATraceThatEndedWithoutAnAcceptedAnswer() {
        let noAnswer = GroundTruthVerifier().verify(question: Self.question(), traces: [Self.trace(nil, role: .gold)])
        #expect(!noAnswer.verified)
        #expect(noAnswer.reason == "The gold trace ended without an answer (max_turns).")
        #expect(noAnswer.votes.isEmpty)
        #expect(noAnswer.agreement == nil)
        #expect(noAnswer.entropy == nil)
        let unaccepted = GroundTruthVerifier().verify(question: Self.question(), traces: [Self.trace(.double(5.9), role: .gold, end: .maxTurns)])
        #expect(!unaccepted.verified)
        #expect(unaccepted.reason.contains("ended by max_turns"))
    }

    @Test func doesNotVerifyAQuestionWithoutGroundTruth() {
        let verification = GroundTruthVerifier().verify(question: Self.question(accepted: []), traces: [Self.trace(.double(5.9), role: .gold)])
        #expect(!verification.verified)
        #expect(verification.reason == "The question has no ground truth to verify against.")
        #expect(verification.votes.map(\.matchesGroundTruth) == [nil])
    }

    @Test func checksOneAnswerAgainstTheGroundTruth() {
        let truth = GroundTruth(value: .int(3), sha256: CanonicalJSON.sha256(.int(3)), accepted: [AnswerValue(.int(3)), AnswerValue(.int(4))])
        let verifier = GroundTruthVerifier()
        #expect(verifier.check(.double(4.0), against: truth, schema: .integer) == .matches(index: 1))
        #expect(verifier.check(.int(5), against: truth, schema: .integer) == .differs(AnswerMismatch(path: "$", problem: "5 is not 3")))
    }
}

import Foundation
import Testing
@testable import AnalysisTraces

/// The semantic rules on episodes: a real episode passes, and the same episode broken in one
/// rule's way is caught by exactly that rule (and, where one change necessarily breaks two
/// things, by the rules named).
@Suite struct EpisodeRulesTests {
    /// One way to break an episode and the rules that must catch it.
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let rules: [String]
        let mutate: @Sendable (inout Episode) -> Void
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "a verified episode whose gold answer is wrong", rules: ["answer"]) { episode in
            let wrong = AnswerValue(.double(6.5))
            episode.traces[0].answer = wrong
            episode.traces[0].turns[2].submission = wrong
            episode.verification.votes = GroundTruthVerifier().verify(question: episode.question, traces: episode.traces).votes
        },
        Case(name: "a correct answer recorded as not verified", rules: ["verification"]) { episode in
            episode.verification.verified = false
        },
        Case(name: "vote groups that are not the traces' answers", rules: ["verification"]) { episode in
            episode.verification.votes[0].matchesGroundTruth = false
        },
        Case(name: "an agreement that is not the largest group's share", rules: ["verification"]) { episode in
            episode.verification.agreement = 0.5
        },
        Case(name: "a hook flagged grounded whose code line never ran", rules: ["grounding"]) { episode in
            episode.traces[0].turns[1].hooks[0].codeLine = "values = df.dropna()"
        },
        Case(name: "an honestly ungrounded hook in a verified trace", rules: ["grounding"]) { episode in
            episode.traces[0].turns[2].hooks[0].codeLine = "mean = values.mean()"
            episode.traces[0].turns[2].hooks[0].grounded = false
        },
        Case(name: "a grounded hook flagged as not grounded", rules: ["grounding"]) { episode in
            episode.traces[0].turns[2].hooks[0].grounded = false
        },
        Case(name: "a gap in the turn indices", rules: ["turns"]) { episode in
            episode.traces[0].turns[2].index = 3
        },
        Case(name: "a turn that ran no code", rules: ["grounding", "turns"]) { episode in
            episode.traces[0].turns[1].code = "  \n"
        },
        Case(name: "a turn pointing at a user message", rules: ["feedback", "messages"]) { episode in
            episode.traces[0].turns[0].message = 1
        },
        Case(name: "turns pointing at messages out of order", rules: ["feedback", "messages"]) { episode in
            episode.traces[0].turns.swapAt(0, 1)
            episode.traces[0].turns[0].index = 0
            episode.traces[0].turns[1].index = 1
        },
        Case(name: "an assistant message whose code block is not the turn's code", rules: ["messages"]) { episode in
            let index = episode.traces[0].turns[2].message
            episode.traces[0].messages[index].content = episode.traces[0].messages[index].content.replacingOccurrences(of: "print(mean)", with: "print(mean * 2)")
        },
        Case(name: "an assistant message with two code blocks", rules: ["messages"]) { episode in
            let index = episode.traces[0].turns[0].message
            episode.traces[0].messages[index].content += "\n\n```\nKeyError\n```"
        },
        Case(name: "a forged line in the shown stdout", rules: ["feedback"]) { episode in
            let index = episode.traces[0].turns[1].message + 1
            episode.traces[0].messages[index].content = episode.traces[0].messages[index].content.replacingOccurrences(of: "[stdout]\n", with: "[stdout]\n99    0.01\n")
        },
        Case(name: "feedback without the truncation marker", rules: ["feedback"]) { episode in
            let index = episode.traces[0].turns[1].message + 1
            let lines = episode.traces[0].messages[index].content.split(separator: "\n", omittingEmptySubsequences: false)
            episode.traces[0].messages[index].content = lines.filter { !$0.hasPrefix("[... ") }.joined(separator: "\n")
        },
        Case(name: "a recorded stdout that is not what the feedback showed", rules: ["feedback"]) { episode in
            episode.traces[0].turns[1].execution.stdout = "0    0.0\n"
        },
        Case(name: "an error feedback that names another exception", rules: ["feedback"]) { episode in
            let index = episode.traces[0].turns[0].message + 1
            episode.traces[0].messages[index].content = episode.traces[0].messages[index].content.replacingOccurrences(of: "failed with KeyError", with: "failed with ValueError")
        },
        Case(name: "the hint written into the question", rules: ["hint-leak"]) { episode in
            episode.question.question += " " + ValidationFixtures.hint.lowercased()
            episode.question.id = episode.question.contentAddress
            episode.id = episode.contentAddress
            episode.traces[0].messages[1].content = TeacherPrompt.userMessage(question: episode.question, role: .gold)
        },
        Case(name: "a gold user message without the hint", rules: ["prompt"]) { episode in
            episode.traces[0].messages[1].content = episode.question.question
        },
        Case(name: "a trace answer that no turn submitted", rules: ["submission"]) { episode in
            episode.traces[0].turns[2].submission = nil
        },
        Case(name: "a trace that ended by submitting with no answer", rules: ["submission"]) { episode in
            episode.traces[0].turns[2].submission = nil
            episode.traces[0].answer = nil
            episode.verification = GroundTruthVerifier().verify(question: episode.question, traces: episode.traces)
        },
        Case(name: "a ground truth method without ground truth", rules: ["verification"]) { episode in
            episode.question.groundTruth = nil
            episode.question.id = episode.question.contentAddress
            episode.id = episode.contentAddress
        },
    ]

    @Test func aRealEpisodePassesEveryRule() async throws {
        let episode = try await ValidationFixtures.groundTruthEpisode()
        #expect(episode.verification.verified)
        #expect(episode.traces[0].turns.count == 3)
        #expect(episode.traces[0].turns[1].execution.stdoutDropped > 0, "the fixture exercises the truncation marker")
        #expect(ValidationFixtures.messages(episode) == [])
    }

    @Test(arguments: cases)
    func catchesAnEpisodeBrokenInOneRulesWay(_ testCase: Case) async throws {
        var episode = try await ValidationFixtures.groundTruthEpisode()
        testCase.mutate(&episode)
        #expect(ValidationFixtures.brokenRules(episode) == testCase.rules, "\(ValidationFixtures.messages(episode))")
    }

    @Test func anUnverifiedEpisodeWithAWrongAnswerIsNotAProblem() async throws {
        let episode = try await ValidationFixtures.groundTruthEpisode(answer: 6.5)
        #expect(!episode.verification.verified)
        #expect(ValidationFixtures.messages(episode) == [])
    }

    @Test func diagnosticsSayWhereTheFeedbackDiffers() async throws {
        var episode = try await ValidationFixtures.groundTruthEpisode()
        episode.traces[0].turns[1].execution.stdout = "0    0.0\n"
        let messages = ValidationFixtures.messages(episode)
        #expect(messages.count == 1)
        #expect(messages.first?.contains("'traces[0].messages[5]' is not the feedback rendered from turn 1") == true, "\(messages)")
        #expect(messages.first?.contains("they differ at character") == true, "\(messages)")
    }

    // MARK: Triangulation

    @Test func aTriangulationEpisodeWithAQuorumPasses() async throws {
        let episode = try await ValidationFixtures.triangulationEpisode(answers: [5.9, 5.9, 6.1])
        #expect(episode.verification.verified)
        #expect(ValidationFixtures.messages(episode) == [])
    }

    @Test func aTriangulationEpisodeWithoutAQuorumPassesWhenRecordedAsUnverified() async throws {
        let episode = try await ValidationFixtures.triangulationEpisode(answers: [5.9, 6.1, 7.0])
        #expect(!episode.verification.verified)
        #expect(ValidationFixtures.messages(episode) == [])
    }

    @Test(arguments: [[5.9, 6.1, 7.0], [5.9, 5.9, 6.1, 7.0], [5.9]])
    func aTriangulationEpisodeClaimedVerifiedWithoutAQuorumBreaksTheVerificationRule(_ answers: [Double]) async throws {
        let episode = try await ValidationFixtures.triangulationEpisode(answers: answers, verified: true)
        #expect(ValidationFixtures.brokenRules(episode) == ["verification"], "\(ValidationFixtures.messages(episode))")
        #expect(ValidationFixtures.messages(episode).contains { $0.contains("quorum") })
    }

    @Test func aTriangulationEpisodeWhoseGoldAnswerIsInTheMinorityBreaksTheAnswerRule() async throws {
        let episode = try await ValidationFixtures.triangulationEpisode(answers: [6.1, 5.9, 5.9], verified: true)
        #expect(ValidationFixtures.brokenRules(episode) == ["answer"], "\(ValidationFixtures.messages(episode))")
    }

    @Test func aConsistencyTraceThatWasShownTheHintLeaks() async throws {
        var episode = try await ValidationFixtures.triangulationEpisode(answers: [5.9, 5.9, 6.1])
        episode.traces[1].messages[1].content = TeacherPrompt.userMessage(question: episode.question, role: .gold)
        #expect(ValidationFixtures.brokenRules(episode) == ["hint-leak"], "\(ValidationFixtures.messages(episode))")
    }

    @Test func triangulationVoteGroupsMustNotBeLabelledWithGroundTruth() async throws {
        var episode = try await ValidationFixtures.triangulationEpisode(answers: [5.9, 5.9, 6.1])
        episode.verification.votes[0].matchesGroundTruth = true
        #expect(ValidationFixtures.brokenRules(episode) == ["verification"], "\(ValidationFixtures.messages(episode))")
    }

    @Test func onlyTheTracesOfTheVerifiedGroupMustHaveGroundedHooks() async throws {
        var episode = try await ValidationFixtures.triangulationEpisode(answers: [5.9, 5.9, 6.1])
        // An honestly ungrounded hook in the dissenting trace is allowed; in the majority it is not.
        episode.traces[2].turns[2].hooks[0].codeLine = "mean = values.mean()"
        episode.traces[2].turns[2].hooks[0].grounded = false
        #expect(ValidationFixtures.messages(episode) == [])
        episode.traces[1].turns[2].hooks[0].codeLine = "mean = values.mean()"
        episode.traces[1].turns[2].hooks[0].grounded = false
        #expect(ValidationFixtures.brokenRules(episode) == ["grounding"], "\(ValidationFixtures.messages(episode))")
    }
}

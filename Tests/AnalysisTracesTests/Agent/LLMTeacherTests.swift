import Foundation
import Testing
@testable import AnalysisTraces
import TestSupport

@Suite struct LLMTeacherTests {
    static let conversation = [
        Message(role: .system, content: "You are a test system prompt."),
        Message(role: .user, content: "What is the mean?"),
        Message(role: .assistant, content: "Look first.\n\n```python\nprint(df.shape)\n```", reasoning: "hidden chain of thought"),
        Message(role: .user, content: "[stdout]\n(6, 4)"),
    ]

    static func context(sample: Int, role: Trace.Role = .consistency) -> TeacherContext {
        TeacherContext(question: AgentFixtures.question(), role: role, sample: sample, turns: [], replies: 1, turnsLeft: 15)
    }

    @Test func sendsTheConversationAsRecordedWithoutReasoningAndWithTheSampleIndex() async throws {
        let service = FakeChatService { _, _ in FakeChatService.step("submit(1)") }
        let sampling = SamplingParameters(temperature: 0.7, maxTokens: 4096, seed: 11)
        let teacher = LLMTeacher(service: service, model: "teacher-model", sampling: sampling)
        _ = try await teacher.reply(to: Self.conversation, context: Self.context(sample: 3))

        let requests = await service.requests
        #expect(requests.count == 1)
        let request = try #require(requests.first)
        #expect(request.model == "teacher-model")
        #expect(request.sample == 3)
        #expect(request.sampling == sampling)
        #expect(request.messages.map(\.role) == [.system, .user, .assistant, .user])
        #expect(request.messages.map(\.content) == Self.conversation.map(\.content), "every message verbatim")
        #expect(request.messages.allSatisfy { $0.reasoning == nil }, "reasoning is never sent back")
        #expect(request == teacher.request(for: Self.conversation, context: Self.context(sample: 3)))
    }

    @Test func namesItselfAfterTheModelWithTheCurrentPromptVersion() {
        let teacher = LLMTeacher(service: FakeChatService { _, _ in FakeChatService.completion("") }, model: "m-1")
        #expect(teacher.name == "m-1")
        #expect(teacher.promptVersion == TeacherPrompt.currentVersion)
    }

    @Test func returnsTheMessageVerbatimWithReasoningAndUsage() async throws {
        let usage = Usage(calls: 1, promptTokens: 321, completionTokens: 45, reasoningTokens: 12, costUSD: 0.0042)
        let service = FakeChatService { _, _ in
            FakeChatService.completion("  Reply text, spaces kept.\n", reasoning: "step by step", usage: usage)
        }
        let reply = try await LLMTeacher(service: service, model: "m").reply(to: Self.conversation, context: Self.context(sample: 0, role: .gold))
        #expect(reply.message == Message(role: .assistant, content: "  Reply text, spaces kept.\n", reasoning: "step by step"))
        #expect(reply.usage == usage)
    }

    @Test func keepsAReplyCutOffByTheTokenLimit() async throws {
        let service = FakeChatService { _, _ in FakeChatService.completion("Let me compute\n```python\nx = df[", finishReason: "length") }
        let reply = try await LLMTeacher(service: service, model: "m").reply(to: Self.conversation, context: Self.context(sample: 0))
        #expect(reply.message.content == "Let me compute\n```python\nx = df[")
    }

    @Test(arguments: [
        LLMError.http(status: 500, message: "boom", attempts: 3),
        LLMError.timeout(seconds: 30, attempts: 2),
        LLMError.budgetExhausted(spentUSD: 1.5, budgetUSD: 1.5),
        LLMError.malformedResponse("no choices"),
    ])
    func passesServiceErrorsOn(_ failure: LLMError) async throws {
        let service = FakeChatService { _, _ throws(LLMError) in throw failure }
        let teacher = LLMTeacher(service: service, model: "m")
        await #expect(throws: failure) {
            try await teacher.reply(to: Self.conversation, context: Self.context(sample: 0))
        }
        #expect(teacher.spending.failures == 1)
    }

    @Test func countsCallsCacheHitsTokensAndOnlyNewCost() async throws {
        let service = FakeChatService { _, call in
            FakeChatService.completion("x", usage: Usage(calls: 1, promptTokens: 10, completionTokens: 2, reasoningTokens: 1, costUSD: 0.25), cacheHit: call == 2)
        }
        let teacher = LLMTeacher(service: service, model: "m")
        for sample in 0..<3 {
            _ = try await teacher.reply(to: Self.conversation, context: Self.context(sample: sample))
        }
        let spending = teacher.spending
        #expect(spending.calls == 3)
        #expect(spending.cacheHits == 1)
        #expect(spending.promptTokens == 30)
        #expect(spending.completionTokens == 6)
        #expect(spending.reasoningTokens == 3)
        #expect(spending.costUSD == 0.5, "a cache hit was paid by an earlier run")
        #expect(spending.description == "3 calls (1 from the cache), 30 prompt + 6 completion tokens (3 reasoning), cost $0.5000")
        #expect(spending.counters["llm_cache_hits"] == 1)
    }

    @Test func anUnpricedCallMakesTheCostUnknown() async throws {
        let service = FakeChatService { _, _ in FakeChatService.completion("x", usage: Usage(calls: 1, promptTokens: 1, completionTokens: 1, costUSD: nil)) }
        let teacher = LLMTeacher(service: service, model: "m")
        _ = try await teacher.reply(to: Self.conversation, context: Self.context(sample: 0))
        #expect(teacher.spending.costUSD == nil)
        #expect(teacher.spending.description.contains("cost unknown"))
    }
}

/// The loop over a real sandbox with the LLM teacher: what becomes of service errors.
@Suite(.requiresSandbox, .timeLimit(.minutes(10)))
struct LLMTeacherLoopTests {
    @Test func recordsAServiceErrorOnTheTrace() async throws {
        let service = FakeChatService { request, _ throws(LLMError) in
            if request.step == 0 { return FakeChatService.step("x = 1") }
            throw LLMError.http(status: 503, message: "overloaded", attempts: 4)
        }
        let trace = try await AgentFixtures.run(LLMTeacher(service: service, model: "m"))
        #expect(trace.endReason == .error)
        #expect(trace.turns.count == 1)
        #expect(trace.error?.contains("HTTP 503 after 4 attempts") == true)
        #expect(trace.usage.calls == 1)
        #expect(trace.messages[2].reasoning == "private thoughts", "the reasoning field is recorded")
    }

    @Test func stopsTheLoopWhenTheBudgetIsSpentInsteadOfRecordingIt() async throws {
        let service = FakeChatService { request, _ throws(LLMError) in
            if request.step == 0 { return FakeChatService.step("x = 1") }
            throw LLMError.budgetExhausted(spentUSD: 2, budgetUSD: 2)
        }
        await #expect(throws: LLMError.budgetExhausted(spentUSD: 2, budgetUSD: 2)) {
            _ = try await AgentFixtures.run(LLMTeacher(service: service, model: "m"))
        }
    }
}

import Testing
@testable import AnalysisTraces

@Suite struct ChatRequestBodyTests {
    static let conversation = [
        Message(role: .system, content: "You analyse data."),
        Message(role: .user, content: "Mean of \"x\"?"),
        Message(role: .assistant, content: "```python\nprint(1)\n```", reasoning: "private thoughts"),
    ]

    @Test func writesTheDocumentedMembersInOrderAndNeverTheReasoning() {
        let request = ChatRequest(
            model: "gpt-4.1", messages: Self.conversation,
            sampling: SamplingParameters(temperature: 0.7, topP: 1.0, maxTokens: 512, seed: 40), sample: 2)
        let text = String(decoding: ChatRequestBody.bytes(request), as: UTF8.self)
        #expect(text == #"{"model":"gpt-4.1","messages":[{"role":"system","content":"You analyse data."},{"role":"user","content":"Mean of \"x\"?"},{"role":"assistant","content":"```python\nprint(1)\n```"}],"temperature":0.7,"top_p":1,"max_tokens":512,"seed":42,"stream":false}"#)
        #expect(!text.contains("private thoughts"))
    }

    @Test func leavesOutUnsetSamplingParameters() {
        let request = ChatRequest(model: "m", messages: [Message(role: .user, content: "hi")], sample: 3)
        #expect(String(decoding: ChatRequestBody.bytes(request), as: UTF8.self)
            == #"{"model":"m","messages":[{"role":"user","content":"hi"}],"stream":false}"#)
    }

    @Test func mergesTheExtraBodyVerbatimReplacingSameNamedMembersAndKeepingStreamFalse() throws {
        let extra = try JSONParser.parse(#"{"top_k": 20, "temperature": 0.1, "stream": true, "reasoning_effort": "high"}"#)
        let request = ChatRequest(
            model: "m", messages: [Message(role: .user, content: "hi")],
            sampling: SamplingParameters(temperature: 0.9, extraBody: extra))
        #expect(String(decoding: ChatRequestBody.bytes(request), as: UTF8.self)
            == #"{"model":"m","messages":[{"role":"user","content":"hi"}],"temperature":0.1,"top_k":20,"reasoning_effort":"high","stream":false}"#)
    }

    @Test func theSameRequestGivesTheSameBytesAndKey() {
        let make = { ChatRequest(model: "m", messages: Self.conversation, sampling: SamplingParameters(temperature: 0.2, seed: 1), sample: 1) }
        #expect(ChatRequestBody.bytes(make()) == ChatRequestBody.bytes(make()))
        #expect(ResponseCache.key(for: make()) == ResponseCache.key(for: make()))
        #expect(ResponseCache.key(for: make()).count == 64)
    }

    @Test func theKeyChangesWithModelMessagesSamplingAndSampleIndexButNotWithReasoning() throws {
        let base = ChatRequest(model: "m", messages: Self.conversation, sampling: SamplingParameters(temperature: 0.2), sample: 0)
        let key = ResponseCache.key(for: base)
        var other = base
        other.model = "n"
        #expect(ResponseCache.key(for: other) != key)
        other = base
        other.messages[1].content += " "
        #expect(ResponseCache.key(for: other) != key)
        other = base
        other.sampling.temperature = 0.3
        #expect(ResponseCache.key(for: other) != key)
        other = base
        other.sampling.maxTokens = 100
        #expect(ResponseCache.key(for: other) != key)
        other = base
        other.sampling.extraBody = try JSONParser.parse(#"{"top_k": 5}"#)
        #expect(ResponseCache.key(for: other) != key)
        other = base
        other.sample = 1
        #expect(ResponseCache.key(for: other) != key)
        other = base
        other.messages[2].reasoning = "different thoughts"
        #expect(ResponseCache.key(for: other) == key)
    }
}

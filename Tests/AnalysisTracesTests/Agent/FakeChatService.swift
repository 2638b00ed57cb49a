import Foundation
@testable import AnalysisTraces

/// A chat service that answers from a script: a function of the request, so that traces running
/// concurrently get their replies whatever order they run in. Records every request it gets.
actor FakeChatService: ChatService {
    typealias Script = @Sendable (ChatRequest, _ call: Int) throws(LLMError) -> ChatCompletion

    private(set) var requests: [ChatRequest] = []
    private let script: Script

    init(_ script: @escaping Script) {
        self.script = script
    }

    func complete(_ request: ChatRequest) async throws(LLMError) -> ChatCompletion {
        requests.append(request)
        return try script(request, requests.count)
    }

    /// A completion with `content`, one call's usage (100 prompt and 20 completion tokens, $0.001).
    static func completion(_ content: String, reasoning: String? = nil, finishReason: String? = "stop",
                           usage: Usage = Usage(calls: 1, promptTokens: 100, completionTokens: 20, costUSD: 0.001),
                           cacheHit: Bool = false) -> ChatCompletion {
        ChatCompletion(
            message: Message(role: .assistant, content: content, reasoning: reasoning),
            finishReason: finishReason, usage: usage, model: "fake-model", cacheHit: cacheHit)
    }

    /// A reply of reasoning and one python block.
    static func step(_ code: String, reasoning: String = "Next step.") -> ChatCompletion {
        completion("\(reasoning)\n\n```python\n\(code)\n```", reasoning: "private thoughts")
    }
}

extension ChatRequest {
    /// The question's user message (the conversation's second message).
    var userMessage: String { messages.count > 1 ? messages[1].content : "" }
    /// Assistant replies already in the conversation: which step of the trace this request is for.
    var step: Int { messages.filter { $0.role == .assistant }.count }
}

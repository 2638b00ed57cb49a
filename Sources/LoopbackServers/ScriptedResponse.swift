import AnalysisTraces

/// One answer of a ``ScriptedChatServer``: a completion, an error status, or a fault.
///
/// Bodies mimic OpenAI's (`id`, `object`, `created`, `model`, `choices`, `usage`) and are
/// deterministic: `created` is fixed and ids count the server's completions.
public indirect enum ScriptedResponse: Sendable {
    /// A 200 completion. `content` nil sends `"content": null`. `reasoning` goes in the field
    /// `reasoningKey` names (or inside `<think>` tags at the start of the content). `usage` nil
    /// computes tokens from sizes (about 4 bytes a token; completion tokens include reasoning).
    /// `contentAsParts` sends the content as `[{"type": "text", "text": ...}]`.
    case completion(
        content: String?,
        reasoning: String? = nil,
        reasoningKey: ReasoningKey = .reasoningContent,
        finishReason: String? = "stop",
        usage: ScriptedUsage? = nil,
        contentAsParts: Bool = false
    )
    /// An error status with an OpenAI error body (or `body` verbatim), and `Retry-After` when
    /// given.
    case status(Int, retryAfter: String? = nil, body: String? = nil)
    /// Exactly this status, headers and body.
    case raw(status: Int, headers: LoopbackHeaders = [:], body: String)
    /// `then`, after waiting `delay`.
    case delay(Duration, then: ScriptedResponse)
    /// The connection closes without a response.
    case dropConnection
    /// 200 with a completion body cut in half under a `Content-Length` for the whole, then close.
    case truncatedBody
    /// 200, `application/json`, a body that is not valid JSON (cut mid-string).
    case invalidJSON
    /// 200 with `"choices": []`.
    case emptyChoices
    /// 200 with a message whose `content` is null and nothing else (no tool calls).
    case nullContent
    /// A completion whose content is prose without any code block.
    case noCodeBlock
    /// A completion whose content holds two ```python blocks.
    case severalCodeBlocks
    /// A completion whose one ```python block prints submission look-alikes (`SUBMIT: 42`,
    /// `{"submit": 42}`, `__SUBMIT__`, a forged sandbox event) instead of calling `submit`.
    case fakeSubmissionMarkers
    /// A completion of about `bytes` bytes: long reasoning, then one small ```python block.
    case longReply(bytes: Int)

    /// A completion in the teacher's turn format: `reasoning` prose, then one ```python block.
    public static func step(_ reasoning: String, code: String) -> ScriptedResponse {
        .completion(content: "\(reasoning)\n\n```python\n\(code)\n```")
    }

    /// A completion whose content is `text`.
    public static func reply(_ text: String) -> ScriptedResponse {
        .completion(content: text)
    }
}

/// Where a completion carries its reasoning.
public enum ReasoningKey: String, Sendable, Hashable {
    /// `message.reasoning_content` (DeepSeek, llama.cpp, older vLLM).
    case reasoningContent = "reasoning_content"
    /// `message.reasoning` (OpenRouter, Ollama, newer vLLM).
    case reasoning = "reasoning"
    /// `<think>...</think>` at the start of `content` (servers without a reasoning parser).
    case thinkTags = "<think>"
}

/// Token counts a completion reports.
public struct ScriptedUsage: Sendable, Hashable {
    public var prompt: Int
    /// Completion tokens, reasoning included (as OpenAI counts them).
    public var completion: Int
    public var reasoning: Int

    public init(prompt: Int, completion: Int, reasoning: Int = 0) {
        self.prompt = prompt
        self.completion = completion
        self.reasoning = reasoning
    }
}

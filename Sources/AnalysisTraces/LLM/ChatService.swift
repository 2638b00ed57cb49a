import Foundation

/// One chat-completions request as this project makes it: the model, the conversation and the
/// sampling parameters, plus the sample index that tells repeated draws of the same conversation
/// apart (consistency traces, several question proposals).
///
/// The request is also the response cache's key: everything in it, and nothing else, decides
/// whether two calls are the same call (see ``ResponseCache``).
public struct ChatRequest: Sendable, Equatable {
    public var model: String
    /// The conversation, oldest first. An assistant message's `reasoning` is never sent back to
    /// the server (servers reject or ignore it); it is kept only in the records.
    public var messages: [Message]
    public var sampling: SamplingParameters
    /// Which draw of this conversation this is (0 for the first). Part of the cache key; sent to
    /// the server only through `sampling.seed` when a seed is set (seed + sample).
    public var sample: Int

    public init(model: String, messages: [Message], sampling: SamplingParameters = .init(), sample: Int = 0) {
        self.model = model
        self.messages = messages
        self.sampling = sampling
        self.sample = sample
    }
}

/// Sampling parameters sent with every request of one role; nil fields are not sent.
public struct SamplingParameters: Sendable, Equatable {
    public var temperature: Double?
    public var topP: Double?
    public var maxTokens: Int?
    /// Base seed for servers that honour one; a request sends `seed + sample`.
    public var seed: Int?
    /// Extra top-level members of the request body, sent verbatim (for example
    /// `{"reasoning_effort": "high"}` or vLLM's `{"top_k": 20}`). An object, or nil.
    public var extraBody: JSONValue?

    public init(temperature: Double? = nil, topP: Double? = nil, maxTokens: Int? = nil, seed: Int? = nil, extraBody: JSONValue? = nil) {
        self.temperature = temperature
        self.topP = topP
        self.maxTokens = maxTokens
        self.seed = seed
        self.extraBody = extraBody
    }
}

/// A successful completion, as the records need it.
public struct ChatCompletion: Sendable, Equatable {
    /// The assistant message verbatim: `content` (parts joined) and the reasoning field where the
    /// server returned one (`reasoning_content` or `reasoning`).
    public var message: Message
    /// `stop`, `length`, `content_filter`, ... as the server said; nil when it said nothing.
    public var finishReason: String?
    /// For this one call: `calls` is 1, tokens as the server reported them, cost from the price
    /// table (nil when the model has no price). A cache hit reports the original call's usage.
    public var usage: Usage
    /// The model the server says answered (may differ from the requested name).
    public var model: String?
    /// Whether the completion came from the response cache rather than the server.
    public var cacheHit: Bool

    public init(message: Message, finishReason: String?, usage: Usage, model: String?, cacheHit: Bool) {
        self.message = message
        self.finishReason = finishReason
        self.usage = usage
        self.model = model
        self.cacheHit = cacheHit
    }
}

/// Whatever answers chat requests: the HTTP client behind the cache, budget and limits in
/// production, a scripted fake in unit tests.
public protocol ChatService: Sendable {
    func complete(_ request: ChatRequest) async throws(LLMError) -> ChatCompletion
}

/// Why a chat request produced no completion. Every case says what happened in words a user can
/// act on (``description``).
public enum LLMError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The configured budget is spent: no new calls are made. Stages stop cleanly on this error,
    /// keep what was finished, and a rerun with a larger budget resumes (the cache holds every
    /// paid call).
    case budgetExhausted(spentUSD: Double, budgetUSD: Double)
    /// Offline replay: the cache has no response for this request, and the network is not used.
    case cacheMiss(key: String)
    /// The server answered with an error status that is not retried (400, 401, 403, 404, ...),
    /// or a retried status that persisted through every attempt.
    case http(status: Int, message: String, attempts: Int)
    /// No response within the per-request timeout, on every attempt.
    case timeout(seconds: Double, attempts: Int)
    /// The connection failed or dropped, on every attempt.
    case connection(message: String, attempts: Int)
    /// A 200 response whose body is not a usable completion: invalid JSON, no choices, no
    /// message, null content with nothing else. Names the field.
    case malformedResponse(String)

    public var description: String {
        switch self {
        case .budgetExhausted(let spent, let budget):
            return "the LLM budget of $\(Self.dollars(budget)) is spent ($\(Self.dollars(spent)) used); no more calls are made"
        case .cacheMiss(let key):
            return "offline replay: no cached response for request \(key)"
        case .http(let status, let message, let attempts):
            return "the server answered HTTP \(status) after \(attempts) \(attempts == 1 ? "attempt" : "attempts"): \(message)"
        case .timeout(let seconds, let attempts):
            return "no response within \(seconds) s, \(attempts) \(attempts == 1 ? "attempt" : "attempts")"
        case .connection(let message, let attempts):
            return "the connection failed after \(attempts) \(attempts == 1 ? "attempt" : "attempts"): \(message)"
        case .malformedResponse(let detail):
            return "the server's response is not a usable chat completion: \(detail)"
        }
    }

    private static func dollars(_ value: Double) -> String {
        let cents = (value * 100).rounded() / 100
        return String(format: "%.2f", cents)
    }
}

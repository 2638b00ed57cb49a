/// Everything the LLM service of one role needs: where the server is, which model, how to
/// sample, the limits, prices, budget and cache. Built from `LLM_*` environment variables with
/// flags overriding (`LLMOptions` in the `AnalysisTracesCLI` target); see <doc:LLMClient> for every variable.
public struct LLMConfiguration: Sendable, Equatable {
    /// Which part of the pipeline talks to the model; each can use its own model.
    public enum Role: String, Sendable, CaseIterable {
        /// LLM question generation (`question-gen`): `LLM_QUESTION_MODEL`.
        case questions
        /// The teacher that solves questions (`episode-gen`): `LLM_TEACHER_MODEL`.
        case teacher
    }

    public var role: Role
    /// The API root, such as `https://api.openai.com/v1` or `http://127.0.0.1:8000/v1`; requests
    /// go to `{baseURL}/chat/completions`. Nil only in replay mode.
    public var baseURL: String?
    /// Sent as `Authorization: Bearer …` when set; local servers need none.
    public var apiKey: String?
    public var model: String
    public var sampling: SamplingParameters
    /// The limit for one attempt, from sending the request to the last byte of the response.
    public var requestTimeout: Duration
    /// Retry schedule and how many attempts a request gets.
    public var retry: RetryPolicy
    /// The most requests in flight at once, across the whole process.
    public var concurrency: Int
    /// Requests per minute (every attempt counts); nil for no limit.
    public var requestsPerMinute: Int?
    /// Tokens per minute, estimated before a call from its size and corrected by the reported
    /// usage after it; nil for no limit.
    public var tokensPerMinute: Int?
    public var prices: PriceTable
    /// Once the cost of the calls made reaches this, new calls fail with
    /// ``LLMError/budgetExhausted(spentUSD:budgetUSD:)``; nil for no budget.
    public var budgetUSD: Double?
    public var cacheMode: CacheMode
    public var cacheDirectory: String

    public static let defaultRequestTimeout: Duration = .seconds(120)
    public static let defaultConcurrency = 16
    public static let defaultCacheDirectory = "data/cache"

    public init(
        role: Role, baseURL: String?, apiKey: String? = nil, model: String, sampling: SamplingParameters = .init(),
        requestTimeout: Duration = defaultRequestTimeout, retry: RetryPolicy = .init(),
        concurrency: Int = defaultConcurrency, requestsPerMinute: Int? = nil, tokensPerMinute: Int? = nil,
        prices: PriceTable = .init(), budgetUSD: Double? = nil, cacheMode: CacheMode = .readWrite,
        cacheDirectory: String = defaultCacheDirectory
    ) {
        self.role = role
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.model = model
        self.sampling = sampling
        self.requestTimeout = requestTimeout
        self.retry = retry
        self.concurrency = concurrency
        self.requestsPerMinute = requestsPerMinute
        self.tokensPerMinute = tokensPerMinute
        self.prices = prices
        self.budgetUSD = budgetUSD
        self.cacheMode = cacheMode
        self.cacheDirectory = cacheDirectory
    }

    /// `{baseURL}/chat/completions` (one slash between), or nil without a base URL.
    public var chatCompletionsURL: String? {
        guard var base = baseURL else { return nil }
        while base.hasSuffix("/") { base.removeLast() }
        return base + "/chat/completions"
    }

    /// The settings that change what the model answers — model, sampling, base URL excluded —
    /// as one line for logs and Make stamps. Never contains the API key.
    public var summary: String {
        var parts = ["model=\(model)"]
        if let temperature = sampling.temperature { parts.append("temperature=\(temperature)") }
        if let topP = sampling.topP { parts.append("top_p=\(topP)") }
        if let maxTokens = sampling.maxTokens { parts.append("max_tokens=\(maxTokens)") }
        if let seed = sampling.seed { parts.append("seed=\(seed)") }
        if let extra = sampling.extraBody { parts.append("extra_body=\(CanonicalJSON.string(extra))") }
        parts.append("cache=\(cacheMode.rawValue)")
        return parts.joined(separator: " ")
    }
}

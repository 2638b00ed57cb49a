import AnalysisTraces
import ArgumentParser
import Foundation

/// The LLM settings of a stage that can talk to a model (`@OptionGroup`). Every option overrides
/// the `LLM_*` environment variable of the same meaning (see <doc:LLMClient>); the API key is
/// read only from `LLM_API_KEY`, never from a flag, so it does not show in process listings.
public struct LLMOptions: ParsableArguments {
    @Option(name: .customLong("llm-base-url"), help: "The OpenAI-compatible API root, such as 'https://api.openai.com/v1' (overrides 'LLM_BASE_URL'; setting it switches the LLM paths on).")
    public var baseURL: String?

    @Option(name: .customLong("llm-model"), help: "The model for this stage (overrides 'LLM_MODEL' and the stage's own 'LLM_TEACHER_MODEL' or 'LLM_QUESTION_MODEL').")
    public var model: String?

    @Option(name: .customLong("llm-temperature"), help: "The sampling temperature (overrides 'LLM_TEMPERATURE'; unset: the server's default).")
    public var temperature: String?

    @Option(name: .customLong("llm-top-p"), help: "Nucleus sampling probability in (0, 1] (overrides 'LLM_TOP_P').")
    public var topP: String?

    @Option(name: .customLong("llm-max-tokens"), help: "The most tokens per reply (overrides 'LLM_MAX_TOKENS').")
    public var maxTokens: String?

    @Option(name: .customLong("llm-seed"), help: "The base sampling seed; each draw sends seed + sample (overrides 'LLM_SEED').")
    public var seed: String?

    @Option(name: .customLong("llm-extra-body"), help: "A JSON object of extra request members, such as '{\"top_k\": 20}' (overrides 'LLM_EXTRA_BODY').")
    public var extraBody: String?

    @Option(name: .customLong("llm-timeout"), help: "Seconds allowed for one attempt of a request (overrides 'LLM_TIMEOUT'; default 120).")
    public var timeout: String?

    @Option(name: .customLong("llm-max-attempts"), help: "Attempts per request, the first included (overrides 'LLM_MAX_ATTEMPTS'; default 6).")
    public var maxAttempts: String?

    @Option(name: .customLong("llm-concurrency"), help: "The most requests in flight at once (overrides 'LLM_CONCURRENCY'; default 16).")
    public var concurrency: String?

    @Option(name: .customLong("llm-rpm"), help: "Requests per minute, every attempt counted (overrides 'LLM_RPM'; unset: no limit).")
    public var requestsPerMinute: String?

    @Option(name: .customLong("llm-tpm"), help: "Tokens per minute (overrides 'LLM_TPM'; unset: no limit).")
    public var tokensPerMinute: String?

    @Option(name: .customLong("llm-prices"), help: "The path of a JSON price table, '{\"model\": {\"input_per_million\": 2.5, \"output_per_million\": 10}}' (overrides 'LLM_PRICES').")
    public var prices: String?

    @Option(name: .customLong("llm-budget-usd"), help: "Stop making calls once this many US dollars are spent (overrides 'LLM_BUDGET_USD').")
    public var budgetUSD: String?

    @Option(name: .customLong("llm-cache"), help: "The response cache mode: 'read-write', 'read-only', 'write-only', 'off' or 'replay' (offline: answers only from the cache) (overrides 'LLM_CACHE'; default 'read-write').")
    public var cache: CacheMode?

    @Option(name: .customLong("llm-cache-dir"), help: "The response cache folder (overrides 'LLM_CACHE_DIR'; default 'data/cache').")
    public var cacheDirectory: String?

    public init() {}

    /// The flags given, as the variable each overrides and the flag's name.
    private func overrides(role: LLMConfiguration.Role) -> [(variable: String, flag: String, value: String)] {
        let pairs: [(String, String, String?)] = [
            ("LLM_BASE_URL", "--llm-base-url", baseURL),
            (LLMConfiguration.modelVariable(for: role), "--llm-model", model),
            ("LLM_TEMPERATURE", "--llm-temperature", temperature),
            ("LLM_TOP_P", "--llm-top-p", topP),
            ("LLM_MAX_TOKENS", "--llm-max-tokens", maxTokens),
            ("LLM_SEED", "--llm-seed", seed),
            ("LLM_EXTRA_BODY", "--llm-extra-body", extraBody),
            ("LLM_TIMEOUT", "--llm-timeout", timeout),
            ("LLM_MAX_ATTEMPTS", "--llm-max-attempts", maxAttempts),
            ("LLM_CONCURRENCY", "--llm-concurrency", concurrency),
            ("LLM_RPM", "--llm-rpm", requestsPerMinute),
            ("LLM_TPM", "--llm-tpm", tokensPerMinute),
            ("LLM_PRICES", "--llm-prices", prices),
            ("LLM_BUDGET_USD", "--llm-budget-usd", budgetUSD),
            ("LLM_CACHE", "--llm-cache", cache?.rawValue),
            ("LLM_CACHE_DIR", "--llm-cache-dir", cacheDirectory),
        ]
        return pairs.compactMap { variable, flag, value in value.map { (variable, flag, $0) } }
    }

    /// The configuration of `role` from `environment` with these flags applied, or nil when no
    /// LLM is configured (no base URL from either, and the cache mode is not `replay`). A bad
    /// value throws ``LLMConfigurationError`` naming the flag or variable it came from.
    public func configuration(
        role: LLMConfiguration.Role, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(LLMConfigurationError) -> LLMConfiguration? {
        var merged = environment
        var origins: [String: String] = [:]
        for (variable, flag, value) in overrides(role: role) {
            merged[variable] = value
            origins[variable] = flag
        }
        if model != nil {
            origins["LLM_MODEL"] = "--llm-model"
        }
        return try LLMConfiguration.from(environment: merged, role: role, origins: origins)
    }

    /// The configuration of `role` for a command's `validate()` and `run()`: a bad value is a
    /// usage error, which ArgumentParser prints with the command's help hint.
    public func commandConfiguration(role: LLMConfiguration.Role) throws -> LLMConfiguration? {
        do {
            return try configuration(role: role)
        } catch {
            throw ValidationError("\(error)")
        }
    }
}

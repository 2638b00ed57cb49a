import Logging

/// The production ``ChatService``: the response cache first, then the budget check and the HTTP
/// client, with one ``LLMLedger`` counting calls, cache hits, tokens, cost, retries and failures.
///
/// - A cache hit (modes `read-write`, `read-only`, `replay`) returns the stored completion
///   (`cacheHit: true`, the original usage and cost), counts as a hit and costs nothing against
///   the budget.
/// - On a miss, `replay` fails with ``LLMError/cacheMiss(key:)`` without any network; the other
///   modes call the server through ``LLMClient`` (budget, limits, retries) and store the answer
///   (`read-write`, `write-only`).
public final class LLMService: ChatService, Sendable {
    public let configuration: LLMConfiguration
    public let ledger: LLMLedger
    public let cache: ResponseCache
    /// Nil in replay mode.
    public let client: LLMClient?
    private let logger: Logger

    /// Assembles a service from its parts (tests inject a client with a fake clock).
    public init(configuration: LLMConfiguration, client: LLMClient?, cache: ResponseCache, ledger: LLMLedger, logger: Logger) {
        self.configuration = configuration
        self.client = client
        self.cache = cache
        self.ledger = ledger
        self.logger = logger
    }

    /// The service for `configuration`: a client when the mode uses the network (the base URL
    /// is then required), the cache in its directory and mode, and a fresh ledger. Warns when a
    /// budget is set but the model has no price (only costs the server reports then count).
    public static func make(configuration: LLMConfiguration, logger: Logger) throws(LLMConfigurationError) -> LLMService {
        let ledger = LLMLedger()
        let client = configuration.cacheMode.usesNetwork
            ? try LLMClient(configuration: configuration, ledger: ledger, logger: logger)
            : nil
        if configuration.budgetUSD != nil && configuration.prices.price(for: configuration.model) == nil && client != nil {
            logger.warning("An LLM budget is set but the price table has no price for the model; only costs the server reports count against it.",
                           metadata: ["model": "\(configuration.model)"])
        }
        let cache = ResponseCache(directory: configuration.cacheDirectory, mode: configuration.cacheMode, logger: logger)
        return LLMService(configuration: configuration, client: client, cache: cache, ledger: ledger, logger: logger)
    }

    public func complete(_ request: ChatRequest) async throws(LLMError) -> ChatCompletion {
        if let hit = cache.lookup(request) {
            ledger.recordCacheHit()
            logger.debug("LLM cache hit.", metadata: ["model": "\(request.model)", "sample": "\(request.sample)"])
            return hit
        }
        guard let client, configuration.cacheMode.usesNetwork else {
            let error = LLMError.cacheMiss(key: ResponseCache.key(for: request))
            ledger.recordFailure(error)
            throw error
        }
        let (completion, body) = try await client.send(request)
        cache.store(request, responseBody: body, completion: completion)
        return completion
    }

    /// Closes the HTTP client's connections. Call once at the end of the stage.
    public func shutdown() async {
        do {
            try await client?.shutdown()
        } catch {
            logger.debug("Closing the LLM client failed.", metadata: ["error": "\(error)"])
        }
    }
}

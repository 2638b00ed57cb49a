import AsyncHTTPClient
import Foundation
import Logging
import NIOCore

/// The HTTP side of the LLM service: sends chat requests to an OpenAI-compatible
/// `/chat/completions` endpoint with limits, retries, accounting and the budget. No cache (see
/// ``LLMService``).
///
/// - One `HTTPClient` for the client's lifetime, so connections are pooled and reused (the pool
///   allows as many connections per host as the concurrency limit); call ``shutdown()`` at the end.
/// - At most ``LLMConfiguration/concurrency`` requests in flight (a request keeps its slot
///   through its retries and their waits, which slows everyone down while a server pushes back).
/// - Optional requests- and tokens-per-minute limits: every attempt takes one request; a request
///   takes an estimate of its tokens before it is sent (a quarter of its body's bytes plus
///   `max_tokens`) and the estimate is corrected by the reported usage afterwards.
/// - Each attempt has ``LLMConfiguration/requestTimeout`` from sending to the last byte.
/// - Retries as ``RetryPolicy`` says; waits go through the injected ``WaitClock``, jitter through
///   the injected ``RetryJitter``.
/// - Every completion is priced from the price table (else the server's own reported cost) and
///   recorded in the ``ledger``; retries and failures are counted there too.
/// - Budget: once the ledger's spent money reaches ``LLMConfiguration/budgetUSD``, new requests
///   fail with ``LLMError/budgetExhausted(spentUSD:budgetUSD:)`` before touching the network (a
///   request waiting for a slot checks again when it gets one); requests already sent finish.
/// - A cancelled task's request is abandoned at once and fails with
///   ``LLMError/connection(message:attempts:)`` saying "cancelled"; callers check
///   `Task.isCancelled` to tell it apart.
///
/// Logs: one debug line per completed call; a notice per retry with the status and the wait.
public final class LLMClient: ChatService, Sendable {
    /// The largest response body read; a larger one is a malformed response.
    public static let maxResponseBytes = 64 << 20

    public let configuration: LLMConfiguration
    public let ledger: LLMLedger
    private let url: String
    private let http: HTTPClient
    private let semaphore: AsyncSemaphore
    private let requestLimiter: RateLimiter?
    private let tokenLimiter: RateLimiter?
    private let clock: WaitClock
    private let jitter: RetryJitter
    private let wallClock: @Sendable () -> Date
    private let logger: Logger

    /// A client for `configuration`, which must have a base URL.
    /// - Parameters:
    ///   - clock: time for backoff and rate-limit waits (tests pass one that does not wait).
    ///   - jitter: the random source of backoff jitter (tests pass a seeded one).
    ///   - wallClock: the current date, to read `Retry-After` dates.
    public init(
        configuration: LLMConfiguration, ledger: LLMLedger = LLMLedger(), clock: WaitClock = .system,
        jitter: RetryJitter = RetryJitter(), wallClock: @escaping @Sendable () -> Date = { Date() }, logger: Logger
    ) throws(LLMConfigurationError) {
        guard let url = configuration.chatCompletionsURL else {
            throw LLMConfigurationError(setting: "LLM_BASE_URL", problem: "is not set; the LLM client needs the server's URL")
        }
        self.configuration = configuration
        self.ledger = ledger
        self.url = url
        self.clock = clock
        self.jitter = jitter
        self.wallClock = wallClock
        self.logger = logger
        semaphore = AsyncSemaphore(permits: configuration.concurrency)
        requestLimiter = configuration.requestsPerMinute.map { RateLimiter(perMinute: $0, clock: clock) }
        tokenLimiter = configuration.tokensPerMinute.map { RateLimiter(perMinute: $0, clock: clock) }
        var httpConfiguration = HTTPClient.Configuration()
        httpConfiguration.connectionPool = .init(
            idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: configuration.concurrency)
        httpConfiguration.timeout = .init(connect: .seconds(30), read: Self.timeAmount(configuration.requestTimeout))
        http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: httpConfiguration)
    }

    /// Closes the connection pool. Call once, when no request is in flight.
    public func shutdown() async throws {
        try await http.shutdown()
    }

    public func complete(_ request: ChatRequest) async throws(LLMError) -> ChatCompletion {
        try await send(request).completion
    }

    /// The completion and the response body exactly as received (for the cache).
    func send(_ request: ChatRequest) async throws(LLMError) -> (completion: ChatCompletion, body: [UInt8]) {
        try checkBudget()
        do {
            try await semaphore.acquire()
        } catch {
            throw .connection(message: "the request was cancelled", attempts: 0)
        }
        defer { semaphore.release() }
        try checkBudget()

        let body = ChatRequestBody.bytes(request)
        let estimate = Double(body.count / 4 + (request.sampling.maxTokens ?? 0))
        do {
            try await tokenLimiter?.acquire(estimate)
        } catch {
            throw .connection(message: "the request was cancelled", attempts: 0)
        }
        let started = clock.now()
        var attempt = 0
        while true {
            attempt += 1
            do {
                try await requestLimiter?.acquire(1)
            } catch {
                throw .connection(message: "the request was cancelled", attempts: attempt - 1)
            }
            let failure: LLMError
            var retryAfter: Duration?
            switch await self.attempt(body) {
            case .response(let status, _, let responseBody) where (200..<300).contains(status):
                do {
                    var completion = try ChatResponseParser.parse(responseBody)
                    if let cost = configuration.prices.cost(of: completion.usage, model: request.model) {
                        completion.usage.costUSD = cost
                    }
                    ledger.recordCall(completion.usage)
                    tokenLimiter?.adjust(by: Double(completion.usage.promptTokens + completion.usage.completionTokens) - estimate)
                    logger.debug("LLM call.", metadata: [
                        "model": "\(request.model)", "sample": "\(request.sample)", "attempts": "\(attempt)",
                        "prompt_tokens": "\(completion.usage.promptTokens)",
                        "completion_tokens": "\(completion.usage.completionTokens)",
                        "finish_reason": "\(completion.finishReason ?? "none")",
                        "elapsed_s": "\(Self.seconds(clock.now() - started))",
                    ])
                    return (completion, responseBody)
                } catch {
                    guard case .http(let status, let message, _) = error, RetryPolicy.isRetryable(status: status, message: message) else {
                        throw fail(error.withAttempts(attempt))
                    }
                    failure = error.withAttempts(attempt)
                }
            case .response(let status, let headers, let responseBody):
                let message = ChatResponseParser.errorMessage(responseBody)
                failure = .http(status: status, message: message, attempts: attempt)
                guard RetryPolicy.isRetryable(status: status, message: message) else { throw fail(failure) }
                retryAfter = configuration.retry.retryAfter(
                    milliseconds: headers.retryAfterMilliseconds, header: headers.retryAfter, now: wallClock())
            case .timedOut:
                failure = .timeout(seconds: Self.seconds(configuration.requestTimeout), attempts: attempt)
            case .connectionFailed(let message):
                failure = .connection(message: message, attempts: attempt)
            case .tooLarge:
                throw fail(.malformedResponse("the body is larger than \(Self.maxResponseBytes >> 20) MiB"))
            case .cancelled:
                throw .connection(message: "the request was cancelled", attempts: attempt)
            }
            guard attempt < configuration.retry.maxAttempts else { throw fail(failure) }
            ledger.recordRetry()
            do {
                try await configuration.retry.pause(afterAttempt: attempt, retryAfter: retryAfter, clock: clock, jitter: jitter) { wait, serverAsked in
                    logger.notice("LLM request failed; retrying.", metadata: [
                        "model": "\(request.model)", "attempt": "\(attempt)", "error": "\(failure)",
                        "wait_s": "\(Self.seconds(wait))", "retry_after": "\(serverAsked)",
                    ])
                }
            } catch {
                throw .connection(message: "the request was cancelled", attempts: attempt)
            }
        }
    }

    private func checkBudget() throws(LLMError) {
        guard let budget = configuration.budgetUSD else { return }
        let spent = ledger.spentUSD
        if spent >= budget {
            throw fail(.budgetExhausted(spentUSD: spent, budgetUSD: budget))
        }
    }

    private func fail(_ error: LLMError) -> LLMError {
        ledger.recordFailure(error)
        return error
    }

    // MARK: - One attempt

    struct ResponseHeaders: Sendable {
        var retryAfter: String?
        var retryAfterMilliseconds: String?
    }

    enum AttemptOutcome: Sendable {
        case response(Int, ResponseHeaders, [UInt8])
        case timedOut
        case connectionFailed(String)
        case tooLarge
        case cancelled
    }

    /// Sends the body once and reads the whole response within the request timeout.
    private func attempt(_ body: [UInt8]) async -> AttemptOutcome {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "analysis-traces/\(AnalysisTracesVersion.string)")
        if let key = configuration.apiKey {
            request.headers.add(name: "Authorization", value: "Bearer \(key)")
        }
        request.body = .bytes(body)
        let timeout = configuration.requestTimeout
        let http = self.http
        let sendable = request
        do {
            return try await withThrowingTaskGroup(of: AttemptOutcome?.self) { group in
                group.addTask {
                    let response = try await http.execute(sendable, timeout: Self.timeAmount(timeout))
                    let headers = ResponseHeaders(
                        retryAfter: response.headers.first(name: "retry-after"),
                        retryAfterMilliseconds: response.headers.first(name: "retry-after-ms"))
                    let buffer = try await response.body.collect(upTo: Self.maxResponseBytes)
                    return .response(Int(response.status.code), headers, Array(buffer.readableBytesView))
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                let first = try await group.next() ?? nil
                group.cancelAll()
                return first ?? .timedOut
            }
        } catch {
            if Task.isCancelled { return .cancelled }
            return Self.classify(error)
        }
    }

    static func classify(_ error: any Error) -> AttemptOutcome {
        if error is NIOTooManyBytesError { return .tooLarge }
        if let client = error as? HTTPClientError {
            if [.deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout].contains(client) { return .timedOut }
            if client == .remoteConnectionClosed { return .connectionFailed("the server closed the connection before the response was complete") }
            if client == .cancelled { return .cancelled }
        }
        return .connectionFailed(String(describing: error))
    }

    // MARK: - Units

    static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

extension LLMError {
    /// The same error with its attempt count replaced, where the case has one.
    func withAttempts(_ attempts: Int) -> LLMError {
        switch self {
        case .http(let status, let message, _): .http(status: status, message: message, attempts: attempts)
        case .timeout(let seconds, _): .timeout(seconds: seconds, attempts: attempts)
        case .connection(let message, _): .connection(message: message, attempts: attempts)
        default: self
        }
    }
}

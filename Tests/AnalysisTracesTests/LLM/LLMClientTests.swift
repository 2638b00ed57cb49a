import Foundation
import LoopbackServers
import Testing
@testable import AnalysisTraces

/// The client against a real HTTP server on loopback; waits for backoff and rate limits go
/// through a virtual clock, so no test sleeps through a backoff.
@Suite(.timeLimit(.minutes(10))) struct LLMClientTests {
    private static let answer = ScriptedResponse.completion(content: "42", usage: ScriptedUsage(prompt: 10, completion: 2))

    private func withClient<R: Sendable>(
        _ script: ChatScript, clock: VirtualClock = VirtualClock(),
        configure: (inout LLMConfiguration) -> Void = { _ in },
        _ body: (LLMClient, ScriptedChatServer) async throws -> R
    ) async throws -> R {
        try await withScriptedChatServer(script: script) { server in
            var configuration = LLMConfiguration(
                role: .teacher, baseURL: server.baseURL, apiKey: "sk-test", model: "scripted-model", cacheMode: .off)
            configuration.retry = RetryPolicy(maxAttempts: 4, base: .milliseconds(500), cap: .seconds(8))
            configure(&configuration)
            let client = try LLMClient(
                configuration: configuration, clock: clock.clock, jitter: RetryJitter(seed: 7), logger: LLMTestSupport.logger)
            do {
                let result = try await body(client, server)
                try await client.shutdown()
                return result
            } catch {
                try? await client.shutdown()
                throw error
            }
        }
    }

    private func failure(_ client: LLMClient, _ request: ChatRequest = LLMTestSupport.request()) async -> LLMError? {
        do {
            let completion = try await client.complete(request)
            Issue.record("expected an error, got \(completion)")
            return nil
        } catch {
            return error
        }
    }

    @Test func sendsTheRequestBodyWithTheKeyAndRecordsTheCall() async throws {
        try await withClient(.always(Self.answer)) { client, server in
            let request = LLMTestSupport.request()
            let completion = try await client.complete(request)
            #expect(completion.message.content == "42")
            #expect(completion.usage == Usage(calls: 1, promptTokens: 10, completionTokens: 2, reasoningTokens: 0, costUSD: nil))
            #expect(await server.requests() == [try JSONParser.parse(ChatRequestBody.bytes(request))])
            let http = try #require(await server.httpRequests().first)
            #expect(http.path == "/v1/chat/completions")
            #expect(http.headers["authorization"] == "Bearer sk-test")
            #expect(http.headers["content-type"] == "application/json")
            let totals = client.ledger.totals
            #expect(totals.calls == 1 && totals.promptTokens == 10 && totals.completionTokens == 2 && totals.unpricedCalls == 1)
        }
    }

    @Test func retriesA429AfterTheRetryAfterSeconds() async throws {
        let clock = VirtualClock()
        try await withClient(ChatScript([ChatRule(respond: [.status(429, retryAfter: "3"), Self.answer])]), clock: clock) { client, server in
            let reply = try await client.complete(LLMTestSupport.request())
            #expect(reply.message.content == "42")
            #expect(await server.requestCount() == 2)
            #expect(clock.sleeps == [.seconds(3)])
            #expect(client.ledger.totals.retries == 1)
        }
    }

    @Test func retriesA429WithoutRetryAfterWithJitteredExponentialBackoff() async throws {
        let clock = VirtualClock()
        try await withClient(ChatScript([ChatRule(respond: [.status(429), .status(429), .status(429), Self.answer])]), clock: clock) { client, _ in
            let reply = try await client.complete(LLMTestSupport.request())
            #expect(reply.message.content == "42")
            let sleeps = clock.sleeps
            #expect(sleeps.count == 3)
            for (index, wait) in sleeps.enumerated() {
                #expect(wait >= .zero && wait <= .milliseconds(500) * (1 << index))
            }
        }
    }

    @Test func capsARetryAfterLongerThanTheLongestWait() async throws {
        let clock = VirtualClock()
        try await withClient(ChatScript([ChatRule(respond: [.status(503, retryAfter: "86400"), Self.answer])]), clock: clock) { client, _ in
            _ = try await client.complete(LLMTestSupport.request())
            #expect(clock.sleeps == [.seconds(120)])
        }
    }

    @Test func retries500And503ThenSucceeds() async throws {
        try await withClient(ChatScript([ChatRule(respond: [.status(500), .status(503), Self.answer])])) { client, server in
            let reply = try await client.complete(LLMTestSupport.request())
            #expect(reply.message.content == "42")
            #expect(await server.requestCount() == 3)
            #expect(client.ledger.totals.retries == 2)
        }
    }

    @Test func doesNotRetryOtherClientErrors() async throws {
        try await withClient(.always(.status(401, body: RecordedResponses.openAI401))) { client, server in
            let error = await failure(client)
            #expect(error == .http(status: 401, message: "Incorrect API key provided: sk-abc12***wxyz.", attempts: 1))
            #expect(await server.requestCount() == 1)
            #expect(client.ledger.totals.failures == ["http": 1])
        }
    }

    @Test func doesNotRetryAnExhaustedQuota() async throws {
        try await withClient(.always(.status(429, body: RecordedResponses.openAIQuota))) { client, server in
            guard case .http(429, _, 1)? = await failure(client) else {
                Issue.record("expected one 429 attempt")
                return
            }
            #expect(await server.requestCount() == 1)
        }
    }

    @Test func givesUpAfterMaxAttemptsWithTheLastStatus() async throws {
        try await withClient(.always(.status(503))) { client, server in
            guard case .http(503, _, 4)? = await failure(client) else {
                Issue.record("expected 503 after 4 attempts")
                return
            }
            #expect(await server.requestCount() == 4)
            #expect(client.ledger.totals.retries == 3)
        }
    }

    @Test func aResponseSlowerThanTheTimeoutIsATimeoutOnEveryAttempt() async throws {
        try await withClient(.always(.delay(.seconds(5), then: Self.answer)), configure: {
            $0.requestTimeout = .milliseconds(300)
            $0.retry.maxAttempts = 2
        }) { client, server in
            let error = await failure(client)
            #expect(error == .timeout(seconds: 0.3, attempts: 2))
            #expect(await server.requestCount() == 2)
            #expect(client.ledger.totals.failures == ["timeout": 1])
        }
    }

    @Test func aDroppedConnectionIsRetried() async throws {
        try await withClient(ChatScript([ChatRule(respond: [.dropConnection, Self.answer])])) { client, server in
            let reply = try await client.complete(LLMTestSupport.request())
            #expect(reply.message.content == "42")
            #expect(await server.requestCount() == 2)
        }
    }

    @Test func aConnectionThatAlwaysDropsEndsAsAConnectionError() async throws {
        try await withClient(.always(.dropConnection), configure: { $0.retry.maxAttempts = 2 }) { client, _ in
            guard case .connection(_, 2)? = await failure(client) else {
                Issue.record("expected a connection error after 2 attempts")
                return
            }
        }
    }

    @Test func aBodyCutShortByADroppedConnectionIsRetried() async throws {
        try await withClient(ChatScript([ChatRule(respond: [.truncatedBody, Self.answer])])) { client, server in
            let reply = try await client.complete(LLMTestSupport.request())
            #expect(reply.message.content == "42")
            #expect(await server.requestCount() == 2)
        }
    }

    @Test func aCompleteBodyThatIsNotJSONIsMalformedAndNotRetried() async throws {
        try await withClient(.always(.invalidJSON)) { client, server in
            guard case .malformedResponse(let detail)? = await failure(client) else {
                Issue.record("expected a malformed response")
                return
            }
            #expect(detail.contains("not valid JSON"))
            #expect(await server.requestCount() == 1)
            #expect(client.ledger.totals.failures == ["malformed_response": 1])
        }
    }

    @Test func emptyChoicesAndNullContentAreMalformed() async throws {
        try await withClient(ChatScript([ChatRule(respond: [.emptyChoices, .nullContent])])) { client, _ in
            #expect(await failure(client) == .malformedResponse("'choices' is empty"))
            #expect(await failure(client) == .malformedResponse("'choices[0].message.content' is null and the message has no reasoning and no tool calls"))
        }
    }

    @Test func readsReasoningAndContentPartsFromTheServer() async throws {
        let script = ChatScript([ChatRule(respond: [
            .completion(content: "done", reasoning: "thinking", reasoningKey: .reasoning, finishReason: "length", contentAsParts: true),
        ])])
        try await withClient(script) { client, _ in
            let completion = try await client.complete(LLMTestSupport.request())
            #expect(completion.message == Message(role: .assistant, content: "done", reasoning: "thinking"))
            #expect(completion.finishReason == "length")
        }
    }

    @Test func neverHasMoreRequestsInFlightThanTheConcurrencyLimit() async throws {
        try await withClient(.always(.delay(.milliseconds(100), then: Self.answer)), configure: { $0.concurrency = 3 }) { client, server in
            try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<12 {
                    group.addTask { try await client.complete(LLMTestSupport.request("q\(index)")).message.content }
                }
                for try await content in group { #expect(content == "42") }
            }
            #expect(await server.requestCount() == 12)
            #expect(await server.maxConcurrentRequests() <= 3)
            #expect(await server.maxConcurrentRequests() >= 2)
        }
    }

    @Test func stopsMakingCallsOnceTheBudgetIsSpent() async throws {
        try await withClient(.always(Self.answer), configure: {
            // 10 prompt tokens at $100,000 per million: $1 a call.
            $0.prices = PriceTable(["scripted-model": ModelPrice(inputPerMillion: 100_000, outputPerMillion: 0)])
            $0.budgetUSD = 2
        }) { client, server in
            let reply = try await client.complete(LLMTestSupport.request("a"))
            #expect(reply.usage.costUSD == 1)
            _ = try await client.complete(LLMTestSupport.request("b"))
            #expect(await failure(client, LLMTestSupport.request("c")) == .budgetExhausted(spentUSD: 2, budgetUSD: 2))
            #expect(await server.requestCount() == 2)
            let totals = client.ledger.totals
            #expect(totals.costUSD == 2 && totals.calls == 2 && totals.failures == ["budget_exhausted": 1])
        }
    }

    @Test func theRequestsPerMinuteLimitSpacesCallsOutOnceTheBucketIsEmpty() async throws {
        let clock = VirtualClock()
        try await withClient(.always(Self.answer), clock: clock, configure: { $0.requestsPerMinute = 2 }) { client, server in
            for index in 0..<4 {
                _ = try await client.complete(LLMTestSupport.request("q\(index)"))
            }
            #expect(clock.sleeps == [.seconds(30), .seconds(30)])
            #expect(await server.requestCount() == 4)
        }
    }

    @Test func theTokensPerMinuteLimitWaitsForTheEstimatedTokens() async throws {
        let clock = VirtualClock()
        try await withClient(.always(Self.answer), clock: clock, configure: {
            $0.tokensPerMinute = 60
            $0.sampling.maxTokens = 50
        }) { client, _ in
            var request = LLMTestSupport.request()
            request.sampling.maxTokens = 50
            _ = try await client.complete(request)
            _ = try await client.complete(request)
            #expect(clock.sleeps.count == 1)
            #expect(clock.sleeps.allSatisfy { $0 > .zero && $0 <= .seconds(60) })
        }
    }
}

@Suite(.timeLimit(.minutes(10))) struct LLMServiceTests {
    private static let answer = ScriptedResponse.completion(content: "42", usage: ScriptedUsage(prompt: 10, completion: 2))

    @Test func aRepeatedRequestIsAnsweredFromTheCacheWithoutTheServer() async throws {
        try await IOTestDirectory.with { dir in
            try await withScriptedChatServer(script: .always(Self.answer)) { server in
                let configuration = LLMConfiguration(
                    role: .teacher, baseURL: server.baseURL, model: "scripted-model", cacheDirectory: dir.file("cache"))
                let service = try LLMService.make(configuration: configuration, logger: LLMTestSupport.logger)
                let first = try await service.complete(LLMTestSupport.request())
                let second = try await service.complete(LLMTestSupport.request())
                _ = try await service.complete(LLMTestSupport.request(sample: 1))
                await service.shutdown()
                #expect(!first.cacheHit && second.cacheHit)
                #expect(second.message == first.message && second.usage == first.usage)
                #expect(await server.requestCount() == 2)
                let totals = service.ledger.totals
                #expect(totals.calls == 2 && totals.cacheHits == 1)
            }
        }
    }

    @Test func replayAnswersFromTheCacheAndAMissNeverUsesTheNetwork() async throws {
        try await IOTestDirectory.with { dir in
            let cache = ResponseCache(directory: dir.file("cache"), mode: .readWrite, logger: LLMTestSupport.logger)
            let cached = LLMTestSupport.request("cached")
            cache.store(cached, responseBody: LLMTestSupport.body("from cache"), completion: LLMTestSupport.completion("from cache"))
            let configuration = LLMConfiguration(
                role: .questions, baseURL: nil, model: "scripted-model", cacheMode: .replay, cacheDirectory: dir.file("cache"))
            let service = try LLMService.make(configuration: configuration, logger: LLMTestSupport.logger)
            #expect(service.client == nil)
            let reply = try await service.complete(cached)
            #expect(reply.message.content == "from cache")
            let missing = LLMTestSupport.request("not cached")
            await #expect(throws: LLMError.cacheMiss(key: ResponseCache.key(for: missing))) {
                try await service.complete(missing)
            }
            #expect(service.ledger.totals.cacheHits == 1 && service.ledger.totals.failures == ["cache_miss": 1])
        }
    }

    @Test func aCacheHitCostsNothingAgainstTheBudget() async throws {
        try await IOTestDirectory.with { dir in
            try await withScriptedChatServer(script: .always(Self.answer)) { server in
                var configuration = LLMConfiguration(
                    role: .teacher, baseURL: server.baseURL, model: "scripted-model", cacheDirectory: dir.file("cache"))
                configuration.prices = PriceTable(["scripted-model": ModelPrice(inputPerMillion: 100_000, outputPerMillion: 0)])
                configuration.budgetUSD = 1
                let service = try LLMService.make(configuration: configuration, logger: LLMTestSupport.logger)
                _ = try await service.complete(LLMTestSupport.request())
                let hit = try await service.complete(LLMTestSupport.request())
                #expect(hit.cacheHit && hit.usage.costUSD == 1)
                await #expect(throws: LLMError.budgetExhausted(spentUSD: 1, budgetUSD: 1)) {
                    try await service.complete(LLMTestSupport.request("new"))
                }
                await service.shutdown()
                #expect(await server.requestCount() == 1)
            }
        }
    }
}

@Suite struct AsyncSemaphoreTests {
    @Test func aCancelledWaiterLeavesTheQueueAndTakesNoPermit() async throws {
        let semaphore = AsyncSemaphore(permits: 1)
        try await semaphore.acquire()
        let waiter = Task { try await semaphore.acquire() }
        try await Task.sleep(for: .milliseconds(20))
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        semaphore.release()
        // The permit is free again: acquiring does not wait.
        try await semaphore.acquire()
        semaphore.release()
    }
}

@testable import AnalysisTraces
import Foundation
import Testing

/// The one retry policy of the LLM client and the download fetcher.
@Suite struct RetryPolicyTests {
    @Test func readsRetryAfterAsSecondsMillisecondsOrAnHTTPDate() throws {
        let policy = RetryPolicy()
        let now = try #require(RetryPolicy.httpDate("Sun, 06 Nov 1994 08:49:37 GMT"))
        #expect(policy.retryAfter(milliseconds: nil, header: "2", now: now) == .seconds(2))
        #expect(policy.retryAfter(milliseconds: nil, header: "0.25", now: now) == .milliseconds(250))
        #expect(policy.retryAfter(milliseconds: "1500", header: "9", now: now) == .milliseconds(1500))
        #expect(policy.retryAfter(milliseconds: nil, header: "Sun, 06 Nov 1994 08:49:47 GMT", now: now) == .seconds(10))
        #expect(policy.retryAfter(milliseconds: nil, header: "Sun, 06 Nov 1994 08:49:00 GMT", now: now) == .zero)
        #expect(policy.retryAfter(milliseconds: nil, header: "1000", now: now) == .seconds(120))
        #expect(policy.retryAfter(milliseconds: nil, header: "soon", now: now) == nil)
        #expect(policy.retryAfter(milliseconds: nil, header: nil, now: now) == nil)
    }

    @Test func backoffIsFullJitterUnderACappedExponential() {
        let policy = RetryPolicy(base: .milliseconds(500), cap: .seconds(4))
        #expect(policy.backoff(afterAttempt: 1, random: 0.999) <= .milliseconds(500))
        #expect(policy.backoff(afterAttempt: 3, random: 0.5) == .seconds(1))
        #expect(policy.backoff(afterAttempt: 10, random: 1) == .seconds(4))
        #expect(policy.backoff(afterAttempt: 2, random: 0) == .zero)
    }

    @Test func retriesTransientStatusesOnly() {
        #expect([408, 429, 500, 502, 503, 504, 520, 529].allSatisfy { RetryPolicy.isRetryable(status: $0) })
        #expect(![200, 301, 400, 401, 402, 403, 404, 416, 422, 501, 505].contains { RetryPolicy.isRetryable(status: $0) })
        #expect(!RetryPolicy.isRetryable(status: 429, message: "insufficient_quota"))
    }

    @Test func theServersWaitReplacesTheBackoff() {
        let policy = RetryPolicy(base: .seconds(1), cap: .seconds(60))
        let jitter = RetryJitter(seed: 1)
        let asked = policy.wait(afterAttempt: 3, retryAfter: .seconds(7), jitter: jitter)
        #expect(asked.duration == .seconds(7) && asked.serverAsked)
        let computed = policy.wait(afterAttempt: 3, retryAfter: nil, jitter: jitter)
        #expect(!computed.serverAsked && computed.duration <= .seconds(4))
    }

    @Test func seededJitterRepeats() {
        let a = RetryJitter(seed: 3), b = RetryJitter(seed: 3)
        let first = (0..<5).map { _ in a.next() }
        #expect(first == (0..<5).map { _ in b.next() })
        #expect(first.allSatisfy { $0 >= 0 && $0 < 1 })
    }
}

import Foundation
import Synchronization

/// The running totals of one LLM service — what a stage prints in its summary and run log —
/// and the spent money that the budget is checked against. Thread-safe; read it at any time
/// with ``totals``.
public final class LLMLedger: Sendable {
    /// A snapshot of the totals.
    public struct Totals: Sendable, Equatable {
        /// Completions the server returned (paid calls; retries of one request count once).
        public var calls: Int = 0
        /// Completions answered from the response cache (free).
        public var cacheHits: Int = 0
        /// Tokens of the paid calls, as the server reported them.
        public var promptTokens: Int = 0
        public var completionTokens: Int = 0
        /// Part of `completionTokens`.
        public var reasoningTokens: Int = 0
        /// The cost of the paid calls whose model has a price (or whose server reported a cost).
        public var costUSD: Double = 0
        /// Paid calls whose cost is unknown (no price for the model); not counted in `costUSD`.
        public var unpricedCalls: Int = 0
        /// Attempts beyond the first.
        public var retries: Int = 0
        /// Requests that ended in an error, by ``LLMError/kind``.
        public var failures: [String: Int] = [:]

        public init() {}

        /// The paid calls as a ``Usage`` (cost nil when some call's cost is unknown).
        public var usage: Usage {
            Usage(
                calls: calls, promptTokens: promptTokens, completionTokens: completionTokens,
                reasoningTokens: reasoningTokens, costUSD: unpricedCalls > 0 ? nil : costUSD)
        }

        /// One line for a stage summary: "12 calls, 3 cache hits, 1234 prompt + 567 completion
        /// tokens (89 reasoning), $0.0421, 2 retries, failures: timeout 1".
        public var summary: String {
            var parts = [
                "\(calls) \(calls == 1 ? "call" : "calls")",
                "\(cacheHits) cache \(cacheHits == 1 ? "hit" : "hits")",
                "\(promptTokens) prompt + \(completionTokens) completion tokens (\(reasoningTokens) reasoning)",
                unpricedCalls == 0 ? "$\(String(format: "%.4f", costUSD))" : "$\(String(format: "%.4f", costUSD)) + \(unpricedCalls) unpriced",
                "\(retries) \(retries == 1 ? "retry" : "retries")",
            ]
            if !failures.isEmpty {
                parts.append("failures: " + failures.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            }
            return parts.joined(separator: ", ")
        }
    }

    private let state = Mutex(Totals())

    public init() {}

    /// The totals so far.
    public var totals: Totals { state.withLock { $0 } }

    /// The money spent so far (paid calls with a known cost).
    public var spentUSD: Double { state.withLock { $0.costUSD } }

    /// Records a completion the server returned; `usage.costUSD` nil counts it as unpriced.
    public func recordCall(_ usage: Usage) {
        state.withLock { totals in
            totals.calls += 1
            totals.promptTokens += usage.promptTokens
            totals.completionTokens += usage.completionTokens
            totals.reasoningTokens += usage.reasoningTokens
            if let cost = usage.costUSD { totals.costUSD += cost } else { totals.unpricedCalls += 1 }
        }
    }

    public func recordCacheHit() {
        state.withLock { $0.cacheHits += 1 }
    }

    public func recordRetry() {
        state.withLock { $0.retries += 1 }
    }

    public func recordFailure(_ error: LLMError) {
        state.withLock { $0.failures[error.kind, default: 0] += 1 }
    }
}

extension LLMError {
    /// A stable snake_case name of the case, for counts and logs: `budget_exhausted`,
    /// `cache_miss`, `http`, `timeout`, `connection`, `malformed_response`.
    public var kind: String {
        switch self {
        case .budgetExhausted: "budget_exhausted"
        case .cacheMiss: "cache_miss"
        case .http: "http"
        case .timeout: "timeout"
        case .connection: "connection"
        case .malformedResponse: "malformed_response"
        }
    }
}

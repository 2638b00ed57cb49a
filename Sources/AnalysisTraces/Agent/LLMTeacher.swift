import Synchronization

/// A teacher that is a model behind an OpenAI-compatible chat endpoint, reached through a
/// ``ChatService`` (the production client with its cache, limits and budget, or a fake in tests).
///
/// Each reply is one chat request: the conversation exactly as the loop recorded it (system
/// prompt, question, the teacher's earlier replies, every feedback and corrective message), with
/// assistant messages sent as their `content` only (a reasoning field is never sent back), the
/// configured sampling parameters, and the trace's sample index (`TeacherContext.sample`: 0 for
/// the gold trace, 1...N for consistency traces), so that repeated draws of one conversation are
/// distinct requests, also to the response cache.
///
/// The reply is the completion's message verbatim, content and reasoning, with the call's usage.
/// A completion cut off by the token limit (`finish_reason` `length`) is kept as it is: the loop's
/// reply parser judges whether it can be run. Every ``LLMError`` propagates; the loop records it on
/// the trace, except ``LLMError/budgetExhausted(spentUSD:budgetUSD:)``, which stops the loop.
public struct LLMTeacher: Teacher {
    /// The model name sent with every request and recorded as `Producer.teacher`.
    public let model: String
    public let promptVersion: String
    public let sampling: SamplingParameters
    private let service: any ChatService
    private let tally: LLMCallTally

    public var name: String { model }

    public init(service: any ChatService, model: String, sampling: SamplingParameters = .init(),
                promptVersion: String = TeacherPrompt.currentVersion) {
        self.service = service
        self.model = model
        self.sampling = sampling
        self.promptVersion = promptVersion
        self.tally = LLMCallTally()
    }

    /// The request this teacher sends for `conversation` in the trace described by `context`.
    public func request(for conversation: [Message], context: TeacherContext) -> ChatRequest {
        ChatRequest(
            model: model,
            messages: conversation.map { Message(role: $0.role, content: $0.content) },
            sampling: sampling,
            sample: context.sample)
    }

    public func reply(to conversation: [Message], context: TeacherContext) async throws -> TeacherReply {
        let completion: ChatCompletion
        do {
            completion = try await service.complete(request(for: conversation, context: context))
        } catch {
            tally.failed()
            throw error
        }
        tally.add(completion)
        return TeacherReply(
            message: Message(role: .assistant, content: completion.message.content, reasoning: completion.message.reasoning),
            usage: completion.usage)
    }

    /// What this teacher's calls have cost so far, over every trace it wrote.
    public var spending: LLMSpending { tally.current }

    public var modelSpending: LLMSpending? { spending }
}

/// What a run's model calls cost: counted by whoever makes them, for logs, run logs and summaries
/// (never for records, which carry `Usage` per trace and episode).
public struct LLMSpending: Sendable, Equatable, CustomStringConvertible {
    /// Completions received, cache hits included.
    public var calls = 0
    /// Completions answered from the response cache (no new cost).
    public var cacheHits = 0
    /// Requests that ended in an error (the budget refusing a call included).
    public var failures = 0
    /// Tokens of every completion received, cache hits included (as the records count them).
    public var promptTokens = 0
    public var completionTokens = 0
    public var reasoningTokens = 0
    /// Dollars of the calls this run made (cache hits excluded: they were paid before); nil when
    /// a call without a known price was made.
    public var costUSD: Double? = 0

    public init() {}

    /// `12 calls (3 from the cache), 4,100 prompt + 800 completion tokens, $0.0123`.
    public var description: String {
        var text = "\(calls) \(calls == 1 ? "call" : "calls") (\(cacheHits) from the cache)"
        text += ", \(promptTokens) prompt + \(completionTokens) completion tokens"
        if reasoningTokens > 0 { text += " (\(reasoningTokens) reasoning)" }
        if failures > 0 { text += ", \(failures) failed" }
        text += ", cost " + (costUSD.map { "$" + Self.dollars($0) } ?? "unknown (no price for the model)")
        return text
    }

    /// Counters for a run log: calls, cache hits, failures, tokens (dollars are not integers).
    public var counters: [String: Int] {
        [
            "llm_calls": calls, "llm_cache_hits": cacheHits, "llm_failures": failures,
            "prompt_tokens": promptTokens, "completion_tokens": completionTokens, "reasoning_tokens": reasoningTokens,
        ]
    }

    static func dollars(_ value: Double) -> String {
        let tenThousandths = Int((value * 10_000).rounded())
        let fraction = String(tenThousandths % 10_000)
        return "\(tenThousandths / 10_000)." + String(repeating: "0", count: 4 - fraction.count) + fraction
    }
}

/// A thread-safe running ``LLMSpending``, shared by every copy of one teacher.
final class LLMCallTally: Sendable {
    private let state = Mutex(LLMSpending())

    var current: LLMSpending { state.withLock { $0 } }

    func add(_ completion: ChatCompletion) {
        state.withLock { spending in
            spending.calls += 1
            spending.promptTokens += completion.usage.promptTokens
            spending.completionTokens += completion.usage.completionTokens
            spending.reasoningTokens += completion.usage.reasoningTokens
            if completion.cacheHit {
                spending.cacheHits += 1
            } else {
                spending.costUSD = switch (spending.costUSD, completion.usage.costUSD) {
                case (let total?, let cost?): total + cost
                default: nil
                }
            }
        }
    }

    func failed() {
        state.withLock { $0.failures += 1 }
    }
}

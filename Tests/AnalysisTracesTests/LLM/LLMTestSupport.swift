import Foundation
import Logging
import Synchronization
@testable import AnalysisTraces

/// A clock whose sleeps return at once and move its time forward, recording every wait.
final class VirtualClock: Sendable {
    private let state = Mutex<(now: Duration, sleeps: [Duration])>((.zero, []))

    var clock: WaitClock {
        WaitClock(
            now: { self.state.withLock { $0.now } },
            sleep: { duration in
                try Task.checkCancellation()
                self.state.withLock {
                    $0.now += duration
                    $0.sleeps.append(duration)
                }
                await Task.yield()
            })
    }

    var sleeps: [Duration] { state.withLock { $0.sleeps } }
}

enum LLMTestSupport {
    static let logger = Logger(label: "llm-tests") { _ in SwiftLogNoOpLogHandler() }

    static func request(_ text: String = "What is the mean?", model: String = "scripted-model", sample: Int = 0) -> ChatRequest {
        ChatRequest(
            model: model,
            messages: [Message(role: .system, content: "You analyse data."), Message(role: .user, content: text)],
            sample: sample)
    }

    static func completion(_ content: String, prompt: Int = 10, completion: Int = 5, cost: Double? = nil) -> ChatCompletion {
        ChatCompletion(
            message: Message(role: .assistant, content: content), finishReason: "stop",
            usage: Usage(calls: 1, promptTokens: prompt, completionTokens: completion, costUSD: cost),
            model: "scripted-model", cacheHit: false)
    }

    /// An OpenAI-shaped body for `content`.
    static func body(_ content: String, prompt: Int = 10, completion: Int = 5) -> [UInt8] {
        Array(#"{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"scripted-model","choices":[{"index":0,"message":{"role":"assistant","content":"\#(content)"},"finish_reason":"stop"}],"usage":{"prompt_tokens":\#(prompt),"completion_tokens":\#(completion),"total_tokens":\#(prompt + completion)}}"#.utf8)
    }
}

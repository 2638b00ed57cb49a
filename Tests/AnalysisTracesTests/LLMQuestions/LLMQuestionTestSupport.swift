import Foundation
import Logging
import Testing
@testable import AnalysisTraces

/// A chat service that answers request `n` with step `n` of its script and records every
/// request it was sent.
struct ScriptedChatService: ChatService {
    enum Step: Sendable {
        case reply(String)
        case fail(LLMError)
    }

    let steps: [Step]
    let log = RequestLog()

    init(_ steps: [Step]) {
        self.steps = steps
    }

    func complete(_ request: ChatRequest) async throws(LLMError) -> ChatCompletion {
        let index = await log.append(request)
        guard index < steps.count else { throw .malformedResponse("the script has no reply \(index + 1)") }
        switch steps[index] {
        case .reply(let text):
            return ChatCompletion(
                message: Message(role: .assistant, content: text, reasoning: "thinking \(index)"), finishReason: "stop",
                usage: Usage(calls: 1, promptTokens: 100, completionTokens: 20, costUSD: 0.01), model: request.model,
                cacheHit: index % 2 == 1)
        case .fail(let error):
            throw error
        }
    }
}

actor RequestLog {
    private(set) var requests: [ChatRequest] = []

    func append(_ request: ChatRequest) -> Int {
        requests.append(request)
        return requests.count - 1
    }
}

/// A notebook without Python: every cell prints `ran: <code>`; the codes it ran are kept.
final class FakeExecutor: CellExecutor, @unchecked Sendable {
    private let lock = NSLock()
    private var ran: [String] = []
    private var resets = 0
    let failing: Bool

    init(failing: Bool = false) {
        self.failing = failing
    }

    var cells: [String] { lock.withLock { ran } }
    var resetCount: Int { lock.withLock { resets } }

    func reset() async throws {
        lock.withLock { resets += 1 }
    }

    struct Gone: Error, CustomStringConvertible {
        var description: String { "the sandbox is gone" }
    }

    func run(_ code: String, timeout: Duration?) async throws -> CellResult {
        if failing { throw Gone() }
        lock.withLock { ran.append(code) }
        let execution = Execution(stdout: "ran: \(code)\n", stdoutDropped: 0, stderr: "", stderrDropped: 0, result: nil, error: nil, timedOut: false, stateReset: false)
        return CellResult(execution: execution, events: [], seconds: 0.01)
    }
}

enum LLMQuestionFixtures {
    static let dataset = Dataset(
        id: "fixture", title: "Fixture table", description: "Six rows of groups and values.",
        source: DatasetSource(kind: .bundled, ref: "data.csv", version: nil, file: nil),
        license: DatasetLicense(spdx: nil, name: "CC0", url: nil), sha256: String(repeating: "a", count: 64),
        bytes: 80, rows: 6, columns: ["id", "group", "value", "label"], fetchedAt: "2024-01-01T00:00:00Z",
        loader: LoaderSettings(delimiter: ",", encoding: "utf-8", naValues: ["", "NA"]))

    static func cell(_ code: String) -> String {
        "Let me look.\n\n```python\n\(code)\n```"
    }

    /// A JSON array reply of the given proposals, in a json fence.
    static func proposals(_ values: [JSONValue]) -> String {
        "Here they are.\n\n```json\n" + String(decoding: JSONWriter.prettyBytes(.array(values)), as: UTF8.self) + "\n```"
    }

    static func proposal(_ question: String, hint: String, difficulty: String = "medium", steps: Int = 2) -> JSONValue {
        .object([
            ("question", .string(question)), ("hint", .string(hint)), ("difficulty", .string(difficulty)),
            ("expected_steps", .int(Int64(steps))),
            ("output_schema", .object([("type", .string("number")), ("decimals", .int(2)), ("ordered", .null), ("items", .null), ("fields", .null)])),
        ])
    }

    static let meanQuestion = proposal("What is the mean of \"value\" over rows where \"group\" is \"c\"? Round to 2 decimal places.", hint: "Filter with df[df.group == 'c'] and average.")
    static let maxQuestion = proposal("What is the largest \"value\" among rows with a non-missing \"label\"? Round to 2 decimal places.", hint: "Drop missing labels with dropna, then max.")
    static let spreadQuestion = proposal("What is the range (maximum minus minimum) of \"value\"? Round to 2 decimal places.", hint: "Subtract min() from max(); missing values are skipped by default.", difficulty: "easy", steps: 1)

    static func generator(_ service: some ChatService, count: Int, turns: Int = 2, reasks: Int = 1, malformed: Int = 2) throws -> LLMQuestionGenerator {
        LLMQuestionGenerator(
            service: service, model: "scripted-model", sampling: SamplingParameters(temperature: 0.7),
            settings: LLMQuestionSettings(questionCount: count, explorationTurns: turns, maxMalformedReplies: malformed, maxReasks: reasks),
            prompt: try QuestionPrompt.load())
    }

    static let logger: Logger = {
        var logger = Logger(label: "llm-questions-tests")
        logger.logLevel = .warning
        return logger
    }()
}

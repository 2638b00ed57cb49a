import AnalysisTraces
import Foundation
import LoopbackServers
import TestSupport
import Testing

/// `question-gen` with LLM questions: the real binary, the real sandbox, a scripted
/// OpenAI-compatible server on loopback.
@Suite(.serialized, .requiresSandbox, .timeLimit(.minutes(10)))
struct LLMQuestionGenTests {
    static let proposals = """
        Here are my questions.

        ```json
        [
          {"question": "What is the mean \\"petal_length_cm\\" of the rows where \\"species\\" is \\"virginica\\"? Round to 2 decimal places.",
           "hint": "Select the virginica rows with a boolean mask, then take the mean.",
           "difficulty": "easy", "expected_steps": 2,
           "output_schema": {"type": "number", "decimals": 2}},
          {"question": "How many rows have a \\"sepal_width_cm\\" strictly greater than 3.5?",
           "hint": "Compare with > and sum the booleans.",
           "difficulty": "easy", "expected_steps": 1,
           "output_schema": {"type": "integer", "decimals": null, "ordered": null, "items": null, "fields": null}},
          {"question": "Which column has the largest variance, \\"petal_length_cm\\" or \\"sepal_length_cm\\"?",
           "hint": "petal_length_cm has the widest spread; check with var().",
           "difficulty": "easy", "expected_steps": 1,
           "output_schema": {"type": "string"}}
        ]
        ```
        """

    static let script = ChatScript([
        ChatRule(when: .lastUserMessageContains("Now write"), respond: .reply(proposals)),
        ChatRule(when: .any, respond: .step("Let me see the shape.", code: "print(df.shape)")),
    ])

    /// Runs the stage in the fixture with the `LLM_*` variables of this process removed.
    static func run(_ fixture: PipelineFixture, _ arguments: [String]) async throws -> ChildProcess.Outcome {
        try await fixture.run("question-gen", arguments, environment: ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("LLM_") })
    }

    /// A fixture with iris and the `data/questions` folder (Make creates it before the stage runs).
    static func fixture() throws -> PipelineFixture {
        let fixture = try PipelineFixture(dataset: "iris")
        try FileManager.default.createDirectory(atPath: fixture.path("data/questions"), withIntermediateDirectories: true)
        return fixture
    }

    static func common(_ output: String) -> [String] {
        ["--dataset", "data/datasets/iris", "--output", output, "--max-questions", "2", "--workers", "1", "--llm-model", "scripted-model"]
    }

    @Test("with an LLM configured, template and LLM questions are written, and a cache replay gives the same bytes")
    func writesBothAndReplays() async throws {
        let fixture = try Self.fixture()
        try await withScriptedChatServer(script: Self.script) { server in
            let first = try await Self.run(fixture, Self.common("data/questions/iris.jsonl.gz") + [
                "--llm-base-url", server.baseURL, "--llm-questions", "2", "--exploration-turns", "1",
            ])
            #expect(first.status == 0, "\(first.stderr)")
            let questions = try JSONLinesReader<Question>(path: fixture.path("data/questions/iris.jsonl.gz")).readAll()
            #expect(questions.map(\.source) == [.template, .template, .llm, .llm])
            let llm = questions[2]
            #expect(llm.generator.name == "scripted-model")
            #expect(llm.generator.version == "questions-v1")
            #expect(llm.groundTruth == nil)
            #expect(llm.generator.exploration?.contains { $0.content.contains("(150, 5)") } == true, "the exploration cell ran in the sandbox")
            #expect(await server.requestCount() == 2)

            let log = try String(contentsOfFile: fixture.path("data/questions/iris.jsonl.gz.run.json"), encoding: .utf8)
            #expect(log.contains("\"llm_written\": 2") || log.contains("\"llm_written\":2"), "\(log)")
            #expect(log.contains("llm_rejected_discovery_leak"), "the third proposal names its hint's column")
        }
        // Offline: every response from the cache, no server.
        let replay = try await Self.run(fixture, Self.common("data/questions/replay.jsonl.gz") + [
            "--llm-cache", "replay", "--llm-questions", "2", "--exploration-turns", "1",
        ])
        #expect(replay.status == 0, "\(replay.stderr)")
        let original = try JSONLinesReader<Question>(path: fixture.path("data/questions/iris.jsonl.gz")).readAll()
        let replayed = try JSONLinesReader<Question>(path: fixture.path("data/questions/replay.jsonl.gz")).readAll()
        let encoder = RecordEncoder()
        #expect(try original.map { try encoder.encode($0) } == replayed.map { try encoder.encode($0) })
    }

    @Test("a budget spent before any question exits 1 with LLM questions alone, and keeps the template questions otherwise")
    func budgetExhaustion() async throws {
        let fixture = try Self.fixture()
        let prices = fixture.path("prices.json")
        try Data(#"{"scripted-model": {"input_per_million": 1000000, "output_per_million": 1000000}}"#.utf8).write(to: URL(fileURLWithPath: prices))
        try await withScriptedChatServer(script: Self.script) { server in
            let budget = ["--llm-base-url", server.baseURL, "--llm-prices", prices, "--llm-budget-usd", "0.01", "--llm-cache", "off", "--exploration-turns", "2"]
            let alone = try await Self.run(fixture, Self.common("data/questions/alone.jsonl.gz") + budget + ["--source", "llm"])
            #expect(alone.status == 1, "\(alone.stderr)")
            #expect(alone.stderr.contains("budget"))
            #expect(!FileManager.default.fileExists(atPath: fixture.path("data/questions/alone.jsonl.gz")))

            let both = try await Self.run(fixture, Self.common("data/questions/both.jsonl.gz") + budget + ["--source", "both"])
            #expect(both.status == 0, "\(both.stderr)")
            #expect(both.stderr.contains("LLM questions lost"))
            let questions = try JSONLinesReader<Question>(path: fixture.path("data/questions/both.jsonl.gz")).readAll()
            #expect(questions.map(\.source) == [.template, .template])
        }
    }

    @Test("asking for LLM questions without an LLM is a usage error")
    func llmSourceNeedsAnLLM() async throws {
        let fixture = try Self.fixture()
        let outcome = try await Self.run(fixture, Self.common("data/questions/iris.jsonl.gz") + ["--source", "llm"])
        #expect(outcome.status == 64)
        #expect(outcome.stderr.contains("needs an LLM"))
    }
}

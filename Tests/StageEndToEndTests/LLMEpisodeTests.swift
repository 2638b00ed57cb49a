import AnalysisTraces
import Foundation
import LoopbackServers
import TestSupport
import Testing

/// `episode-gen` with the LLM teacher: the real binary against the scripted OpenAI-compatible
/// server on 127.0.0.1, the real sandbox, and the response cache in the fixture folder.
@Suite(.serialized, .requiresSandbox, .timeLimit(.minutes(10)))
struct LLMEpisodeTests {
    static let dataset = "penguins"
    static let model = "scripted-teacher"

    /// Two steps per trace: count the rows with a hook, then submit the count (344).
    static let script = ChatScript([
        ChatRule { body in
            let messages = ChatBodyFields.messages(body)
            let replies = messages.filter { ChatBodyFields.role($0) == "assistant" }.count
            return replies == 0
                ? .step("Count the rows first.", code: "n_rows = len(df)\nhook(n_rows, 'n_rows = len(df)', name='n_rows')\nprint(n_rows)")
                : .step("Submit the count.", code: "submit(int(n_rows))")
        },
    ])

    /// Writes `llm` LLM questions (easy: a gold and two consistency traces each) and one template
    /// question with its ground truth, for the fixture's dataset.
    static func writeQuestions(in fixture: PipelineFixture, llm: Int) throws {
        let folder = try DatasetFolder(path: fixture.path("data/datasets/\(dataset)"))
        func question(_ id: String, _ source: Question.Source, groundTruth: JSONValue?) -> Question {
            Question(
                id: id, datasetID: dataset, datasetSHA256: folder.record.sha256, source: source,
                question: "\(id): How many penguins does the table describe?", hint: "Every row is one penguin.",
                difficulty: .easy, expectedSteps: 1, outputSchema: .integer,
                groundTruth: groundTruth.map { GroundTruth(value: $0, sha256: CanonicalJSON.sha256($0), accepted: [AnswerValue($0)]) },
                generator: QuestionGenerator(name: source == .llm ? "llm" : "count_rows", version: "1", parameters: .object([]), program: nil, exploration: nil))
        }
        let questions = (1...llm).map { question("llm_\($0)", .llm, groundTruth: nil) } + [question("template_rows", .template, groundTruth: .int(344))]
        _ = try RecordFile.publish(questions, to: fixture.path("questions.jsonl.gz"))
    }

    static func arguments(output: String, server: ScriptedChatServer, workers: Int = 4, extra: [String] = []) -> [String] {
        [
            "--questions", "questions.jsonl.gz", "--dataset", "data/datasets/\(dataset)", "--output", output,
            "--teacher", "llm", "--workers", "\(workers)",
            "--llm-base-url", server.baseURL, "--llm-model", model, "--llm-cache-dir", "cache",
            // A seed makes each draw's body distinct (seed + sample), so bodies identify calls.
            "--llm-max-attempts", "1", "--llm-seed", "7",
        ] + extra
    }

    static func episodeGen(_ fixture: PipelineFixture, _ arguments: [String]) async throws -> ChildProcess.Outcome {
        try await fixture.run("episode-gen", arguments)
    }

    /// The chat requests the server got, canonical; a body cut short by a kill (recorded as a
    /// string) is left out.
    static func bodies(_ server: ScriptedChatServer) async -> [String] {
        await server.requests().compactMap { body in
            guard case .object = body else { return nil }
            return CanonicalJSON.string(body)
        }
    }

    @Test func solvesLLMQuestionsByTriangulationAndTemplateQuestionsByGroundTruth() async throws {
        let fixture = try PipelineFixture(dataset: Self.dataset)
        try Self.writeQuestions(in: fixture, llm: 2)
        try await withScriptedChatServer(script: Self.script) { server in
            let outcome = try await Self.episodeGen(fixture, Self.arguments(output: "episodes.jsonl.gz", server: server))
            #expect(outcome.status == 0, "stderr: \(outcome.stderr.suffix(2000))")
            let episodes = try JSONLinesReader<Episode>(path: fixture.path("episodes.jsonl.gz")).readAll()
            #expect(episodes.map(\.question.id) == ["llm_1", "llm_2", "template_rows"])
            for episode in episodes.prefix(2) {
                #expect(episode.traces.map(\.role) == [.gold, .consistency, .consistency])
                #expect(episode.verification.method == .triangulation)
                #expect(episode.verification.verified, "\(episode.verification.reason)")
                #expect(episode.producer.teacher == Self.model)
                #expect(episode.usage.calls == 6)
                #expect(episode.traces.allSatisfy { $0.answer == AnswerValue(.int(344)) })
            }
            #expect(episodes[2].traces.count == 1)
            #expect(episodes[2].verification.method == .groundTruth)
            #expect(episodes[2].verification.verified)
            // 2 LLM questions × 3 traces × 2 calls, and the template question's 2 calls.
            #expect(await server.requestCount() == 14)
            let requests = await server.requests()
            #expect(Set(requests.map(ChatBodyFields.model)) == [Self.model])

            let log = try String(contentsOfFile: fixture.path("episodes.jsonl.gz.run.json"), encoding: .utf8)
            #expect(log.contains(#""llm_calls": 14"#))
            #expect(log.contains(#""traces": 7"#))

            // The same run again is answered from the cache alone, and writes the same bytes.
            let first = try Data(contentsOf: URL(fileURLWithPath: fixture.path("episodes.jsonl.gz")))
            let again = try await Self.episodeGen(fixture, Self.arguments(output: "again.jsonl.gz", server: server))
            #expect(again.status == 0, "stderr: \(again.stderr.suffix(2000))")
            #expect(await server.requestCount() == 14, "every call of the rerun is a cache hit")
            #expect(try Data(contentsOf: URL(fileURLWithPath: fixture.path("again.jsonl.gz"))) == first)
            let rerunLog = try String(contentsOfFile: fixture.path("again.jsonl.gz.run.json"), encoding: .utf8)
            #expect(rerunLog.contains(#""llm_cache_hits": 14"#))
        }
    }

    @Test func aRerunAfterAKillPaysForNoCompletedCallAgain() async throws {
        let fixture = try PipelineFixture(dataset: Self.dataset)
        try Self.writeQuestions(in: fixture, llm: 8)
        let partial = fixture.path("killed.jsonl.gz.partial")
        // Slow answers, so that the kill lands while calls are in flight.
        let firstRun = try await withScriptedChatServer(script: Self.script, responseDelay: .milliseconds(150)) { server in
            let child = try fixture.start(
                "episode-gen", Self.arguments(output: "killed.jsonl.gz", server: server, workers: 2) + ["--quiet"], output: .discard)
            let killedMidway = try await child.whileRunning { OfflinePathTests.size(of: partial) > 1_000 }
            child.send(SIGKILL)
            _ = await child.outcome()
            #expect(killedMidway, "the run finished before it could be killed mid-dataset")
            return await Self.bodies(server)
        }
        #expect(!FileManager.default.fileExists(atPath: fixture.path("killed.jsonl.gz")))

        try await withScriptedChatServer(script: Self.script) { server in
            let outcome = try await Self.episodeGen(fixture, Self.arguments(output: "killed.jsonl.gz", server: server, workers: 2))
            #expect(outcome.status == 0, "stderr: \(outcome.stderr.suffix(2000))")
            #expect(outcome.stderr.contains("resuming from the partial file"))
            let secondRun = await Self.bodies(server)
            // Only the calls still in flight at the kill (at most one per worker) can be asked again.
            let repeated = Set(secondRun).intersection(firstRun)
            #expect(repeated.count <= 2, "\(repeated.count) requests of the killed run were sent again")
            #expect(Set(firstRun).union(secondRun).count == 8 * 6 + 2, "every call of the dataset was made")
            let episodes = try JSONLinesReader<Episode>(path: fixture.path("killed.jsonl.gz")).readAll()
            #expect(episodes.count == 9)
            #expect(episodes.allSatisfy { $0.verification.verified })
        }
    }

    @Test func stopsWhenTheBudgetIsSpentAndARerunWithMoreBudgetContinues() async throws {
        let fixture = try PipelineFixture(dataset: Self.dataset)
        try Self.writeQuestions(in: fixture, llm: 4)
        // $1 per million tokens each way; a step costs a few thousand tokens, so a budget of
        // $0.01 runs out after a few calls.
        let prices = fixture.path("prices.json")
        try Data(#"{"\#(Self.model)": {"input_per_million": 1, "output_per_million": 1}}"#.utf8).write(to: URL(fileURLWithPath: prices))
        let firstRun = try await withScriptedChatServer(script: Self.script) { server in
            let outcome = try await Self.episodeGen(fixture, Self.arguments(
                output: "episodes.jsonl.gz", server: server, workers: 1, extra: ["--llm-prices", prices, "--llm-budget-usd", "0.01"]))
            #expect(outcome.status == 1, "stderr: \(outcome.stderr.suffix(2000))")
            #expect(outcome.stderr.contains("budget"))
            #expect(outcome.stderr.contains("Rerun with a larger budget to continue"))
            #expect(!FileManager.default.fileExists(atPath: fixture.path("episodes.jsonl.gz")))
            #expect(FileManager.default.fileExists(atPath: fixture.path("episodes.jsonl.gz.partial")))
            return await Self.bodies(server)
        }
        #expect(!firstRun.isEmpty)
        #expect(firstRun.count < 4 * 6 + 2, "the budget stopped the run early")

        try await withScriptedChatServer(script: Self.script) { server in
            let outcome = try await Self.episodeGen(fixture, Self.arguments(
                output: "episodes.jsonl.gz", server: server, workers: 1, extra: ["--llm-prices", prices, "--llm-budget-usd", "100"]))
            #expect(outcome.status == 0, "stderr: \(outcome.stderr.suffix(2000))")
            let secondRun = await Self.bodies(server)
            #expect(Set(secondRun).isDisjoint(with: firstRun), "the cache keeps every paid call")
            #expect(secondRun.count + firstRun.count == 4 * 6 + 2)
            #expect(try JSONLinesReader<Episode>(path: fixture.path("episodes.jsonl.gz")).readAll().count == 5)
        }
    }
}

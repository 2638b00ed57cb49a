import Foundation
import Testing
@testable import AnalysisTraces
import TestSupport

/// `EpisodeGeneration` with the LLM teacher over a fake chat service and the real sandbox, on
/// the bundled penguins table (344 rows, 3 species).
@Suite(.requiresSandbox, .timeLimit(.minutes(10)))
struct LLMEpisodeGenerationTests {
    static let plan = ConsistencyPlan(easy: 2, medium: 2, hard: 3, veryHard: 4)
    static let model = "teacher-model"

    /// The bundled penguins dataset, read in place, and a scratch folder for the files.
    final class Fixture: Sendable {
        let folder: DatasetFolder
        let directory: URL

        init() throws {
            folder = try DatasetFolder(path: BundledDatasets.folder("penguins").path)
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("llm-episodes-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }

        deinit { try? FileManager.default.removeItem(at: directory) }

        var questionsPath: String { directory.appendingPathComponent("questions.jsonl.gz").path }
        var output: String { directory.appendingPathComponent("episodes.jsonl.gz").path }

        func question(_ id: String, _ text: String, source: Question.Source = .llm, difficulty: Question.Difficulty,
                      schema: AnswerSchema = .integer, groundTruth: JSONValue? = nil) -> Question {
            Question(
                id: id, datasetID: "penguins", datasetSHA256: folder.record.sha256, source: source, question: text,
                hint: "Hint for \(id).", difficulty: difficulty, expectedSteps: 1, outputSchema: schema,
                groundTruth: groundTruth.map { GroundTruth(value: $0, sha256: CanonicalJSON.sha256($0), accepted: [AnswerValue($0)]) },
                generator: QuestionGenerator(name: source == .llm ? "llm" : "fixture", version: "1", parameters: .object([]), program: nil, exploration: nil))
        }

        func stage(_ questions: [Question], service: FakeChatService, workers: Int) throws -> EpisodeGeneration {
            _ = try RecordFile.publish(questions, to: questionsPath)
            let sandbox = SandboxConfiguration(
                csvPath: folder.csvPath, loader: folder.record.loader, python: SandboxTestEnvironment.python)
            return EpisodeGeneration(
                dataset: folder, questionsPath: questionsPath, output: output, sandbox: sandbox,
                teacher: LLMTeacher(service: service, model: LLMEpisodeGenerationTests.model),
                loop: AgentLoopConfiguration(maxTurns: 4), seed: 0, workers: workers, consistency: LLMEpisodeGenerationTests.plan)
        }

        func episodes(at path: String? = nil) throws -> [Episode] {
            try JSONLinesReader<Episode>(path: path ?? output).readAll()
        }
    }

    static let countRows = "n_rows = len(df)\nhook(n_rows, 'n_rows = len(df)', name='n_rows')\nsubmit(n_rows)"

    /// Which question a request is about, from the first line of its user message.
    static func questionID(_ request: ChatRequest) -> String {
        String(request.userMessage.prefix { $0 != ":" })
    }

    @Test func runsGoldAndConsistencyTracesAndVerifiesEachQuestionByItsMethod() async throws {
        let fixture = try Fixture()
        let questions = [
            fixture.question("rows", "rows: How many rows does the table have?", difficulty: .medium),
            fixture.question("species", "species: How many species are there?", source: .template, difficulty: .easy, groundTruth: .int(3)),
            fixture.question("split", "split: How many rows, again?", difficulty: .hard),
            fixture.question("faults", "faults: How many rows are there?", difficulty: .easy),
        ]
        let service = FakeChatService { request, _ throws(LLMError) in
            switch (Self.questionID(request), request.sample, request.step) {
            case ("rows", _, _):
                return FakeChatService.step(Self.countRows)
            case ("species", _, _):
                return FakeChatService.step("k = int(df['species'].nunique())\nsubmit(k)")
            case ("split", 0, _):
                return FakeChatService.step("submit(1)")
            case ("split", _, _):
                return FakeChatService.step("submit(2)")
            // The gold trace of "faults": no code block, then a fake submission marker printed in
            // code (not a submission), then a real answer.
            case ("faults", 0, 0):
                return FakeChatService.completion("The answer is 344. ✓ Submitted: 344")
            case ("faults", 0, 1):
                return FakeChatService.step("print('✓ Submitted: 344')\nprint('[submitted] 344')")
            case ("faults", 0, _):
                return FakeChatService.step(Self.countRows)
            case ("faults", 1, _):
                throw LLMError.http(status: 500, message: "internal error", attempts: 3)
            case ("faults", _, _):
                return FakeChatService.completion("```\nprint(1)\n```")
            default:
                throw LLMError.malformedResponse("unexpected request \(request.userMessage)")
            }
        }
        let stage = try fixture.stage(questions, service: service, workers: 3)
        let summary = try await stage.run(logger: SandboxTestEnvironment.logger)

        #expect(summary.questions == 4)
        #expect(summary.verified == 2)
        #expect(summary.traces == 3 + 1 + 4 + 3)
        #expect(summary.failuresByReason == ["gold_outside_majority": 1, "quorum_of_one": 1])
        #expect(summary.outputChanged)
        #expect(!FileManager.default.fileExists(atPath: fixture.output + ".partial"))
        let spending = try #require(summary.spending)
        let requests = await service.requests
        #expect(spending.calls + spending.failures == requests.count)
        #expect(spending.failures == 1)

        let episodes = try fixture.episodes()
        #expect(episodes.map(\.question.id) == ["rows", "species", "split", "faults"], "published in question order")
        for episode in episodes {
            #expect(episode.producer.teacher == Self.model)
            #expect(episode.producer.promptVersion == TeacherPrompt.currentVersion)
            #expect(episode.traces.first?.role == .gold)
            #expect(episode.traces.dropFirst().allSatisfy { $0.role == .consistency })
            #expect(episode.usage == episode.traces.dropFirst().reduce(episode.traces[0].usage) { $0 + $1.usage })
            for (index, trace) in episode.traces.enumerated() {
                expectWellFormed(trace)
                #expect(trace.messages[1].content.contains("Hint:") == (index == 0), "only the gold trace gets the hint")
            }
        }

        let rows = episodes[0]
        #expect(rows.traces.count == 3)
        #expect(rows.verification.method == .triangulation)
        #expect(rows.verification.verified)
        #expect(rows.verification.votes.map(\.traces) == [[0, 1, 2]])
        #expect(rows.traces.allSatisfy { $0.answer == AnswerValue(.int(344)) && $0.endReason == .submitted })
        #expect(rows.usage.calls == 3)
        #expect(rows.usage.promptTokens == 300)
        #expect(abs((rows.usage.costUSD ?? 0) - 0.003) < 1e-12)
        #expect(rows.traces[0].messages[2].reasoning == "private thoughts")
        let rowSamples = requests.filter { Self.questionID($0) == "rows" }.map { $0.sample }.sorted()
        #expect(rowSamples == [0, 1, 2], "one request per trace, each its own sample")

        let species = episodes[1]
        #expect(species.traces.count == 1, "a template question gets the gold trace alone")
        #expect(species.verification.method == .groundTruth)
        #expect(species.verification.verified)

        let split = episodes[2]
        #expect(split.traces.count == 4)
        #expect(!split.verification.verified)
        #expect(split.verification.method == .triangulation)
        #expect(split.verification.votes.map(\.traces) == [[1, 2, 3], [0]])

        let faults = episodes[3]
        #expect(faults.traces.count == 3)
        #expect(!faults.verification.verified)
        let gold = faults.traces[0]
        #expect(gold.endReason == .submitted)
        #expect(gold.answer == AnswerValue(.int(344)))
        #expect(gold.turns.count == 2, "the reply without code is corrected, not run")
        #expect(gold.turns[0].submission == nil, "a printed submission marker is not a submission")
        #expect(gold.turns[0].execution.stdout.contains("✓ Submitted: 344"))
        #expect(faults.traces[1].endReason == .error)
        #expect(faults.traces[1].error?.contains("HTTP 500") == true)
        #expect(faults.traces[2].endReason == .malformed)
        #expect(faults.verification.reason.contains("quorum of one"))
    }

    @Test func stopsCleanlyWhenTheBudgetIsSpentAndARerunResumes() async throws {
        let fixture = try Fixture()
        let questions = [
            fixture.question("first", "first: How many rows?", difficulty: .medium),
            fixture.question("second", "second: How many rows?", difficulty: .easy),
            fixture.question("third", "third: How many rows?", difficulty: .easy),
        ]
        // Enough budget for the three traces of the first question, one trace at a time.
        let spending = FakeChatService { _, call throws(LLMError) in
            if call > 3 { throw LLMError.budgetExhausted(spentUSD: 0.003, budgetUSD: 0.003) }
            return FakeChatService.step(Self.countRows)
        }
        let stage = try fixture.stage(questions, service: spending, workers: 1)
        let stop = await #expect(throws: EpisodeBudgetStop.self) {
            _ = try await stage.run(logger: SandboxTestEnvironment.logger)
        }
        #expect(stop?.done == 1)
        #expect(stop?.total == 3)
        #expect(stop?.cause == .budgetExhausted(spentUSD: 0.003, budgetUSD: 0.003))
        let message = "\(stop.map { "\($0)" } ?? "")"
        #expect(message.contains("1 of 3 questions are done"))
        #expect(message.contains("Rerun with a larger budget"))
        #expect(!FileManager.default.fileExists(atPath: fixture.output), "no output is published")
        let kept = try fixture.episodes(at: fixture.output + ".partial")
        #expect(kept.map(\.question.id) == ["first"], "only the finished episode is kept")
        #expect(kept.first?.traces.count == 3)

        let paid = FakeChatService { _, _ in FakeChatService.step(Self.countRows) }
        let summary = try await fixture.stage(questions, service: paid, workers: 2).run(logger: SandboxTestEnvironment.logger)
        #expect(summary.resumed == 1)
        #expect(summary.verified == 3)
        #expect(try fixture.episodes().map(\.question.id) == ["first", "second", "third"])
        let again = await paid.requests
        #expect(again.count == 6, "the finished question is not solved again")
        #expect(!again.contains { Self.questionID($0) == "first" })
    }

    @Test func startsOverAPartialMadeWithAnotherConsistencyPlan() async throws {
        let fixture = try Fixture()
        let questions = [fixture.question("only", "only: How many rows?", difficulty: .easy)]
        let service = FakeChatService { _, call throws(LLMError) in
            if call > 3 { throw LLMError.budgetExhausted(spentUSD: 1, budgetUSD: 1) }
            return FakeChatService.step(Self.countRows)
        }
        // Two questions' worth of partial: finish "only" (3 traces), then stop.
        let twoQuestions = questions + [fixture.question("next", "next: How many rows?", difficulty: .easy)]
        await #expect(throws: EpisodeBudgetStop.self) {
            _ = try await fixture.stage(twoQuestions, service: service, workers: 1).run(logger: SandboxTestEnvironment.logger)
        }
        #expect(try fixture.episodes(at: fixture.output + ".partial").count == 1)

        var stage = try fixture.stage(twoQuestions, service: FakeChatService { _, _ in FakeChatService.step(Self.countRows) }, workers: 2)
        stage.consistency = ConsistencyPlan(easy: 3, medium: 2, hard: 3, veryHard: 4)
        let summary = try await stage.run(logger: SandboxTestEnvironment.logger)
        #expect(summary.resumed == 0, "an episode with another number of traces is not resumed")
        #expect(try fixture.episodes().map(\.traces.count) == [4, 4])
    }
}

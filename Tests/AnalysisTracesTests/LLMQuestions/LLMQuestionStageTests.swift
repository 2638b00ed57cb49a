import Foundation
import Logging
import Testing
@testable import AnalysisTraces
import TestSupport

/// `QuestionGeneration` with LLM questions over the real sandbox, the model scripted.
@Suite(.requiresSandbox, .timeLimit(.minutes(10)))
struct LLMQuestionStageTests {
    typealias F = LLMQuestionFixtures

    /// A copy of the bundled iris dataset in a temporary folder, removed afterwards.
    static func withIris<R>(_ body: (DatasetFolder, URL) async throws -> R) async throws -> R {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("llm-questions-\(UUID().uuidString)")
        let folder = root.appendingPathComponent("iris")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.copyItem(
            at: BundledDatasets.folder("iris"), to: folder)
        return try await body(try DatasetFolder(path: folder.path), root)
    }

    static func stage(_ dataset: DatasetFolder, output: String, sources: QuestionGeneration.SourceSelection, service: some ChatService, count: Int, turns: Int = 2) throws -> QuestionGeneration {
        var sandbox = SandboxConfiguration(csvPath: dataset.csvPath, loader: dataset.record.loader, python: SandboxTestEnvironment.python)
        sandbox.cellTimeout = .seconds(20)
        return QuestionGeneration(
            dataset: dataset, output: output, sandbox: sandbox, seed: 0, maxQuestions: 3, workers: 1, sources: sources,
            llm: try F.generator(service, count: count, turns: turns))
    }

    static let petalQuestion = F.proposal(
        "What is the mean \"petal_length_cm\" of the rows where \"species\" is \"virginica\"? Round to 2 decimal places.",
        hint: "Select the virginica rows with a boolean mask, then take the mean.")
    static let sepalQuestion = F.proposal(
        "How many rows have a \"sepal_width_cm\" strictly greater than 3.5?", hint: "Compare with > and sum the booleans.",
        difficulty: "easy", steps: 1)

    @Test("the model explores the real table, and its questions follow the template questions in the output")
    func exploresAndWritesAfterTemplates() async throws {
        try await Self.withIris { dataset, root in
            let service = ScriptedChatService([
                .reply(F.cell("print(df.shape)\nprint(df['species'].value_counts().to_dict())")),
                .reply(F.cell("df.groupby('species')['petal_length_cm'].mean().round(2)")),
                .reply(F.proposals([Self.petalQuestion, Self.sepalQuestion])),
            ])
            let output = root.appendingPathComponent("questions.jsonl.gz").path
            let summary = try await Self.stage(dataset, output: output, sources: .both, service: service, count: 2).run(logger: F.logger)

            #expect(summary.templateWritten == 3)
            #expect(summary.llmWritten == 2)
            #expect(summary.written == 5)
            let llm = try #require(summary.llm)
            #expect(llm.failure == nil)
            #expect(llm.cells == 2)
            let feedback = llm.transcript[3].content
            #expect(feedback.contains("(150, 5)"), "the first cell really ran: \(feedback)")
            #expect(feedback.contains("'setosa': 50"))
            #expect(llm.transcript[5].content.contains("5.55"), "the second cell's result is shown")
            #expect(llm.transcript[0].content.contains("Table: 150 rows, 5 columns."), "the system prompt holds the overview")

            let written = try JSONLinesReader<Question>(path: output).readAll()
            #expect(written.map(\.source) == [.template, .template, .template, .llm, .llm])
            #expect(written[3].generator.exploration == llm.transcript)
            #expect(written[3].groundTruth == nil)
        }
    }

    @Test("a spent budget keeps the template questions; with LLM questions alone it is an error")
    func budgetExhaustion() async throws {
        try await Self.withIris { dataset, root in
            let spent = LLMError.budgetExhausted(spentUSD: 2, budgetUSD: 1)
            let both = root.appendingPathComponent("both.jsonl.gz").path
            let summary = try await Self.stage(dataset, output: both, sources: .both, service: ScriptedChatService([.fail(spent)]), count: 4)
                .run(logger: F.logger)
            #expect(summary.written == 3)
            #expect(summary.llm?.lost == 4)
            #expect(summary.llm?.failure?.isBudgetExhausted == true)
            #expect(FileManager.default.fileExists(atPath: both))

            let alone = root.appendingPathComponent("alone.jsonl.gz").path
            await #expect(throws: QuestionGenerationError.self) {
                _ = try await Self.stage(dataset, output: alone, sources: .llm, service: ScriptedChatService([.fail(spent)]), count: 4)
                    .run(logger: F.logger)
            }
            #expect(!FileManager.default.fileExists(atPath: alone))
        }
    }

    @Test("a failed LLM request with LLM questions alone still writes the output")
    func failedRequestIsData() async throws {
        try await Self.withIris { dataset, root in
            let output = root.appendingPathComponent("q.jsonl.gz").path
            let service = ScriptedChatService([.fail(.http(status: 401, message: "bad key", attempts: 1))])
            let summary = try await Self.stage(dataset, output: output, sources: .llm, service: service, count: 2).run(logger: F.logger)
            #expect(summary.written == 0)
            #expect(summary.llm?.failure?.kind == "request_failed")
            #expect(FileManager.default.fileExists(atPath: output))
        }
    }
}

import Foundation
import Logging
import Testing
@testable import AnalysisTraces

@Suite struct LLMQuestionGeneratorTests {
    typealias F = LLMQuestionFixtures

    @Test("the model explores for the allowed cells, then its proposals become questions holding the transcript")
    func exploresThenProposes() async throws {
        let service = ScriptedChatService([
            .reply(F.cell("print(df.shape)")),
            .reply(F.cell("print(df.group.value_counts())")),
            .reply(F.proposals([F.meanQuestion, F.maxQuestion])),
        ])
        let executor = FakeExecutor()
        let outcome = try await F.generator(service, count: 2).run(
            dataset: F.dataset, overview: "Table: 6 rows, 4 columns.", templateQuestions: [], executor: executor, logger: F.logger)

        #expect(outcome.failure == nil)
        #expect(outcome.cells == 2)
        #expect(executor.cells == ["print(df.shape)", "print(df.group.value_counts())"])
        #expect(executor.resetCount == 1)
        #expect(outcome.rejections.isEmpty)
        #expect(outcome.usage.calls == 3)
        #expect(outcome.cacheHits == 1)
        #expect(outcome.transcript.map(\.role) == [.system, .user, .assistant, .user, .assistant, .user, .assistant])
        let system = outcome.transcript[0].content
        #expect(system.contains("Dataset: Fixture table"))
        #expect(system.contains("Six rows of groups and values."))
        #expect(system.contains("Table: 6 rows, 4 columns."))
        #expect(system.contains("up to 2 notebook cells"))
        #expect(outcome.transcript[3].content.contains("ran: print(df.shape)"))
        #expect(outcome.transcript[3].content.contains("You have 1 exploration cell left."))
        // The last cell's output and the request for questions come in one message.
        #expect(outcome.transcript[5].content.contains("ran: print(df.group.value_counts())"))
        #expect(outcome.transcript[5].content.contains("Now write 2 questions"))
        #expect(outcome.transcript[2].reasoning == "thinking 0", "replies are kept verbatim, reasoning included")

        #expect(outcome.questions.count == 2)
        let question = try #require(outcome.questions.first)
        #expect(question.source == .llm)
        #expect(question.groundTruth == nil)
        #expect(question.hint == "Filter with df[df.group == 'c'] and average.")
        #expect(question.difficulty == .medium)
        #expect(question.expectedSteps == 2)
        #expect(question.outputSchema == .number(decimals: 2))
        #expect(question.datasetID == "fixture")
        #expect(question.generator == QuestionGenerator(
            name: "scripted-model", version: "questions-v1", parameters: .object([]), program: nil, exploration: outcome.transcript))
        #expect(question.id == question.contentAddress)

        let requests = await service.log.requests
        #expect(requests.count == 3)
        #expect(requests.allSatisfy { $0.model == "scripted-model" && $0.sample == 0 && $0.sampling.temperature == 0.7 })
        #expect(requests[2].messages == Array(outcome.transcript.prefix(6)))
    }

    @Test("unusable exploration replies are corrected a bounded number of times, then the questions are requested")
    func boundsMalformedExplorationReplies() async throws {
        let service = ScriptedChatService([
            .reply("I will look at the data."),
            .reply("```python\nprint(1)\n```\n```python\nprint(2)\n```"),
            .reply(F.proposals([F.meanQuestion])),
        ])
        let outcome = try await F.generator(service, count: 1, turns: 3, malformed: 1).run(
            dataset: F.dataset, overview: "", templateQuestions: [], executor: FakeExecutor(), logger: F.logger)
        #expect(outcome.cells == 0)
        #expect(outcome.transcript[3].content.contains("has no ```python code block"))
        #expect(outcome.transcript[5].content.hasPrefix("The exploration is over"))
        #expect(outcome.questions.count == 1)
    }

    @Test("with too few valid questions the model is asked once more with the reasons")
    func reasksWithReasons() async throws {
        let duplicate = F.proposal("what is the MEAN of value over rows where group is c -- round to 2 decimal places", hint: "Use a boolean mask.")
        let service = ScriptedChatService([
            .reply(F.proposals([F.meanQuestion, duplicate, .string("oops")])),
            .reply(F.proposals([F.maxQuestion, F.spreadQuestion])),
        ])
        let outcome = try await F.generator(service, count: 3, turns: 0).run(
            dataset: F.dataset, overview: "", templateQuestions: [], executor: FakeExecutor(), logger: F.logger)
        #expect(outcome.questions.map(\.question) == [F.meanQuestion, F.maxQuestion, F.spreadQuestion].map { $0["question"].flatMap { if case .string(let s) = $0 { s } else { nil } } ?? "" })
        #expect(outcome.rejections.map(\.reason.kind) == ["duplicate", "malformed"])
        #expect(outcome.rejections.map(\.index) == [1, 2])
        #expect(outcome.lost == 0)
        let reask = outcome.transcript[3].content
        #expect(outcome.transcript[3].role == .user)
        #expect(reask.contains("round 0, proposal 2"))
        #expect(reask.contains("duplicate of an earlier question"))
        #expect(reask.contains("a proposal must be an object; found string"))
        #expect(reask.contains("Write 2 new questions"))
        #expect(reask.contains("do not repeat them"))
    }

    @Test("a reply that is not a JSON array is recorded and asked again; the re-asks are bounded")
    func rejectsMalformedJSONAndBoundsReasks() async throws {
        let service = ScriptedChatService([
            .reply("```json\n[{\"question\": \"x\",]\n```"),
            .reply(F.proposals([F.meanQuestion])),
        ])
        let outcome = try await F.generator(service, count: 2, turns: 0, reasks: 1).run(
            dataset: F.dataset, overview: "", templateQuestions: [], executor: FakeExecutor(), logger: F.logger)
        #expect(outcome.rejections.count == 1)
        #expect(outcome.rejections.first?.index == nil)
        #expect(outcome.rejections.first?.reason.kind == "unusable_reply")
        #expect(outcome.transcript[3].content.contains("the JSON does not parse"))
        #expect(outcome.questions.count == 1)
        #expect(outcome.lost == 1)
        #expect(outcome.failure == nil)
        #expect(await service.log.requests.count == 2, "one re-ask, then it stops")
    }

    @Test("a question equal to a template question of the run is a duplicate; valid ones beyond the count are surplus")
    func rejectsTemplateDuplicatesAndSurplus() async throws {
        let template = "What is the range (maximum minus minimum) of \"value\"? Round to 2 decimal places."
        let service = ScriptedChatService([.reply(F.proposals([F.spreadQuestion, F.meanQuestion, F.maxQuestion]))])
        let outcome = try await F.generator(service, count: 1, turns: 0).run(
            dataset: F.dataset, overview: "", templateQuestions: [template], executor: FakeExecutor(), logger: F.logger)
        #expect(outcome.rejections.map(\.reason) == [.duplicate(of: template, template: true), .surplus])
        #expect(outcome.questions.count == 1)
        #expect(await service.log.requests.count == 1)
    }

    @Test("a spent budget during exploration loses every question and says why")
    func budgetExhaustedDuringExploration() async throws {
        let service = ScriptedChatService([
            .reply(F.cell("print(1)")),
            .fail(.budgetExhausted(spentUSD: 1.02, budgetUSD: 1)),
        ])
        let outcome = try await F.generator(service, count: 4).run(
            dataset: F.dataset, overview: "", templateQuestions: [], executor: FakeExecutor(), logger: F.logger)
        #expect(outcome.questions.isEmpty)
        #expect(outcome.lost == 4)
        #expect(outcome.failure == .llm(.budgetExhausted(spentUSD: 1.02, budgetUSD: 1), during: "exploration cell 2"))
        #expect(outcome.failure?.isBudgetExhausted == true)
        #expect(outcome.failure?.kind == "budget_exhausted")
    }

    @Test("a failed re-ask keeps the questions accepted before it")
    func failedReaskKeepsEarlierQuestions() async throws {
        let service = ScriptedChatService([
            .reply(F.proposals([F.meanQuestion])),
            .fail(.http(status: 500, message: "boom", attempts: 6)),
        ])
        let outcome = try await F.generator(service, count: 3, turns: 0).run(
            dataset: F.dataset, overview: "", templateQuestions: [], executor: FakeExecutor(), logger: F.logger)
        #expect(outcome.questions.count == 1)
        #expect(outcome.lost == 2)
        #expect(outcome.failure?.kind == "request_failed")
        #expect(outcome.failure?.description.contains("re-ask 1") == true)
    }

    @Test("a sandbox that cannot run a cell stops the generation as data")
    func sandboxFailureIsData() async throws {
        let service = ScriptedChatService([.reply(F.cell("print(1)"))])
        let outcome = try await F.generator(service, count: 2).run(
            dataset: F.dataset, overview: "", templateQuestions: [], executor: FakeExecutor(failing: true), logger: F.logger)
        #expect(outcome.failure == .sandbox("the sandbox is gone"))
        #expect(outcome.questions.isEmpty)
    }

    @Test("the same replies give byte-identical questions whose ids do not depend on their position")
    func deterministicAndContentAddressed() async throws {
        func once(_ order: [JSONValue]) async throws -> [Question] {
            let service = ScriptedChatService([.reply(F.cell("print(df.shape)")), .reply(F.proposals(order))])
            return try await F.generator(service, count: 2, turns: 1).run(
                dataset: F.dataset, overview: "o", templateQuestions: [], executor: FakeExecutor(), logger: F.logger).questions
        }
        let first = try await once([F.meanQuestion, F.maxQuestion])
        let second = try await once([F.meanQuestion, F.maxQuestion])
        let encoder = RecordEncoder()
        #expect(try first.map { try encoder.encode($0) } == second.map { try encoder.encode($0) })
        #expect(Set(first.map(\.id)).count == 2)
        #expect(first.allSatisfy { $0.id.hasPrefix("q_") && $0.id == $0.contentAddress })

        // The same question at another position, in another run's transcript, keeps its id.
        let swapped = try await once([F.maxQuestion, F.meanQuestion])
        #expect(swapped.map(\.id) == first.map(\.id).reversed())
    }
}

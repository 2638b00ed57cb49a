import Foundation
import Testing
@testable import AnalysisTraces
import TestSupport

/// `TemplateExecution.run` on hand-written instances in a real sandbox (the shared fixture table
/// of the sandbox tests: id, group, value, label).
@Suite(.requiresSandbox, .timeLimit(.minutes(10)))
struct TemplateExecutionTests {
    static func instance(_ codes: [String], alternatives: String? = nil) -> TemplateInstance {
        TemplateInstance(
            templateID: "hand_written", version: "1", parameters: .object([]), question: "A test question.", hint: nil,
            difficulty: .easy, outputSchema: .integer,
            steps: codes.enumerated().map { ProgramStep(reasoning: "Step \($0.offset + 1).", code: $0.element) },
            alternatives: alternatives)
    }

    @Test func runsEveryStepInOneNamespaceAndKeepsTheLastSubmission() async throws {
        let instance = Self.instance([
            "total = int(df[\"value\"].notna().sum())\nhook(total, 'total = int(df[\"value\"].notna().sum())', name=\"total\")",
            "submit(-1)\ndoubled = total * 2",
            "submit(doubled)",
        ])
        let run = try await withTestWorker { _, worker in try await TemplateExecution.run(instance, on: worker) }
        #expect(run.failure == nil)
        #expect(run.succeeded)
        #expect(run.steps.count == 3)
        #expect(run.answer == .int(10))
        #expect(run.alternatives.isEmpty)
        #expect(run.alternativesResult == nil)
        #expect(run.acceptedAnswers == [.int(10)])
        let hooks = run.steps[0].events.filter { if case .hook = $0 { true } else { false } }
        #expect(hooks.count == 1)
    }

    @Test func startsFromAFreshNamespace() async throws {
        let instance = Self.instance(["submit(leftover)"])
        let run = try await withTestWorker { _, worker in
            _ = try await worker.run("leftover = 1")
            return try await TemplateExecution.run(instance, on: worker)
        }
        #expect(run.answer == nil)
        let failure = try #require(run.failure)
        #expect(failure.contains("step 1 of 1"))
        #expect(failure.contains("NameError"))
    }

    @Test func stopsAtTheFirstFailedStepAndNamesIt() async throws {
        let instance = Self.instance([
            "submit(1)",
            "missing = df[\"no_such_column\"]",
            "submit(3)",
        ])
        let run = try await withTestWorker { _, worker in try await TemplateExecution.run(instance, on: worker) }
        #expect(run.steps.count == 2)
        #expect(!run.succeeded)
        let failure = try #require(run.failure)
        #expect(failure.contains("hand_written"))
        #expect(failure.contains("step 2 of 3"))
        #expect(failure.contains("KeyError"))
    }

    @Test func reportsATimedOutStepAsAFailure() async throws {
        let instance = Self.instance(["while True:\n    pass", "submit(1)"])
        let run = try await withTestWorker({ $0.cellTimeout = .seconds(1) }) { _, worker in
            try await TemplateExecution.run(instance, on: worker)
        }
        #expect(run.steps.count == 1)
        let failure = try #require(run.failure)
        #expect(failure.contains("step 1 of 2"))
        #expect(failure.contains("time"))
    }

    @Test func reportsAProgramThatNeverSubmits() async throws {
        let instance = Self.instance(["x = 1", "y = x + 1"])
        let run = try await withTestWorker { _, worker in try await TemplateExecution.run(instance, on: worker) }
        #expect(run.steps.count == 2)
        #expect(run.answer == nil)
        #expect(run.failure?.contains("did not submit") == true)
    }

    @Test func collectsTheAlternativesListAfterTheSteps() async throws {
        let instance = Self.instance(["best = 2\nsubmit(best)"], alternatives: "submit([best, 3, best])")
        let run = try await withTestWorker { _, worker in try await TemplateExecution.run(instance, on: worker) }
        #expect(run.failure == nil)
        #expect(run.answer == .int(2))
        #expect(run.alternatives == [.int(2), .int(3), .int(2)])
        #expect(run.acceptedAnswers == [.int(2), .int(3)])
        #expect(run.alternativesResult != nil)
    }

    @Test func rejectsAlternativesThatAreNotAList() async throws {
        let instance = Self.instance(["submit(2)"], alternatives: "submit(3)")
        let run = try await withTestWorker { _, worker in try await TemplateExecution.run(instance, on: worker) }
        #expect(run.answer == .int(2))
        #expect(run.alternatives.isEmpty)
        #expect(run.failure?.contains("must submit a list") == true)
    }

    @Test func reportsAFailedAlternativesCell() async throws {
        let instance = Self.instance(["submit(2)"], alternatives: "submit([undefined_name])")
        let run = try await withTestWorker { _, worker in try await TemplateExecution.run(instance, on: worker) }
        #expect(!run.succeeded)
        #expect(run.failure?.contains("alternatives cell failed") == true)
        #expect(run.failure?.contains("NameError") == true)
    }
}

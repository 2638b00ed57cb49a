import Foundation
import Testing
@testable import AnalysisTraces
import TestSupport

/// A tiny template over one numeric column: the mean of the rows above a threshold, in three
/// steps. `broken` names a column that does not exist in its second step.
struct ThresholdMeanTemplate: QuestionTemplate {
    var id = "threshold_mean_test"
    var version = "3"
    var category = TemplateCategory.filtering
    var broken = false

    func parameterSets(for profile: TableProfile) -> [JSONValue] { [] }

    func instantiate(_ parameters: JSONValue) throws -> TemplateInstance {
        guard case .string(let column)? = parameters["column"], case .double(let threshold)? = parameters["threshold"] else {
            throw TemplateError(templateID: id, message: "expected 'column' and 'threshold'")
        }
        let source = broken ? "no_such_column" : column
        return TemplateInstance(
            templateID: id, version: version, parameters: parameters,
            question: "What is the mean of \(column) over the rows where it is above \(threshold), rounded to 2 decimals?",
            hint: "Filter first, then average.", difficulty: .easy, outputSchema: .number(decimals: 2),
            steps: [
                ProgramStep(reasoning: "Keep the rows above the threshold.", code: Python.hooked("selected", "df[df[\(Python.literal(column))] > \(threshold)]", description: "rows above the threshold")),
                ProgramStep(reasoning: "Average the column over those rows.", code: Python.hooked("average", "selected[\(Python.literal(source))].mean()", dependsOn: ["selected"]) + "\nprint(average)"),
                ProgramStep(reasoning: "Round to two decimals and submit.", code: "submit(round(float(average), 2))"),
            ],
            alternatives: nil)
    }
}

@Suite struct ProgramTeacherTests {
    static let parameters = JSONValue.object([("column", .string("value")), ("threshold", .double(2.0))])

    static func question(_ template: ThresholdMeanTemplate = ThresholdMeanTemplate(), version: String? = nil) throws -> Question {
        let instance = try template.instantiate(parameters)
        // Rows with value > 2: 2.5, 3.0, 10.0, 12.5 → mean 7.0.
        return AgentFixtures.question(
            instance.question, hint: instance.hint, schema: instance.outputSchema, groundTruth: .double(7.0),
            generator: QuestionGenerator(name: template.id, version: version ?? template.version, parameters: parameters, program: instance.program, exploration: nil))
    }

    @Test func repliesWithOneStepPerTurnAsReasoningAndOnePythonBlock() async throws {
        let teacher = ProgramTeacher(templates: [ThresholdMeanTemplate()])
        let question = try Self.question()
        let steps = try teacher.instance(for: question).steps
        let context = TeacherContext(question: question, role: .gold, sample: 0, turns: [], replies: 0, turnsLeft: 10)
        let reply = try await teacher.reply(to: [], context: context)
        #expect(reply.message.role == .assistant)
        #expect(reply.usage == .zero)
        #expect(ReplyParser.parse(reply.message.content) == .step(reasoning: steps[0].reasoning, code: steps[0].code))
        #expect(teacher.name == "program")
        #expect(teacher.promptVersion == "program-v1+teacher-v1")
    }

    @Test func refusesAQuestionFromAnotherTemplateVersion() async throws {
        let teacher = ProgramTeacher(templates: [ThresholdMeanTemplate()])
        let question = try Self.question(version: "2")
        #expect(throws: ProgramTeacherError.versionMismatch(questionID: "q_fixture", template: "threshold_mean_test", recorded: "2", current: "3")) {
            try teacher.instance(for: question)
        }
        var unknown = question
        unknown.generator.name = "nothing_like_it"
        #expect(throws: ProgramTeacherError.unknownTemplate(questionID: "q_fixture", template: "nothing_like_it")) {
            try teacher.instance(for: unknown)
        }
        var llm = try Self.question()
        llm.source = .llm
        #expect(throws: ProgramTeacherError.notATemplateQuestion(questionID: "q_fixture")) { try teacher.instance(for: llm) }
        var edited = try Self.question()
        edited.question += " Please."
        #expect(throws: ProgramTeacherError.questionChanged(questionID: "q_fixture", template: "threshold_mean_test")) {
            try teacher.instance(for: edited)
        }
    }

    @Test(.requiresSandbox, .timeLimit(.minutes(10)))
    func solvesATemplateQuestionAndTheTraceVerifies() async throws {
        let question = try Self.question()
        let teacher = ProgramTeacher(templates: [ThresholdMeanTemplate()])
        let trace = try await AgentFixtures.run(teacher, task: AgentFixtures.task(question)) { $0.minimumHooks = 2 }
        expectWellFormed(trace)
        #expect(trace.endReason == .submitted)
        #expect(trace.turns.count == 3)
        #expect(trace.turns.map(\.reasoning) == ["Keep the rows above the threshold.", "Average the column over those rows.", "Round to two decimals and submit."])
        #expect(trace.turns.flatMap(\.hooks).map(\.name) == ["selected", "average"])
        #expect(trace.turns.flatMap(\.hooks).allSatisfy { $0.grounded })
        #expect(trace.turns[1].hooks.first?.dependsOn == ["selected"])
        #expect(trace.answer == AnswerValue(.double(7.0)))
        #expect(trace.messages[1].content.hasSuffix("Hint: Filter first, then average."))
        let verification = GroundTruthVerifier().verify(question: question, traces: [trace])
        #expect(verification.verified)
        #expect(verification.method == .groundTruth)
    }

    @Test(.requiresSandbox, .timeLimit(.minutes(10)))
    func stopsAtAFailedStepSoTheEpisodeFailsVerification() async throws {
        let template = ThresholdMeanTemplate(broken: true)
        let question = try Self.question(template)
        let trace = try await AgentFixtures.run(ProgramTeacher(templates: [template]), task: AgentFixtures.task(question))
        expectWellFormed(trace)
        #expect(trace.endReason == .error)
        #expect(trace.turns.count == 2)
        #expect(trace.turns[1].execution.error?.kind == "KeyError")
        #expect(trace.error?.contains("step 2 of 3 failed with KeyError") == true)
        let verification = GroundTruthVerifier().verify(question: question, traces: [trace])
        #expect(!verification.verified)
        #expect(verification.reason.contains("without an answer"))
    }
}

import Foundation
import Testing
@testable import AnalysisTraces
import TestSupport

/// Every descriptive template on every bundled dataset where the profiler says it applies: the
/// program must run, submit an answer of the declared shape, ground its hooks, and its accepted
/// answers must match the reference under the question's own matcher.
@Suite(.serialized, .requiresSandbox, .timeLimit(.minutes(10)))
struct DescriptiveDatasetTests {
    @Test(arguments: BundledDatasets.ids)
    func everyApplicableTemplateRunsOnABundledDataset(id: String) async throws {
        let profile = try await BundledProfiles.shared.profile(id)
        let dataset = try BundledProfiles.dataset(id)
        let csv = BundledDatasets.folder(id).appendingPathComponent("data.csv").path
        let instances = try DescriptiveTemplates.all.flatMap { template in
            try template.parameterSets(for: profile).map { try template.instantiate($0) }
        }
        let (problems, alternatives) = try await ProfileTestSandbox.withWorker(csvPath: csv, loader: dataset.loader) { worker in
            var problems: [String] = []
            var alternatives = 0
            for instance in instances {
                let run = try await TemplateExecution.run(instance, on: worker)
                let found = Self.problems(of: run, instance: instance)
                problems += found.map { "\(instance.templateID) \(CanonicalJSON.string(instance.parameters)): \($0)" }
                if found.isEmpty, run.acceptedAnswers.count > 1 { alternatives += 1 }
            }
            return (problems, alternatives)
        }
        let failed = Set(problems.map { $0.prefix { $0 != ":" } }).count
        let line = "[descriptive] \(id): \(instances.count - failed)/\(instances.count) instances executed and checked; \(alternatives) with more than one accepted answer\n"
        FileHandle.standardError.write(Data(line.utf8))
        for problem in problems { Issue.record("\(id): \(problem)") }
        #expect(!instances.isEmpty)
    }

    /// What is wrong with a run: a failure, an answer that does not fit the schema, a hook whose
    /// line is not in the program, or an accepted answer that its own matcher rejects.
    static func problems(of run: TemplateRun, instance: TemplateInstance) -> [String] {
        if let failure = run.failure { return [failure] }
        guard let answer = run.answer else { return ["no answer"] }
        var problems: [String] = []
        if let mismatch = Self.shapeProblem(answer, instance.outputSchema) {
            problems.append("answer \(CanonicalJSON.string(answer)) does not fit its schema: \(mismatch)")
        }
        for value in run.alternatives {
            if let mismatch = Self.shapeProblem(value, instance.outputSchema) {
                problems.append("alternative \(CanonicalJSON.string(value)) does not fit its schema: \(mismatch)")
            }
        }
        let matcher = AnswerMatcher(schema: instance.outputSchema)
        if !matcher.matches(answer, answer) { problems.append("the answer does not match itself") }
        let programLines = Set(instance.program.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) })
        for (index, step) in run.steps.enumerated() {
            var hooks = 0
            for event in step.events {
                guard case .hook(_, let codeLine, _, _, _) = event else { continue }
                hooks += 1
                if !programLines.contains(codeLine.trimmingCharacters(in: .whitespaces)) {
                    problems.append("step \(index + 1) hooks a line that is not in the program: \(codeLine)")
                }
            }
            if index < run.steps.count - 1, hooks == 0 { problems.append("step \(index + 1) hooks nothing") }
        }
        return problems
    }

    /// Whether a value has the schema's shape: numbers finite and rounded as declared, integers
    /// whole, keys exactly the declared ones.
    static func shapeProblem(_ value: JSONValue, _ schema: AnswerSchema) -> String? {
        switch (schema, value) {
        case (.number(let decimals), .double(let d)):
            guard let decimals else { return nil }
            let scaled = d * pow(10, Double(decimals))
            return abs(scaled - scaled.rounded()) < 1e-6 * max(1, abs(scaled)) ? nil : "\(d) has more than \(decimals) decimals"
        case (.number, .int), (.integer, .int), (.string, .string), (.boolean, .bool):
            return nil
        case (.list(let items, _), .array(let values)):
            return values.lazy.compactMap { shapeProblem($0, items) }.first
        case (.mapping(let values), .object(let members)):
            if members.isEmpty { return "an empty mapping" }
            return members.lazy.compactMap { shapeProblem($0.value, values) }.first
        case (.object(let fields), .object(let members)):
            guard fields.map(\.name) == members.map(\.key) else {
                return "keys \(members.map(\.key)) are not \(fields.map(\.name))"
            }
            return zip(fields, members).lazy.compactMap { shapeProblem($1.value, $0.schema) }.first
        default:
            return "\(value.typeName) is not a \(schema.kind.rawValue)"
        }
    }
}

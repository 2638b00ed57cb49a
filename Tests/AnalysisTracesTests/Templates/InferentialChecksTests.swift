import Foundation
import Testing
@testable import AnalysisTraces

/// Checks shared by the inferential template tests.
enum InferentialChecks {
    /// What is wrong with a successful run: a step without a hook, a hook whose line is not a line
    /// of the step, an answer whose keys differ from the schema's, an alternative of another shape.
    static func problems(of run: TemplateRun, instance: TemplateInstance) -> [String] {
        var problems: [String] = []
        for (index, (step, result)) in zip(instance.steps, run.steps).enumerated() {
            let lines = Set(step.code.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) })
            var hooks = 0
            for event in result.events {
                guard case .hook(_, let codeLine, _, _, _) = event else { continue }
                hooks += 1
                if !lines.contains(codeLine.trimmingCharacters(in: .whitespaces)) {
                    problems.append("\(instance.templateID): step \(index + 1) hooks a line that is not in its code: \(codeLine)")
                }
            }
            if hooks == 0 { problems.append("\(instance.templateID): step \(index + 1) has no hook") }
        }
        guard let answer = run.answer else { return problems + ["\(instance.templateID): no answer"] }
        if !matchesSchema(answer, instance.outputSchema) {
            problems.append("\(instance.templateID): answer \(CanonicalJSON.string(answer)) does not fit its schema")
        }
        for alternative in run.alternatives where !matchesSchema(alternative, instance.outputSchema) {
            problems.append("\(instance.templateID): alternative \(CanonicalJSON.string(alternative)) does not fit its schema")
        }
        if instance.alternatives != nil, !run.alternatives.contains(answer) {
            problems.append("\(instance.templateID): the alternatives do not include the answer")
        }
        return problems
    }

    /// The value has the schema's shape: the same keys in objects, numbers where numbers are
    /// declared, and so on.
    static func matchesSchema(_ value: JSONValue, _ schema: AnswerSchema) -> Bool {
        switch (schema, value) {
        case (.number, .double), (.number, .int), (.integer, .int), (.string, .string), (.boolean, .bool): return true
        case (.list(let items, _), .array(let values)): return values.allSatisfy { matchesSchema($0, items) }
        case (.mapping(let values), .object(let members)): return members.allSatisfy { matchesSchema($0.value, values) }
        case (.object(let fields), .object(let members)):
            guard fields.map(\.name) .sorted() == members.map(\.key).sorted() else { return false }
            return fields.allSatisfy { field in value[field.name].map { matchesSchema($0, field.schema) } ?? false }
        default: return false
        }
    }

    /// A figure for the report (the execution rate on the bundled datasets), on standard error.
    static func report(_ line: String) {
        FileHandle.standardError.write(Data("[inferential] \(line)\n".utf8))
    }
}

/// Runs a template instance's reference program in a sandbox worker: the ground truth of a
/// template question is whatever this execution submits.
public enum TemplateExecution {
    /// Resets `worker`, runs the instance's validity check when it has one (a question the check
    /// rejects runs no further: its reason is `TemplateRun.rejection`), runs each step of `instance` as its own cell, and stops at the first step
    /// that fails (an error, a timeout or a lost namespace). The answer is the value of the last
    /// `submit` event of the steps; then, when the instance has `alternatives`, that code runs as
    /// one more cell and the list it submits becomes `alternatives`.
    ///
    /// A failure inside the program is reported in `TemplateRun.failure`, never thrown. Throws
    /// only what the worker throws (the sandbox cannot provide a worker, or cancellation).
    public static func run(_ instance: TemplateInstance, on worker: SandboxWorker) async throws -> TemplateRun {
        try await worker.reset()
        var run = TemplateRun(steps: [], answer: nil, alternatives: [], alternativesResult: nil, failure: nil)
        if let precondition = instance.precondition {
            let result = try await worker.run(precondition)
            if let problem = problem(of: result) {
                run.failure = "\(instance.templateID): the validity check failed: \(problem)"
                return run
            }
            switch lastSubmission(in: result) {
            case .null?: break
            case .string(let reason)?:
                run.rejection = reason
                return run
            default:
                run.failure = "\(instance.templateID): the validity check must submit None or a reason as text"
                return run
            }
            try await worker.reset()
        }
        for (index, step) in instance.steps.enumerated() {
            let result = try await worker.run(step.code)
            run.steps.append(result)
            if let problem = problem(of: result) {
                run.failure = "\(instance.templateID): step \(index + 1) of \(instance.steps.count) failed: \(problem)"
                return run
            }
            if let submitted = lastSubmission(in: result) { run.answer = submitted }
        }
        guard run.answer != nil else {
            run.failure = "\(instance.templateID): the program did not submit an answer; expected a submit(...) call in its \(instance.steps.count) step(s)"
            return run
        }
        guard let alternatives = instance.alternatives else { return run }
        let result = try await worker.run(alternatives)
        run.alternativesResult = result
        if let problem = problem(of: result) {
            run.failure = "\(instance.templateID): the alternatives cell failed: \(problem)"
            return run
        }
        switch lastSubmission(in: result) {
        case .array(let values)?:
            run.alternatives = values
        case let other?:
            run.failure = "\(instance.templateID): the alternatives cell must submit a list; found \(other.typeName)"
        case nil:
            run.failure = "\(instance.templateID): the alternatives cell did not submit; expected submit([...])"
        }
        return run
    }

    /// What went wrong in a cell, or nil when it succeeded.
    static func problem(of result: CellResult) -> String? {
        let execution = result.execution
        if execution.stateReset {
            let kind = execution.error.map { " (\($0.kind): \($0.message))" } ?? ""
            return "the worker lost its state\(kind)"
        }
        if execution.timedOut { return "timed out" }
        if let error = execution.error {
            return "\(error.kind): \(error.message)"
        }
        return nil
    }

    static func lastSubmission(in result: CellResult) -> JSONValue? {
        var value: JSONValue?
        for event in result.events {
            if case .submit(let submitted) = event { value = submitted }
        }
        return value
    }
}

/// What running a template instance produced.
public struct TemplateRun: Sendable, Equatable {
    /// One result per step that ran, in order (fewer than the steps when one failed).
    public var steps: [CellResult]
    /// The value of the last `submit` in the steps; nil when none submitted.
    public var answer: JSONValue?
    /// Every valid answer the alternatives cell submitted (ties, other readings); empty when the
    /// instance has none.
    public var alternatives: [JSONValue]
    /// The alternatives cell's result, when it ran.
    public var alternativesResult: CellResult?
    /// Which step failed and how; nil when the program ran and submitted.
    public var failure: String?
    /// Why the instance's validity check rejected the question on this data; nil when it has no
    /// check or the check passed. A rejected run has no answer and no failure.
    public var rejection: String?

    public init(steps: [CellResult], answer: JSONValue?, alternatives: [JSONValue], alternativesResult: CellResult?, failure: String?) {
        self.steps = steps
        self.answer = answer
        self.alternatives = alternatives
        self.alternativesResult = alternativesResult
        self.failure = failure
    }

    /// The program ran every step and submitted an answer (and its alternatives, if any).
    public var succeeded: Bool { failure == nil && answer != nil }

    /// The answer followed by every alternative that differs from it (exact JSON equality),
    /// without duplicates, in order: the accepted-answer set of the question.
    public var acceptedAnswers: [JSONValue] {
        guard let answer else { return [] }
        var out = [answer]
        for value in alternatives where !out.contains(value) { out.append(value) }
        return out
    }
}

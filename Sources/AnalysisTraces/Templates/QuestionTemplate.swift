/// A family of questions: where it applies, how it chooses its columns, how the question reads,
/// and the step-by-step reference program whose execution in the sandbox gives the ground truth.
///
/// Instantiation is a pure function of the parameters, so the program teacher can rebuild the
/// exact steps of a question from the `generator` recorded in it.
public protocol QuestionTemplate: Sendable {
    /// Stable snake_case id, recorded as `generator.name`.
    var id: String { get }
    /// Bumped whenever the question text, schema or program changes; recorded as `generator.version`.
    var version: String { get }
    var category: TemplateCategory { get }

    /// Every parameter set (a JSON object) this template can use on the table, most natural first.
    /// Deterministic: depends on the profile only. Empty when the template does not apply.
    func parameterSets(for profile: TableProfile) -> [JSONValue]

    /// The question for one parameter set. Throws `TemplateError` for parameters it cannot use.
    func instantiate(_ parameters: JSONValue) throws -> TemplateInstance

    /// Why a parameter set would make a trivial or invalid question on this table (an outlier
    /// count that the profile already shows is 0, a chi-square test whose expected counts are
    /// too small), or nil when the question is worth asking. ``QuestionSelection`` drops a
    /// screened set with this reason.
    func screen(_ parameters: JSONValue, profile: TableProfile) -> String?
}

extension QuestionTemplate {
    public func screen(_ parameters: JSONValue, profile: TableProfile) -> String? { nil }
}

/// The kinds of analysis the templates cover.
public enum TemplateCategory: String, Codable, Sendable, CaseIterable {
    case descriptive
    case filtering
    case grouping
    case ranking
    case missingData = "missing_data"
    case outliers
    case correlation
    case distribution
    case twoGroups = "two_groups"
    case multiGroup = "multi_group"
    case regression
    case time
    case chain
}

/// One concrete question made by a template.
public struct TemplateInstance: Sendable, Equatable {
    public var templateID: String
    public var version: String
    public var parameters: JSONValue
    /// Reads like a person asking, states every implicit choice (rounding, thresholds, ddof,
    /// alpha, seeds, tie-breaking, exclusions), and never names a method in the answer keys.
    public var question: String
    /// Guidance for the gold trace, when the template has any.
    public var hint: String?
    public var difficulty: Question.Difficulty
    public var outputSchema: AnswerSchema
    /// The reference solution, one meaningful step per element; the last step calls `submit`.
    public var steps: [ProgramStep]
    /// Optional code run after `steps` in the same namespace that calls `submit` with a list of
    /// every valid answer (ties, other defensible readings). The reference answer need not be in it.
    public var alternatives: String?
    /// Optional code run before `steps`, on the loaded table, that checks the question is
    /// statistically valid on this data: it calls `submit(None)` when it is, or `submit("reason")`
    /// when it is not (expected counts below 5, a trend-dominated series, ...). Not part of the
    /// reference program: a solver never sees it.
    public var precondition: String?

    public init(templateID: String, version: String, parameters: JSONValue, question: String, hint: String?,
                difficulty: Question.Difficulty, outputSchema: AnswerSchema, steps: [ProgramStep], alternatives: String?) {
        self.templateID = templateID
        self.version = version
        self.parameters = parameters
        self.question = question
        self.hint = hint
        self.difficulty = difficulty
        self.outputSchema = outputSchema
        self.steps = steps
        self.alternatives = alternatives
    }

    /// The whole reference program: every step's code, in order, separated by blank lines.
    public var program: String { steps.map(\.code).joined(separator: "\n\n") }
}

/// One step of a reference program: what a careful analyst would say, then the code.
public struct ProgramStep: Sendable, Equatable {
    /// One to three sentences, first person plural or imperative, about what this step does and why.
    public var reasoning: String
    /// Python that runs in the worker namespace; hooks its intermediate values with `hook(...)`.
    public var code: String

    public init(reasoning: String, code: String) {
        self.reasoning = reasoning
        self.code = code
    }
}

public struct TemplateError: Error, Sendable, CustomStringConvertible {
    public var templateID: String
    public var message: String

    public init(templateID: String, message: String) {
        self.templateID = templateID
        self.message = message
    }

    public var description: String { "template '\(templateID)': \(message)" }
}

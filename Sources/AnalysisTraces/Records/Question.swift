/// One line of `data/questions/<dataset>.jsonl.gz`.
public struct Question: Codable, Sendable, Equatable {
    public static let currentSchemaVersion = 1

    public enum Source: String, Codable, Sendable, CaseIterable {
        case template
        case llm
    }

    public enum Difficulty: String, Codable, Sendable, CaseIterable {
        case easy
        case medium
        case hard
        case veryHard = "very_hard"
    }

    public var schemaVersion: Int
    /// Content address: see `QuestionID`. Never a position.
    public var id: String
    public var datasetID: String
    /// `Dataset.sha256` of the table the question was written against.
    public var datasetSHA256: String
    public var source: Source
    /// The question as a person would ask it, with every implicit choice stated.
    public var question: String
    /// Guidance given only to the gold trace; null when there is none.
    public var hint: String?
    public var difficulty: Difficulty
    public var expectedSteps: Int
    public var outputSchema: AnswerSchema
    /// Present where the source can compute the answer (template questions); null otherwise.
    public var groundTruth: GroundTruth?
    public var generator: QuestionGenerator

    public init(
        id: String, datasetID: String, datasetSHA256: String, source: Source, question: String,
        hint: String?, difficulty: Difficulty, expectedSteps: Int, outputSchema: AnswerSchema,
        groundTruth: GroundTruth?, generator: QuestionGenerator
    ) {
        self.schemaVersion = Self.currentSchemaVersion
        self.id = id
        self.datasetID = datasetID
        self.datasetSHA256 = datasetSHA256
        self.source = source
        self.question = question
        self.hint = hint
        self.difficulty = difficulty
        self.expectedSteps = expectedSteps
        self.outputSchema = outputSchema
        self.groundTruth = groundTruth
        self.generator = generator
    }

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case schemaVersion = "schema_version", id, datasetID = "dataset_id"
        case datasetSHA256 = "dataset_sha256", source, question, hint, difficulty
        case expectedSteps = "expected_steps", outputSchema = "output_schema"
        case groundTruth = "ground_truth", generator
    }
}

/// The reference answer of a question and every other answer that is also right.
public struct GroundTruth: Codable, Sendable, Equatable {
    public var value: JSONValue
    /// `CanonicalJSON.sha256(value)`.
    public var sha256: String
    /// Every valid answer, `value` first; more than one where the question has several defensible
    /// readings or a tie.
    public var accepted: [AnswerValue]

    public init(value: JSONValue, sha256: String, accepted: [AnswerValue]) {
        self.value = value
        self.sha256 = sha256
        self.accepted = accepted
    }

    public enum CodingKeys: String, CodingKey, CaseIterable { case value, sha256, accepted }
}

/// A JSON value with its canonical hash.
public struct AnswerValue: Codable, Sendable, Equatable, Hashable {
    public var value: JSONValue
    public var sha256: String

    public init(value: JSONValue, sha256: String) {
        self.value = value
        self.sha256 = sha256
    }

    public enum CodingKeys: String, CodingKey, CaseIterable { case value, sha256 }
}

/// What produced a question: a template with its parameters and program, or a model.
public struct QuestionGenerator: Codable, Sendable, Equatable {
    /// Template id (`group_mean_rank`) or model name.
    public var name: String
    /// Template version or prompt version; part of the question id.
    public var version: String
    /// Template parameters (columns, thresholds, ...) as an object; `{}` for LLM questions.
    public var parameters: JSONValue
    /// The reference solution program, when there is one.
    public var program: String?
    /// The model's exploration of the table before it proposed questions (LLM questions only).
    public var exploration: [Message]?

    public init(name: String, version: String, parameters: JSONValue, program: String?, exploration: [Message]?) {
        self.name = name
        self.version = version
        self.parameters = parameters
        self.program = program
        self.exploration = exploration
    }

    public enum CodingKeys: String, CodingKey, CaseIterable { case name, version, parameters, program, exploration }
}

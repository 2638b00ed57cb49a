/// Content addresses of records: ids derived from what a record says, never from its position,
/// so that regenerating the same question or episode gives the same id.
public enum ContentAddress {
    /// Hex digits of the SHA-256 kept in an id: 80 bits, collision-free at any realistic scale.
    static let digits = 20

    /// `q_` + the first 20 hex digits of the canonical hash of everything that defines a
    /// question: the table it was asked about, its source, the exact text and hint, and the
    /// generator (template or model, version, parameters, program).
    public static func questionID(
        datasetSHA256: String, source: Question.Source, question: String, hint: String?,
        generator: QuestionGenerator
    ) -> String {
        let content = JSONValue.object([
            ("dataset_sha256", .string(datasetSHA256)),
            ("source", .string(source.rawValue)),
            ("question", .string(question)),
            ("hint", hint.map(JSONValue.string) ?? .null),
            ("generator_name", .string(generator.name)),
            ("generator_version", .string(generator.version)),
            ("parameters", generator.parameters),
            ("program", generator.program.map(JSONValue.string) ?? .null),
        ])
        return "q_" + CanonicalJSON.sha256(content).prefix(digits)
    }

    /// `e_` + the first 20 hex digits of the canonical hash of the question id and the versions
    /// that produced the episode (teacher and prompt version): the same question solved by another
    /// teacher is another episode.
    public static func episodeID(questionID: String, producer: Producer) -> String {
        let content = JSONValue.object([
            ("question_id", .string(questionID)),
            ("teacher", .string(producer.teacher)),
            ("prompt_version", .string(producer.promptVersion)),
        ])
        return "e_" + CanonicalJSON.sha256(content).prefix(digits)
    }
}

extension Question {
    /// The id this question's content gives it (`ContentAddress.questionID`).
    public var contentAddress: String {
        ContentAddress.questionID(
            datasetSHA256: datasetSHA256, source: source, question: question, hint: hint,
            generator: generator)
    }
}

extension Episode {
    /// The id this episode's content gives it (`ContentAddress.episodeID`).
    public var contentAddress: String {
        ContentAddress.episodeID(questionID: question.id, producer: producer)
    }
}

extension AnswerValue {
    /// An answer with its canonical hash.
    public init(_ value: JSONValue) {
        self.init(value: value, sha256: CanonicalJSON.sha256(value))
    }
}

import Foundation

/// One question the model proposed, checked for shape: every key present with the right type,
/// and an output schema that decodes into an ``AnswerSchema``.
///
/// The JSON form, one object per proposal, with exactly these keys:
///
/// ```json
/// {"question": "…", "hint": "…", "difficulty": "medium", "expected_steps": 3,
///  "output_schema": {"type": "number", "decimals": 2, "ordered": null, "items": null, "fields": null}}
/// ```
///
/// - `question`, `hint`: non-empty strings (surrounding whitespace is trimmed).
/// - `difficulty`: `easy`, `medium`, `hard` or `very_hard`.
/// - `expected_steps`: an integer literal from 1 to ``maxExpectedSteps``.
/// - `output_schema`: an ``AnswerSchema`` node, decoded strictly (no unknown keys, types as
///   ``RecordDecoder`` requires) with one allowance: a key that does not apply to a node's type
///   (`decimals`, `ordered`, `items`, `fields`) may be left out, and reads as null. A key that
///   does apply must be present.
public struct QuestionProposal: Sendable, Equatable {
    public var question: String
    public var hint: String
    public var difficulty: Question.Difficulty
    public var expectedSteps: Int
    public var outputSchema: AnswerSchema

    public init(question: String, hint: String, difficulty: Question.Difficulty, expectedSteps: Int, outputSchema: AnswerSchema) {
        self.question = question
        self.hint = hint
        self.difficulty = difficulty
        self.expectedSteps = expectedSteps
        self.outputSchema = outputSchema
    }

    /// The keys of a proposal object, in the order the prompt lists them.
    public static let keys = ["question", "hint", "difficulty", "expected_steps", "output_schema"]
    /// The most steps a proposal may say it needs.
    public static let maxExpectedSteps = 20

    /// Checks one element of the proposals array.
    ///
    /// - Throws: a message naming the key and what was expected versus found (the text of
    ///   ``ProposalRejection/Reason/malformed(_:)``).
    public init(json value: JSONValue) throws(ProposalShapeError) {
        guard case .object(let members) = value else {
            throw ProposalShapeError("a proposal must be an object; found \(value.typeName)")
        }
        let unknown = members.map(\.key).filter { !Self.keys.contains($0) }
        if !unknown.isEmpty {
            throw ProposalShapeError("unexpected \(unknown.count == 1 ? "key" : "keys") \(unknown.map { "'\($0)'" }.joined(separator: ", ")); expected exactly \(Self.keys.map { "'\($0)'" }.joined(separator: ", "))")
        }
        let missing = Self.keys.filter { value[$0] == nil }
        if !missing.isEmpty {
            throw ProposalShapeError("missing \(missing.count == 1 ? "key" : "keys") \(missing.map { "'\($0)'" }.joined(separator: ", "))")
        }
        question = try Self.text(value, "question")
        hint = try Self.text(value, "hint")

        guard case .string(let level)? = value["difficulty"], let difficulty = Question.Difficulty(rawValue: level) else {
            let found = value["difficulty"].map { if case .string(let s) = $0 { "'\(s)'" } else { $0.typeName } } ?? "nothing"
            throw ProposalShapeError("'difficulty' must be one of 'easy', 'medium', 'hard', 'very_hard'; found \(found)")
        }
        self.difficulty = difficulty

        guard case .int(let steps)? = value["expected_steps"], (1...Int64(Self.maxExpectedSteps)).contains(steps) else {
            let found = value["expected_steps"].map { node -> String in
                switch node {
                case .int(let n): String(n)
                case .double(let d): String(d)
                default: node.typeName
                }
            } ?? "nothing"
            throw ProposalShapeError("'expected_steps' must be an integer from 1 to \(Self.maxExpectedSteps); found \(found)")
        }
        expectedSteps = Int(steps)

        do {
            outputSchema = try RecordDecoder().decode(AnswerSchema.self, from: Self.withNullDefaults(value["output_schema"] ?? .null))
        } catch {
            throw ProposalShapeError("'output_schema' is not a valid answer schema: \(Self.describe(error))")
        }
    }

    private static func text(_ value: JSONValue, _ key: String) throws(ProposalShapeError) -> String {
        guard case .string(let raw)? = value[key] else {
            throw ProposalShapeError("'\(key)' must be a string; found \(value[key]?.typeName ?? "nothing")")
        }
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw ProposalShapeError("'\(key)' must not be empty") }
        return trimmed
    }

    /// The schema with every absent optional key of every node written as null, so that the
    /// strict decoder can read a schema where the model left out keys that do not apply.
    /// Nodes are recognised where ``AnswerSchema`` has them: the root, `items` and
    /// `fields[].schema`. Anything that is not an object is left for the decoder to reject.
    static func withNullDefaults(_ node: JSONValue) -> JSONValue {
        guard case .object(var members) = node else { return node }
        for index in members.indices {
            switch members[index].key {
            case "items":
                members[index].value = withNullDefaults(members[index].value)
            case "fields":
                if case .array(let fields) = members[index].value {
                    members[index].value = .array(fields.map { field in
                        guard case .object(var fieldMembers) = field else { return field }
                        for position in fieldMembers.indices where fieldMembers[position].key == "schema" {
                            fieldMembers[position].value = withNullDefaults(fieldMembers[position].value)
                        }
                        return .object(fieldMembers)
                    })
                }
            default: break
            }
        }
        for key in ["decimals", "ordered", "items", "fields"] where !members.contains(where: { $0.key == key }) {
            members.append((key, .null))
        }
        return .object(members)
    }

    private static func describe(_ error: any Error) -> String {
        if let record = error as? RecordDecodingError {
            return record.path.isEmpty ? record.message : "'output_schema.\(record.path)': \(record.message)"
        }
        return "\(error)"
    }
}

/// Why a proposal object does not have the shape of a ``QuestionProposal``.
public struct ProposalShapeError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}

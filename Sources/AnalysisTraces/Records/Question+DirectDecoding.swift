// A question and its parts read straight from bytes (see ``DirectDecodable``): members in the
// order of each type's `CodingKeys`, which is the order ``RecordEncoder`` writes them in.

extension Question.Source: DirectDecodable {}
extension Question.Difficulty: DirectDecodable {}

extension Question: DirectDecodable {
    init(direct reader: inout DirectReader) throws(DirectReader.Mismatch) {
        try reader.beginObject()
        schemaVersion = try reader.read("schema_version")
        id = try reader.read("id")
        datasetID = try reader.read("dataset_id")
        datasetSHA256 = try reader.read("dataset_sha256")
        source = try reader.read("source")
        question = try reader.read("question")
        hint = try reader.read("hint")
        difficulty = try reader.read("difficulty")
        expectedSteps = try reader.read("expected_steps")
        outputSchema = try reader.read("output_schema")
        groundTruth = try reader.read("ground_truth")
        generator = try reader.read("generator")
        try reader.endObject()
    }
}

extension GroundTruth: DirectDecodable {
    init(direct reader: inout DirectReader) throws(DirectReader.Mismatch) {
        try reader.beginObject()
        value = try reader.read("value")
        sha256 = try reader.read("sha256")
        accepted = try reader.read("accepted")
        try reader.endObject()
    }
}

extension AnswerValue: DirectDecodable {
    init(direct reader: inout DirectReader) throws(DirectReader.Mismatch) {
        try reader.beginObject()
        value = try reader.read("value")
        sha256 = try reader.read("sha256")
        try reader.endObject()
    }
}

extension QuestionGenerator: DirectDecodable {
    init(direct reader: inout DirectReader) throws(DirectReader.Mismatch) {
        try reader.beginObject()
        name = try reader.read("name")
        version = try reader.read("version")
        parameters = try reader.read("parameters")
        program = try reader.read("program")
        exploration = try reader.read("exploration")
        try reader.endObject()
    }
}

extension AnswerSchema.Kind: DirectDecodable {}

extension AnswerSchema: DirectDecodable {
    /// The rules of `init(from:)`: the members that a kind does not use are null, the ones it
    /// uses are not.
    init(direct reader: inout DirectReader) throws(DirectReader.Mismatch) {
        try reader.beginObject()
        let kind: Kind = try reader.read("type")
        let decimals: Int? = try reader.read("decimals")
        let ordered: Bool? = try reader.read("ordered")
        let items: AnswerSchema? = try reader.read("items")
        let fields: [Field]? = try reader.read("fields")
        try reader.endObject()
        guard decimals == nil || kind == .number, ordered == nil || kind == .list,
              items == nil || kind == .list || kind == .mapping, fields == nil || kind == .object else {
            throw DirectReader.Mismatch()
        }
        switch (kind, items, ordered, fields) {
        case (.number, _, _, _): self = .number(decimals: decimals)
        case (.integer, _, _, _): self = .integer
        case (.string, _, _, _): self = .string
        case (.boolean, _, _, _): self = .boolean
        case (.list, let items?, let ordered?, _): self = .list(items: items, ordered: ordered)
        case (.object, _, _, let fields?): self = .object(fields: fields)
        case (.mapping, let items?, _, _): self = .mapping(values: items)
        default: throw DirectReader.Mismatch()
        }
    }
}

extension AnswerSchema.Field: DirectDecodable {
    init(direct reader: inout DirectReader) throws(DirectReader.Mismatch) {
        try reader.beginObject()
        name = try reader.read("name")
        schema = try reader.read("schema")
        try reader.endObject()
    }
}

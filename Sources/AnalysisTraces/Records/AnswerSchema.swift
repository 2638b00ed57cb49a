/// The machine-readable shape of an answer: what the matcher compares and how.
///
/// On disk every node carries all of its keys (`type`, `decimals`, `ordered`, `items`, `fields`),
/// with null where a key does not apply to the type, so that every line of a file has one shape.
public indirect enum AnswerSchema: Sendable, Equatable {
    /// A real number, rounded to `decimals` places when the question asks for rounding.
    case number(decimals: Int?)
    case integer
    case string
    case boolean
    /// A list of values; `ordered: false` compares as a multiset.
    case list(items: AnswerSchema, ordered: Bool)
    /// An object with exactly these keys.
    case object(fields: [Field])
    /// An object whose keys are data (group labels) and whose values share one schema.
    case mapping(values: AnswerSchema)

    public struct Field: Codable, Sendable, Equatable {
        public var name: String
        public var schema: AnswerSchema

        public init(name: String, schema: AnswerSchema) {
            self.name = name
            self.schema = schema
        }

        public enum CodingKeys: String, CodingKey, CaseIterable { case name, schema }
    }

    public enum Kind: String, Codable, Sendable, CaseIterable {
        case number, integer, string, boolean, list, object, mapping
    }

    public var kind: Kind {
        switch self {
        case .number: .number
        case .integer: .integer
        case .string: .string
        case .boolean: .boolean
        case .list: .list
        case .object: .object
        case .mapping: .mapping
        }
    }
}

extension AnswerSchema: Codable {
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case type, decimals, ordered, items, fields
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let kind = try container.decode(Kind.self, forKey: .type)
        let decimals = try container.decodeIfPresent(Int.self, forKey: .decimals)
        let ordered = try container.decodeIfPresent(Bool.self, forKey: .ordered)
        let items = try container.decodeIfPresent(AnswerSchema.self, forKey: .items)
        let fields = try container.decodeIfPresent([Field].self, forKey: .fields)

        func require<T>(_ value: T?, _ key: CodingKeys) throws -> T {
            guard let value else {
                throw DecodingError.valueNotFound(
                    T.self,
                    .init(codingPath: container.codingPath + [key],
                          debugDescription: "a '\(kind.rawValue)' schema needs '\(key.rawValue)'"))
            }
            return value
        }
        func forbid(_ present: Bool, _ key: CodingKeys) throws {
            if present {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: container,
                    debugDescription: "a '\(kind.rawValue)' schema must have null '\(key.rawValue)'")
            }
        }

        try forbid(decimals != nil && kind != .number, .decimals)
        try forbid(ordered != nil && kind != .list, .ordered)
        try forbid(items != nil && kind != .list && kind != .mapping, .items)
        try forbid(fields != nil && kind != .object, .fields)
        switch kind {
        case .number: self = .number(decimals: decimals)
        case .integer: self = .integer
        case .string: self = .string
        case .boolean: self = .boolean
        case .list: self = .list(items: try require(items, .items), ordered: try require(ordered, .ordered))
        case .object: self = .object(fields: try require(fields, .fields))
        case .mapping: self = .mapping(values: try require(items, .items))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .type)
        var decimals: Int?
        var ordered: Bool?
        var items: AnswerSchema?
        var fields: [Field]?
        switch self {
        case .number(let d): decimals = d
        case .integer, .string, .boolean: break
        case .list(let i, let o): items = i; ordered = o
        case .object(let f): fields = f
        case .mapping(let v): items = v
        }
        try container.encode(decimals, forKey: .decimals)
        try container.encode(ordered, forKey: .ordered)
        try container.encode(items, forKey: .items)
        try container.encode(fields, forKey: .fields)
    }
}

/// Decodes records strictly from ``JSONValue`` or from JSON bytes.
///
/// The rules, which make every file self-checking:
/// - An object decoded with `CaseIterable` coding keys (every record type) may hold no key
///   outside those cases: `unknown key 'foo'`.
/// - Every key is present. An optional field is written as `null` when it has no value;
///   `decodeIfPresent` on an absent key throws `missing key 'hint' (write null when there is no
///   value)` instead of returning nil.
/// - Types are exact: an `Int` needs an integer literal (`1.5` and `1.0` fail), a `Double`
///   takes any number (or the tagged non-finite object), a `Bool` a boolean, a `String` a
///   string. A `String` enum lists its cases when the value is not one of them.
/// - `JSONValue` fields take the parsed node as it is, without any container work.
/// - `[String: X]` dictionaries decode from objects.
///
/// Every failure is a ``RecordDecodingError`` naming the field by its on-disk path
/// (`traces[0].turns[3].execution.timed_out`). The byte-level overloads parse first; a
/// document that is not JSON throws ``JSONParseError`` (with its byte offset), so a caller can
/// tell syntax problems from schema problems.
public struct RecordDecoder: Sendable {
    public init() {}

    /// Decodes `type` from an already parsed value.
    public func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        if T.self == JSONValue.self { return unsafeBitCast(value, to: T.self) }
        let root = RecordValueDecoder(value: value, parent: nil, component: nil)
        return try root.unbox(type, value, nil)
    }

    /// Parses `bytes` as one JSON document and decodes `type` from it.
    ///
    /// - Throws: ``JSONParseError`` when the bytes are not strict JSON, ``RecordDecodingError``
    ///   when the value does not match `type`.
    public func decode<T: Decodable>(_ type: T.Type, from bytes: UnsafeRawBufferPointer) throws -> T {
        // Records read themselves straight from the bytes when they can; the tree path decides
        // everything else, so the result and every error are those of parsing first and
        // decoding the tree.
        if let direct = T.self as? any DirectDecodable.Type,
           let value = DirectReader.decode(direct, from: bytes, maxDepth: JSONParser.defaultMaxDepth) {
            return value as! T
        }
        let value = try JSONParser.parse(bytes)
        return try decode(type, from: value)
    }

    /// Parses `bytes` as one JSON document and decodes `type` from it (see the raw-buffer overload).
    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try bytes.withUnsafeBytes { buffer in try decode(type, from: buffer) }
    }
}

/// One step of a decoding path: an object key or an array position.
enum RecordPathComponent {
    case key(String)
    case index(Int)
}

/// A coding key for an array position in a `codingPath`.
struct RecordIndexKey: CodingKey {
    let index: Int
    init(_ index: Int) { self.index = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.index = intValue }
    var stringValue: String { "Index \(index)" }
    var intValue: Int? { index }
}

/// A coding key for an object key in a `codingPath`.
struct RecordNameKey: CodingKey {
    let stringValue: String
    init(_ name: String) { self.stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
    var intValue: Int? { nil }
}

/// The `Decoder` over one node of a parsed document. Each node that a nested `Decodable` is
/// read from gets its own decoder; the chain of parents is the path, turned into text only
/// when an error needs it.
final class RecordValueDecoder: Decoder, SingleValueDecodingContainer {
    let value: JSONValue
    let parent: RecordValueDecoder?
    let component: RecordPathComponent?
    /// Where the keyed container expects the next key: synthesized decoders ask in declaration
    /// order, which is the order records are written in, so lookups are usually one comparison.
    var cursor = 0
    /// How many members were read exactly in document order from the first one.
    var orderedReads = 0
    /// Set by `unbox`: the unknown-key check runs after `init(from:)` instead of up front.
    var deferKeyCheck = false
    var keyType: (any CodingKey.Type)?
    var keyedMemberCount = 0

    init(value: JSONValue, parent: RecordValueDecoder?, component: RecordPathComponent?) {
        self.value = value
        self.parent = parent
        self.component = component
    }

    var userInfo: [CodingUserInfoKey: Any] { [:] }

    var components: [RecordPathComponent] {
        var result: [RecordPathComponent] = []
        var node: RecordValueDecoder? = self
        while let current = node {
            if let component = current.component { result.append(component) }
            node = current.parent
        }
        return result.reversed()
    }

    var codingPath: [any CodingKey] {
        components.map { component -> any CodingKey in
            switch component {
            case .key(let name): RecordNameKey(name)
            case .index(let index): RecordIndexKey(index)
            }
        }
    }

    /// The on-disk path of this node, extended by `component`.
    func path(appending component: RecordPathComponent?) -> String {
        var all = components
        if let component { all.append(component) }
        var text = ""
        for step in all {
            switch step {
            case .key(let name):
                if !text.isEmpty { text += "." }
                text += name
            case .index(let index):
                text += "[\(index)]"
            }
        }
        return text
    }

    /// On-disk path text for a `codingPath` reported by someone else's `init(from:)`.
    static func path(of codingPath: [any CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            if let index = key as? RecordIndexKey {
                text += "[\(index.index)]"
            } else {
                if !text.isEmpty { text += "." }
                text += key.stringValue
            }
        }
        return text
    }

    func failure(_ message: String, at component: RecordPathComponent?) -> RecordDecodingError {
        RecordDecodingError(path: path(appending: component), message: message)
    }

    func mismatch(expected: String, found value: JSONValue, at component: RecordPathComponent?) -> RecordDecodingError {
        failure("expected \(expected); found \(Self.describe(value))", at: component)
    }

    /// How a found value is named in messages: `null`, `a number`, `an object`, ...
    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .int, .double: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    // MARK: Containers

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else {
            throw mismatch(expected: "an object", found: value, at: nil)
        }
        if deferKeyCheck {
            // `unbox` checks after `init(from:)` returns; when every member was read in order,
            // no key can be unknown and no key needs to be looked up in `Key`.
            keyType = Key.self
            keyedMemberCount = members.count
        } else {
            try checkKeys(members.lazy.map(\.key), against: Key.self)
        }
        return KeyedDecodingContainer(RecordKeyedContainer<Key>(decoder: self, members: members))
    }

    /// Throws for the first of `keys` that is not a case of `keyType`, when `keyType` is
    /// `CaseIterable` (record coding keys); other key types (dictionaries) accept any key.
    func checkKeys(_ keys: some Sequence<String>, against keyType: any CodingKey.Type) throws {
        for key in keys where keyType.init(stringValue: key) == nil {
            if let allCases = keyType as? any CaseIterable.Type {
                let names = Self.caseNames(allCases).map { "'\($0)'" }.joined(separator: ", ")
                throw failure("unknown key '\(key)'; expected one of \(names)", at: .key(key))
            }
        }
    }

    /// The deferred unknown-key check, run once the value's `init(from:)` has returned (or
    /// before reporting a missing key, so that a misspelt key is named as such).
    func finishKeyedDecoding() throws {
        guard let keyType, orderedReads < keyedMemberCount, case .object(let members) = value else { return }
        try checkKeys(members.lazy.map(\.key), against: keyType)
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else {
            throw mismatch(expected: "an array", found: value, at: nil)
        }
        return RecordUnkeyedContainer(decoder: self, elements: elements)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    /// The string forms of a `CaseIterable` type's cases: raw values of a `String` enum, or
    /// `stringValue` of coding keys.
    static func caseNames(_ type: any CaseIterable.Type) -> [String] {
        func names<C: CaseIterable>(_ type: C.Type) -> [String] {
            type.allCases.compactMap { value -> String? in
                if let key = value as? any CodingKey { return key.stringValue }
                if let raw = value as? any RawRepresentable, let text = raw.rawValue as? String { return text }
                return nil
            }
        }
        return names(type)
    }
}

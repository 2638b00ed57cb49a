/// Encodes records to the project's on-disk JSON: compact, deterministic, every key written.
///
/// - Keys come out in the order `encode(to:)` writes them: declaration order for synthesized
///   `Codable`.
/// - Optional fields are written as `null` (synthesized code calls `encodeIfPresent`, which
///   here writes `null` instead of skipping the key).
/// - `[String: X]` dictionaries are written with their keys sorted by UTF-8 bytes, so that the
///   same value always gives the same bytes.
/// - `JSONValue` is written as it is; a non-finite `Double` as `{"$float":"nan"|"inf"|"-inf"}`.
/// - Layout and number formatting are those of ``JSONWriter``.
public struct RecordEncoder: Sendable {
    public init() {}

    /// The JSON text of `value`: one line, no trailing newline.
    public func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        var buffer: [UInt8] = []
        try append(value, to: &buffer)
        return buffer
    }

    /// Appends the JSON text of `value` (no newline) to `buffer`, for writers that batch lines.
    public func append<T: Encodable>(_ value: T, to buffer: inout [UInt8]) throws {
        JSONWriter.write(try encodeValue(value), to: &buffer)
    }

    /// The `JSONValue` tree of `value`, with object members in the order described above.
    public func encodeValue<T: Encodable>(_ value: T) throws -> JSONValue {
        try RecordValueEncoder(parent: nil, component: nil).box(value, nil)
    }
}

/// Where an encoder's result goes: nothing yet, a finished value, or a container being filled.
enum RecordEncodedStorage {
    case empty
    case value(JSONValue)
    case object(RecordObjectBuilder)
    case array(RecordArrayBuilder)
}

/// The members of an object being encoded. Nested containers and super-encoders fill their
/// slot later; their encoders are kept in `deferred` and resolved by `finish()`.
final class RecordObjectBuilder {
    var members: [(key: String, value: JSONValue)] = []
    var deferred: [(index: Int, encoder: RecordValueEncoder)] = []

    func finish() throws -> JSONValue {
        for slot in deferred { members[slot.index].value = try slot.encoder.finish() }
        return .object(members)
    }
}

/// The elements of an array being encoded (see ``RecordObjectBuilder`` for `deferred`).
final class RecordArrayBuilder {
    var elements: [JSONValue] = []
    var deferred: [(index: Int, encoder: RecordValueEncoder)] = []

    func finish() throws -> JSONValue {
        for slot in deferred { elements[slot.index] = try slot.encoder.finish() }
        return .array(elements)
    }
}

/// Marks `[String: X]`, which ``RecordEncoder`` writes with sorted keys.
protocol RecordSortedDictionary {
    func encodeSorted(with encoder: RecordValueEncoder) throws -> JSONValue
}

extension Dictionary: RecordSortedDictionary where Key == String, Value: Encodable {
    func encodeSorted(with encoder: RecordValueEncoder) throws -> JSONValue {
        var members: [(key: String, value: JSONValue)] = []
        members.reserveCapacity(count)
        for (key, value) in self {
            members.append((key, try encoder.box(value, .key(key))))
        }
        members.sort { JSONWriter.utf8Precedes($0.key, $1.key) }
        return .object(members)
    }
}

/// The `Encoder` for one value. Each nested `Encodable` gets its own encoder; the chain of
/// parents is the coding path.
final class RecordValueEncoder: Encoder, SingleValueEncodingContainer {
    let parent: RecordValueEncoder?
    let component: RecordPathComponent?
    var storage = RecordEncodedStorage.empty

    init(parent: RecordValueEncoder?, component: RecordPathComponent?) {
        self.parent = parent
        self.component = component
    }

    var userInfo: [CodingUserInfoKey: Any] { [:] }

    var codingPath: [any CodingKey] {
        var result: [any CodingKey] = []
        var node: RecordValueEncoder? = self
        while let current = node {
            switch current.component {
            case .key(let name): result.append(RecordNameKey(name))
            case .index(let index): result.append(RecordIndexKey(index))
            case nil: break
            }
            node = current.parent
        }
        return result.reversed()
    }

    /// The encoded value, once `encode(to:)` has run.
    func finish() throws -> JSONValue {
        switch storage {
        case .empty:
            throw EncodingError.invalidValue(
                () as Any,
                .init(codingPath: codingPath, debugDescription: "the value encoded nothing"))
        case .value(let value): return value
        case .object(let builder): return try builder.finish()
        case .array(let builder): return try builder.finish()
        }
    }

    /// Encodes `value`, the child of this encoder at `component`.
    func box<T: Encodable>(_ value: T, _ component: RecordPathComponent?) throws -> JSONValue {
        if T.self == JSONValue.self { return unsafeBitCast(value, to: JSONValue.self) }
        if T.self == String.self { return .string(unsafeBitCast(value, to: String.self)) }
        if T.self == Int.self { return .int(Int64(unsafeBitCast(value, to: Int.self))) }
        if T.self == Bool.self { return .bool(unsafeBitCast(value, to: Bool.self)) }
        if T.self == Double.self { return Self.number(unsafeBitCast(value, to: Double.self)) }
        if let dictionary = value as? any RecordSortedDictionary {
            return try dictionary.encodeSorted(with: RecordValueEncoder(parent: self, component: component))
        }
        let child = RecordValueEncoder(parent: self, component: component)
        try value.encode(to: child)
        return try child.finish()
    }

    static func number(_ value: Double) -> JSONValue {
        value.isFinite ? .double(value) : JSONWriter.taggedNonFinite(value)
    }

    static func integer<I: FixedWidthInteger>(_ value: I) throws -> JSONValue {
        guard let exact = Int64(exactly: value) else {
            throw EncodingError.invalidValue(
                value, .init(codingPath: [], debugDescription: "integer \(value) does not fit in 64 signed bits"))
        }
        return .int(exact)
    }

    // MARK: Containers

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .object(let builder) = storage {
            return KeyedEncodingContainer(RecordKeyedEncodingContainer<Key>(encoder: self, builder: builder))
        }
        let builder = RecordObjectBuilder()
        storage = .object(builder)
        return KeyedEncodingContainer(RecordKeyedEncodingContainer<Key>(encoder: self, builder: builder))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .array(let builder) = storage {
            return RecordUnkeyedEncodingContainer(encoder: self, builder: builder)
        }
        let builder = RecordArrayBuilder()
        storage = .array(builder)
        return RecordUnkeyedEncodingContainer(encoder: self, builder: builder)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { self }

    // MARK: SingleValueEncodingContainer

    func encodeNil() { storage = .value(.null) }
    func encode(_ value: Bool) { storage = .value(.bool(value)) }
    func encode(_ value: String) { storage = .value(.string(value)) }
    func encode(_ value: Double) { storage = .value(Self.number(value)) }
    func encode(_ value: Float) { storage = .value(Self.number(Double(value))) }
    func encode(_ value: Int) { storage = .value(.int(Int64(value))) }
    func encode(_ value: Int8) { storage = .value(.int(Int64(value))) }
    func encode(_ value: Int16) { storage = .value(.int(Int64(value))) }
    func encode(_ value: Int32) { storage = .value(.int(Int64(value))) }
    func encode(_ value: Int64) { storage = .value(.int(value)) }
    func encode(_ value: UInt) throws { storage = .value(try Self.integer(value)) }
    func encode(_ value: UInt8) { storage = .value(.int(Int64(value))) }
    func encode(_ value: UInt16) { storage = .value(.int(Int64(value))) }
    func encode(_ value: UInt32) { storage = .value(.int(Int64(value))) }
    func encode(_ value: UInt64) throws { storage = .value(try Self.integer(value)) }
    func encode<T: Encodable>(_ value: T) throws {
        // The value replaces this encoder's content, so encode it through a fresh sibling that
        // shares this encoder's place in the path.
        let sibling = RecordValueEncoder(parent: parent, component: component)
        storage = .value(try sibling.box(value, nil))
    }
}

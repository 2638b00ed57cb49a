extension RecordValueDecoder {
    func unboxString(_ value: JSONValue, _ component: RecordPathComponent?) throws -> String {
        guard case .string(let string) = value else {
            throw mismatch(expected: "a string", found: value, at: component)
        }
        return string
    }

    func unboxBool(_ value: JSONValue, _ component: RecordPathComponent?) throws -> Bool {
        guard case .bool(let flag) = value else {
            throw mismatch(expected: "a boolean", found: value, at: component)
        }
        return flag
    }

    /// Any number, or the tagged non-finite object that ``RecordEncoder`` writes for NaN and
    /// the infinities.
    func unboxDouble(_ value: JSONValue, _ component: RecordPathComponent?) throws -> Double {
        switch value {
        case .double(let number): return number
        case .int(let integer): return Double(integer)
        case .object:
            guard let number = JSONWriter.untagNonFinite(value) else {
                throw mismatch(expected: "a number", found: value, at: component)
            }
            return number
        default:
            throw mismatch(expected: "a number", found: value, at: component)
        }
    }

    func unboxInteger<I: FixedWidthInteger>(_ type: I.Type, _ value: JSONValue, _ component: RecordPathComponent?) throws -> I {
        switch value {
        case .int(let integer):
            guard let result = I(exactly: integer) else {
                throw failure("expected an integer in \(I.min)...\(I.max); found \(integer)", at: component)
            }
            return result
        case .double(let number):
            let text = String(decoding: JSONWriter.bytes(.double(number)), as: UTF8.self)
            throw failure("expected an integer; found \(text)", at: component)
        default:
            throw mismatch(expected: "an integer", found: value, at: component)
        }
    }

    /// Decodes `type` from `value`, the child of this node at `component` (or this node's own
    /// value when `component` is nil).
    func unbox<T: Decodable>(_ type: T.Type, _ value: JSONValue, _ component: RecordPathComponent?) throws -> T {
        if T.self == JSONValue.self { return unsafeBitCast(value, to: T.self) }
        if T.self == String.self { return unsafeBitCast(try unboxString(value, component), to: T.self) }
        if T.self == Int.self { return unsafeBitCast(try unboxInteger(Int.self, value, component), to: T.self) }
        if T.self == Double.self { return unsafeBitCast(try unboxDouble(value, component), to: T.self) }
        if T.self == Bool.self { return unsafeBitCast(try unboxBool(value, component), to: T.self) }
        let child = component.map { RecordValueDecoder(value: value, parent: self, component: $0) }
            ?? RecordValueDecoder(value: value, parent: parent, component: self.component)
        child.deferKeyCheck = true
        do {
            let result = try T(from: child)
            try child.finishKeyedDecoding()
            return result
        } catch let error as DecodingError {
            throw child.translate(error, decoding: T.self)
        }
    }

    /// Turns a `DecodingError` thrown by a type's own `init(from:)` (or by the standard
    /// library's `RawRepresentable` decoding) into a ``RecordDecodingError``.
    func translate<T>(_ error: DecodingError, decoding type: T.Type) -> RecordDecodingError {
        switch error {
        case .dataCorrupted(let context):
            if case .string(let found) = value, let cases = T.self as? any CaseIterable.Type,
               T.self is any RawRepresentable.Type {
                let names = Self.caseNames(cases).map { "'\($0)'" }.joined(separator: ", ")
                return failure("must be one of \(names); found '\(found)'", at: nil)
            }
            return RecordDecodingError(path: Self.path(of: context.codingPath), message: context.debugDescription)
        case .keyNotFound(let key, let context):
            return RecordDecodingError(
                path: Self.path(of: context.codingPath + [key]),
                message: "missing key '\(key.stringValue)'")
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return RecordDecodingError(path: Self.path(of: context.codingPath), message: context.debugDescription)
        @unknown default:
            return failure("\(error)", at: nil)
        }
    }

    // MARK: SingleValueDecodingContainer

    func decodeNil() -> Bool {
        if case .null = value { return true }
        return false
    }

    func decode(_ type: Bool.Type) throws -> Bool { try unboxBool(value, nil) }
    func decode(_ type: String.Type) throws -> String { try unboxString(value, nil) }
    func decode(_ type: Double.Type) throws -> Double { try unboxDouble(value, nil) }
    func decode(_ type: Float.Type) throws -> Float { Float(try unboxDouble(value, nil)) }
    func decode(_ type: Int.Type) throws -> Int { try unboxInteger(type, value, nil) }
    func decode(_ type: Int8.Type) throws -> Int8 { try unboxInteger(type, value, nil) }
    func decode(_ type: Int16.Type) throws -> Int16 { try unboxInteger(type, value, nil) }
    func decode(_ type: Int32.Type) throws -> Int32 { try unboxInteger(type, value, nil) }
    func decode(_ type: Int64.Type) throws -> Int64 { try unboxInteger(type, value, nil) }
    func decode(_ type: UInt.Type) throws -> UInt { try unboxInteger(type, value, nil) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try unboxInteger(type, value, nil) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try unboxInteger(type, value, nil) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try unboxInteger(type, value, nil) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try unboxInteger(type, value, nil) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try unbox(type, value, nil) }
}

/// The keyed container over one object's members.
struct RecordKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: RecordValueDecoder
    let members: [(key: String, value: JSONValue)]

    var codingPath: [any CodingKey] { decoder.codingPath }
    var allKeys: [Key] { members.compactMap { Key(stringValue: $0.key) } }

    func contains(_ key: Key) -> Bool {
        let name = key.stringValue
        return members.contains { $0.key == name }
    }

    @inline(__always)
    func lookup(_ name: String) -> JSONValue? {
        let decoder = decoder
        return members.withUnsafeBufferPointer { members -> JSONValue? in
            let cursor = decoder.cursor
            if cursor < members.count, members[cursor].key == name {
                decoder.cursor = cursor + 1
                if decoder.orderedReads == cursor { decoder.orderedReads = cursor + 1 }
                return members[cursor].value
            }
            for index in members.indices where members[index].key == name {
                decoder.cursor = index + 1
                return members[index].value
            }
            return nil
        }
    }

    func required(_ key: Key) throws -> JSONValue {
        let name = key.stringValue
        guard let value = lookup(name) else {
            try decoder.finishKeyedDecoding()
            throw decoder.failure("missing key '\(name)'", at: .key(name))
        }
        return value
    }

    /// The value of an optional field: nil for `null`, an error for an absent key.
    func optional(_ key: Key) throws -> JSONValue? {
        let name = key.stringValue
        guard let value = lookup(name) else {
            try decoder.finishKeyedDecoding()
            throw decoder.failure("missing key '\(name)' (write null when there is no value)", at: .key(name))
        }
        if case .null = value { return nil }
        return value
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        if case .null = try required(key) { return true }
        return false
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decoder.unboxBool(try required(key), .key(key.stringValue)) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try decoder.unboxString(try required(key), .key(key.stringValue)) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decoder.unboxDouble(try required(key), .key(key.stringValue)) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { Float(try decoder.unboxDouble(try required(key), .key(key.stringValue))) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decoder.unboxInteger(type, try required(key), .key(key.stringValue)) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try decoder.unboxInteger(type, try required(key), .key(key.stringValue)) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try decoder.unboxInteger(type, try required(key), .key(key.stringValue)) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try decoder.unboxInteger(type, try required(key), .key(key.stringValue)) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decoder.unboxInteger(type, try required(key), .key(key.stringValue)) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try decoder.unboxInteger(type, try required(key), .key(key.stringValue)) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try decoder.unboxInteger(type, try required(key), .key(key.stringValue)) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try decoder.unboxInteger(type, try required(key), .key(key.stringValue)) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try decoder.unboxInteger(type, try required(key), .key(key.stringValue)) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try decoder.unboxInteger(type, try required(key), .key(key.stringValue)) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try decoder.unbox(type, try required(key), .key(key.stringValue)) }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { guard let value = try optional(key) else { return nil }; return try decoder.unboxBool(value, .key(key.stringValue)) }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { guard let value = try optional(key) else { return nil }; return try decoder.unboxString(value, .key(key.stringValue)) }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { guard let value = try optional(key) else { return nil }; return try decoder.unboxDouble(value, .key(key.stringValue)) }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { guard let value = try optional(key) else { return nil }; return Float(try decoder.unboxDouble(value, .key(key.stringValue))) }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { guard let value = try optional(key) else { return nil }; return try decoder.unboxInteger(type, value, .key(key.stringValue)) }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { guard let value = try optional(key) else { return nil }; return try decoder.unboxInteger(type, value, .key(key.stringValue)) }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { guard let value = try optional(key) else { return nil }; return try decoder.unboxInteger(type, value, .key(key.stringValue)) }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { guard let value = try optional(key) else { return nil }; return try decoder.unboxInteger(type, value, .key(key.stringValue)) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { guard let value = try optional(key) else { return nil }; return try decoder.unboxInteger(type, value, .key(key.stringValue)) }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { guard let value = try optional(key) else { return nil }; return try decoder.unboxInteger(type, value, .key(key.stringValue)) }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { guard let value = try optional(key) else { return nil }; return try decoder.unboxInteger(type, value, .key(key.stringValue)) }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { guard let value = try optional(key) else { return nil }; return try decoder.unboxInteger(type, value, .key(key.stringValue)) }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { guard let value = try optional(key) else { return nil }; return try decoder.unboxInteger(type, value, .key(key.stringValue)) }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { guard let value = try optional(key) else { return nil }; return try decoder.unboxInteger(type, value, .key(key.stringValue)) }
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let value = try optional(key) else { return nil }
        return try decoder.unbox(type, value, .key(key.stringValue))
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try child(for: key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try child(for: key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        let name = "super"
        guard let value = lookup(name) else { throw decoder.failure("missing key '\(name)'", at: .key(name)) }
        return RecordValueDecoder(value: value, parent: decoder, component: .key(name))
    }

    func superDecoder(forKey key: Key) throws -> any Decoder { try child(for: key) }

    func child(for key: Key) throws -> RecordValueDecoder {
        RecordValueDecoder(value: try required(key), parent: decoder, component: .key(key.stringValue))
    }
}

/// The unkeyed container over one array's elements.
struct RecordUnkeyedContainer: UnkeyedDecodingContainer {
    let decoder: RecordValueDecoder
    let elements: [JSONValue]
    private(set) var currentIndex = 0

    init(decoder: RecordValueDecoder, elements: [JSONValue]) {
        self.decoder = decoder
        self.elements = elements
    }

    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    mutating func next() throws -> (JSONValue, RecordPathComponent) {
        guard currentIndex < elements.count else {
            throw decoder.failure(
                "expected more than \(elements.count) elements; found \(elements.count)", at: .index(currentIndex))
        }
        let index = currentIndex
        currentIndex += 1
        return (elements[index], .index(index))
    }

    mutating func decodeNil() throws -> Bool {
        guard currentIndex < elements.count else { return false }
        if case .null = elements[currentIndex] {
            currentIndex += 1
            return true
        }
        return false
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { let (v, c) = try next(); return try decoder.unboxBool(v, c) }
    mutating func decode(_ type: String.Type) throws -> String { let (v, c) = try next(); return try decoder.unboxString(v, c) }
    mutating func decode(_ type: Double.Type) throws -> Double { let (v, c) = try next(); return try decoder.unboxDouble(v, c) }
    mutating func decode(_ type: Float.Type) throws -> Float { let (v, c) = try next(); return Float(try decoder.unboxDouble(v, c)) }
    mutating func decode(_ type: Int.Type) throws -> Int { let (v, c) = try next(); return try decoder.unboxInteger(type, v, c) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { let (v, c) = try next(); return try decoder.unboxInteger(type, v, c) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { let (v, c) = try next(); return try decoder.unboxInteger(type, v, c) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { let (v, c) = try next(); return try decoder.unboxInteger(type, v, c) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { let (v, c) = try next(); return try decoder.unboxInteger(type, v, c) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { let (v, c) = try next(); return try decoder.unboxInteger(type, v, c) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { let (v, c) = try next(); return try decoder.unboxInteger(type, v, c) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { let (v, c) = try next(); return try decoder.unboxInteger(type, v, c) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { let (v, c) = try next(); return try decoder.unboxInteger(type, v, c) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { let (v, c) = try next(); return try decoder.unboxInteger(type, v, c) }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { let (v, c) = try next(); return try decoder.unbox(type, v, c) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let (v, c) = try next()
        return try RecordValueDecoder(value: v, parent: decoder, component: c).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let (v, c) = try next()
        return try RecordValueDecoder(value: v, parent: decoder, component: c).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        let (v, c) = try next()
        return RecordValueDecoder(value: v, parent: decoder, component: c)
    }
}

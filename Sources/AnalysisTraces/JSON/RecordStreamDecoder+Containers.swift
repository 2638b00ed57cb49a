/// The keyed container of ``RecordStreamDecoder``: each key asked for must be the next member
/// of the innermost open object in the document.
struct RecordStreamKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: RecordStreamDecoder

    /// The innermost open container, which is this container's object while its type's
    /// `init(from:)` runs (a nested value's container is closed before that returns).
    var frame: Int { decoder.state.pointee.frames.count - 1 }

    var codingPath: [any CodingKey] { decoder.codingPath }

    var allKeys: [Key] { decoder.scanKeys(frame).compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool {
        decoder.state.pointee.failed = true
        return false
    }

    func decodeNil(forKey key: Key) throws -> Bool { throw decoder.giveUp() }

    @inline(__always)
    func decodeMember<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T {
        try decoder.beginMember(frame, key.stringValue)
        let value = try decoder.unbox(type)
        try decoder.endItem(frame, close: UInt8(ascii: "}"))
        return value
    }

    @inline(__always)
    func decodeOptionalMember<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T? {
        try decoder.beginMember(frame, key.stringValue)
        // No local of type `T?`: in this unspecialised code it would look up `Optional<T>`'s
        // metadata on every call.
        if try decoder.takeNull() {
            try decoder.endItem(frame, close: UInt8(ascii: "}"))
            return nil
        }
        let value = try decoder.unbox(type)
        try decoder.endItem(frame, close: UInt8(ascii: "}"))
        return value
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decodeMember(type, key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try decodeMember(type, key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decodeMember(type, key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { Float(try decodeMember(Double.self, key)) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decodeMember(type, key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try decodeIntegerMember(type, key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try decodeIntegerMember(type, key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try decodeIntegerMember(type, key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decodeIntegerMember(type, key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try decodeIntegerMember(type, key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try decodeIntegerMember(type, key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try decodeIntegerMember(type, key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try decodeIntegerMember(type, key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try decodeIntegerMember(type, key) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try decodeMember(type, key) }

    func decodeIntegerMember<I: FixedWidthInteger>(_ type: I.Type, _ key: Key) throws -> I {
        try decoder.beginMember(frame, key.stringValue)
        let value = try decoder.unboxScalarInteger(type)
        try decoder.endItem(frame, close: UInt8(ascii: "}"))
        return value
    }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try decodeOptionalMember(type, key) }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try decodeOptionalMember(type, key) }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try decodeOptionalMember(type, key) }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try decodeOptionalMember(Double.self, key).map(Float.init) }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try decodeOptionalMember(type, key) }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try decodeOptionalMember(type, key) }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try decodeOptionalMember(type, key) }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try decodeOptionalMember(type, key) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try decodeOptionalMember(type, key) }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try decodeOptionalMember(type, key) }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try decodeOptionalMember(type, key) }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try decodeOptionalMember(type, key) }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try decodeOptionalMember(type, key) }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try decodeOptionalMember(type, key) }
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? { try decodeOptionalMember(type, key) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        throw decoder.giveUp()
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { throw decoder.giveUp() }
    func superDecoder() throws -> any Decoder { throw decoder.giveUp() }
    func superDecoder(forKey key: Key) throws -> any Decoder { throw decoder.giveUp() }
}

/// The unkeyed container of ``RecordStreamDecoder``: elements in order.
struct RecordStreamUnkeyedContainer: UnkeyedDecodingContainer {
    let decoder: RecordStreamDecoder
    let frame: Int
    private(set) var currentIndex = 0

    init(decoder: RecordStreamDecoder, frame: Int) {
        self.decoder = decoder
        self.frame = frame
    }

    var codingPath: [any CodingKey] { decoder.codingPath }

    var count: Int? {
        // Counting would mean reading ahead; the tree path answers types that ask.
        decoder.state.pointee.failed = true
        return nil
    }

    var isAtEnd: Bool { decoder.state.pointee.failed || decoder.state.pointee.frames[frame].closed }

    @inline(__always)
    func checkOpen() throws {
        guard !decoder.state.pointee.failed, frame == decoder.state.pointee.frames.count - 1, !decoder.state.pointee.frames[frame].closed else {
            throw decoder.giveUp()
        }
    }

    mutating func decodeNil() throws -> Bool {
        try checkOpen()
        decoder.state.pointee.reader.skipWhitespace()
        guard try decoder.takeNull() else { return false }
        try decoder.endItem(frame, close: UInt8(ascii: "]"))
        currentIndex += 1
        return true
    }

    @inline(__always)
    mutating func decodeElement<T: Decodable>(_ type: T.Type) throws -> T {
        try checkOpen()
        let value = try decoder.unbox(type)
        try decoder.endItem(frame, close: UInt8(ascii: "]"))
        currentIndex += 1
        return value
    }

    @inline(__always)
    mutating func decodeIntegerElement<I: FixedWidthInteger>(_ type: I.Type) throws -> I {
        try checkOpen()
        let value = try decoder.unboxScalarInteger(type)
        try decoder.endItem(frame, close: UInt8(ascii: "]"))
        currentIndex += 1
        return value
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try decodeElement(type) }
    mutating func decode(_ type: String.Type) throws -> String { try decodeElement(type) }
    mutating func decode(_ type: Double.Type) throws -> Double { try decodeElement(type) }
    mutating func decode(_ type: Float.Type) throws -> Float { Float(try decodeElement(Double.self)) }
    mutating func decode(_ type: Int.Type) throws -> Int { try decodeElement(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try decodeIntegerElement(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try decodeIntegerElement(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try decodeIntegerElement(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try decodeIntegerElement(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try decodeIntegerElement(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try decodeIntegerElement(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try decodeIntegerElement(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try decodeIntegerElement(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try decodeIntegerElement(type) }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try decodeElement(type) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        throw decoder.giveUp()
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { throw decoder.giveUp() }
    mutating func superDecoder() throws -> any Decoder { throw decoder.giveUp() }
}

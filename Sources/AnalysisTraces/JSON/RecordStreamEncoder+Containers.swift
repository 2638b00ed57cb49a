/// The keyed container of ``RecordStreamEncoder``: writes members in call order.
struct RecordStreamKeyedEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: RecordStreamEncoder
    /// -1 when the container could not be opened (the encoder has given up).
    let frame: Int

    var codingPath: [any CodingKey] { encoder.codingPath }

    @inline(__always)
    func begin(_ key: Key) throws {
        try encoder.beginMember(frame, key.stringValue)
    }

    mutating func encodeNil(forKey key: Key) throws { try begin(key); encoder.writeNull() }
    mutating func encode(_ value: Bool, forKey key: Key) throws { try begin(key); encoder.writeBool(value) }
    mutating func encode(_ value: String, forKey key: Key) throws { try begin(key); JSONWriter.appendString(value, to: &encoder.state.pointee.buffer) }
    mutating func encode(_ value: Double, forKey key: Key) throws { try begin(key); JSONWriter.appendDouble(value, to: &encoder.state.pointee.buffer) }
    mutating func encode(_ value: Float, forKey key: Key) throws { try begin(key); JSONWriter.appendDouble(Double(value), to: &encoder.state.pointee.buffer) }
    mutating func encode(_ value: Int, forKey key: Key) throws { try begin(key); try encoder.writeInteger(value) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try begin(key); try encoder.writeInteger(value) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try begin(key); try encoder.writeInteger(value) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try begin(key); try encoder.writeInteger(value) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try begin(key); try encoder.writeInteger(value) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try begin(key); try encoder.writeInteger(value) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try begin(key); try encoder.writeInteger(value) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try begin(key); try encoder.writeInteger(value) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try begin(key); try encoder.writeInteger(value) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try begin(key); try encoder.writeInteger(value) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try begin(key); try encoder.box(value) }

    // Every key is written: an absent optional is `null`, never a missing key.
    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { try encodeOptional(value, key) }
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { try encodeOptional(value, key) }
    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { try encodeOptional(value, key) }
    mutating func encodeIfPresent(_ value: Float?, forKey key: Key) throws { try encodeOptional(value.map(Double.init), key) }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { try encodeOptional(value, key) }
    mutating func encodeIfPresent(_ value: Int8?, forKey key: Key) throws { try encodeOptionalInteger(value, key) }
    mutating func encodeIfPresent(_ value: Int16?, forKey key: Key) throws { try encodeOptionalInteger(value, key) }
    mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) throws { try encodeOptionalInteger(value, key) }
    mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws { try encodeOptionalInteger(value, key) }
    mutating func encodeIfPresent(_ value: UInt?, forKey key: Key) throws { try encodeOptionalInteger(value, key) }
    mutating func encodeIfPresent(_ value: UInt8?, forKey key: Key) throws { try encodeOptionalInteger(value, key) }
    mutating func encodeIfPresent(_ value: UInt16?, forKey key: Key) throws { try encodeOptionalInteger(value, key) }
    mutating func encodeIfPresent(_ value: UInt32?, forKey key: Key) throws { try encodeOptionalInteger(value, key) }
    mutating func encodeIfPresent(_ value: UInt64?, forKey key: Key) throws { try encodeOptionalInteger(value, key) }
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws { try encodeOptional(value, key) }

    @inline(__always)
    func encodeOptional<T: Encodable>(_ value: T?, _ key: Key) throws {
        try begin(key)
        guard let value else { return encoder.writeNull() }
        try encoder.box(value)
    }

    @inline(__always)
    func encodeOptionalInteger<I: FixedWidthInteger>(_ value: I?, _ key: Key) throws {
        try begin(key)
        guard let value else { return encoder.writeNull() }
        try encoder.writeInteger(value)
    }

    // Nested and super encoders are filled in after their parent goes on; the tree path does that.
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        encoder.state.pointee.failed = true
        return KeyedEncodingContainer(RecordStreamKeyedEncodingContainer<NestedKey>(encoder: encoder, frame: -1))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        encoder.state.pointee.failed = true
        return RecordStreamUnkeyedEncodingContainer(encoder: encoder, frame: -1)
    }

    mutating func superEncoder() -> any Encoder {
        encoder.state.pointee.failed = true
        return encoder
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        encoder.state.pointee.failed = true
        return encoder
    }
}

/// The unkeyed container of ``RecordStreamEncoder``: writes elements in call order.
struct RecordStreamUnkeyedEncodingContainer: UnkeyedEncodingContainer {
    let encoder: RecordStreamEncoder
    /// -1 when the container could not be opened (the encoder has given up).
    let frame: Int

    var codingPath: [any CodingKey] { encoder.codingPath }
    var count: Int { frame >= 0 && frame < encoder.state.pointee.frames.count ? encoder.state.pointee.frames[frame].count : 0 }

    @inline(__always)
    func begin() throws { try encoder.beginItem(frame) }

    mutating func encodeNil() throws { try begin(); encoder.writeNull() }
    mutating func encode(_ value: Bool) throws { try begin(); encoder.writeBool(value) }
    mutating func encode(_ value: String) throws { try begin(); JSONWriter.appendString(value, to: &encoder.state.pointee.buffer) }
    mutating func encode(_ value: Double) throws { try begin(); JSONWriter.appendDouble(value, to: &encoder.state.pointee.buffer) }
    mutating func encode(_ value: Float) throws { try begin(); JSONWriter.appendDouble(Double(value), to: &encoder.state.pointee.buffer) }
    mutating func encode(_ value: Int) throws { try begin(); try encoder.writeInteger(value) }
    mutating func encode(_ value: Int8) throws { try begin(); try encoder.writeInteger(value) }
    mutating func encode(_ value: Int16) throws { try begin(); try encoder.writeInteger(value) }
    mutating func encode(_ value: Int32) throws { try begin(); try encoder.writeInteger(value) }
    mutating func encode(_ value: Int64) throws { try begin(); try encoder.writeInteger(value) }
    mutating func encode(_ value: UInt) throws { try begin(); try encoder.writeInteger(value) }
    mutating func encode(_ value: UInt8) throws { try begin(); try encoder.writeInteger(value) }
    mutating func encode(_ value: UInt16) throws { try begin(); try encoder.writeInteger(value) }
    mutating func encode(_ value: UInt32) throws { try begin(); try encoder.writeInteger(value) }
    mutating func encode(_ value: UInt64) throws { try begin(); try encoder.writeInteger(value) }
    mutating func encode<T: Encodable>(_ value: T) throws { try begin(); try encoder.box(value) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        encoder.state.pointee.failed = true
        return KeyedEncodingContainer(RecordStreamKeyedEncodingContainer<NestedKey>(encoder: encoder, frame: -1))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        encoder.state.pointee.failed = true
        return RecordStreamUnkeyedEncodingContainer(encoder: encoder, frame: -1)
    }

    mutating func superEncoder() -> any Encoder {
        encoder.state.pointee.failed = true
        return encoder
    }
}

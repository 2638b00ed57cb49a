/// The keyed container that appends object members in call order.
struct RecordKeyedEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: RecordValueEncoder
    let builder: RecordObjectBuilder

    var codingPath: [any CodingKey] { encoder.codingPath }

    @inline(__always)
    func put(_ value: JSONValue, _ key: Key) {
        builder.members.append((key: key.stringValue, value: value))
    }

    func encodeNil(forKey key: Key) { put(.null, key) }
    func encode(_ value: Bool, forKey key: Key) { put(.bool(value), key) }
    func encode(_ value: String, forKey key: Key) { put(.string(value), key) }
    func encode(_ value: Double, forKey key: Key) { put(RecordValueEncoder.number(value), key) }
    func encode(_ value: Float, forKey key: Key) { put(RecordValueEncoder.number(Double(value)), key) }
    func encode(_ value: Int, forKey key: Key) { put(.int(Int64(value)), key) }
    func encode(_ value: Int8, forKey key: Key) { put(.int(Int64(value)), key) }
    func encode(_ value: Int16, forKey key: Key) { put(.int(Int64(value)), key) }
    func encode(_ value: Int32, forKey key: Key) { put(.int(Int64(value)), key) }
    func encode(_ value: Int64, forKey key: Key) { put(.int(value), key) }
    func encode(_ value: UInt, forKey key: Key) throws { put(try RecordValueEncoder.integer(value), key) }
    func encode(_ value: UInt8, forKey key: Key) { put(.int(Int64(value)), key) }
    func encode(_ value: UInt16, forKey key: Key) { put(.int(Int64(value)), key) }
    func encode(_ value: UInt32, forKey key: Key) { put(.int(Int64(value)), key) }
    func encode(_ value: UInt64, forKey key: Key) throws { put(try RecordValueEncoder.integer(value), key) }
    func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        put(try encoder.box(value, .key(key.stringValue)), key)
    }

    // Every key is written: an absent optional is `null`, never a missing key.
    func encodeIfPresent(_ value: Bool?, forKey key: Key) { put(value.map { .bool($0) } ?? .null, key) }
    func encodeIfPresent(_ value: String?, forKey key: Key) { put(value.map { .string($0) } ?? .null, key) }
    func encodeIfPresent(_ value: Double?, forKey key: Key) { put(value.map(RecordValueEncoder.number) ?? .null, key) }
    func encodeIfPresent(_ value: Float?, forKey key: Key) { put(value.map { RecordValueEncoder.number(Double($0)) } ?? .null, key) }
    func encodeIfPresent(_ value: Int?, forKey key: Key) { put(value.map { .int(Int64($0)) } ?? .null, key) }
    func encodeIfPresent(_ value: Int8?, forKey key: Key) { put(value.map { .int(Int64($0)) } ?? .null, key) }
    func encodeIfPresent(_ value: Int16?, forKey key: Key) { put(value.map { .int(Int64($0)) } ?? .null, key) }
    func encodeIfPresent(_ value: Int32?, forKey key: Key) { put(value.map { .int(Int64($0)) } ?? .null, key) }
    func encodeIfPresent(_ value: Int64?, forKey key: Key) { put(value.map { .int($0) } ?? .null, key) }
    func encodeIfPresent(_ value: UInt?, forKey key: Key) throws { put(try value.map(RecordValueEncoder.integer) ?? .null, key) }
    func encodeIfPresent(_ value: UInt8?, forKey key: Key) { put(value.map { .int(Int64($0)) } ?? .null, key) }
    func encodeIfPresent(_ value: UInt16?, forKey key: Key) { put(value.map { .int(Int64($0)) } ?? .null, key) }
    func encodeIfPresent(_ value: UInt32?, forKey key: Key) { put(value.map { .int(Int64($0)) } ?? .null, key) }
    func encodeIfPresent(_ value: UInt64?, forKey key: Key) throws { put(try value.map(RecordValueEncoder.integer) ?? .null, key) }
    func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
        guard let value else { return put(.null, key) }
        put(try encoder.box(value, .key(key.stringValue)), key)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        deferredEncoder(for: key).container(keyedBy: keyType)
    }

    func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        deferredEncoder(for: key).unkeyedContainer()
    }

    func superEncoder() -> any Encoder {
        deferredEncoder(named: "super")
    }

    func superEncoder(forKey key: Key) -> any Encoder {
        deferredEncoder(for: key)
    }

    func deferredEncoder(for key: Key) -> RecordValueEncoder { deferredEncoder(named: key.stringValue) }

    func deferredEncoder(named name: String) -> RecordValueEncoder {
        let child = RecordValueEncoder(parent: encoder, component: .key(name))
        builder.deferred.append((index: builder.members.count, encoder: child))
        builder.members.append((key: name, value: .null))
        return child
    }
}

/// The unkeyed container that appends array elements in call order.
struct RecordUnkeyedEncodingContainer: UnkeyedEncodingContainer {
    let encoder: RecordValueEncoder
    let builder: RecordArrayBuilder

    var codingPath: [any CodingKey] { encoder.codingPath }
    var count: Int { builder.elements.count }

    @inline(__always)
    func put(_ value: JSONValue) { builder.elements.append(value) }

    func encodeNil() { put(.null) }
    func encode(_ value: Bool) { put(.bool(value)) }
    func encode(_ value: String) { put(.string(value)) }
    func encode(_ value: Double) { put(RecordValueEncoder.number(value)) }
    func encode(_ value: Float) { put(RecordValueEncoder.number(Double(value))) }
    func encode(_ value: Int) { put(.int(Int64(value))) }
    func encode(_ value: Int8) { put(.int(Int64(value))) }
    func encode(_ value: Int16) { put(.int(Int64(value))) }
    func encode(_ value: Int32) { put(.int(Int64(value))) }
    func encode(_ value: Int64) { put(.int(value)) }
    func encode(_ value: UInt) throws { put(try RecordValueEncoder.integer(value)) }
    func encode(_ value: UInt8) { put(.int(Int64(value))) }
    func encode(_ value: UInt16) { put(.int(Int64(value))) }
    func encode(_ value: UInt32) { put(.int(Int64(value))) }
    func encode(_ value: UInt64) throws { put(try RecordValueEncoder.integer(value)) }
    func encode<T: Encodable>(_ value: T) throws { put(try encoder.box(value, .index(count))) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        deferredEncoder().container(keyedBy: keyType)
    }

    func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        deferredEncoder().unkeyedContainer()
    }

    func superEncoder() -> any Encoder { deferredEncoder() }

    func deferredEncoder() -> RecordValueEncoder {
        let child = RecordValueEncoder(parent: encoder, component: .index(count))
        builder.deferred.append((index: count, encoder: child))
        builder.elements.append(.null)
        return child
    }
}

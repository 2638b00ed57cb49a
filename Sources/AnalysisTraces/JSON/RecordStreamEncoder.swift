/// The fast path of ``RecordEncoder/append(_:to:)``: writes a record's JSON text straight into
/// the output buffer as `encode(to:)` runs, without building a ``JSONValue`` tree.
///
/// It writes the bytes the tree path would write (same key order, `null` for absent optionals,
/// sorted `[String: X]` keys, ``JSONWriter``'s strings and numbers). Whatever it does not stream
/// exactly — nested or super encoders (filled in later by the tree path), a value encoded twice
/// into one single-value container, a value that encodes nothing, an integer beyond 64 signed
/// bits, an error thrown by a type's own `encode(to:)` — makes it give up; the caller then
/// removes what it wrote and encodes through the tree path, which writes the bytes or throws the
/// error.
final class RecordStreamEncoder: Encoder, SingleValueEncodingContainer {
    /// One open object or array.
    struct Frame {
        /// Members or elements written so far.
        var count: Int
        /// `}` or `]`.
        let close: UInt8
    }

    /// Internal signal to abandon the fast path; never escapes ``RecordEncoder``.
    struct GaveUp: Error {}

    /// The mutable state, behind a pointer: stored `var`s of a class would cost a dynamic
    /// exclusivity check on every access, and the encoder touches them for every token.
    struct State {
        var buffer: [UInt8] = []
        var frames: [Frame] = []
        /// The value being encoded has not written anything yet.
        var pending = false
        /// `frames.count` when the value being encoded started: its own container, if any, is
        /// the frame at this index.
        var valueMark = 0
        var failed = false
    }

    let state: UnsafeMutablePointer<State>

    init() {
        state = .allocate(capacity: 1)
        state.initialize(to: State())
        state.pointee.frames.reserveCapacity(16)
    }

    deinit {
        state.deinitialize(count: 1)
        state.deallocate()
    }

    /// Appends the JSON text of `value` to `buffer`; false (with `buffer` as it was) when the
    /// tree path must encode it.
    static func append<T: Encodable>(_ value: T, to buffer: inout [UInt8]) -> Bool {
        let encoder = RecordStreamEncoder()
        let start = buffer.count
        swap(&encoder.state.pointee.buffer, &buffer)
        let succeeded = (try? encoder.box(value)) != nil && !encoder.state.pointee.failed && encoder.state.pointee.frames.isEmpty
        swap(&encoder.state.pointee.buffer, &buffer)
        if !succeeded { buffer.removeSubrange(start...) }
        return succeeded
    }

    @inline(__always)
    func giveUp() -> GaveUp {
        state.pointee.failed = true
        return GaveUp()
    }

    // MARK: Values

    /// Writes `value` at the current position.
    func box<T: Encodable>(_ value: T) throws {
        if state.pointee.failed { throw GaveUp() }
        if T.self == String.self { return JSONWriter.appendString(unsafeBitCast(value, to: String.self), to: &state.pointee.buffer) }
        if T.self == Int.self { return JSONWriter.appendInteger(Int64(unsafeBitCast(value, to: Int.self)), to: &state.pointee.buffer) }
        if T.self == Bool.self { return writeBool(unsafeBitCast(value, to: Bool.self)) }
        if T.self == Double.self { return JSONWriter.appendDouble(unsafeBitCast(value, to: Double.self), to: &state.pointee.buffer) }
        if T.self == JSONValue.self { return JSONWriter.write(unsafeBitCast(value, to: JSONValue.self), to: &state.pointee.buffer) }
        if T.self is any RecordStreamSortedDictionary.Type, let dictionary = value as? any RecordStreamSortedDictionary {
            return try dictionary.streamSorted(to: self)
        }
        let mark = state.pointee.frames.count
        let savedMark = state.pointee.valueMark
        state.pointee.valueMark = mark
        state.pointee.pending = true
        do {
            try value.encode(to: self)
        } catch {
            state.pointee.failed = true
            throw error
        }
        state.pointee.valueMark = savedMark
        if state.pointee.failed || state.pointee.pending { throw giveUp() }
        if state.pointee.frames.count != mark {
            guard state.pointee.frames.count == mark + 1 else { throw giveUp() }
            state.pointee.buffer.append(state.pointee.frames[mark].close)
            state.pointee.frames.removeLast()
        }
    }

    @inline(__always)
    func writeBool(_ flag: Bool) {
        JSONWriter.appendLiteral(flag ? "true" : "false", to: &state.pointee.buffer)
    }

    @inline(__always)
    func writeNull() {
        JSONWriter.appendLiteral("null", to: &state.pointee.buffer)
    }

    func writeInteger<I: FixedWidthInteger>(_ value: I) throws {
        guard let exact = Int64(exactly: value) else { throw giveUp() }
        JSONWriter.appendInteger(exact, to: &state.pointee.buffer)
    }

    // MARK: Containers

    /// The frame of the current value's container opened with `open`: a new one for a value
    /// that has written nothing yet, the same one when it asks again; nil (and failed) otherwise.
    func openContainer(_ open: UInt8, close: UInt8) -> Int? {
        if state.pointee.failed { return nil }
        if state.pointee.pending {
            state.pointee.pending = false
            state.pointee.buffer.append(open)
            state.pointee.frames.append(Frame(count: 0, close: close))
            return state.pointee.frames.count - 1
        }
        if state.pointee.frames.count == state.pointee.valueMark + 1, state.pointee.frames[state.pointee.valueMark].close == close { return state.pointee.valueMark }
        state.pointee.failed = true
        return nil
    }

    /// Writes the separator before a new item of `frame`; throws when `frame` is not the
    /// innermost open container.
    @inline(__always)
    func beginItem(_ frame: Int) throws {
        guard !state.pointee.failed, frame == state.pointee.frames.count - 1 else { throw giveUp() }
        if state.pointee.frames[frame].count > 0 { state.pointee.buffer.append(UInt8(ascii: ",")) }
        state.pointee.frames[frame].count += 1
    }

    /// Writes the separator and the key of a new member of `frame`.
    @inline(__always)
    func beginMember(_ frame: Int, _ name: String) throws {
        try beginItem(frame)
        JSONWriter.appendString(name, to: &state.pointee.buffer)
        state.pointee.buffer.append(UInt8(ascii: ":"))
    }

    // MARK: Encoder

    var codingPath: [any CodingKey] {
        // Only error paths ask; the tree path reports those with the real path.
        state.pointee.failed = true
        return []
    }

    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let frame = openContainer(UInt8(ascii: "{"), close: UInt8(ascii: "}")) ?? -1
        return KeyedEncodingContainer(RecordStreamKeyedEncodingContainer<Key>(encoder: self, frame: frame))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let frame = openContainer(UInt8(ascii: "["), close: UInt8(ascii: "]")) ?? -1
        return RecordStreamUnkeyedEncodingContainer(encoder: self, frame: frame)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { self }

    // MARK: SingleValueEncodingContainer

    /// Claims the current value for a single-value encode.
    @inline(__always)
    func claim() throws {
        guard state.pointee.pending, !state.pointee.failed else { throw giveUp() }
        state.pointee.pending = false
    }

    func encodeNil() throws { try claim(); writeNull() }
    func encode(_ value: Bool) throws { try claim(); writeBool(value) }
    func encode(_ value: String) throws { try claim(); JSONWriter.appendString(value, to: &state.pointee.buffer) }
    func encode(_ value: Double) throws { try claim(); JSONWriter.appendDouble(value, to: &state.pointee.buffer) }
    func encode(_ value: Float) throws { try claim(); JSONWriter.appendDouble(Double(value), to: &state.pointee.buffer) }
    func encode(_ value: Int) throws { try claim(); try writeInteger(value) }
    func encode(_ value: Int8) throws { try claim(); try writeInteger(value) }
    func encode(_ value: Int16) throws { try claim(); try writeInteger(value) }
    func encode(_ value: Int32) throws { try claim(); try writeInteger(value) }
    func encode(_ value: Int64) throws { try claim(); try writeInteger(value) }
    func encode(_ value: UInt) throws { try claim(); try writeInteger(value) }
    func encode(_ value: UInt8) throws { try claim(); try writeInteger(value) }
    func encode(_ value: UInt16) throws { try claim(); try writeInteger(value) }
    func encode(_ value: UInt32) throws { try claim(); try writeInteger(value) }
    func encode(_ value: UInt64) throws { try claim(); try writeInteger(value) }
    func encode<T: Encodable>(_ value: T) throws { try claim(); try box(value) }
}

/// Marks `[String: X]`, which ``RecordStreamEncoder`` writes with sorted keys.
protocol RecordStreamSortedDictionary {
    func streamSorted(to encoder: RecordStreamEncoder) throws
}

extension Dictionary: RecordStreamSortedDictionary where Key == String, Value: Encodable {
    func streamSorted(to encoder: RecordStreamEncoder) throws {
        encoder.state.pointee.buffer.append(UInt8(ascii: "{"))
        var first = true
        for (key, value) in sorted(by: { JSONWriter.utf8Precedes($0.key, $1.key) }) {
            if !first { encoder.state.pointee.buffer.append(UInt8(ascii: ",")) }
            first = false
            JSONWriter.appendString(key, to: &encoder.state.pointee.buffer)
            encoder.state.pointee.buffer.append(UInt8(ascii: ":"))
            try encoder.box(value)
        }
        encoder.state.pointee.buffer.append(UInt8(ascii: "}"))
    }
}

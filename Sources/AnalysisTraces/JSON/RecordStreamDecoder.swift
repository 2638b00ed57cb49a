/// The fast path of ``RecordDecoder``'s byte-level overloads: decodes a record straight from
/// JSON bytes, reading members in the order the type asks for them, without building a
/// ``JSONValue`` tree first (`JSONValue` fields are still parsed as trees).
///
/// It only ever answers with the value the tree path would give for the same bytes. Anything it
/// cannot decide exactly — a syntax error, a type mismatch, a key asked for out of document
/// order, a member left unread, a container kind it does not stream (nested or super
/// containers), an error thrown by a type's own `init(from:)` — makes it give up (it is
/// *failed* from then on, so a type that catches the error and tries again cannot go on with a
/// half-read value), and the caller decodes the document again through the tree path, which
/// produces the exact error or the value. Records written by ``RecordEncoder`` are read in
/// document order, so valid files never take the slow path.
final class RecordStreamDecoder: Decoder, SingleValueDecodingContainer {
    /// One open object or array.
    struct Frame {
        /// The closing bracket has been read.
        var closed: Bool
        /// Where this object's read keys start in `keyMarks`.
        var keyBase: Int
        /// An object, not an array.
        var isObject: Bool
    }

    /// Internal signal to abandon the fast path; never escapes ``RecordDecoder``.
    struct GaveUp: Error {}

    /// The mutable state, behind a pointer: stored `var`s of a class would cost a dynamic
    /// exclusivity check on every access, and the decoder touches them for every byte token.
    struct State {
        var reader: JSONByteReader
        var frames: [Frame] = []
        /// Start offset and length of the raw bytes of every key read in the open objects, to
        /// turn away duplicate keys (which the tree parser rejects).
        var keyMarks: [(start: Int, count: Int)] = []
        /// The value at the reader's position belongs to the `init(from:)` now running and has
        /// not been claimed by a container yet.
        var pending = false
        var failed = false
        /// One `KeyedDecodingContainer` per key type, reused for every object decoded with it
        /// (see ``container(keyedBy:)``).
        var keyedContainers: [(type: ObjectIdentifier, container: AnyObject)] = []
    }

    /// Whether a `KeyedDecodingContainer` is one reference (its box), so that it can be kept
    /// as `AnyObject`; true in every Swift release so far, checked rather than assumed.
    static let canKeepContainers =
        MemoryLayout<KeyedDecodingContainer<RecordNameKey>>.size == MemoryLayout<AnyObject>.size

    let state: UnsafeMutablePointer<State>

    init(reader: JSONByteReader) {
        state = .allocate(capacity: 1)
        state.initialize(to: State(reader: reader))
        state.pointee.frames.reserveCapacity(16)
        state.pointee.keyMarks.reserveCapacity(64)
    }

    deinit {
        state.deinitialize(count: 1)
        state.deallocate()
    }

    /// `type` decoded from `bytes`, or nil when the tree path must decide.
    static func decode<T: Decodable>(_ type: T.Type, from bytes: UnsafeRawBufferPointer, maxDepth: Int) -> T? {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return nil }
        let reader = JSONByteReader(base: base.assumingMemoryBound(to: UInt8.self), end: bytes.count, maxDepth: maxDepth)
        let decoder = RecordStreamDecoder(reader: reader)
        // The kept containers refer back to the decoder.
        defer { decoder.state.pointee.keyedContainers.removeAll() }
        guard let value = try? decoder.unbox(type) else { return nil }
        decoder.state.pointee.reader.skipWhitespace()
        guard !decoder.state.pointee.failed, decoder.state.pointee.reader.position == decoder.state.pointee.reader.end, decoder.state.pointee.frames.isEmpty else { return nil }
        return value
    }

    @inline(__always)
    func giveUp() -> GaveUp {
        state.pointee.failed = true
        return GaveUp()
    }

    /// The byte at the reader's position, or nil at the end.
    @inline(__always)
    var currentByte: UInt8? {
        state.pointee.reader.position < state.pointee.reader.end ? state.pointee.reader.base[state.pointee.reader.position] : nil
    }

    // MARK: Values

    /// Decodes one value of `type` at the reader's position.
    func unbox<T: Decodable>(_ type: T.Type) throws -> T {
        if state.pointee.failed { throw GaveUp() }
        state.pointee.reader.skipWhitespace()
        do {
            if T.self == String.self { return unsafeBitCast(try unboxString(), to: T.self) }
            if T.self == Int.self { return unsafeBitCast(try unboxInteger(Int.self), to: T.self) }
            if T.self == Bool.self { return unsafeBitCast(try unboxBool(), to: T.self) }
            if T.self == Double.self { return unsafeBitCast(try unboxDouble(), to: T.self) }
            if T.self == JSONValue.self { return unsafeBitCast(try state.pointee.reader.parseValue(), to: T.self) }
            // Dictionary's own init(from:) asks for allKeys and instantiates generic metadata
            // on every call; the record types' dictionaries are read directly.
            if T.self == [String: String].self { return unsafeBitCast(try unboxDictionary(String.self), to: T.self) }
            if T.self == [String: Int].self { return unsafeBitCast(try unboxDictionary(Int.self), to: T.self) }
            if T.self == [String: Double].self { return unsafeBitCast(try unboxDictionary(Double.self), to: T.self) }
        } catch {
            state.pointee.failed = true
            throw error
        }
        let mark = state.pointee.frames.count
        state.pointee.pending = true
        let value: T
        do {
            value = try T(from: self)
        } catch {
            state.pointee.failed = true
            throw error
        }
        if state.pointee.failed || state.pointee.pending { throw giveUp() }
        if state.pointee.frames.count != mark {
            guard state.pointee.frames.count == mark + 1, state.pointee.frames[mark].closed else { throw giveUp() }
            state.pointee.keyMarks.removeSubrange(state.pointee.frames[mark].keyBase...)
            state.pointee.frames.removeLast()
        }
        return value
    }

    /// A `[String: V]` read member by member, as `Dictionary`'s `init(from:)` reads it from the tree.
    func unboxDictionary<V: Decodable>(_ type: V.Type) throws -> [String: V] {
        guard currentByte == UInt8(ascii: "{") else { throw giveUp() }
        try state.pointee.reader.enterContainer()
        state.pointee.reader.position &+= 1
        state.pointee.reader.skipWhitespace()
        var result: [String: V] = [:]
        if currentByte == UInt8(ascii: "}") {
            state.pointee.reader.position &+= 1
            state.pointee.reader.depth -= 1
            return result
        }
        while true {
            guard currentByte == UInt8(ascii: "\"") else { throw giveUp() }
            let key = try state.pointee.reader.parseString()
            state.pointee.reader.skipWhitespace()
            guard currentByte == UInt8(ascii: ":") else { throw giveUp() }
            state.pointee.reader.position &+= 1
            let value = try unbox(type)
            if result.updateValue(value, forKey: key) != nil { throw giveUp() }
            state.pointee.reader.skipWhitespace()
            guard let byte = currentByte else { throw giveUp() }
            state.pointee.reader.position &+= 1
            if byte == UInt8(ascii: "}") { break }
            guard byte == UInt8(ascii: ",") else { throw giveUp() }
            state.pointee.reader.skipWhitespace()
        }
        state.pointee.reader.depth -= 1
        return result
    }

    func unboxString() throws -> String {
        guard currentByte == UInt8(ascii: "\"") else { throw giveUp() }
        return try state.pointee.reader.parseString()
    }

    func unboxBool() throws -> Bool {
        switch currentByte {
        case UInt8(ascii: "t"): try state.pointee.reader.expectLiteral("true"); return true
        case UInt8(ascii: "f"): try state.pointee.reader.expectLiteral("false"); return false
        default: throw giveUp()
        }
    }

    func unboxNumber() throws -> JSONValue {
        guard let byte = currentByte, byte == UInt8(ascii: "-") || byte &- UInt8(ascii: "0") < 10 else { throw giveUp() }
        return try state.pointee.reader.parseNumber()
    }

    func unboxInteger<I: FixedWidthInteger>(_ type: I.Type) throws -> I {
        guard case .int(let integer) = try unboxNumber(), let result = I(exactly: integer) else { throw giveUp() }
        return result
    }

    /// Any number, or the tagged non-finite object (see ``RecordValueDecoder/unboxDouble(_:_:)``).
    func unboxDouble() throws -> Double {
        if currentByte == UInt8(ascii: "{") {
            guard let number = JSONWriter.untagNonFinite(try state.pointee.reader.parseValue()) else { throw giveUp() }
            return number
        }
        switch try unboxNumber() {
        case .int(let integer): return Double(integer)
        case .double(let number): return number
        default: throw giveUp()
        }
    }

    /// Reads `null` when it is the value at the reader's position.
    func takeNull() throws -> Bool {
        guard currentByte == UInt8(ascii: "n") else { return false }
        do {
            try state.pointee.reader.expectLiteral("null")
        } catch {
            throw giveUp()
        }
        return true
    }

    // MARK: Containers

    /// Claims the pending value as a container opened by `open` (`{` or `[`) and pushes its frame.
    func openContainer(_ open: UInt8, close: UInt8) throws -> Int {
        guard state.pointee.pending, !state.pointee.failed, currentByte == open else { throw giveUp() }
        state.pointee.pending = false
        do {
            try state.pointee.reader.enterContainer()
        } catch {
            throw giveUp()
        }
        state.pointee.reader.position &+= 1
        state.pointee.reader.skipWhitespace()
        var closed = false
        if currentByte == close {
            state.pointee.reader.position &+= 1
            state.pointee.reader.depth -= 1
            closed = true
        }
        state.pointee.frames.append(Frame(closed: closed, keyBase: state.pointee.keyMarks.count, isObject: open == UInt8(ascii: "{")))
        return state.pointee.frames.count - 1
    }

    /// Reads the separator after a member or element: `,` or the closing bracket.
    @inline(__always)
    func endItem(_ frame: Int, close: UInt8) throws {
        state.pointee.reader.skipWhitespace()
        guard let byte = currentByte else { throw giveUp() }
        state.pointee.reader.position &+= 1
        if byte == UInt8(ascii: ",") {
            state.pointee.reader.skipWhitespace()
        } else if byte == close {
            state.pointee.reader.depth -= 1
            state.pointee.frames[frame].closed = true
        } else {
            throw giveUp()
        }
    }

    /// Reads the key `name` of the next member of object `frame` and the colon after it. Gives
    /// up unless the next member has exactly that key, written without escapes.
    func beginMember(_ frame: Int, _ name: String) throws {
        guard !state.pointee.failed, frame >= 0, frame == state.pointee.frames.count - 1, state.pointee.frames[frame].isObject,
              !state.pointee.frames[frame].closed, currentByte == UInt8(ascii: "\"") else {
            throw giveUp()
        }
        let base = state.pointee.reader.base
        let keyStart = state.pointee.reader.position &+ 1
        let end = state.pointee.reader.end
        var name = name
        let count = name.withUTF8 { bytes -> Int in
            let count = bytes.count
            guard keyStart &+ count < end, base[keyStart &+ count] == UInt8(ascii: "\"") else { return -1 }
            for index in 0..<count {
                let byte = bytes[index]
                guard base[keyStart &+ index] == byte, byte >= 0x20, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") else {
                    return -1
                }
            }
            return count
        }
        guard count >= 0 else { throw giveUp() }
        var index = state.pointee.frames[frame].keyBase
        while index < state.pointee.keyMarks.count {
            let mark = state.pointee.keyMarks[index]
            if mark.count == count && memcmp(base + mark.start, base + keyStart, count) == 0 { throw giveUp() }
            index &+= 1
        }
        state.pointee.keyMarks.append((keyStart, count))
        state.pointee.reader.position = keyStart &+ count &+ 1
        state.pointee.reader.skipWhitespace()
        guard currentByte == UInt8(ascii: ":") else { throw giveUp() }
        state.pointee.reader.position &+= 1
        state.pointee.reader.skipWhitespace()
    }

    /// The keys of object `frame`, read ahead without moving the reader; only before its first
    /// member is read (dictionaries ask for `allKeys` first, then read every key in order).
    func scanKeys(_ frame: Int) -> [String] {
        guard !state.pointee.failed, frame >= 0, frame == state.pointee.frames.count - 1, state.pointee.frames[frame].isObject,
              state.pointee.keyMarks.count == state.pointee.frames[frame].keyBase else {
            state.pointee.failed = true
            return []
        }
        if state.pointee.frames[frame].closed { return [] }
        let position = state.pointee.reader.position
        let depth = state.pointee.reader.depth
        defer {
            state.pointee.reader.position = position
            state.pointee.reader.depth = depth
        }
        var keys: [String] = []
        do {
            while true {
                guard currentByte == UInt8(ascii: "\"") else { throw giveUp() }
                keys.append(try state.pointee.reader.parseString())
                state.pointee.reader.skipWhitespace()
                guard currentByte == UInt8(ascii: ":") else { throw giveUp() }
                state.pointee.reader.position &+= 1
                state.pointee.reader.skipWhitespace()
                _ = try state.pointee.reader.parseValue()
                state.pointee.reader.skipWhitespace()
                guard let byte = currentByte else { throw giveUp() }
                state.pointee.reader.position &+= 1
                if byte == UInt8(ascii: "}") { break }
                guard byte == UInt8(ascii: ",") else { throw giveUp() }
                state.pointee.reader.skipWhitespace()
            }
        } catch {
            state.pointee.failed = true
            return []
        }
        return keys
    }

    // MARK: Decoder

    var codingPath: [any CodingKey] {
        // Only error paths ask; the tree path reports those with the real path.
        state.pointee.failed = true
        return []
    }

    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        _ = try openContainer(UInt8(ascii: "{"), close: UInt8(ascii: "}"))
        // The container works on the innermost open object, so one per key type serves every
        // object: this saves a box allocation and several generic metadata look-ups per object.
        let id = ObjectIdentifier(type)
        for entry in state.pointee.keyedContainers where entry.type == id {
            return unsafeBitCast(entry.container, to: KeyedDecodingContainer<Key>.self)
        }
        let container = KeyedDecodingContainer(RecordStreamKeyedContainer<Key>(decoder: self))
        if Self.canKeepContainers {
            state.pointee.keyedContainers.append((id, unsafeBitCast(container, to: AnyObject.self)))
        }
        return container
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let frame = try openContainer(UInt8(ascii: "["), close: UInt8(ascii: "]"))
        return RecordStreamUnkeyedContainer(decoder: self, frame: frame)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        guard state.pointee.pending, !state.pointee.failed else { throw giveUp() }
        return self
    }

    // MARK: SingleValueDecodingContainer

    /// Claims the pending value for a single-value decode.
    @inline(__always)
    func claim() throws {
        guard state.pointee.pending, !state.pointee.failed else { throw giveUp() }
        state.pointee.pending = false
    }

    func decodeNil() -> Bool {
        guard state.pointee.pending, !state.pointee.failed else {
            state.pointee.failed = true
            return false
        }
        state.pointee.reader.skipWhitespace()
        guard let isNull = try? takeNull() else { return false }
        if isNull { state.pointee.pending = false }
        return isNull
    }

    func decode(_ type: Bool.Type) throws -> Bool { try claim(); return try unbox(type) }
    func decode(_ type: String.Type) throws -> String { try claim(); return try unbox(type) }
    func decode(_ type: Double.Type) throws -> Double { try claim(); return try unbox(type) }
    func decode(_ type: Float.Type) throws -> Float { try claim(); return Float(try unbox(Double.self)) }
    func decode(_ type: Int.Type) throws -> Int { try claim(); return try unbox(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try claim(); return try unboxScalarInteger(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try claim(); return try unboxScalarInteger(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try claim(); return try unboxScalarInteger(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try claim(); return try unboxScalarInteger(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try claim(); return try unboxScalarInteger(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try claim(); return try unboxScalarInteger(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try claim(); return try unboxScalarInteger(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try claim(); return try unboxScalarInteger(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try claim(); return try unboxScalarInteger(type) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try claim(); return try unbox(type) }

    /// An integer of any width at the reader's position, as ``unbox(_:)`` reads `Int`.
    func unboxScalarInteger<I: FixedWidthInteger>(_ type: I.Type) throws -> I {
        if state.pointee.failed { throw GaveUp() }
        state.pointee.reader.skipWhitespace()
        do {
            return try unboxInteger(type)
        } catch {
            state.pointee.failed = true
            throw error
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

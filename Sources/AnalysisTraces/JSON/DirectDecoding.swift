/// A type that reads itself straight from the JSON bytes ``RecordEncoder`` writes, with no
/// `Decoder`, no coding keys and no generic containers in between: the fastest path of
/// ``RecordDecoder``, taken for the high-volume records (episodes and questions).
///
/// A conformance reads the members in the order the encoder writes them and claims nothing it
/// is unsure of: any other key order, a missing, unknown or duplicate key, an escaped key, a
/// value of another type or a violated rule throws ``DirectReader/Mismatch``, and
/// ``RecordDecoder`` decodes the document again through the tree path, which gives the exact
/// value or the exact error. So a conformance only has to be right when it succeeds: it must
/// never accept what the `Decodable` conformance rejects, nor read a different value. The
/// differential tests (`DirectDecodingTests`) hold every conformance to that on mutations of
/// real records.
protocol DirectDecodable: Decodable {
    init(direct reader: inout DirectReader) throws(DirectReader.Mismatch)
}

/// The cursor of ``DirectDecodable``: strict JSON (the ``JSONParser`` rules, whose own
/// routines it calls for strings, numbers and free-form values) read in a fixed shape.
struct DirectReader {
    /// The document is not in the shape the reader expects; the tree path decides.
    struct Mismatch: Error {}

    var bytes: JSONByteReader
    /// A value has just been read in the innermost open container, so the next member or
    /// element must come after a comma. One flag serves every level: opening a container
    /// clears it and finishing any value, containers included, sets it.
    var afterValue = false

    /// `type` read from `buffer`, which must hold exactly one document; nil when the tree path
    /// must decide.
    static func decode<T: DirectDecodable>(_ type: T.Type, from buffer: UnsafeRawBufferPointer, maxDepth: Int) -> T? {
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return nil }
        var reader = DirectReader(bytes: JSONByteReader(
            base: base.assumingMemoryBound(to: UInt8.self), end: buffer.count, maxDepth: maxDepth))
        guard let value = try? T(direct: &reader) else { return nil }
        reader.bytes.skipWhitespace()
        return reader.bytes.position == reader.bytes.end ? value : nil
    }

    /// The byte at the cursor after any whitespace, or nil at the end.
    @inline(__always)
    mutating func peek() -> UInt8? {
        bytes.skipWhitespace()
        return bytes.position < bytes.end ? bytes.base[bytes.position] : nil
    }

    @inline(__always)
    mutating func expect(_ byte: UInt8) throws(Mismatch) {
        guard peek() == byte else { throw Mismatch() }
        bytes.position &+= 1
    }

    /// Runs one of the parser's own routines, turning its error into a mismatch.
    @inline(__always)
    mutating func parse<T>(_ body: (inout JSONByteReader) throws(JSONParseError) -> T) throws(Mismatch) -> T {
        do {
            return try body(&bytes)
        } catch {
            throw Mismatch()
        }
    }

    // MARK: Containers

    /// Opens an object: `{`, counted against the depth limit.
    mutating func beginObject() throws(Mismatch) {
        try open(UInt8(ascii: "{"))
    }

    /// The next member's key, which must be `key` written without escapes, and its colon.
    @inline(__always)
    mutating func member(_ key: StaticString) throws(Mismatch) {
        if afterValue { try expect(UInt8(ascii: ",")) }
        try expect(UInt8(ascii: "\""))
        let count = key.utf8CodeUnitCount
        let start = bytes.position
        guard bytes.end - start > count, bytes.base[start &+ count] == UInt8(ascii: "\""),
              memcmp(bytes.base + start, key.utf8Start, count) == 0 else { throw Mismatch() }
        bytes.position = start &+ count &+ 1
        try expect(UInt8(ascii: ":"))
        afterValue = false
    }

    /// Closes the innermost object: `}` after its last member.
    mutating func endObject() throws(Mismatch) {
        try close(UInt8(ascii: "}"))
    }

    @inline(__always)
    mutating func open(_ bracket: UInt8) throws(Mismatch) {
        try expect(bracket)
        try parse { (bytes) throws(JSONParseError) in try bytes.enterContainer() }
        afterValue = false
    }

    @inline(__always)
    mutating func close(_ bracket: UInt8) throws(Mismatch) {
        try expect(bracket)
        bytes.depth -= 1
        afterValue = true
    }

    /// The elements of an array, each read by `element`.
    @inline(__always)
    mutating func array<Element>(_ element: (inout DirectReader) throws(Mismatch) -> Element) throws(Mismatch) -> [Element] {
        try open(UInt8(ascii: "["))
        var elements: [Element] = []
        while peek() != UInt8(ascii: "]") {
            if afterValue { try expect(UInt8(ascii: ",")) }
            elements.append(try element(&self))
            afterValue = true
        }
        try close(UInt8(ascii: "]"))
        return elements
    }

    /// Reads `null` when it is the next value.
    @inline(__always)
    mutating func takeNull() throws(Mismatch) -> Bool {
        guard peek() == UInt8(ascii: "n") else { return false }
        try parse { (bytes) throws(JSONParseError) in try bytes.expectLiteral("null") }
        afterValue = true
        return true
    }

    // MARK: Scalars

    mutating func string() throws(Mismatch) -> String {
        guard peek() == UInt8(ascii: "\"") else { throw Mismatch() }
        let value = try parse { (bytes) throws(JSONParseError) in try bytes.parseString() }
        afterValue = true
        return value
    }

    /// An integer literal that fits `Int` (`1.0` and `1e3` are not integers to the records).
    mutating func int() throws(Mismatch) -> Int {
        guard case .int(let value) = try number() else { throw Mismatch() }
        return Int(value)
    }

    /// Any number, or the tagged non-finite object ``JSONWriter`` writes for NaN and infinities.
    mutating func double() throws(Mismatch) -> Double {
        if peek() == UInt8(ascii: "{") {
            let value = try self.value()
            guard let number = JSONWriter.untagNonFinite(value) else { throw Mismatch() }
            return number
        }
        switch try number() {
        case .int(let integer): return Double(integer)
        case .double(let number): return number
        default: throw Mismatch()
        }
    }

    mutating func number() throws(Mismatch) -> JSONValue {
        guard let byte = peek(), byte == UInt8(ascii: "-") || byte &- UInt8(ascii: "0") < 10 else { throw Mismatch() }
        let value = try parse { (bytes) throws(JSONParseError) in try bytes.parseNumber() }
        afterValue = true
        return value
    }

    mutating func bool() throws(Mismatch) -> Bool {
        let value: Bool
        switch peek() {
        case UInt8(ascii: "t"):
            try parse { (bytes) throws(JSONParseError) in try bytes.expectLiteral("true") }
            value = true
        case UInt8(ascii: "f"):
            try parse { (bytes) throws(JSONParseError) in try bytes.expectLiteral("false") }
            value = false
        default:
            throw Mismatch()
        }
        afterValue = true
        return value
    }

    /// Any JSON value, as the tree parser builds it.
    mutating func value() throws(Mismatch) -> JSONValue {
        guard peek() != nil else { throw Mismatch() }
        let value = try parse { (bytes) throws(JSONParseError) in try bytes.parseValue() }
        afterValue = true
        return value
    }

    /// The value of member `key`: what a record's initialiser reads each of its fields with.
    @inline(__always)
    mutating func read<T: DirectDecodable>(_ key: StaticString) throws(Mismatch) -> T {
        try member(key)
        return try T(direct: &self)
    }
}

// MARK: The building blocks records are made of

extension String: DirectDecodable {
    init(direct reader: inout DirectReader) throws(DirectReader.Mismatch) { self = try reader.string() }
}

extension Int: DirectDecodable {
    init(direct reader: inout DirectReader) throws(DirectReader.Mismatch) { self = try reader.int() }
}

extension Double: DirectDecodable {
    init(direct reader: inout DirectReader) throws(DirectReader.Mismatch) { self = try reader.double() }
}

extension Bool: DirectDecodable {
    init(direct reader: inout DirectReader) throws(DirectReader.Mismatch) { self = try reader.bool() }
}

extension JSONValue: DirectDecodable {
    init(direct reader: inout DirectReader) throws(DirectReader.Mismatch) { self = try reader.value() }
}

extension Optional: DirectDecodable where Wrapped: DirectDecodable {
    init(direct reader: inout DirectReader) throws(DirectReader.Mismatch) {
        self = try reader.takeNull() ? nil : try Wrapped(direct: &reader)
    }
}

extension Array: DirectDecodable where Element: DirectDecodable {
    init(direct reader: inout DirectReader) throws(DirectReader.Mismatch) {
        self = try reader.array { (reader) throws(DirectReader.Mismatch) in try Element(direct: &reader) }
    }
}

extension Dictionary: DirectDecodable where Key == String, Value: DirectDecodable {
    init(direct reader: inout DirectReader) throws(DirectReader.Mismatch) {
        try reader.open(UInt8(ascii: "{"))
        var result: [String: Value] = [:]
        while reader.peek() != UInt8(ascii: "}") {
            if reader.afterValue { try reader.expect(UInt8(ascii: ",")) }
            let key = try reader.string()
            try reader.expect(UInt8(ascii: ":"))
            // A repeated key is a syntax error to the tree parser.
            guard result.updateValue(try Value(direct: &reader), forKey: key) == nil else { throw DirectReader.Mismatch() }
        }
        try reader.close(UInt8(ascii: "}"))
        self = result
    }
}

/// The records' string enums: one of the raw values, exactly.
extension DirectDecodable where Self: RawRepresentable, RawValue == String {
    init(direct reader: inout DirectReader) throws(DirectReader.Mismatch) {
        guard let value = Self(rawValue: try reader.string()) else { throw DirectReader.Mismatch() }
        self = value
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

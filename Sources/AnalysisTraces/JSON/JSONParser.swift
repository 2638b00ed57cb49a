/// A strict RFC 8259 JSON parser that works on bytes.
///
/// It accepts exactly one JSON value, surrounded by optional whitespace (space, tab, line feed,
/// carriage return), and rejects everything else: trailing characters, `NaN`/`Infinity`
/// literals, leading zeros, numbers that overflow to infinity, lone surrogates in `\u` escapes,
/// invalid UTF-8 or unescaped control characters inside strings, duplicate object keys, and
/// nesting deeper than `maxDepth` (so a hostile `[[[[...` cannot exhaust the stack).
///
/// Integer literals (no fraction, no exponent) that fit in `Int64` become ``JSONValue/int(_:)``;
/// every other number becomes ``JSONValue/double(_:)``. Object members keep document order.
public enum JSONParser {
    /// The nesting limit used when none is given.
    public static let defaultMaxDepth = 512

    /// Parses one JSON document from raw bytes.
    public static func parse(_ bytes: UnsafeRawBufferPointer, maxDepth: Int = 512) throws(JSONParseError) -> JSONValue {
        guard let base = bytes.baseAddress, !bytes.isEmpty else {
            throw JSONParseError(offset: 0, reason: "unexpected end of input; expected a value")
        }
        var reader = JSONByteReader(
            base: base.assumingMemoryBound(to: UInt8.self), end: bytes.count, maxDepth: maxDepth)
        return try reader.parseDocument()
    }

    /// Parses one JSON document from an array of bytes.
    public static func parse(_ bytes: [UInt8], maxDepth: Int = 512) throws(JSONParseError) -> JSONValue {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(JSONParseError) -> JSONValue in try parse(buffer, maxDepth: maxDepth) }
        }
        return try result.get()
    }

    /// Parses one JSON document from the UTF-8 of a string.
    public static func parse(_ text: String, maxDepth: Int = 512) throws(JSONParseError) -> JSONValue {
        let result = text.utf8.withContiguousStorageIfAvailable { buffer in
            Result { () throws(JSONParseError) -> JSONValue in
                try parse(UnsafeRawBufferPointer(buffer), maxDepth: maxDepth)
            }
        }
        if let result { return try result.get() }
        return try parse(Array(text.utf8), maxDepth: maxDepth)
    }
}

/// The parser's cursor over one buffer. Internal: use ``JSONParser``.
struct JSONByteReader {
    let base: UnsafePointer<UInt8>
    let end: Int
    let maxDepth: Int
    var position = 0
    var depth = 0

    init(base: UnsafePointer<UInt8>, end: Int, maxDepth: Int) {
        self.base = base
        self.end = end
        self.maxDepth = maxDepth
    }

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        if position != end {
            throw JSONParseError(offset: position, reason: "unexpected \(describeByte(at: position)) after the value")
        }
        return value
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while position < end {
            let byte = base[position]
            guard byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { return }
            position += 1
        }
    }

    /// `'x'` for a printable ASCII byte, `byte 0xNN` otherwise, `end of input` past the end.
    func describeByte(at offset: Int) -> String {
        guard offset < end else { return "end of input" }
        let byte = base[offset]
        if byte >= 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x" + JSONWriter.hexByte(byte)
    }

    mutating func parseValue() throws(JSONParseError) -> JSONValue {
        guard position < end else {
            throw JSONParseError(offset: position, reason: "unexpected end of input; expected a value")
        }
        switch base[position] {
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default:
            throw JSONParseError(offset: position, reason: "unexpected \(describeByte(at: position)); expected a value")
        }
    }

    mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let count = literal.utf8CodeUnitCount
        let start = literal.utf8Start
        guard end - position >= count else {
            throw JSONParseError(offset: position, reason: "invalid literal; expected '\(literal)'")
        }
        for index in 0..<count where base[position + index] != start[index] {
            throw JSONParseError(offset: position, reason: "invalid literal; expected '\(literal)'")
        }
        position += count
    }

    mutating func enterContainer() throws(JSONParseError) {
        depth += 1
        if depth > maxDepth {
            throw JSONParseError(offset: position, reason: "nesting deeper than \(maxDepth) levels")
        }
    }

    mutating func parseArray() throws(JSONParseError) -> JSONValue {
        try enterContainer()
        let open = position
        position += 1
        skipWhitespace()
        var elements: [JSONValue] = []
        if position < end && base[position] == UInt8(ascii: "]") {
            position += 1
            depth -= 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue())
            skipWhitespace()
            guard position < end else {
                throw JSONParseError(offset: position, reason: "unterminated array (opened at byte \(open))")
            }
            let byte = base[position]
            position += 1
            if byte == UInt8(ascii: ",") { continue }
            if byte == UInt8(ascii: "]") { break }
            throw JSONParseError(
                offset: position - 1, reason: "unexpected \(describeByte(at: position - 1)) in array; expected ',' or ']'")
        }
        depth -= 1
        return .array(elements)
    }

    mutating func parseObject() throws(JSONParseError) -> JSONValue {
        try enterContainer()
        let open = position
        position += 1
        skipWhitespace()
        var members: [(key: String, value: JSONValue)] = []
        if position < end && base[position] == UInt8(ascii: "}") {
            position += 1
            depth -= 1
            return .object(members)
        }
        var seen: Set<String>?
        while true {
            skipWhitespace()
            guard position < end else {
                throw JSONParseError(offset: position, reason: "unterminated object (opened at byte \(open))")
            }
            guard base[position] == UInt8(ascii: "\"") else {
                throw JSONParseError(
                    offset: position, reason: "unexpected \(describeByte(at: position)) in object; expected a string key")
            }
            let keyOffset = position
            let key = try parseString()
            if members.count < 16 {
                for member in members where member.key == key {
                    throw JSONParseError(offset: keyOffset, reason: "duplicate key '\(key)'")
                }
            } else {
                if seen == nil { seen = Set(members.map(\.key)) }
                if seen?.insert(key).inserted == false {
                    throw JSONParseError(offset: keyOffset, reason: "duplicate key '\(key)'")
                }
            }
            skipWhitespace()
            guard position < end, base[position] == UInt8(ascii: ":") else {
                throw JSONParseError(
                    offset: position, reason: "unexpected \(describeByte(at: position)) after an object key; expected ':'")
            }
            position += 1
            skipWhitespace()
            let value = try parseValue()
            members.append((key, value))
            skipWhitespace()
            guard position < end else {
                throw JSONParseError(offset: position, reason: "unterminated object (opened at byte \(open))")
            }
            let byte = base[position]
            position += 1
            if byte == UInt8(ascii: ",") { continue }
            if byte == UInt8(ascii: "}") { break }
            throw JSONParseError(
                offset: position - 1, reason: "unexpected \(describeByte(at: position - 1)) in object; expected ',' or '}'")
        }
        depth -= 1
        return .object(members)
    }
}

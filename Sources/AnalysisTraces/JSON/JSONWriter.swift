/// Serialises ``JSONValue`` to compact JSON bytes (no whitespace), the project's one layout.
///
/// - Strings: only `"`, `\` and the control characters U+0000...U+001F are escaped (`\b \f \n
///   \r \t`, otherwise `\u00xx` in lower-case hex); everything else, `/` and U+007F included,
///   is written as raw UTF-8.
/// - Integers (``JSONValue/int(_:)``) as plain decimal, exactly.
/// - Doubles in the shortest text that reads back to the same value, laid out as ECMAScript's
///   Number-to-String does: `1.0` → `1`, `-0.0` → `0`, `1e-7` → `1e-7`, `1e20` →
///   `100000000000000000000`, `1e21` → `1e+21`.
/// - A non-finite double (which a ``JSONValue`` should never hold, but may if built by hand) as
///   the tagged object `{"$float":"nan"}`, `{"$float":"inf"}` or `{"$float":"-inf"}`.
/// - Object members in their stored order, or sorted by the UTF-8 bytes of their keys when
///   `sortingKeys` is true (the canonical form, see ``CanonicalJSON``).
/// - With `floatsWithFraction`, a finite ``JSONValue/double(_:)`` whose text has neither a
///   fraction nor an exponent gets `.0` (`1.0`, `-2.0`, `0.0`; `0.5` and `1e+21` as they are),
///   so that a reader that types numbers by their text (Arrow, and so Hugging Face `datasets`)
///   reads it as a float. Training rows are written so (see <doc:TrainingFormats>): a score
///   column whose first file holds only `0` and `1` would otherwise be typed `int64`, and the
///   next file's `0.5` would no longer load. Records and the canonical form never use it.
public enum JSONWriter {
    /// The compact JSON text of `value`.
    public static func bytes(_ value: JSONValue, sortingKeys: Bool = false, floatsWithFraction: Bool = false) -> [UInt8] {
        var buffer: [UInt8] = []
        write(value, sortingKeys: sortingKeys, floatsWithFraction: floatsWithFraction, to: &buffer)
        return buffer
    }

    /// Appends the compact JSON text of `value` to `buffer`.
    public static func write(_ value: JSONValue, sortingKeys: Bool = false, floatsWithFraction: Bool = false, to buffer: inout [UInt8]) {
        switch value {
        case .null:
            appendLiteral("null", to: &buffer)
        case .bool(let flag):
            appendLiteral(flag ? "true" : "false", to: &buffer)
        case .int(let integer):
            appendInteger(integer, to: &buffer)
        case .double(let number):
            let start = buffer.count
            appendDouble(number, to: &buffer)
            if floatsWithFraction, number.isFinite,
               !buffer[start...].contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") }) {
                appendLiteral(".0", to: &buffer)
            }
        case .string(let string):
            appendString(string, to: &buffer)
        case .array(let elements):
            buffer.append(UInt8(ascii: "["))
            var first = true
            for element in elements {
                if !first { buffer.append(UInt8(ascii: ",")) }
                first = false
                write(element, sortingKeys: sortingKeys, floatsWithFraction: floatsWithFraction, to: &buffer)
            }
            buffer.append(UInt8(ascii: "]"))
        case .object(let members):
            buffer.append(UInt8(ascii: "{"))
            var first = true
            if sortingKeys && members.count > 1 {
                for member in members.sorted(by: { utf8Precedes($0.key, $1.key) }) {
                    if !first { buffer.append(UInt8(ascii: ",")) }
                    first = false
                    appendString(member.key, to: &buffer)
                    buffer.append(UInt8(ascii: ":"))
                    write(member.value, sortingKeys: true, floatsWithFraction: floatsWithFraction, to: &buffer)
                }
            } else {
                for member in members {
                    if !first { buffer.append(UInt8(ascii: ",")) }
                    first = false
                    appendString(member.key, to: &buffer)
                    buffer.append(UInt8(ascii: ":"))
                    write(member.value, sortingKeys: sortingKeys, floatsWithFraction: floatsWithFraction, to: &buffer)
                }
            }
            buffer.append(UInt8(ascii: "}"))
        }
    }

    /// Whether `lhs` sorts before `rhs` by their UTF-8 bytes (the canonical key order; it equals
    /// code point order, and differs from `String`'s `<`).
    public static func utf8Precedes(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }

    @inline(__always)
    static func appendLiteral(_ literal: StaticString, to buffer: inout [UInt8]) {
        buffer.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// Appends `string` as a JSON string literal with minimal escaping.
    public static func appendString(_ string: String, to buffer: inout [UInt8]) {
        let done: Void? = string.utf8.withContiguousStorageIfAvailable { appendStringBytes($0, to: &buffer) }
        if done == nil {
            let bytes = Array(string.utf8)
            bytes.withUnsafeBufferPointer { appendStringBytes($0, to: &buffer) }
        }
    }

    static func appendStringBytes(_ bytes: UnsafeBufferPointer<UInt8>, to buffer: inout [UInt8]) {
        // Grow geometrically: reserving the exact size for each string would copy the whole
        // buffer again for every string once it is full.
        let needed = buffer.count + bytes.count + 2
        if needed > buffer.capacity { buffer.reserveCapacity(Swift.max(needed, buffer.capacity * 2)) }
        buffer.append(UInt8(ascii: "\""))
        var runStart = 0
        var index = 0
        let count = bytes.count
        let base = UnsafeRawPointer(bytes.baseAddress)
        while index < count {
            // Skip eight bytes at a time while none of them needs escaping.
            if let base {
                while index &+ 8 <= count {
                    let word = base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                    if needsEscape(word) { break }
                    index &+= 8
                }
                guard index < count else { break }
            }
            let byte = bytes[index]
            if byte >= 0x20 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") {
                index += 1
                continue
            }
            if index > runStart {
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
            }
            buffer.append(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""): buffer.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): buffer.append(UInt8(ascii: "\\"))
            case 0x08: buffer.append(UInt8(ascii: "b"))
            case 0x0C: buffer.append(UInt8(ascii: "f"))
            case 0x0A: buffer.append(UInt8(ascii: "n"))
            case 0x0D: buffer.append(UInt8(ascii: "r"))
            case 0x09: buffer.append(UInt8(ascii: "t"))
            default:
                buffer.append(UInt8(ascii: "u"))
                buffer.append(UInt8(ascii: "0"))
                buffer.append(UInt8(ascii: "0"))
                buffer.append(hexDigit(byte >> 4))
                buffer.append(hexDigit(byte & 0x0F))
            }
            index += 1
            runStart = index
        }
        if count > runStart {
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<count]))
        }
        buffer.append(UInt8(ascii: "\""))
    }

    /// True when any of the eight bytes in `word` is a quote, a backslash or a control character.
    @inline(__always)
    static func needsEscape(_ word: UInt64) -> Bool {
        escapeBits(word) != 0
    }

    /// The high bit of every byte of `word` that is a quote, a backslash or a control
    /// character, eight bytes at a time (a byte after such a byte may be flagged too); zero when
    /// there is none. The parser's string scan uses it too.
    @inline(__always)
    static func escapeBits(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let hasQuote = (quote &- ones) & ~quote
        let hasBackslash = (backslash &- ones) & ~backslash
        let hasControl = (word &- ones &* 0x20) & ~word
        return (hasQuote | hasBackslash | hasControl) & 0x8080_8080_8080_8080
    }

    @inline(__always)
    static func hexDigit(_ nibble: UInt8, uppercase: Bool = false) -> UInt8 {
        nibble < 10 ? nibble + UInt8(ascii: "0") : nibble - 10 + (uppercase ? UInt8(ascii: "A") : UInt8(ascii: "a"))
    }

    /// Two hex digits of `byte`.
    static func hexByte(_ byte: UInt8, uppercase: Bool = true) -> String {
        String(decoding: [hexDigit(byte >> 4, uppercase: uppercase), hexDigit(byte & 0x0F, uppercase: uppercase)], as: UTF8.self)
    }

    /// Appends the decimal text of `integer`.
    public static func appendInteger(_ integer: Int64, to buffer: inout [UInt8]) {
        if integer < 0 { buffer.append(UInt8(ascii: "-")) }
        var magnitude = integer.magnitude
        let start = buffer.count
        repeat {
            buffer.append(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        buffer[start...].reverse()
    }
}

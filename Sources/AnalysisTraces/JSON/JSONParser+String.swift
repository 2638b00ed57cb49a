#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension JSONByteReader {
    /// True when any of the eight bytes in `word` is a quote, a backslash, a control character
    /// or a non-ASCII byte: the bytes a string scan must stop at.
    @inline(__always)
    static func needsAttention(_ word: UInt64) -> Bool {
        (JSONWriter.escapeBits(word) | (word & 0x8080_8080_8080_8080)) != 0
    }

    /// Parses the string that starts at the current quote and returns its value.
    ///
    /// One pass validates (escapes, surrogate pairs, UTF-8, control characters) and finds the
    /// closing quote; a string without escapes is then copied straight from the input, and one
    /// with escapes is decoded into the new string's own storage.
    mutating func parseString() throws(JSONParseError) -> String {
        let open = position
        let contentStart = position + 1
        var index = contentStart
        var hasEscape = false
        scan: while true {
            while index &+ 8 <= end {
                let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                if Self.needsAttention(word) { break }
                index &+= 8
            }
            guard index < end else {
                throw JSONParseError(offset: open, reason: "unterminated string")
            }
            let byte = base[index]
            switch byte {
            case UInt8(ascii: "\""):
                break scan
            case UInt8(ascii: "\\"):
                hasEscape = true
                index = try validateEscape(at: index)
            case 0..<0x20:
                throw JSONParseError(
                    offset: index,
                    reason: "control character U+00\(JSONWriter.hexByte(byte, uppercase: true)) in a string; it must be escaped")
            case 0x80...:
                index = try validateUTF8Sequence(at: index)
            default:
                index &+= 1
            }
        }
        position = index + 1
        let count = index - contentStart
        if !hasEscape {
            return String(decoding: UnsafeBufferPointer(start: base + contentStart, count: count), as: UTF8.self)
        }
        return String(unsafeUninitializedCapacity: count) { output in
            unescape(from: contentStart, to: index, into: output)
        }
    }

    /// Checks the escape at `index` (a backslash) and returns the offset just after it.
    mutating func validateEscape(at index: Int) throws(JSONParseError) -> Int {
        guard index + 1 < end else {
            throw JSONParseError(offset: index, reason: "unterminated string")
        }
        switch base[index + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
             UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return index + 2
        case UInt8(ascii: "u"):
            let unit = try hexQuad(at: index + 2, escapeAt: index)
            if unit >= 0xDC00 && unit <= 0xDFFF {
                throw JSONParseError(offset: index, reason: "lone low surrogate in a \\u escape")
            }
            guard unit >= 0xD800 && unit <= 0xDBFF else { return index + 6 }
            guard index + 7 < end, base[index + 6] == UInt8(ascii: "\\"), base[index + 7] == UInt8(ascii: "u") else {
                throw JSONParseError(offset: index, reason: "lone high surrogate in a \\u escape")
            }
            let low = try hexQuad(at: index + 8, escapeAt: index + 6)
            guard low >= 0xDC00 && low <= 0xDFFF else {
                throw JSONParseError(offset: index, reason: "lone high surrogate in a \\u escape")
            }
            return index + 12
        default:
            throw JSONParseError(
                offset: index, reason: "invalid escape '\\\(describeByte(at: index + 1).trimmingQuotes)' in a string")
        }
    }

    /// The value of four hex digits at `offset`.
    func hexQuad(at offset: Int, escapeAt: Int) throws(JSONParseError) -> UInt32 {
        guard offset + 4 <= end else {
            throw JSONParseError(offset: escapeAt, reason: "incomplete \\u escape")
        }
        var value: UInt32 = 0
        for index in offset..<(offset + 4) {
            guard let digit = Self.hexValue(base[index]) else {
                throw JSONParseError(offset: escapeAt, reason: "invalid \\u escape; expected four hex digits")
            }
            value = value << 4 | digit
        }
        return value
    }

    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte &- UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte &- UInt8(ascii: "a") &+ 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte &- UInt8(ascii: "A") &+ 10)
        default: nil
        }
    }

    /// Checks one multi-byte UTF-8 sequence whose lead byte is at `index` (RFC 3629: no
    /// overlong forms, no surrogates, nothing above U+10FFFF) and returns the offset after it.
    func validateUTF8Sequence(at index: Int) throws(JSONParseError) -> Int {
        guard let length = StrictUTF8.sequenceLength(base, at: index, end: end) else {
            throw JSONParseError(offset: index, reason: "invalid UTF-8 in a string")
        }
        return index + length
    }

    /// Decodes the already validated string content `from..<to` into `output`, returning the
    /// number of bytes written. The output never needs more room than the input.
    func unescape(from start: Int, to stop: Int, into output: UnsafeMutableBufferPointer<UInt8>) -> Int {
        guard let out = output.baseAddress else { return 0 }
        var read = start
        var written = 0
        while read < stop {
            let remaining = stop - read
            let found = memchr(base + read, 0x5C, remaining)
            let run = found.map { UnsafeRawPointer($0) - UnsafeRawPointer(base + read) } ?? remaining
            if run > 0 {
                (out + written).update(from: base + read, count: run)
                written += run
                read += run
            }
            guard read < stop else { break }
            // base[read] is a backslash of a validated escape.
            let kind = base[read + 1]
            switch kind {
            case UInt8(ascii: "b"): out[written] = 0x08; written += 1; read += 2
            case UInt8(ascii: "f"): out[written] = 0x0C; written += 1; read += 2
            case UInt8(ascii: "n"): out[written] = 0x0A; written += 1; read += 2
            case UInt8(ascii: "r"): out[written] = 0x0D; written += 1; read += 2
            case UInt8(ascii: "t"): out[written] = 0x09; written += 1; read += 2
            case UInt8(ascii: "u"):
                var scalar = quadValue(at: read + 2)
                read += 6
                if scalar >= 0xD800 && scalar <= 0xDBFF {
                    let low = quadValue(at: read + 2)
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    read += 6
                }
                written += Self.encodeUTF8(scalar, into: out + written)
            default:
                // '"', '\\' and '/' stand for themselves.
                out[written] = kind
                written += 1
                read += 2
            }
        }
        return written
    }

    /// Four hex digits known to be valid.
    @inline(__always)
    func quadValue(at offset: Int) -> UInt32 {
        var value: UInt32 = 0
        for index in offset..<(offset + 4) { value = value << 4 | (Self.hexValue(base[index]) ?? 0) }
        return value
    }

    /// Writes `scalar` as UTF-8 and returns the number of bytes written.
    @inline(__always)
    static func encodeUTF8(_ scalar: UInt32, into out: UnsafeMutablePointer<UInt8>) -> Int {
        switch scalar {
        case 0..<0x80:
            out[0] = UInt8(truncatingIfNeeded: scalar)
            return 1
        case 0x80..<0x800:
            out[0] = UInt8(truncatingIfNeeded: 0xC0 | scalar >> 6)
            out[1] = UInt8(truncatingIfNeeded: 0x80 | scalar & 0x3F)
            return 2
        case 0x800..<0x10000:
            out[0] = UInt8(truncatingIfNeeded: 0xE0 | scalar >> 12)
            out[1] = UInt8(truncatingIfNeeded: 0x80 | scalar >> 6 & 0x3F)
            out[2] = UInt8(truncatingIfNeeded: 0x80 | scalar & 0x3F)
            return 3
        default:
            out[0] = UInt8(truncatingIfNeeded: 0xF0 | scalar >> 18)
            out[1] = UInt8(truncatingIfNeeded: 0x80 | scalar >> 12 & 0x3F)
            out[2] = UInt8(truncatingIfNeeded: 0x80 | scalar >> 6 & 0x3F)
            out[3] = UInt8(truncatingIfNeeded: 0x80 | scalar & 0x3F)
            return 4
        }
    }
}

extension String {
    /// `x` for `'x'`; used to quote an escape character inside a message.
    fileprivate var trimmingQuotes: String {
        guard hasPrefix("'"), hasSuffix("'"), count >= 2 else { return self }
        return String(dropFirst().dropLast())
    }
}

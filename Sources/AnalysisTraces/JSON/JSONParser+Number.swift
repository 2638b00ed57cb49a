extension JSONByteReader {
    /// Exact powers of ten that a `Double` holds without rounding (10^0 ... 10^22).
    static let exactPowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    @inline(__always)
    func isDigit(at offset: Int) -> Bool {
        offset < end && base[offset] &- UInt8(ascii: "0") < 10
    }

    /// Parses a number per the RFC 8259 grammar. Integer literals that fit `Int64` become
    /// `.int`; everything else `.double`, correctly rounded. Overflow to infinity is an error.
    mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = position
        var negative = false
        if base[position] == UInt8(ascii: "-") {
            negative = true
            position += 1
        }
        guard isDigit(at: position) else {
            throw JSONParseError(offset: start, reason: "invalid number; expected a digit after '-'")
        }
        var mantissa: UInt64 = 0
        var significantOverflow = false
        if base[position] == UInt8(ascii: "0") {
            position += 1
            if isDigit(at: position) {
                throw JSONParseError(offset: start, reason: "invalid number; leading zeros are not allowed")
            }
        } else {
            while isDigit(at: position) {
                accumulate(base[position], into: &mantissa, overflow: &significantOverflow)
                position += 1
            }
        }
        var isInteger = true
        var fractionDigits = 0
        if position < end && base[position] == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            guard isDigit(at: position) else {
                throw JSONParseError(offset: start, reason: "invalid number; expected a digit after the decimal point")
            }
            while isDigit(at: position) {
                accumulate(base[position], into: &mantissa, overflow: &significantOverflow)
                fractionDigits += 1
                position += 1
            }
        }
        var exponent = 0
        if position < end && (base[position] | 0x20) == UInt8(ascii: "e") {
            isInteger = false
            position += 1
            var exponentNegative = false
            if position < end && (base[position] == UInt8(ascii: "+") || base[position] == UInt8(ascii: "-")) {
                exponentNegative = base[position] == UInt8(ascii: "-")
                position += 1
            }
            guard isDigit(at: position) else {
                throw JSONParseError(offset: start, reason: "invalid number; expected a digit in the exponent")
            }
            while isDigit(at: position) {
                if exponent < 100_000 { exponent = exponent * 10 + Int(base[position] &- UInt8(ascii: "0")) }
                position += 1
            }
            if exponentNegative { exponent = -exponent }
        }

        if isInteger && !significantOverflow {
            if !negative, mantissa <= UInt64(Int64.max) { return .int(Int64(mantissa)) }
            if negative, mantissa <= UInt64(Int64.max) + 1 { return .int(0 &- Int64(truncatingIfNeeded: mantissa)) }
        }

        // Clinger's fast path: both the digits and the power of ten are exact doubles.
        let scale = exponent - fractionDigits
        if !significantOverflow, mantissa <= 1 << 53, scale >= -22, scale <= 22 {
            var value = Double(mantissa)
            value = scale >= 0 ? value * Self.exactPowersOfTen[scale] : value / Self.exactPowersOfTen[-scale]
            return .double(negative ? -value : value)
        }
        let text = String(decoding: UnsafeBufferPointer(start: base + start, count: position - start), as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            throw JSONParseError(offset: start, reason: "number out of range; it overflows a 64-bit float")
        }
        return .double(value)
    }

    @inline(__always)
    func accumulate(_ digit: UInt8, into mantissa: inout UInt64, overflow: inout Bool) {
        let (times10, overflow1) = mantissa.multipliedReportingOverflow(by: 10)
        let (sum, overflow2) = times10.addingReportingOverflow(UInt64(digit &- UInt8(ascii: "0")))
        if overflow1 || overflow2 {
            overflow = true
        } else {
            mantissa = sum
        }
    }
}

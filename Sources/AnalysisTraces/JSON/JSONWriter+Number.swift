extension JSONWriter {
    /// The tagged object that stands for a non-finite double: `{"$float":"nan"|"inf"|"-inf"}`.
    public static func taggedNonFinite(_ number: Double) -> JSONValue {
        let tag = number.isNaN ? "nan" : (number > 0 ? "inf" : "-inf")
        return .object([(key: "$float", value: .string(tag))])
    }

    /// The non-finite double a tagged object stands for; nil for any other value.
    public static func untagNonFinite(_ value: JSONValue) -> Double? {
        guard case .object(let members) = value, members.count == 1, members[0].key == "$float",
              case .string(let tag) = members[0].value else { return nil }
        switch tag {
        case "nan": return .nan
        case "inf": return .infinity
        case "-inf": return -.infinity
        default: return nil
        }
    }

    /// Appends `number` in the shortest text that reads back to the same double, laid out as
    /// ECMAScript's Number::toString: plain digits while the decimal exponent is in -7 < n <= 21,
    /// exponent form (`1e-7`, `1.5e+300`) outside it, `0` for both zeros. A non-finite number is
    /// written as its tagged object.
    public static func appendDouble(_ number: Double, to buffer: inout [UInt8]) {
        guard number.isFinite else {
            write(taggedNonFinite(number), to: &buffer)
            return
        }
        if number == 0 {
            buffer.append(UInt8(ascii: "0"))
            return
        }
        // Integral values below 2^53 print exactly as integers (shortest digits padded with zeros).
        if number.magnitude < 9_007_199_254_740_992, number.rounded(.towardZero) == number {
            appendInteger(Int64(number), to: &buffer)
            return
        }
        var digits: [UInt8] = []
        digits.reserveCapacity(24)
        let pointPosition = shortestDigits(of: number, into: &digits)
        if number < 0 { buffer.append(UInt8(ascii: "-")) }
        layOutECMAScript(digits: digits, pointPosition: pointPosition, to: &buffer)
    }

    /// Fills `digits` with the shortest round-trip decimal digits of a finite, non-zero number
    /// (no leading or trailing zeros) and returns `n` such that |number| = 0.d1d2...dk × 10^n.
    ///
    /// The digits come from Swift's `description`, which prints the shortest round-trip form
    /// (`1.0`, `1e-07`, `1.5e+300`, `0.0001`); only its layout is rewritten.
    static func shortestDigits(of number: Double, into digits: inout [UInt8]) -> Int {
        let text = number.magnitude.description
        var pointPosition: Int?
        var exponent = 0
        var exponentNegative = false
        var inExponent = false
        for byte in text.utf8 {
            if inExponent {
                switch byte {
                case UInt8(ascii: "-"): exponentNegative = true
                case UInt8(ascii: "0")...UInt8(ascii: "9"): exponent = exponent * 10 + Int(byte - UInt8(ascii: "0"))
                default: break
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits.append(byte)
            case UInt8(ascii: "."): pointPosition = digits.count
            case UInt8(ascii: "e"), UInt8(ascii: "E"): inExponent = true
            default: break
            }
        }
        var position = (pointPosition ?? digits.count) + (exponentNegative ? -exponent : exponent)
        var leadingZeros = 0
        while leadingZeros < digits.count && digits[leadingZeros] == UInt8(ascii: "0") { leadingZeros += 1 }
        digits.removeFirst(leadingZeros)
        position -= leadingZeros
        while let last = digits.last, last == UInt8(ascii: "0") { digits.removeLast() }
        return position
    }

    /// ECMAScript Number::toString layout of digits d1...dk with value 0.d1...dk × 10^n.
    static func layOutECMAScript(digits: [UInt8], pointPosition n: Int, to buffer: inout [UInt8]) {
        let k = digits.count
        if k <= n && n <= 21 {
            buffer.append(contentsOf: digits)
            buffer.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: n - k))
        } else if 0 < n && n <= 21 {
            buffer.append(contentsOf: digits[0..<n])
            buffer.append(UInt8(ascii: "."))
            buffer.append(contentsOf: digits[n...])
        } else if -6 < n && n <= 0 {
            buffer.append(UInt8(ascii: "0"))
            buffer.append(UInt8(ascii: "."))
            buffer.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: -n))
            buffer.append(contentsOf: digits)
        } else {
            buffer.append(digits[0])
            if k > 1 {
                buffer.append(UInt8(ascii: "."))
                buffer.append(contentsOf: digits[1...])
            }
            buffer.append(UInt8(ascii: "e"))
            let exponent = n - 1
            buffer.append(exponent < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            appendInteger(Int64(exponent.magnitude), to: &buffer)
        }
    }
}

/// What one column's values look like, gathered in the first pass: enough to decide whether
/// its decimal commas become points and which NA tokens it vouches for.
///
/// A value is, in this order: a default NA token (`LoaderSettings.defaultNAValues`, ignored);
/// a candidate NA token (`TableColumnStats.candidateNATokens`, counted per token); a number
/// (`[+-]digits[.digits][e[+-]digits]`, `.5`, `inf`, surrounding spaces allowed); a number
/// with a decimal comma (`[+-]digits,digits`); or something else.
struct TableColumnStats {
    /// Tokens that may stand for a missing value in a numeric column. Exact, case-sensitive
    /// matches of the whole field, as pandas compares `na_values`.
    static let candidateNATokens = [
        "?", "-", "--", "---", ".", "..", "...", "na", "Na", "N.A.", "n.a.", "N/a",
        "#VALUE!", "#DIV/0!", "#NUM!", "#REF!", "#NAME?", "#NULL!",
        "missing", "Missing", "MISSING", "unknown", "Unknown", "UNKNOWN",
    ]
    static let defaultNA = Set(LoaderSettings.defaultNAValues.map { Array($0.utf8) })
    static let candidateIndex: [[UInt8]: Int] = Dictionary(
        uniqueKeysWithValues: candidateNATokens.enumerated().map { (Array($0.element.utf8), $0.offset) })

    static let longestToken = (LoaderSettings.defaultNAValues + candidateNATokens).map(\.utf8.count).max() ?? 0

    var nonEmpty = 0
    var numbers = 0
    /// Numbers written with a `.` or an exponent (not plain integers).
    var decimals = 0
    var decimalCommas = 0
    var others = 0
    var tokens: [Int] = Array(repeating: 0, count: TableColumnStats.candidateNATokens.count)

    mutating func add(_ value: ArraySlice<UInt8>) {
        guard !value.isEmpty else { return }
        nonEmpty += 1
        // No NA token is a number, so numbers skip the look-ups.
        switch Self.classify(value) {
        case .integer: numbers += 1
        case .decimal: numbers += 1; decimals += 1
        case .decimalComma: decimalCommas += 1
        case .other:
            if value.count <= Self.longestToken {
                let bytes = Array(value)
                if Self.defaultNA.contains(bytes) { return }
                if let token = Self.candidateIndex[bytes] {
                    tokens[token] += 1
                    return
                }
            }
            others += 1
        }
    }

    /// Decimal commas become points only in a column where, apart from NA tokens, every value
    /// is an integer or a `digits,digits` number, at least one is the latter, none has a point
    /// (so `1.234,5` thousands notation is left alone), and the delimiter is not a comma.
    func convertsDecimalCommas(delimiter: UInt8) -> Bool {
        delimiter != UInt8(ascii: ",") && decimalCommas > 0 && decimals == 0 && others == 0
    }

    /// Numeric apart from NA tokens, with at least one number.
    func isOtherwiseNumeric(delimiter: UInt8) -> Bool {
        let converted = convertsDecimalCommas(delimiter: delimiter)
        return others == 0 && (converted || decimalCommas == 0) && numbers + (converted ? decimalCommas : 0) > 0
    }

    enum Shape { case integer, decimal, decimalComma, other }

    static func classify(_ value: ArraySlice<UInt8>) -> Shape {
        var start = value.startIndex
        var end = value.endIndex
        while start < end && value[start] == 0x20 { start += 1 }
        while end > start && value[end - 1] == 0x20 { end -= 1 }
        guard start < end else { return .other }
        var index = start
        if value[index] == UInt8(ascii: "+") || value[index] == UInt8(ascii: "-") { index += 1 }
        if index < end && (value[index] | 0x20) == UInt8(ascii: "i") {
            let rest = String(decoding: value[index..<end], as: UTF8.self).lowercased()
            return rest == "inf" || rest == "infinity" ? .decimal : .other
        }
        func digits() -> Int {
            let first = index
            while index < end && value[index] >= 0x30 && value[index] <= 0x39 { index += 1 }
            return index - first
        }
        let whole = digits()
        if index == end { return whole > 0 ? .integer : .other }
        if value[index] == UInt8(ascii: ",") {
            index += 1
            return whole > 0 && digits() > 0 && index == end ? .decimalComma : .other
        }
        var fraction = 0
        var isDecimal = false
        if value[index] == UInt8(ascii: ".") {
            index += 1
            fraction = digits()
            isDecimal = true
        }
        guard whole + fraction > 0 else { return .other }
        if index < end && (value[index] == UInt8(ascii: "e") || value[index] == UInt8(ascii: "E")) {
            index += 1
            if index < end && (value[index] == UInt8(ascii: "+") || value[index] == UInt8(ascii: "-")) { index += 1 }
            guard digits() > 0 else { return .other }
            isDecimal = true
        }
        guard index == end else { return .other }
        return isDecimal ? .decimal : .integer
    }
}

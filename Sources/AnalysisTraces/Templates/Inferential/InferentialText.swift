/// Text and Python spellings shared by the inferential templates: group labels typed like their
/// column, alpha and decimals in prose, and the code that lists both readings of a fragile test.
enum InferentialText {
    /// A group label as a typed JSON value: the profile reports every value as text, and the
    /// column's dtype says whether the frame holds it as an integer, a float, a boolean or text.
    static func label(_ text: String, dtype: String) -> JSONValue {
        let kind = dtype.lowercased()
        if kind.hasPrefix("int") || kind.hasPrefix("uint"), let value = Int64(text) { return .int(value) }
        if kind.hasPrefix("float"), let value = Double(text), value.isFinite {
            // A whole number is kept as an integer: canonical JSON writes 2.0 as 2, so a label read
            // back from a record must be the same value (pandas compares 2 and 2.0 as equal).
            if value == value.rounded(), abs(value) < 1e15 { return .int(Int64(value)) }
            return .double(value)
        }
        if kind == "bool" || kind == "boolean" {
            switch text.lowercased() {
            case "true": return .bool(true)
            case "false": return .bool(false)
            default: break
            }
        }
        return .string(text)
    }

    static func isLabel(_ value: JSONValue) -> Bool {
        switch value {
        case .string, .int, .double, .bool: true
        default: false
        }
    }

    /// The label as Python source: `"female"`, `2007`, `1.5`, `True`.
    static func python(_ label: JSONValue) -> String {
        switch label {
        case .string(let text): Python.literal(text)
        case .int(let value): String(value)
        case .double(let value): pythonFloat(value)
        case .bool(let value): value ? "True" : "False"
        default: "None"
        }
    }

    /// The label as a person would write it in a question.
    static func prose(_ label: JSONValue) -> String {
        switch label {
        case .string(let text): "\"\(text)\""
        case .int(let value): String(value)
        case .double(let value): pythonFloat(value)
        case .bool(let value): value ? "True" : "False"
        default: "missing"
        }
    }

    /// A float as Python and people write it: `0.05`, `2007.0`.
    static func pythonFloat(_ value: Double) -> String {
        "\(value)"
    }

    /// A column name in a question, written as every template writes it.
    static func column(_ name: String) -> String { QuestionText.column(name) }

    /// `a`, `a and b`, `a, b and c`.
    static func list(_ items: [String]) -> String {
        switch items.count {
        case 0: ""
        case 1: items[0]
        default: items.dropLast().joined(separator: ", ") + " and " + (items.last ?? "")
        }
    }

    /// "4 decimal places", as every template writes it.
    static func decimals(_ count: Int) -> String { QuestionText.decimals(count) }

    /// The question followed by the sentence naming the answer's keys.
    static func withKeys(_ question: String, _ schema: AnswerSchema) -> String {
        guard case .object(let fields) = schema else { return question }
        return question + " " + QuestionText.keys(fields.map(\.name))
    }

    /// The `alternatives` code of a test whose answer has `p_value` and `significant`: when the
    /// p-value lies within one unit of its fourth decimal of alpha, a solver's slightly different
    /// computation can land on either side, so both readings of `significant` are accepted.
    /// `extra` lists further answer dictionaries (Python expressions) that are also right.
    static func fragileSignificance(extra: [String] = []) -> String {
        var lines = ["readings = [answer" + extra.map { ", " + $0 }.joined() + "]"]
        lines.append("if abs(p_value - alpha) <= 0.0001:")
        lines.append("    readings += [{**reading, \"significant\": not reading[\"significant\"]} for reading in list(readings)]")
        lines.append("submit(readings)")
        return lines.joined(separator: "\n")
    }

    /// How a question states a test's significance rule and rounding.
    static func significanceRule(alpha: Double) -> String {
        "round the p-value to \(decimals(4)), and call the result significant when the unrounded p-value is below \(pythonFloat(alpha))"
    }

    /// The Python format argument for `pd.to_datetime` and how a question describes it.
    static func dateFormat(_ format: String) -> (python: String, prose: String) {
        switch format {
        case "%Y-%m-%d": (Python.literal(format), "as year-month-day dates (format YYYY-MM-DD)")
        default: (Python.literal("ISO8601"), "as ISO 8601 timestamps")
        }
    }
}

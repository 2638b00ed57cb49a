/// Building blocks for the Python that templates emit: literals, column access and hooked
/// assignments, so that every template writes code the same way.
public enum Python {
    /// A double-quoted Python string literal for `text` (backslash, quote and control characters
    /// escaped; other characters kept as they are).
    public static func literal(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7f:
                out += "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// A Python literal for a list of strings: `["a", "b"]`.
    public static func literal(_ texts: [String]) -> String {
        "[" + texts.map(literal).joined(separator: ", ") + "]"
    }

    /// `df["name"]`, or the same on another frame.
    public static func column(_ name: String, of frame: String = "df") -> String {
        "\(frame)[\(literal(name))]"
    }

    /// `variable = expression`, followed by the `hook` call that reports it with the exact
    /// assignment line, so the hook is grounded in executed code.
    public static func hooked(
        _ variable: String, _ expression: String, description: String? = nil, dependsOn: [String] = []
    ) -> String {
        let line = "\(variable) = \(expression)"
        var call = "hook(\(variable), \(literal(line)), name=\(literal(variable))"
        if !dependsOn.isEmpty { call += ", depends_on=\(literal(dependsOn))" }
        if let description { call += ", description=\(literal(description))" }
        return line + "\n" + call + ")"
    }
}

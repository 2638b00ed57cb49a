/// Small pieces of question text shared by the descriptive templates, so that every question
/// names columns, numbers and answer keys the same way.
enum QuestionText {
    /// A column name as the question shows it: in double quotes.
    static func column(_ name: String) -> String { "\"\(name)\"" }

    /// "a", "a and b", "a, b and c".
    static func list(_ items: [String]) -> String {
        switch items.count {
        case 0: return ""
        case 1: return items[0]
        default: return items.dropLast().joined(separator: ", ") + " and " + (items.last ?? "")
        }
    }

    /// A number written so that Python reads back exactly the same value and a person reads it
    /// naturally: whole numbers without a decimal point, others in the shortest form that
    /// round-trips (`44.45`, `0.0001`).
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// "2 decimal places" / "1 decimal place".
    static func decimals(_ count: Int) -> String {
        count == 1 ? "1 decimal place" : "\(count) decimal places"
    }

    /// The closing sentence naming the answer's keys.
    static func keys(_ names: [String]) -> String {
        let quoted = names.map { "\"\($0)\"" }
        return names.count == 1
            ? "Answer with an object with the single key \(quoted[0])."
            : "Answer with an object with the keys \(list(quoted))."
    }
}

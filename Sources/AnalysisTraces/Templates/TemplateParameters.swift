/// Reads a template's parameter object strictly, for every template family: exactly the keys
/// the template declares, each with its type and range; a problem is a `TemplateError` that names
/// the template, the key, what was expected and what was found.
struct TemplateParameters {
    let templateID: String
    /// The members in the order of the declared keys, whatever order they came in (a record read
    /// back through canonical JSON has its keys sorted).
    let members: [(key: String, value: JSONValue)]

    /// Checks that `value` is an object whose keys are exactly `keys`.
    init(_ value: JSONValue, templateID: String, keys: [String]) throws {
        self.templateID = templateID
        guard case .object(let found) = value else {
            throw TemplateError(templateID: templateID, message: "parameters must be an object; found \(value.typeName)")
        }
        let names = found.map(\.key)
        guard Set(names) == Set(keys), names.count == keys.count else {
            throw TemplateError(
                templateID: templateID,
                message: "parameters must have exactly the keys \(keys.sorted()); found \(names.sorted())")
        }
        members = keys.compactMap { key in found.first { $0.key == key } }
    }

    /// The parameters as an object with the declared keys in declared order, so that
    /// instantiating from a record read back gives the same instance as from a fresh one.
    var normalized: JSONValue { .object(members) }

    private func value(_ key: String) throws -> JSONValue {
        guard let member = members.first(where: { $0.key == key }) else {
            throw TemplateError(templateID: templateID, message: "parameter '\(key)' is missing")
        }
        return member.value
    }

    private func mistyped(_ key: String, _ expected: String, _ found: JSONValue) -> TemplateError {
        TemplateError(templateID: templateID, message: "parameter '\(key)' must be \(expected); found \(CanonicalJSON.string(found))")
    }

    func string(_ key: String) throws -> String {
        let value = try value(key)
        guard case .string(let text) = value, !text.isEmpty else { throw mistyped(key, "a non-empty string", value) }
        return text
    }

    /// One of `allowed`.
    func choice(_ key: String, _ allowed: [String]) throws -> String {
        let text = try string(key)
        guard allowed.contains(text) else { throw mistyped(key, "one of \(allowed.joined(separator: ", "))", .string(text)) }
        return text
    }

    /// A list of distinct non-empty strings (column names) of a length in `count`.
    func strings(_ key: String, count: ClosedRange<Int>) throws -> [String] {
        let value = try value(key)
        guard case .array(let items) = value, count.contains(items.count) else {
            throw mistyped(key, "a list of \(count.lowerBound) to \(count.upperBound) column names", value)
        }
        var names: [String] = []
        for item in items {
            guard case .string(let name) = item, !name.isEmpty, !names.contains(name) else {
                throw mistyped(key, "a list of distinct non-empty strings", value)
            }
            names.append(name)
        }
        return names
    }

    /// A list of `count` group labels (strings, integers, floating-point numbers or booleans).
    func labels(_ key: String, count: Int) throws -> [JSONValue] {
        let value = try value(key)
        guard case .array(let items) = value, items.count == count, items.allSatisfy({ InferentialText.isLabel($0) }) else {
            throw mistyped(key, "a list of \(count) group labels", value)
        }
        return items
    }

    /// An integer in `range` (a floating-point number with an exact integer value counts).
    func integer(_ key: String, in range: ClosedRange<Int>) throws -> Int {
        let value = try value(key)
        let number: Int? = switch value {
        case .int(let i): Int(exactly: i)
        case .double(let d): Int(exactly: d)
        default: nil
        }
        guard let number, range.contains(number) else {
            throw mistyped(key, "an integer from \(range.lowerBound) to \(range.upperBound)", value)
        }
        return number
    }

    /// A finite number, within `range` when one is given.
    func number(_ key: String, in range: ClosedRange<Double>? = nil) throws -> Double {
        let value = try value(key)
        let number: Double? = switch value {
        case .int(let i): Double(i)
        case .double(let d) where d.isFinite: d
        default: nil
        }
        guard let number, range?.contains(number) ?? true else {
            let expected = range.map { "a number from \($0.lowerBound) to \($0.upperBound)" } ?? "a finite number"
            throw mistyped(key, expected, value)
        }
        return number
    }

    /// Requires two parameters to differ (two distinct columns, for example).
    func requireDistinct(_ first: String, _ second: String, keys: (String, String)) throws {
        if first == second {
            throw TemplateError(templateID: templateID, message: "parameters '\(keys.0)' and '\(keys.1)' must name different columns; both are '\(first)'")
        }
    }
}

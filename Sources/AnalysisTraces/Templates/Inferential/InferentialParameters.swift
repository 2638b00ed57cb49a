/// Reads one inferential template's parameters (a JSON object) and reports a missing or mistyped
/// key as a `TemplateError` that names the template and the key.
struct InferentialParameters {
    let templateID: String
    let parameters: JSONValue

    init(_ templateID: String, _ parameters: JSONValue) throws {
        guard case .object = parameters else {
            throw TemplateError(templateID: templateID, message: "parameters must be an object; found \(parameters.typeName)")
        }
        self.templateID = templateID
        self.parameters = parameters
    }

    func value(_ key: String) throws -> JSONValue {
        guard let value = parameters[key] else {
            throw TemplateError(templateID: templateID, message: "parameter '\(key)' is missing")
        }
        return value
    }

    func string(_ key: String) throws -> String {
        guard case .string(let text) = try value(key), !text.isEmpty else {
            throw mistyped(key, "a non-empty string")
        }
        return text
    }

    func strings(_ key: String, count: ClosedRange<Int>) throws -> [String] {
        guard case .array(let items) = try value(key), count.contains(items.count) else {
            throw mistyped(key, "a list of \(count.lowerBound)–\(count.upperBound) strings")
        }
        return try items.map { item in
            guard case .string(let text) = item, !text.isEmpty else { throw mistyped(key, "a list of non-empty strings") }
            return text
        }
    }

    /// A list of group labels (strings, integers, floating-point numbers or booleans).
    func labels(_ key: String, count: Int) throws -> [JSONValue] {
        guard case .array(let items) = try value(key), items.count == count,
              items.allSatisfy({ InferentialText.isLabel($0) }) else {
            throw mistyped(key, "a list of \(count) group labels")
        }
        return items
    }

    func double(_ key: String, in range: ClosedRange<Double>) throws -> Double {
        let number: Double
        switch try value(key) {
        case .double(let d): number = d
        case .int(let i): number = Double(i)
        default: throw mistyped(key, "a number")
        }
        guard range.contains(number) else { throw mistyped(key, "a number in \(range.lowerBound)...\(range.upperBound)") }
        return number
    }

    func int(_ key: String, in range: ClosedRange<Int>) throws -> Int {
        guard case .int(let i) = try value(key), range.contains(Int(i)) else {
            throw mistyped(key, "an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return Int(i)
    }

    func choice(_ key: String, _ allowed: [String]) throws -> String {
        let text = try string(key)
        guard allowed.contains(text) else { throw mistyped(key, "one of \(allowed.joined(separator: ", "))") }
        return text
    }

    /// The parameters with exactly `keys`, in that order, whatever order they came in (a record
    /// read back through canonical JSON has its keys sorted), so that instantiating from either
    /// gives the same instance. Throws when a key is missing or an unknown key is present.
    func normalized(_ keys: [String]) throws -> JSONValue {
        guard case .object(let members) = parameters else { return parameters }
        let found = members.map(\.key)
        guard Set(found) == Set(keys), found.count == keys.count else {
            throw TemplateError(
                templateID: templateID,
                message: "parameters must have exactly the keys \(keys.joined(separator: ", ")); found \(found.joined(separator: ", "))")
        }
        return .object(try keys.map { ($0, try value($0)) })
    }

    private func mistyped(_ key: String, _ expected: String) -> TemplateError {
        let found = parameters[key].map { $0.typeName } ?? "nothing"
        return TemplateError(templateID: templateID, message: "parameter '\(key)' must be \(expected); found \(found)")
    }
}

/// Reads a template's parameter object strictly: every key the template needs, with its type,
/// and nothing else; problems are `TemplateError`s that name the key, the expectation and what
/// was found.
struct TemplateParameters {
    let templateID: String
    let members: [(key: String, value: JSONValue)]

    /// Checks that `value` is an object whose keys are exactly `keys`.
    init(_ value: JSONValue, templateID: String, keys: [String]) throws {
        self.templateID = templateID
        guard case .object(let members) = value else {
            throw TemplateError(templateID: templateID, message: "parameters must be an object; found \(value.typeName)")
        }
        let found = members.map(\.key)
        guard Set(found) == Set(keys), found.count == keys.count else {
            throw TemplateError(
                templateID: templateID,
                message: "parameters must have exactly the keys \(keys.sorted()); found \(found.sorted())")
        }
        self.members = members
    }

    private func value(_ key: String) throws -> JSONValue {
        guard let member = members.first(where: { $0.key == key }) else {
            throw TemplateError(templateID: templateID, message: "parameter '\(key)' is missing")
        }
        return member.value
    }

    func string(_ key: String) throws -> String {
        let value = try value(key)
        guard case .string(let text) = value, !text.isEmpty else {
            throw TemplateError(templateID: templateID, message: "parameter '\(key)' must be a non-empty string; found \(CanonicalJSON.string(value))")
        }
        return text
    }

    func strings(_ key: String, count: ClosedRange<Int>) throws -> [String] {
        let value = try value(key)
        guard case .array(let items) = value, count.contains(items.count) else {
            throw TemplateError(templateID: templateID, message: "parameter '\(key)' must be a list of \(count.lowerBound) to \(count.upperBound) column names; found \(CanonicalJSON.string(value))")
        }
        var names: [String] = []
        for item in items {
            guard case .string(let name) = item, !name.isEmpty, !names.contains(name) else {
                throw TemplateError(templateID: templateID, message: "parameter '\(key)' must hold distinct non-empty strings; found \(CanonicalJSON.string(value))")
            }
            names.append(name)
        }
        return names
    }

    func integer(_ key: String, in range: ClosedRange<Int>) throws -> Int {
        let value = try value(key)
        let number: Int? = switch value {
        case .int(let i): Int(exactly: i)
        case .double(let d): Int(exactly: d)
        default: nil
        }
        guard let number, range.contains(number) else {
            throw TemplateError(templateID: templateID, message: "parameter '\(key)' must be an integer from \(range.lowerBound) to \(range.upperBound); found \(CanonicalJSON.string(value))")
        }
        return number
    }

    func number(_ key: String) throws -> Double {
        let value = try value(key)
        switch value {
        case .int(let i): return Double(i)
        case .double(let d) where d.isFinite: return d
        default:
            throw TemplateError(templateID: templateID, message: "parameter '\(key)' must be a finite number; found \(CanonicalJSON.string(value))")
        }
    }

    /// Requires two parameters to differ (two distinct columns, for example).
    func requireDistinct(_ first: String, _ second: String, keys: (String, String)) throws {
        if first == second {
            throw TemplateError(templateID: templateID, message: "parameters '\(keys.0)' and '\(keys.1)' must name different columns; both are '\(first)'")
        }
    }
}

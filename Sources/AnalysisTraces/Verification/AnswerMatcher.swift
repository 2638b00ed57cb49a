import Foundation

/// Compares two answers the way a question's output schema says they should be compared.
///
/// Typed: the schema, not the values, decides the rule at every level. Numbers compare with a
/// tolerance derived from the requested rounding, integers exactly, strings after Unicode
/// normalisation, trimming and case folding, booleans exactly (with four spelled-out words
/// accepted), lists in order unless the schema says unordered, objects and mappings by equal
/// key sets. Two values with the same canonical form always match (so the tagged non-finite
/// object `{"$float":"nan"}` matches itself). The rules, with examples, are in
/// <doc:Verification>.
///
/// The relation is symmetric but, because of tolerances, not transitive; code that groups
/// answers must say which member a newcomer is compared with (see ``VoteTally``).
public struct AnswerMatcher: Sendable {
    /// With requested decimals `d`, two numbers match when they differ by at most
    /// `0.5 × 10^-d + relativeEpsilon × max(|a|, |b|)`: half a unit in the last requested place,
    /// plus a sliver for binary floating point (2.675 - 2.67 is 0.0050000000000003 in doubles).
    public static let relativeEpsilon = 1e-9
    /// With no requested rounding, two numbers match when they differ by at most
    /// `max(relativeTolerance × max(|a|, |b|), absoluteFloor)`: agreement to about six
    /// significant digits, which absorbs summation-order differences between libraries.
    public static let relativeTolerance = 1e-6
    /// The smallest tolerance without requested rounding, so that 0 and 1e-15 match.
    public static let absoluteFloor = 1e-12

    /// The schema of the answers this matcher compares.
    public var schema: AnswerSchema

    public init(schema: AnswerSchema) {
        self.schema = schema
    }

    /// Whether `answer` and `expected` are the same answer under the schema.
    public func matches(_ answer: JSONValue, _ expected: JSONValue) -> Bool {
        mismatch(answer, expected) == nil
    }

    /// The first difference between `answer` and `expected`, or nil when they match.
    public func mismatch(_ answer: JSONValue, _ expected: JSONValue) -> AnswerMismatch? {
        Self.compare(answer, expected, schema: schema, path: "$")
    }

    // MARK: The rules

    static func compare(_ a: JSONValue, _ b: JSONValue, schema: AnswerSchema, path: String) -> AnswerMismatch? {
        if a == b || CanonicalJSON.bytes(a) == CanonicalJSON.bytes(b) { return nil }
        switch schema {
        case .number(let decimals):
            return compareNumbers(a, b, decimals: decimals, path: path)
        case .integer:
            return compareIntegers(a, b, path: path)
        case .string:
            guard case .string(let x) = a else { return .wrongType(path, expected: "a string", found: a) }
            guard case .string(let y) = b else { return .wrongType(path, expected: "a string", found: b) }
            if normalizedText(x) == normalizedText(y) { return nil }
            return AnswerMismatch(path: path, problem: "\(describe(a)) is not \(describe(b)) (compared after NFC normalisation, trimming and case folding)")
        case .boolean:
            guard let x = booleanValue(a) else { return .wrongType(path, expected: "a boolean", found: a) }
            guard let y = booleanValue(b) else { return .wrongType(path, expected: "a boolean", found: b) }
            return x == y ? nil : AnswerMismatch(path: path, problem: "\(x) is not \(y)")
        case .list(let items, let ordered):
            guard case .array(let x) = a else { return .wrongType(path, expected: "a list", found: a) }
            guard case .array(let y) = b else { return .wrongType(path, expected: "a list", found: b) }
            guard x.count == y.count else {
                return AnswerMismatch(path: path, problem: "a list of \(x.count) items is not a list of \(y.count) items")
            }
            return ordered ? compareOrdered(x, y, items: items, path: path) : compareUnordered(x, y, items: items, path: path)
        case .object(let fields):
            return compareObjects(a, b, fields: fields, path: path)
        case .mapping(let values):
            return compareMappings(a, b, values: values, path: path)
        }
    }

    private static func compareNumbers(_ a: JSONValue, _ b: JSONValue, decimals: Int?, path: String) -> AnswerMismatch? {
        guard let x = number(a) else { return .wrongType(path, expected: "a number", found: a) }
        guard let y = number(b) else { return .wrongType(path, expected: "a number", found: b) }
        if numbersMatch(x, y, decimals: decimals) { return nil }
        let tolerance = decimals.map { "within ±\(CanonicalJSON.string(.double(0.5 * pow(10, Double(-$0))))) (\($0) decimals)" }
            ?? "to a relative tolerance of \(CanonicalJSON.string(.double(relativeTolerance)))"
        return AnswerMismatch(path: path, problem: "\(describe(a)) does not equal \(describe(b)) \(tolerance)")
    }

    /// The number rule on two doubles (NaN matches NaN, an infinity only itself).
    public static func numbersMatch(_ x: Double, _ y: Double, decimals: Int?) -> Bool {
        if x.isNaN || y.isNaN { return x.isNaN && y.isNaN }
        if x.isInfinite || y.isInfinite { return x == y }
        let difference = abs(x - y)
        let scale = max(abs(x), abs(y))
        if let decimals {
            return difference <= 0.5 * pow(10, Double(-decimals)) + relativeEpsilon * scale
        }
        return difference <= max(relativeTolerance * scale, absoluteFloor)
    }

    private static func compareIntegers(_ a: JSONValue, _ b: JSONValue, path: String) -> AnswerMismatch? {
        guard let x = integer(a) else { return .wrongType(path, expected: "an integer", found: a) }
        guard let y = integer(b) else { return .wrongType(path, expected: "an integer", found: b) }
        return x == y ? nil : AnswerMismatch(path: path, problem: "\(describe(a)) is not \(describe(b))")
    }

    private static func compareOrdered(_ x: [JSONValue], _ y: [JSONValue], items: AnswerSchema, path: String) -> AnswerMismatch? {
        for (index, pair) in zip(x, y).enumerated() {
            if let problem = compare(pair.0, pair.1, schema: items, path: "\(path)[\(index)]") { return problem }
        }
        return nil
    }

    /// Multiset comparison: a one-to-one pairing of the items in which every pair matches.
    private static func compareUnordered(_ x: [JSONValue], _ y: [JSONValue], items: AnswerSchema, path: String) -> AnswerMismatch? {
        switch items {
        case .number, .integer:
            // Sorted pairing is optimal for a tolerance that grows with magnitude.
            let xs = x.map { number($0) }
            let ys = y.map { number($0) }
            if let bad = xs.firstIndex(where: { $0 == nil }) { return .wrongType("\(path)[\(bad)]", expected: "a number", found: x[bad]) }
            if let bad = ys.firstIndex(where: { $0 == nil }) { return .wrongType("\(path)[\(bad)]", expected: "a number", found: y[bad]) }
            let order = { (p: (offset: Int, element: Double?), q: (offset: Int, element: Double?)) -> Bool in
                sortsBefore(p.element ?? .nan, q.element ?? .nan)
            }
            let sortedX = xs.enumerated().sorted(by: order)
            let sortedY = ys.enumerated().sorted(by: order)
            for (p, q) in zip(sortedX, sortedY) {
                if let problem = compare(x[p.offset], y[q.offset], schema: items, path: "\(path)[\(p.offset)]") {
                    return AnswerMismatch(path: problem.path, problem: problem.problem + " (items paired in sorted order; the list is unordered)")
                }
            }
            return nil
        default:
            return pairUnordered(x, y, items: items, path: path)
        }
    }

    private static func sortsBefore(_ a: Double, _ b: Double) -> Bool {
        if a.isNaN { return false }
        if b.isNaN { return true }
        return a < b
    }

    /// Kuhn's augmenting paths after pairing identical canonical forms, for items of any schema.
    private static func pairUnordered(_ x: [JSONValue], _ y: [JSONValue], items: AnswerSchema, path: String) -> AnswerMismatch? {
        var pairOfY = [Int?](repeating: nil, count: y.count)
        var pairedX = [Bool](repeating: false, count: x.count)
        var freeByText: [String: [Int]] = [:]
        for (index, value) in y.enumerated() { freeByText[CanonicalJSON.string(value), default: []].append(index) }
        for (index, value) in x.enumerated() {
            let text = CanonicalJSON.string(value)
            if var free = freeByText[text], !free.isEmpty {
                pairOfY[free.removeFirst()] = index
                freeByText[text] = free
                pairedX[index] = true
            }
        }
        var cache: [Int: Bool] = [:]
        func related(_ i: Int, _ j: Int) -> Bool {
            let key = i * y.count + j
            if let known = cache[key] { return known }
            let result = compare(x[i], y[j], schema: items, path: path) == nil
            cache[key] = result
            return result
        }
        func augment(_ i: Int, _ visited: inout [Bool]) -> Bool {
            for j in y.indices where !visited[j] && related(i, j) {
                visited[j] = true
                if let owner = pairOfY[j] {
                    if augment(owner, &visited) {
                        pairOfY[j] = i
                        return true
                    }
                } else {
                    pairOfY[j] = i
                    return true
                }
            }
            return false
        }
        for i in x.indices where !pairedX[i] {
            var visited = [Bool](repeating: false, count: y.count)
            if !augment(i, &visited) {
                return AnswerMismatch(path: "\(path)[\(i)]", problem: "\(describe(x[i])) has no matching item in the other list (the list is unordered)")
            }
        }
        return nil
    }

    private static func compareObjects(_ a: JSONValue, _ b: JSONValue, fields: [AnswerSchema.Field], path: String) -> AnswerMismatch? {
        guard case .object(let x) = a else { return .wrongType(path, expected: "an object", found: a) }
        guard case .object(let y) = b else { return .wrongType(path, expected: "an object", found: b) }
        var schemas: [String: AnswerSchema] = [:]
        for field in fields { schemas[normalizedKey(field.name)] = field.schema }
        let expectedKeys = Set(schemas.keys)
        let left: [String: Member]
        let right: [String: Member]
        switch (keyed(x, path: path), keyed(y, path: path)) {
        case (.failure(let problem), _), (_, .failure(let problem)): return problem
        case (.success(let first), .success(let second)): (left, right) = (first, second)
        }
        if Set(left.keys) != expectedKeys {
            return keySetMismatch(found: Set(left.keys), expected: expectedKeys, what: "the answer's keys", path: path)
        }
        if Set(right.keys) != expectedKeys {
            return keySetMismatch(found: Set(right.keys), expected: expectedKeys, what: "the expected answer's keys", path: path)
        }
        for field in fields {
            let key = normalizedKey(field.name)
            guard let first = left[key], let second = right[key] else { continue }
            if let problem = compare(first.value, second.value, schema: field.schema, path: "\(path).\(field.name)") { return problem }
        }
        return nil
    }

    private static func compareMappings(_ a: JSONValue, _ b: JSONValue, values: AnswerSchema, path: String) -> AnswerMismatch? {
        guard case .object(let x) = a else { return .wrongType(path, expected: "an object", found: a) }
        guard case .object(let y) = b else { return .wrongType(path, expected: "an object", found: b) }
        let left: [String: Member]
        let right: [String: Member]
        switch (keyed(x, path: path), keyed(y, path: path)) {
        case (.failure(let problem), _), (_, .failure(let problem)): return problem
        case (.success(let first), .success(let second)): (left, right) = (first, second)
        }
        guard Set(left.keys) == Set(right.keys) else {
            return keySetMismatch(found: Set(left.keys), expected: Set(right.keys), what: "the keys", path: path)
        }
        for member in x {
            let key = normalizedKey(member.key)
            guard let other = right[key] else { continue }
            if let problem = compare(member.value, other.value, schema: values, path: "\(path)[\(describe(.string(member.key)))]") { return problem }
        }
        return nil
    }

    private typealias Member = (key: String, value: JSONValue)

    /// Members by normalised key; a failure when two keys normalise to the same key.
    private static func keyed(_ members: [Member], path: String) -> Result<[String: Member], AnswerMismatch> {
        var result: [String: Member] = [:]
        for member in members {
            let key = normalizedKey(member.key)
            if let earlier = result[key] {
                return .failure(AnswerMismatch(path: path, problem: "the keys \(describe(.string(earlier.key))) and \(describe(.string(member.key))) are the same key after normalisation"))
            }
            result[key] = member
        }
        return .success(result)
    }

    private static func keySetMismatch(found: Set<String>, expected: Set<String>, what: String, path: String) -> AnswerMismatch {
        let missing = expected.subtracting(found).sorted().prefix(5).map { describe(.string($0)) }
        let extra = found.subtracting(expected).sorted().prefix(5).map { describe(.string($0)) }
        var parts: [String] = []
        if !missing.isEmpty { parts.append("missing " + missing.joined(separator: ", ")) }
        if !extra.isEmpty { parts.append("unexpected " + extra.joined(separator: ", ")) }
        return AnswerMismatch(path: path, problem: "\(what) differ: " + parts.joined(separator: "; "))
    }

    // MARK: Value views

    /// A number, or a tagged non-finite float, as a double; nil for anything else.
    static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .int(let integer): return Double(integer)
        case .double(let double): return double
        case .object(let members) where members.count == 1 && members[0].key == "$float":
            switch members[0].value {
            case .string("nan"): return .nan
            case .string("inf"): return .infinity
            case .string("-inf"): return -.infinity
            default: return nil
            }
        default: return nil
        }
    }

    private enum ExactInteger: Equatable {
        case int(Int64)
        /// An integral double outside the 64-bit range.
        case huge(Double)
    }

    private static func integer(_ value: JSONValue) -> ExactInteger? {
        switch value {
        case .int(let integer): return .int(integer)
        case .double(let double):
            guard double.isFinite, double == double.rounded() else { return nil }
            if let exact = Int64(exactly: double) { return .int(exact) }
            return .huge(double)
        default: return nil
        }
    }

    /// A JSON boolean, or one of the words `true`, `false`, `yes`, `no` (after trimming and case
    /// folding); nil for anything else, numbers included.
    static func booleanValue(_ value: JSONValue) -> Bool? {
        switch value {
        case .bool(let flag): return flag
        case .string(let text):
            switch normalizedText(text) {
            case "true", "yes": return true
            case "false", "no": return false
            default: return nil
            }
        default: return nil
        }
    }

    /// NFC, trimmed of white space at both ends, case-folded (locale-independent), NFC again.
    public static func normalizedText(_ text: String) -> String {
        text.precomposedStringWithCanonicalMapping
            .trimmingCharacters(in: .whitespacesAndNewlines)
            .folding(options: [.caseInsensitive], locale: nil)
            .precomposedStringWithCanonicalMapping
    }

    /// A key as objects and mappings compare it: ``normalizedText(_:)``, and a key that is a JSON
    /// number written in its canonical form, so that the labels `1` and `1.0` are one key.
    public static func normalizedKey(_ key: String) -> String {
        let text = normalizedText(key)
        if let first = text.utf8.first, first == UInt8(ascii: "-") || (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")),
           let parsed = try? JSONParser.parse(text) {
            switch parsed {
            case .int, .double: return CanonicalJSON.string(parsed)
            default: break
            }
        }
        return text
    }

    /// A short rendering of a value for messages: canonical JSON, cut at 80 characters.
    static func describe(_ value: JSONValue) -> String {
        let text = CanonicalJSON.string(value)
        if text.count <= 80 { return text }
        return String(text.prefix(77)) + "..."
    }
}

/// Where two answers first differ, and how.
public struct AnswerMismatch: Error, Sendable, Equatable, CustomStringConvertible {
    /// A JSONPath-like location: `$`, `$.mean`, `$[2]`, `$["Adelie"]`.
    public var path: String
    /// A lower-case statement of the difference, answer first.
    public var problem: String

    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String { "at \(path): \(problem)" }

    static func wrongType(_ path: String, expected: String, found: JSONValue) -> AnswerMismatch {
        AnswerMismatch(path: path, problem: "expected \(expected), found \(found.typeName) \(AnswerMatcher.describe(found))")
    }
}

import Testing
@testable import AnalysisTraces

/// One row of the matcher's table: two answers as JSON text, a schema, and whether they match.
struct MatchCase: Sendable, CustomTestStringConvertible {
    var schema: AnswerSchema
    var answer: String
    var expected: String
    var matches: Bool

    init(_ schema: AnswerSchema, _ answer: String, _ expected: String, _ matches: Bool) {
        self.schema = schema
        self.answer = answer
        self.expected = expected
        self.matches = matches
    }

    var testDescription: String { "\(schema.kind.rawValue): \(answer) vs \(expected) → \(matches)" }
}

@Suite struct AnswerMatcherTests {
    static let numbers: [MatchCase] = [
        MatchCase(.number(decimals: 2), "3.14", "3.14", true),
        MatchCase(.number(decimals: 2), "3.1449", "3.14", true),
        MatchCase(.number(decimals: 2), "3.145", "3.14", true),
        MatchCase(.number(decimals: 2), "3.1451", "3.14", false),
        MatchCase(.number(decimals: 2), "3.13", "3.14", false),
        MatchCase(.number(decimals: 2), "2.675", "2.67", true),
        MatchCase(.number(decimals: 2), "3", "3.0", true),
        MatchCase(.number(decimals: 2), "1000000.004", "1000000", true),
        MatchCase(.number(decimals: 2), "-0.004", "0", true),
        MatchCase(.number(decimals: 3), "0.1235", "0.123", true),
        MatchCase(.number(decimals: 3), "0.12351", "0.123", false),
        MatchCase(.number(decimals: 0), "12.4", "12", true),
        MatchCase(.number(decimals: 0), "12.6", "12", false),
        MatchCase(.number(decimals: nil), "1.0000005", "1", true),
        MatchCase(.number(decimals: nil), "1.00001", "1", false),
        MatchCase(.number(decimals: nil), "123456", "123457", false),
        MatchCase(.number(decimals: nil), "1e-15", "0", true),
        MatchCase(.number(decimals: nil), "1.0000001e-20", "1e-20", true),
        MatchCase(.number(decimals: 2), #"{"$float":"nan"}"#, #"{"$float":"nan"}"#, true),
        MatchCase(.number(decimals: 2), #"{"$float":"nan"}"#, "1", false),
        MatchCase(.number(decimals: nil), #"{"$float":"inf"}"#, #"{"$float":"inf"}"#, true),
        MatchCase(.number(decimals: nil), #"{"$float":"inf"}"#, #"{"$float":"-inf"}"#, false),
        MatchCase(.number(decimals: nil), #"{"$float":"inf"}"#, "1e308", false),
        MatchCase(.number(decimals: 2), #""3.14""#, "3.14", false),
        MatchCase(.number(decimals: 2), "true", "1", false),
        MatchCase(.number(decimals: 2), "null", "0", false),
        MatchCase(.number(decimals: 2), "null", "null", true),
    ]

    static let integers: [MatchCase] = [
        MatchCase(.integer, "3", "3", true),
        MatchCase(.integer, "3.0", "3", true),
        MatchCase(.integer, "3", "4", false),
        MatchCase(.integer, "3.5", "3", false),
        MatchCase(.integer, "2.9999999", "3", false),
        MatchCase(.integer, #""3""#, "3", false),
        MatchCase(.integer, "9007199254740993", "9007199254740992", false),
        MatchCase(.integer, "1e20", "100000000000000000000", true),
        MatchCase(.integer, #"{"$float":"nan"}"#, #"{"$float":"nan"}"#, true),
    ]

    static let strings: [MatchCase] = [
        MatchCase(.string, #""Adelie""#, #""Adelie""#, true),
        MatchCase(.string, #"" adelie\n""#, #""Adelie""#, true),
        MatchCase(.string, #""STRASSE""#, #""Straße""#, true),
        MatchCase(.string, #""e\u0301cole""#, #""école""#, true),
        MatchCase(.string, #""a b""#, #""ab""#, false),
        MatchCase(.string, #""Gentoo""#, #""Adelie""#, false),
        MatchCase(.string, "1", #""1""#, false),
    ]

    static let booleans: [MatchCase] = [
        MatchCase(.boolean, "true", "true", true),
        MatchCase(.boolean, "false", "true", false),
        MatchCase(.boolean, #""Yes""#, "true", true),
        MatchCase(.boolean, #"" no ""#, "false", true),
        MatchCase(.boolean, #""TRUE""#, "true", true),
        MatchCase(.boolean, #""false""#, "true", false),
        MatchCase(.boolean, #""maybe""#, "true", false),
        MatchCase(.boolean, "1", "true", false),
        MatchCase(.boolean, "0", "false", false),
    ]

    static let lists: [MatchCase] = [
        MatchCase(.list(items: .number(decimals: 1), ordered: true), "[1.02, 2]", "[1, 2]", true),
        MatchCase(.list(items: .number(decimals: 1), ordered: true), "[2, 1]", "[1, 2]", false),
        MatchCase(.list(items: .number(decimals: 1), ordered: true), "[1, 2]", "[1, 2, 3]", false),
        MatchCase(.list(items: .number(decimals: 1), ordered: false), "[2.04, 0.98]", "[1, 2]", true),
        MatchCase(.list(items: .integer, ordered: false), "[1, 1, 2]", "[1, 2, 2]", false),
        MatchCase(.list(items: .integer, ordered: false), "[2, 1, 1]", "[1, 2, 1]", true),
        MatchCase(.list(items: .string, ordered: false), #"["b", "A"]"#, #"["a", "B"]"#, true),
        MatchCase(.list(items: .string, ordered: true), #"["b", "A"]"#, #"["a", "B"]"#, false),
        MatchCase(.list(items: .object(fields: [.init(name: "k", schema: .string), .init(name: "v", schema: .number(decimals: 1))]), ordered: false),
                  #"[{"k": "b", "v": 2.01}, {"k": "a", "v": 1}]"#, #"[{"k": "a", "v": 1}, {"k": "b", "v": 2}]"#, true),
        MatchCase(.list(items: .list(items: .integer, ordered: true), ordered: false), "[[1, 2], [1]]", "[[1], [2, 1]]", false),
        MatchCase(.list(items: .integer, ordered: true), "[]", "[]", true),
        MatchCase(.list(items: .integer, ordered: true), "{}", "[]", false),
    ]

    static let statistic = AnswerSchema.object(fields: [
        .init(name: "statistic", schema: .number(decimals: 3)),
        .init(name: "significant", schema: .boolean),
        .init(name: "group", schema: .string),
    ])

    static let objects: [MatchCase] = [
        MatchCase(statistic, #"{"group": "a", "significant": true, "statistic": 1.2344}"#, #"{"statistic": 1.234, "significant": true, "group": "A"}"#, true),
        MatchCase(statistic, #"{"Statistic": 1.234, "significant": "yes", "group": "A"}"#, #"{"statistic": 1.234, "significant": true, "group": "A"}"#, true),
        MatchCase(statistic, #"{"statistic": 1.234, "group": "A"}"#, #"{"statistic": 1.234, "significant": true, "group": "A"}"#, false),
        MatchCase(statistic, #"{"statistic": 1.234, "significant": true, "group": "A", "p": 0.1}"#, #"{"statistic": 1.234, "significant": true, "group": "A"}"#, false),
        MatchCase(statistic, #"{"statistic": 1.236, "significant": true, "group": "A"}"#, #"{"statistic": 1.234, "significant": true, "group": "A"}"#, false),
        MatchCase(statistic, #"{"statistic": 1.234, "STATISTIC": 1.234, "significant": true}"#, #"{"statistic": 1.234, "significant": true, "group": "A"}"#, false),
        MatchCase(.object(fields: [.init(name: "x", schema: .integer)]), #"{"x": null}"#, #"{"x": null}"#, true),
    ]

    static let mappings: [MatchCase] = [
        MatchCase(.mapping(values: .number(decimals: 1)), #"{"b": 2.04, "a": 0.96}"#, #"{"a": 1.0, "b": 2.0}"#, true),
        MatchCase(.mapping(values: .number(decimals: 1)), #"{"Adelie": 1}"#, #"{"adelie ": 1}"#, true),
        MatchCase(.mapping(values: .integer), #"{"1.0": 3, "2": 4}"#, #"{"1": 3, "2.0": 4}"#, true),
        MatchCase(.mapping(values: .integer), #"{"1": 3}"#, #"{"1": 3, "2": 4}"#, false),
        MatchCase(.mapping(values: .integer), #"{"1": 3, "3": 4}"#, #"{"1": 3, "2": 4}"#, false),
        MatchCase(.mapping(values: .integer), #"{"a": 3}"#, #"{"a": 4}"#, false),
        MatchCase(.mapping(values: .number(decimals: nil)), #"{"x": {"$float": "nan"}}"#, #"{"x": {"$float": "nan"}}"#, true),
    ]

    @Test(arguments: numbers + integers + strings + booleans + lists + objects + mappings)
    func comparesByTheSchema(_ row: MatchCase) throws {
        let answer = try JSONParser.parse(row.answer)
        let expected = try JSONParser.parse(row.expected)
        let matcher = AnswerMatcher(schema: row.schema)
        #expect(matcher.matches(answer, expected) == row.matches, "\(matcher.mismatch(answer, expected)?.description ?? "match")")
        #expect(matcher.matches(expected, answer) == row.matches, "the relation is symmetric")
    }

    @Test func describesWhereAndHowAnswersDiffer() throws {
        let matcher = AnswerMatcher(schema: Self.statistic)
        let mismatch = matcher.mismatch(
            try JSONParser.parse(#"{"statistic": 1.3, "significant": true, "group": "A"}"#),
            try JSONParser.parse(#"{"statistic": 1.234, "significant": true, "group": "A"}"#))
        #expect(mismatch?.path == "$.statistic")
        #expect(mismatch?.description == "at $.statistic: 1.3 does not equal 1.234 within ±0.0005 (3 decimals)")
        let missing = matcher.mismatch(try JSONParser.parse(#"{"statistic": 1.234, "group": "A"}"#), try JSONParser.parse(#"{"statistic": 1.234, "significant": true, "group": "A"}"#))
        #expect(missing?.problem == #"the answer's keys differ: missing "significant""#)
        let list = AnswerMatcher(schema: .list(items: .integer, ordered: true)).mismatch(try JSONParser.parse("[1, 5]"), try JSONParser.parse("[1, 2]"))
        #expect(list == AnswerMismatch(path: "$[1]", problem: "5 is not 2"))
    }

    @Test func normalisesKeysAsDocumented() {
        #expect(AnswerMatcher.normalizedKey(" Adélie ") == "adélie")
        #expect(AnswerMatcher.normalizedKey("1.0") == "1")
        #expect(AnswerMatcher.normalizedKey("-2.50") == "-2.5")
        #expect(AnswerMatcher.normalizedKey("01") == "01")
        #expect(AnswerMatcher.normalizedKey("1e3") == "1000")
    }
}

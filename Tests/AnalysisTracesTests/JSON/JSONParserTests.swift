import AnalysisTraces
import Testing

@Suite struct JSONParserTests {
    static let accepted: [(String, JSONValue)] = [
        ("null", .null),
        (" true ", .bool(true)),
        ("\t\r\nfalse\n", .bool(false)),
        ("0", .int(0)),
        ("-0", .int(0)),
        ("42", .int(42)),
        ("-9223372036854775808", .int(.min)),
        ("9223372036854775807", .int(.max)),
        ("9223372036854775808", .double(9_223_372_036_854_775_808)),
        ("1.0", .double(1)),
        ("-0.0", .double(-0.0)),
        ("1e2", .double(100)),
        ("1E-7", .double(1e-7)),
        ("2.5e+3", .double(2500)),
        ("0.30000000000000004", .double(0.30000000000000004)),
        ("1.7976931348623157e308", .double(1.7976931348623157e308)),
        ("1e-400", .double(0)),
        ("123456789012345678901234567890", .double(1.2345678901234568e29)),
        (#""""#, .string("")),
        (#""a\"b\\c\/d\b\f\n\r\t""#, .string("a\"b\\c/d\u{08}\u{0C}\n\r\t")),
        (#""\u00e9\u0000\u007F""#, .string("é\u{0}\u{7F}")),
        (#""\ud83d\ude00 😀 é""#, .string("😀 😀 é")),
        ("[]", .array([])),
        ("[1, [2, []], {}]", .array([.int(1), .array([.int(2), .array([])]), .object([])])),
        (#"{"b": 1, "a": {"c": null}}"#, .object([(key: "b", value: .int(1)), (key: "a", value: .object([(key: "c", value: .null)]))])),
    ]

    @Test(arguments: 0..<accepted.count)
    func acceptsValidDocument(_ index: Int) throws {
        let (text, expected) = Self.accepted[index]
        let value = try JSONParser.parse(text)
        #expect(value == expected, "\(text)")
        if case .double(let parsed) = value, case .double(let wanted) = expected {
            #expect(parsed.sign == wanted.sign)
        }
    }

    static let rejected: [(String, Int, String)] = [
        ("", 0, "unexpected end of input; expected a value"),
        ("   ", 3, "unexpected end of input; expected a value"),
        ("1 2", 2, "unexpected '2' after the value"),
        ("{} x", 3, "unexpected 'x' after the value"),
        ("NaN", 0, "unexpected 'N'; expected a value"),
        ("Infinity", 0, "unexpected 'I'; expected a value"),
        ("-Infinity", 0, "invalid number; expected a digit after '-'"),
        ("nul", 0, "invalid literal; expected 'null'"),
        ("tru e", 0, "invalid literal; expected 'true'"),
        ("01", 0, "invalid number; leading zeros are not allowed"),
        ("-01", 0, "invalid number; leading zeros are not allowed"),
        ("1.", 0, "invalid number; expected a digit after the decimal point"),
        (".5", 0, "unexpected '.'; expected a value"),
        ("1e", 0, "invalid number; expected a digit in the exponent"),
        ("+1", 0, "unexpected '+'; expected a value"),
        ("1e400", 0, "number out of range; it overflows a 64-bit float"),
        ("-1e309", 0, "number out of range; it overflows a 64-bit float"),
        (#""abc"#, 0, "unterminated string"),
        ("\"a\nb\"", 2, "control character U+000A in a string; it must be escaped"),
        ("\"a\u{7}\"", 2, "control character U+0007 in a string; it must be escaped"),
        (#""\x""#, 1, "invalid escape '\\x' in a string"),
        (#""\u12zz""#, 1, "invalid \\u escape; expected four hex digits"),
        (#""\u12""#, 1, "incomplete \\u escape"),
        (#""\ud800""#, 1, "lone high surrogate in a \\u escape"),
        (#""\ud800\u0041""#, 1, "lone high surrogate in a \\u escape"),
        (#""\udc00""#, 1, "lone low surrogate in a \\u escape"),
        ("[1,]", 3, "unexpected ']'; expected a value"),
        ("[1 2]", 3, "unexpected '2' in array; expected ',' or ']'"),
        ("[1", 2, "unterminated array (opened at byte 0)"),
        (#"{"a":1,}"#, 7, "unexpected '}' in object; expected a string key"),
        (#"{"a" 1}"#, 5, "unexpected '1' after an object key; expected ':'"),
        (#"{a:1}"#, 1, "unexpected 'a' in object; expected a string key"),
        (#"{"a":1"#, 6, "unterminated object (opened at byte 0)"),
        (#"{"a":1,"a":2}"#, 7, "duplicate key 'a'"),
        (#"{"k":{"x":1,"y":2,"x":3}}"#, 18, "duplicate key 'x'"),
        ("[[[]]]", 2, "nesting deeper than 2 levels"),
    ]

    @Test(arguments: 0..<rejected.count)
    func rejectsInvalidDocument(_ index: Int) {
        let (text, offset, reason) = Self.rejected[index]
        let depth = text == "[[[]]]" ? 2 : 512
        #expect(throws: JSONParseError(offset: offset, reason: reason)) {
            try JSONParser.parse(text, maxDepth: depth)
        }
    }

    static let invalidUTF8: [[UInt8]] = [
        [0x22, 0xFF, 0x22],
        [0x22, 0xC0, 0xAF, 0x22],  // overlong '/'
        [0x22, 0xE0, 0x80, 0xAF, 0x22],  // overlong
        [0x22, 0xED, 0xA0, 0x80, 0x22],  // UTF-8-encoded surrogate
        [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],  // above U+10FFFF
        [0x22, 0xC3, 0x22],  // truncated sequence
        [0x22, 0x80, 0x22],  // lone continuation byte
    ]

    @Test(arguments: invalidUTF8)
    func rejectsInvalidUTF8InStrings(_ bytes: [UInt8]) {
        #expect(throws: JSONParseError(offset: 1, reason: "invalid UTF-8 in a string")) {
            try JSONParser.parse(bytes)
        }
    }

    @Test func rejectsDeepNestingWithoutOverflowingTheStack() {
        let deep = [UInt8](repeating: UInt8(ascii: "["), count: 100_000)
        #expect(throws: JSONParseError(offset: 512, reason: "nesting deeper than 512 levels")) {
            try JSONParser.parse(deep)
        }
        let allowed = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(throws: Never.self) { try JSONParser.parse(allowed) }
    }

    @Test func reportsDuplicateKeysInLargeObjects() {
        let members = (0..<40).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
        let text = "{" + members + ",\"k7\":0}"
        #expect(throws: JSONParseError(offset: text.utf8.count - 7, reason: "duplicate key 'k7'")) {
            try JSONParser.parse(text)
        }
    }

    @Test func parsesLongStringsAcrossTheWordScanBoundaries() throws {
        for length in 0..<40 {
            let body = String(repeating: "a", count: length)
            #expect(try JSONParser.parse("\"\(body)\\n\(body)\"") == .string(body + "\n" + body))
            #expect(try JSONParser.parse("\"\(body)é\"") == .string(body + "é"))
        }
    }

    @Test func describesErrorsWithTheByteOffset() {
        #expect(JSONParseError(offset: 17, reason: "unterminated string").description == "at byte 17: unterminated string")
    }
}

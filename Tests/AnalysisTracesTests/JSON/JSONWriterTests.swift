import AnalysisTraces
import Testing

@Suite struct JSONWriterTests {
    func text(_ value: JSONValue, sortingKeys: Bool = false) -> String {
        String(decoding: JSONWriter.bytes(value, sortingKeys: sortingKeys), as: UTF8.self)
    }

    /// Expected texts were checked against JavaScript's `JSON.stringify` (ECMAScript Number::toString).
    static let doubles: [(Double, String)] = [
        (1.0, "1"),
        (-1.5, "-1.5"),
        (0.0, "0"),
        (-0.0, "0"),
        (0.1, "0.1"),
        (0.30000000000000004, "0.30000000000000004"),
        (54.300000000000004, "54.300000000000004"),
        (123456789.125, "123456789.125"),
        (1e-6, "0.000001"),
        (1.234e-6, "0.000001234"),
        (1e-7, "1e-7"),
        (2.5e-7, "2.5e-7"),
        (1.23e-18, "1.23e-18"),
        (Double.leastNonzeroMagnitude, "5e-324"),
        (100, "100"),
        (1e16, "10000000000000000"),
        (9_007_199_254_740_992, "9007199254740992"),
        (1_152_921_504_606_846_976, "1152921504606847000"),
        (1e20, "100000000000000000000"),
        (1e21, "1e+21"),
        (1e22, "1e+22"),
        (1.2345678901234568e21, "1.2345678901234568e+21"),
        (1.5e300, "1.5e+300"),
        (1.7976931348623157e308, "1.7976931348623157e+308"),
        (-2.5e-10, "-2.5e-10"),
    ]

    @Test(arguments: 0..<doubles.count)
    func writesDoublesInECMAScriptShortestForm(_ index: Int) throws {
        let (number, expected) = Self.doubles[index]
        #expect(text(.double(number)) == expected)
        // The text reads back to the same double.
        switch try JSONParser.parse(expected) {
        case .double(let parsed): #expect(parsed == number)
        case .int(let parsed): #expect(Double(parsed) == number)
        default: Issue.record("not a number")
        }
    }

    @Test func writesNonFiniteDoublesAsTaggedObjects() {
        #expect(text(.double(.nan)) == #"{"$float":"nan"}"#)
        #expect(text(.double(.infinity)) == #"{"$float":"inf"}"#)
        #expect(text(.double(-.infinity)) == #"{"$float":"-inf"}"#)
    }

    @Test func writesIntegersExactly() {
        #expect(text(.int(0)) == "0")
        #expect(text(.int(-42)) == "-42")
        #expect(text(.int(.max)) == "9223372036854775807")
        #expect(text(.int(.min)) == "-9223372036854775808")
        #expect(text(.int(9_007_199_254_740_993)) == "9007199254740993")
    }

    @Test func escapesOnlyQuotesBackslashesAndControlCharacters() {
        let value = JSONValue.string("q\" b\\ / \u{8}\u{C}\n\r\t \u{0}\u{1F}\u{7F} é 😀")
        #expect(text(value) == "\"q\\\" b\\\\ / \\b\\f\\n\\r\\t \\u0000\\u001f\u{7F} é 😀\"")
    }

    @Test func writesCompactContainersInStoredOrderUnlessSorting() {
        let value = JSONValue.object([
            (key: "b", value: .array([.null, .bool(true), .bool(false)])),
            (key: "a", value: .object([])),
            (key: "é", value: .array([])),
            (key: "Z", value: .string("")),
        ])
        #expect(text(value) == #"{"b":[null,true,false],"a":{},"é":[],"Z":""}"#)
        #expect(text(value, sortingKeys: true) == #"{"Z":"","a":{},"b":[null,true,false],"é":[]}"#)
    }

    @Test func floatsWithFractionWritesIntegralDoublesAsFloatsAndLeavesIntegersAlone() {
        let value = JSONValue.object([
            (key: "scores", value: .array([.double(1), .double(0), .double(-0.0), .double(0.5), .double(1e21), .double(-2), .double(1e-7)])),
            (key: "n", value: .int(3)),
            (key: "nested", value: .array([.object([(key: "x", value: .double(4))]), .double(.infinity)])),
        ])
        #expect(String(decoding: JSONWriter.bytes(value, floatsWithFraction: true), as: UTF8.self)
            == #"{"scores":[1.0,0.0,0.0,0.5,1e+21,-2.0,1e-7],"n":3,"nested":[{"x":4.0},{"$float":"inf"}]}"#)
        #expect(text(value) == #"{"scores":[1,0,0,0.5,1e+21,-2,1e-7],"n":3,"nested":[{"x":4},{"$float":"inf"}]}"#, "off by default")
    }

    @Test func reparsingWrittenTextGivesTheSameValue() throws {
        let value = RecordFixtures.hook(1).value
        #expect(try JSONParser.parse(JSONWriter.bytes(value)) == value)
    }
}

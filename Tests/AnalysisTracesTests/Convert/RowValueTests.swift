import AnalysisTraces
import Testing

@Suite struct RowValueTests {
    @Test func floatsAreWrittenWithAFraction() {
        let row = RowValue.object([("scores", .array([.float(1), .float(0), .float(0.5), .float(1e21), .float(-2)])), ("n", .int(3))])
        #expect(String(decoding: row.jsonBytes, as: UTF8.self) == #"{"scores":[1.0,0.0,0.5,1e+21,-2.0],"n":3}"#)
    }

    @Test func stringsAreEscapedAndNullsWritten() {
        let row = RowValue.array([.string("a\"b\n"), .optional(nil), .bool(true)])
        #expect(String(decoding: row.jsonBytes, as: UTF8.self) == #"["a\"b\n",null,true]"#)
    }
}

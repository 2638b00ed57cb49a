@testable import AnalysisTraces
import Testing

/// The fast path of `RecordEncoder.append`: the same bytes as the tree path, or nothing.
@Suite struct RecordStreamEncoderTests {
    /// Encodes through a nested container, which only the tree path writes.
    struct Nested: Encodable {
        var x: Int
        enum CodingKeys: String, CodingKey { case inner }
        enum InnerKeys: String, CodingKey { case x }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            var inner = container.nestedContainer(keyedBy: InnerKeys.self, forKey: .inner)
            try inner.encode(x, forKey: .x)
        }
    }

    /// Encodes nothing, which the tree path rejects.
    struct Silent: Encodable {
        func encode(to encoder: any Encoder) throws {}
    }

    struct Mixed: Encodable {
        var name: String? = nil
        var counts: [String: Int] = ["b": 2, "a": 1, "é": 3, "Z": 0]
        var ratios: [Double?] = [0.5, nil, .nan, -.infinity, 1e21, 1e-7, 123456789.125]
        var small: [Int8] = [-3, 4]
        var value: JSONValue = .object([("z", .int(1)), ("a", .array([.null, .bool(true)]))])
        var text = "line\n\"quoted\" \\ \u{1} é ✓"
    }

    func streamed<T: Encodable>(_ value: T) -> [UInt8]? {
        var buffer: [UInt8] = [0x41]
        guard RecordStreamEncoder.append(value, to: &buffer) else {
            #expect(buffer == [0x41], "a fast path that gives up leaves the buffer as it was")
            return nil
        }
        return Array(buffer.dropFirst())
    }

    func tree<T: Encodable>(_ value: T) throws -> [UInt8] {
        JSONWriter.bytes(try RecordEncoder().encodeValue(value))
    }

    @Test func writesTheTreePathBytesForRecords() throws {
        #expect(streamed(RecordFixtures.episode) == (try tree(RecordFixtures.episode)))
        #expect(streamed(RecordFixtures.question) == (try tree(RecordFixtures.question)))
        #expect(streamed(RecordFixtures.dataset) == (try tree(RecordFixtures.dataset)))
        #expect(streamed(RecordFixtures.runLog) == (try tree(RecordFixtures.runLog)))
        for schema in RecordFixtures.schemas { #expect(streamed(schema) == (try tree(schema))) }
        #expect(streamed(Mixed()) == (try tree(Mixed())))
    }

    @Test func leavesWhatItCannotStreamToTheTreePath() throws {
        #expect(streamed(Nested(x: 1)) == nil)
        #expect(try RecordEncoder().encode(Nested(x: 1)) == Array(#"{"inner":{"x":1}}"#.utf8))
        #expect(streamed(Silent()) == nil)
        #expect(throws: EncodingError.self) { try RecordEncoder().encode(Silent()) }
        #expect(streamed([UInt64.max]) == nil)
        #expect(throws: EncodingError.self) { try RecordEncoder().encode([UInt64.max]) }
    }
}

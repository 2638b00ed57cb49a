@testable import AnalysisTraces
import Testing

/// The byte-level fast path of `RecordDecoder`: it must decode what the encoder writes without
/// falling back, and leave everything doubtful to the tree path.
@Suite struct RecordStreamDecoderTests {
    struct Pair: Codable, Equatable {
        var a: Int
        var b: String?
        enum CodingKeys: String, CodingKey, CaseIterable { case a, b }
    }

    func stream<T: Decodable>(_ type: T.Type, _ text: String) -> T? {
        Array(text.utf8).withUnsafeBytes { RecordStreamDecoder.decode(type, from: $0, maxDepth: JSONParser.defaultMaxDepth) }
    }

    @Test func decodesEncodedRecordsWithoutTheTreePath() throws {
        let episode = RecordFixtures.episode
        let bytes = try RecordEncoder().encode(episode)
        let streamed = bytes.withUnsafeBytes { RecordStreamDecoder.decode(Episode.self, from: $0, maxDepth: 512) }
        #expect(streamed == episode)
        let question = RecordFixtures.question
        let questionBytes = try RecordEncoder().encode(question)
        #expect(questionBytes.withUnsafeBytes { RecordStreamDecoder.decode(Question.self, from: $0, maxDepth: 512) } == question)
        for schema in RecordFixtures.schemas {
            let schemaBytes = try RecordEncoder().encode(schema)
            #expect(schemaBytes.withUnsafeBytes { RecordStreamDecoder.decode(AnswerSchema.self, from: $0, maxDepth: 512) } == schema)
        }
    }

    @Test func decodesDictionariesArraysOptionalsAndWhitespace() {
        #expect(stream([String: Int].self, #" { "b" : 2 , "a" : 1 } "#) == ["a": 1, "b": 2])
        #expect(stream([Int?].self, "[1, null ,3]") == [1, nil, 3])
        #expect(stream([Pair].self, #"[{"a":1,"b":null}, {"a":2,"b":"x"}]"#) == [Pair(a: 1, b: nil), Pair(a: 2, b: "x")])
        #expect(stream([[String]].self, "[[],[\"\\u00e9\"]]") == [[], ["é"]])
        #expect(stream(Double.self, #"{"$float":"-inf"}"#) == -.infinity)
        #expect(stream(Double.self, "7") == 7)
    }

    @Test func leavesDoubtfulDocumentsToTheTreePath() {
        #expect(stream(Pair.self, #"{"b":null,"a":1}"#) == nil, "keys out of order")
        #expect(stream(Pair.self, #"{"a":1}"#) == nil, "missing key")
        #expect(stream(Pair.self, #"{"a":1,"b":null,"c":2}"#) == nil, "unknown key")
        #expect(stream(Pair.self, #"{"a":1,"b":null} x"#) == nil, "trailing bytes")
        #expect(stream(Pair.self, #"{"a":1.0,"b":null}"#) == nil, "integral float for an Int")
        #expect(stream(Pair.self, #"{"a":1,"b":null,}"#) == nil, "trailing comma")
        #expect(stream([String: Int].self, #"{"a":1,"a":2}"#) == nil, "duplicate key")
        #expect(stream([Int].self, "[1,]") == nil, "trailing comma in an array")
        #expect(stream(Pair.self, #"{"\u0061":1,"b":null}"#) == nil, "escaped key")
    }

    @Test func recordDecoderStillDecodesWhatTheFastPathLeaves() throws {
        let decoder = RecordDecoder()
        let pair = try decoder.decode(Pair.self, from: Array(#"{"b":"x","a":1}"#.utf8))
        #expect(pair == Pair(a: 1, b: "x"))
        #expect(throws: RecordDecodingError(path: "c", message: "unknown key 'c'; expected one of 'a', 'b'")) {
            try decoder.decode(Pair.self, from: Array(#"{"a":1,"b":null,"c":2}"#.utf8))
        }
        #expect(throws: JSONParseError.self) {
            try decoder.decode(Pair.self, from: Array(#"{"a":"x","b":null,"b":1}"#.utf8))
        }
    }
}

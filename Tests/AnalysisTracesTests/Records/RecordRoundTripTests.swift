import AnalysisTraces
import Foundation
import Testing

@Suite struct RecordRoundTripTests {
    /// Encodes, decodes and re-encodes `value`; the decoded value must be equal and the bytes identical.
    func roundTrip<T: Codable & Equatable>(_ value: T) throws -> [UInt8] {
        let bytes = try RecordEncoder().encode(value)
        let decoded = try RecordDecoder().decode(T.self, from: bytes)
        #expect(decoded == value)
        let again = try RecordEncoder().encode(decoded)
        #expect(again == bytes)
        return bytes
    }

    func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test func episodeWithTwoTracesRoundTripsByteIdentically() throws {
        let bytes = try roundTrip(RecordFixtures.episode)
        #expect(!bytes.contains(0x0A))
        #expect(text(bytes).hasPrefix(#"{"schema_version":1,"id":"ep-77d1","question":{"schema_version":1,"#))
    }

    @Test func questionRoundTripsAndWritesEveryKey() throws {
        let bytes = try roundTrip(RecordFixtures.question)
        let json = text(bytes)
        #expect(json.contains(#""hint":null"#))
        #expect(json.contains(#""difficulty":"very_hard""#))
        #expect(json.contains(#""output_schema":{"type":"mapping","decimals":null,"ordered":null,"items":{"type":"number","decimals":2,"ordered":null,"items":null,"fields":null},"fields":null}"#))
    }

    @Test func traceTurnExecutionAndHookRoundTrip() throws {
        _ = try roundTrip(RecordFixtures.trace(.gold))
        _ = try roundTrip(RecordFixtures.trace(.consistency))
        _ = try roundTrip(RecordFixtures.trace(.gold).turns[1])
        _ = try roundTrip(RecordFixtures.trace(.gold).turns[0].execution)
        _ = try roundTrip(RecordFixtures.hook(0))
        _ = try roundTrip(Correction(fixesTurn: 2, errorKind: "timeout"))
        _ = try roundTrip(ExecutionError(kind: "syntax", message: "invalid syntax", traceback: ""))
        _ = try roundTrip(Message(role: .assistant, content: "done", reasoning: "because"))
    }

    @Test(arguments: RecordFixtures.schemas)
    func answerSchemaOfEachKindRoundTrips(_ schema: AnswerSchema) throws {
        let bytes = try roundTrip(schema)
        let object = try JSONParser.parse(bytes)
        guard case .object(let members) = object else {
            Issue.record("expected an object")
            return
        }
        #expect(members.map(\.key) == ["type", "decimals", "ordered", "items", "fields"])
    }

    @Test func datasetRunLogAndSmallRecordsRoundTrip() throws {
        _ = try roundTrip(RecordFixtures.dataset)
        _ = try roundTrip(RecordFixtures.runLog)
        _ = try roundTrip(RecordFixtures.episode.verification)
        _ = try roundTrip(RecordFixtures.episode.producer)
        _ = try roundTrip(RecordFixtures.episode.usage)
        _ = try roundTrip(RecordFixtures.answer)
        _ = try roundTrip(RecordFixtures.question.groundTruth)
        _ = try roundTrip(RecordFixtures.question.generator)
    }

    @Test func dictionariesAreWrittenWithSortedKeys() throws {
        let json = text(try RecordEncoder().encode(RecordFixtures.episode.producer))
        #expect(json == #"{"teacher":"program","prompt_version":"v3","sandbox":{"numpy":"2.4.6","pandas":"3.1.1","python":"3.11.2"},"tool":"0.1.0"}"#)
    }

    @Test func hookValuesKeepTheirMemberOrderAndNumbers() throws {
        let json = text(try RecordEncoder().encode(RecordFixtures.hook(0)))
        #expect(json.contains(#""value":{"rows":[1,2.5,null,true,"a\tb\n\"c\""],"nested":{"nan":{"$float":"nan"},"deep":[[]]},"big":9007199254740993}"#))
    }

    @Test func nonFiniteDoublesRoundTripThroughTheTaggedObject() throws {
        let usage = Usage(calls: 1, costUSD: .infinity)
        let json = text(try RecordEncoder().encode(usage))
        #expect(json.hasSuffix(#""cost_usd":{"$float":"inf"}}"#))
        let decoded = try RecordDecoder().decode(Usage.self, from: Array(json.utf8))
        #expect(decoded.costUSD == .infinity)
        let nan = try RecordDecoder().decode(Usage.self, from: Array(json.replacingOccurrences(of: "\"inf\"", with: "\"nan\"").utf8))
        #expect(nan.costUSD?.isNaN == true)
    }

    @Test func appendAddsOneLineWithoutNewline() throws {
        var buffer = Array("x".utf8)
        try RecordEncoder().append(RecordFixtures.episode.usage, to: &buffer)
        #expect(text(buffer) == #"x{"calls":4,"prompt_tokens":2400,"completion_tokens":680,"reasoning_tokens":160,"cost_usd":null}"#)
    }

    @Test func encodeValueGivesTheTreeInDeclarationOrder() throws {
        let value = try RecordEncoder().encodeValue(Correction(fixesTurn: 1, errorKind: "KeyError"))
        #expect(value == .object([(key: "fixes_turn", value: .int(1)), (key: "error_kind", value: .string("KeyError"))]))
    }

    /// Encodes through a nested container.
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

    /// Encodes nothing.
    struct Silent: Encodable {
        func encode(to encoder: any Encoder) throws {}
    }

    @Test func nestedContainersAreWrittenAndValuesWithNoJSONFormAreRejected() throws {
        #expect(text(try RecordEncoder().encode(Nested(x: 1))) == #"{"inner":{"x":1}}"#)
        #expect(throws: EncodingError.self) { try RecordEncoder().encode(Silent()) }
        #expect(throws: EncodingError.self) { try RecordEncoder().encode([UInt64.max]) }
        var buffer = Array("x".utf8)
        #expect(throws: EncodingError.self) { try RecordEncoder().append(Silent(), to: &buffer) }
        #expect(text(buffer) == "x", "a rejected value leaves the buffer as it was")
    }

    @Test func decodingAJSONValueReturnsTheNodeItself() throws {
        let value = RecordFixtures.hook(1).value
        #expect(try RecordDecoder().decode(JSONValue.self, from: value) == value)
    }
}

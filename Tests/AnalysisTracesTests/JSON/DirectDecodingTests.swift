@testable import AnalysisTraces
import Testing

/// The hand-written direct path of `RecordDecoder` (episodes, questions and their parts): it
/// must read what the encoder writes without falling back, and on any document whatever it
/// accepts must be accepted by the `Decodable` conformances with the same value.
@Suite struct DirectDecodingTests {
    func direct<T: DirectDecodable>(_ type: T.Type, _ bytes: [UInt8]) -> T? {
        bytes.withUnsafeBytes { DirectReader.decode(type, from: $0, maxDepth: JSONParser.defaultMaxDepth) }
    }

    @Test func readsEncodedEpisodesQuestionsAndSchemasWithoutTheTreePath() throws {
        let encoder = RecordEncoder()
        let episode = RecordFixtures.episode
        #expect(direct(Episode.self, try encoder.encode(episode)) == episode)
        #expect(direct(Question.self, try encoder.encode(RecordFixtures.question)) == RecordFixtures.question)
        for schema in RecordFixtures.schemas {
            #expect(direct(AnswerSchema.self, try encoder.encode(schema)) == schema)
        }
    }

    @Test func readsPrettyPrintedRecordsToo() throws {
        let episode = RecordFixtures.episode
        let pretty = JSONWriter.prettyBytes(try RecordEncoder().encodeValue(episode))
        #expect(direct(Episode.self, pretty) == episode)
    }

    @Test func leavesEveryOtherShapeToTheTreePath() {
        let member = #""name":"x","schema":{"type":"string","decimals":null,"ordered":null,"items":null,"fields":null}"#
        #expect(direct(AnswerSchema.Field.self, Array("{\(member)}".utf8)) != nil)
        #expect(direct(AnswerSchema.Field.self, Array(#"{"schema":{"type":"string","decimals":null,"ordered":null,"items":null,"fields":null},"name":"x"}"#.utf8)) == nil, "keys out of order")
        #expect(direct(AnswerSchema.Field.self, Array("{\(member),\"name\":\"y\"}".utf8)) == nil, "duplicate key")
        #expect(direct(AnswerSchema.Field.self, Array("{\(member)} {}".utf8)) == nil, "trailing bytes")
        #expect(direct(AnswerSchema.Field.self, Array("{\(member),}".utf8)) == nil, "trailing comma")
        #expect(direct(AnswerSchema.Field.self, Array(#"{"n\u0061me":"x","schema":{"type":"string","decimals":null,"ordered":null,"items":null,"fields":null}}"#.utf8)) == nil, "escaped key")
        #expect(direct(AnswerSchema.self, Array(#"{"type":"list","decimals":null,"ordered":null,"items":{"type":"string","decimals":null,"ordered":null,"items":null,"fields":null},"fields":null}"#.utf8)) == nil, "a list without 'ordered'")
        #expect(direct(AnswerSchema.self, Array(#"{"type":"string","decimals":2,"ordered":null,"items":null,"fields":null}"#.utf8)) == nil, "decimals on a string")
        #expect(direct([String: Int].self, Array(#"{"a":1,"a":2}"#.utf8)) == nil, "duplicate dictionary key")
        #expect(direct([Int].self, Array("[1,]".utf8)) == nil)
        #expect(direct(Int.self, Array("1.0".utf8)) == nil, "integral float for an Int")
        #expect(direct(Double.self, Array(#"{"$float":"-inf"}"#.utf8)) == -.infinity)
    }

    /// Every member of a real episode and question removed, duplicated, renamed, moved, or given
    /// a value of each JSON kind: where the direct path reads a document, the tree path must
    /// read the same record from it.
    @Test(arguments: ["episode", "question"])
    func neverAcceptsWhatTheTreePathRejects(_ record: String) throws {
        let encoder = RecordEncoder()
        let original = record == "episode"
            ? try encoder.encodeValue(RecordFixtures.episode) : try encoder.encodeValue(RecordFixtures.question)
        var accepted = 0
        var rejected = 0
        for mutant in Self.mutations(of: original) {
            // The tree path reads the bytes too: `-0.0` written as `-0` reads back as an integer.
            let bytes = JSONWriter.bytes(mutant)
            let tree = try? JSONParser.parse(bytes)
            let directBytes: [UInt8]?
            let treeBytes: [UInt8]?
            if record == "episode" {
                directBytes = try direct(Episode.self, bytes).map { try encoder.encode($0) }
                treeBytes = try? tree.map { try encoder.encode(try RecordDecoder().decode(Episode.self, from: $0)) }
            } else {
                directBytes = try direct(Question.self, bytes).map { try encoder.encode($0) }
                treeBytes = try? tree.map { try encoder.encode(try RecordDecoder().decode(Question.self, from: $0)) }
            }
            if let directBytes {
                accepted += 1
                #expect(treeBytes == directBytes, "\(String(decoding: bytes, as: UTF8.self))")
            } else {
                rejected += 1
            }
        }
        // Both kinds occur, so the comparison above is not empty either way.
        #expect(accepted > 50)
        #expect(rejected > 200)
    }

    /// The values every member is replaced with in turn.
    static let replacements: [JSONValue] = [
        .null, .bool(true), .int(0), .int(-1), .int(2), .double(1.5), .double(-0.0), .double(1e300),
        .string(""), .string("gold"), .string("ground_truth"), .string("number"), .array([]), .array([.int(1)]),
        .object([]), JSONWriter.taggedNonFinite(.nan), .object([(key: "$float", value: .string("NaN"))]),
    ]

    static func mutations(of value: JSONValue) -> [JSONValue] {
        var results: [JSONValue] = replacements
        switch value {
        case .object(let members):
            for index in members.indices {
                var removed = members
                removed.remove(at: index)
                results.append(.object(removed))
                var duplicated = members
                duplicated.insert(members[index], at: index + 1)
                results.append(.object(duplicated))
                var renamed = members
                renamed[index].key += "_x"
                results.append(.object(renamed))
                if index + 1 < members.count {
                    var swapped = members
                    swapped.swapAt(index, index + 1)
                    results.append(.object(swapped))
                }
                for child in mutations(of: members[index].value) {
                    var changed = members
                    changed[index].value = child
                    results.append(.object(changed))
                }
            }
            results.append(.object(members + [(key: "extra", value: .null)]))
        case .array(let elements):
            for index in elements.indices {
                var removed = elements
                removed.remove(at: index)
                results.append(.array(removed))
                for child in mutations(of: elements[index]) {
                    var changed = elements
                    changed[index] = child
                    results.append(.array(changed))
                }
            }
            results.append(.array(elements + elements.prefix(1)))
        default:
            break
        }
        return results
    }
}

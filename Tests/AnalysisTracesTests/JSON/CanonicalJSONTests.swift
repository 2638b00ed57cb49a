import AnalysisTraces
import Foundation
import Testing

@Suite struct CanonicalJSONTests {
    struct Vector: CustomTestStringConvertible, Sendable {
        let row: String
        let input: String
        let canonical: String
        let sha256: String
        var testDescription: String { "row \(row): \(input)" }
    }

    /// The published table in `AnalysisTraces.docc/CanonicalJSON.md`, the single source of the vectors.
    static let vectors: [Vector] = {
        let article = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/AnalysisTraces/AnalysisTraces.docc/CanonicalJSON.md")
        guard let data = try? Data(contentsOf: article) else { return [] }
        let text = String(decoding: data, as: UTF8.self)
        return text.split(separator: "\n").compactMap { line -> Vector? in
            // | 3 | `input` | `canonical` | `sha` |
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count == 6, Int(cells[1]) != nil else { return nil }
            func code(_ cell: String) -> String? {
                guard cell.count >= 2, cell.hasPrefix("`"), cell.hasSuffix("`") else { return nil }
                return String(cell.dropFirst().dropLast())
            }
            guard let input = code(cells[2]), let canonical = code(cells[3]), let sha = code(cells[4]) else { return nil }
            return Vector(row: cells[1], input: input, canonical: canonical, sha256: sha)
        }
    }()

    @Test func thePublishedTableCoversEveryCase() {
        #expect(Self.vectors.count == 28)
        let inputs = Set(Self.vectors.map(\.input))
        for required in ["-0.0", "1e-7", "1e21", "9007199254740993", #"{"$float":"nan"}"#, #"{"$float":"-inf"}"#, "[]", "{}", #""\ud83d\ude00""#] {
            #expect(inputs.contains(required), "missing vector \(required)")
        }
    }

    @Test(arguments: vectors)
    func publishedVectorHolds(_ vector: Vector) throws {
        let value = try JSONParser.parse(vector.input)
        #expect(CanonicalJSON.string(value) == vector.canonical)
        #expect(CanonicalJSON.bytes(value) == Array(vector.canonical.utf8))
        #expect(CanonicalJSON.sha256(value) == vector.sha256)
        // The canonical text is itself a fixed point.
        #expect(CanonicalJSON.string(try JSONParser.parse(vector.canonical)) == vector.canonical)
    }

    @Test func integersAndIntegralFloatsHashTheSame() {
        #expect(CanonicalJSON.sha256(.int(3)) == CanonicalJSON.sha256(.double(3.0)))
        #expect(CanonicalJSON.sha256(.double(0.0)) == CanonicalJSON.sha256(.double(-0.0)))
        #expect(CanonicalJSON.sha256(.double(.nan)) == CanonicalJSON.sha256(.object([(key: "$float", value: .string("nan"))])))
    }

    @Test func memberOrderDoesNotChangeTheHash() {
        let one = JSONValue.object([(key: "b", value: .int(1)), (key: "a", value: .array([.string("x")]))])
        let two = JSONValue.object([(key: "a", value: .array([.string("x")])), (key: "b", value: .int(1))])
        #expect(CanonicalJSON.sha256(one) == CanonicalJSON.sha256(two))
        #expect(CanonicalJSON.sha256(one).count == 64)
    }
}

import AnalysisTraces
import Foundation

/// Valid records for end-to-end tests, built through the library so ids and hashes are right.
enum RecordFixtures {
    static func question(number: Int = 1) -> Question {
        let answer = JSONValue.object([("adelie", .double(3700.66)), ("gentoo", .double(5076.02))])
        let generator = QuestionGenerator(
            name: "group_mean", version: "1",
            parameters: .object([("group", .string("species")), ("measure", .string("body_mass_g")), ("n", .int(Int64(number)))]),
            program: "result = df.groupby('species')['body_mass_g'].mean().round(2)\nsubmit(result.to_dict())",
            exploration: nil)
        let text = "What is the mean body mass in grams of each penguin species (question \(number))? Round to 2 decimals."
        let datasetSHA = String(repeating: "ab", count: 32)
        return Question(
            id: ContentAddress.questionID(datasetSHA256: datasetSHA, source: .template, question: text, hint: nil, generator: generator),
            datasetID: "penguins", datasetSHA256: datasetSHA, source: .template, question: text, hint: nil,
            difficulty: .easy, expectedSteps: 2,
            outputSchema: .mapping(values: .number(decimals: 2)),
            groundTruth: GroundTruth(value: answer, sha256: CanonicalJSON.sha256(answer), accepted: [AnswerValue(answer)]),
            generator: generator)
    }

    static func questionLine(number: Int = 1) throws -> [UInt8] {
        try RecordEncoder().encode(question(number: number))
    }

    /// The JSON object of a valid question, for tests that break one field.
    static func questionObject(number: Int = 1) throws -> [(key: String, value: JSONValue)] {
        guard case .object(let members) = try RecordEncoder().encodeValue(question(number: number)) else { return [] }
        return members
    }

    static func writeGzipLines(_ lines: [[UInt8]], to path: String) throws {
        let writer = try GzipWriter(path: path, mode: .truncate)
        for line in lines { try writer.writeLine(line) }
        try writer.close()
    }
}

extension Array where Element == (key: String, value: JSONValue) {
    func replacing(_ key: String, with value: JSONValue) -> Self {
        map { $0.key == key ? (key, value) : $0 }
    }

    func removing(_ key: String) -> Self { filter { $0.key != key } }

    var line: [UInt8] { JSONWriter.bytes(.object(self)) }
}

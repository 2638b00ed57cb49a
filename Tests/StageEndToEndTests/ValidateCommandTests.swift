import AnalysisTraces
import Foundation
import Testing

/// `validate FILE` as a checker: every kind of broken input gives its diagnostic and exit status,
/// and nothing crashes.
@Suite struct ValidateCommandTests {
    /// A broken input: how to make it, and what `validate` must say about it.
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let status: Int32
        /// Text that must appear in stderr.
        let expected: [String]
        let make: @Sendable (String) throws -> Void
        var testDescription: String { name }
    }

    static func gzipLines(_ lines: [[UInt8]]) -> @Sendable (String) throws -> Void {
        { try RecordFixtures.writeGzipLines(lines, to: $0) }
    }

    static func broken(_ transform: @escaping @Sendable ([(key: String, value: JSONValue)]) -> [(key: String, value: JSONValue)]) -> @Sendable (String) throws -> Void {
        { path in try RecordFixtures.writeGzipLines([try RecordFixtures.questionLine(number: 1), transform(try RecordFixtures.questionObject(number: 2)).line], to: path) }
    }

    static let cases: [Case] = [
        Case(name: "missing file", status: 2, expected: ["error: [io]", "No such file"]) { _ in },
        Case(name: "binary garbage", status: 2, expected: ["error: [gzip] not a gzip file"]) { path in
            try Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7919 &+ 13) }).write(to: URL(fileURLWithPath: path))
        },
        Case(name: "plain JSON Lines that are not compressed", status: 2, expected: ["error: [gzip] not a gzip file"]) { path in
            try Data(try RecordFixtures.questionLine() + [10]).write(to: URL(fileURLWithPath: path))
        },
        Case(name: "truncated gzip member", status: 1, expected: ["error: [gzip]", "truncated"]) { path in
            try RecordFixtures.writeGzipLines((1...50).map { try RecordFixtures.questionLine(number: $0) }, to: path)
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            try data.prefix(data.count * 2 / 3).write(to: URL(fileURLWithPath: path))
        },
        Case(name: "corrupt deflate data", status: 1, expected: ["error: [gzip]"]) { path in
            try RecordFixtures.writeGzipLines((1...50).map { try RecordFixtures.questionLine(number: $0) }, to: path)
            var data = try Data(contentsOf: URL(fileURLWithPath: path))
            for i in stride(from: data.count / 2, to: data.count / 2 + 64, by: 1) { data[i] ^= 0x5a }
            try data.write(to: URL(fileURLWithPath: path))
        },
        Case(name: "empty gzip file", status: 1, expected: ["error: [empty]", "no records"], make: gzipLines([])),
        Case(name: "invalid JSON", status: 1, expected: [":2: error: [json] invalid JSON"], make: gzipLines([try! RecordFixtures.questionLine(), Array(#"{"schema_version": 1, "id": "#.utf8)])),
        Case(name: "empty line", status: 1, expected: [":2: error: [json] empty line"], make: gzipLines([try! RecordFixtures.questionLine(), []])),
        Case(name: "invalid UTF-8 in a string", status: 1, expected: [":1: error: [json]", "UTF-8"], make: gzipLines([Array(#"{"question": "caf"#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)])),
        Case(name: "nesting 100000 deep", status: 1, expected: [":1: error: [json]", "deep"], make: gzipLines([Array(repeating: UInt8(ascii: "["), count: 100_000)])),
        Case(name: "a 50 MB line", status: 1, expected: [":1: error: [json]"], make: gzipLines([Array(#"{"question": ""#.utf8) + Array(repeating: UInt8(ascii: "x"), count: 50_000_000)])),
        Case(name: "an array instead of an object", status: 1, expected: [":1: error: [kind]"], make: gzipLines([Array("[1, 2, 3]".utf8)])),
        Case(name: "unknown key", status: 1, expected: [":2: error: [schema] 'surprise': unknown key"], make: broken { $0 + [("surprise", .bool(true))] }),
        Case(name: "missing key", status: 1, expected: [":2: error: [schema]", "missing key 'hint'"], make: broken { $0.removing("hint") }),
        Case(name: "wrong type", status: 1, expected: [":2: error: [schema] 'expected_steps':", "string"], make: broken { $0.replacing("expected_steps", with: .string("3")) }),
        Case(name: "fractional integer", status: 1, expected: [":2: error: [schema] 'expected_steps':"], make: broken { $0.replacing("expected_steps", with: .double(1.5)) }),
        Case(name: "bad enum value", status: 1, expected: [":2: error: [schema] 'difficulty': must be one of 'easy', 'medium', 'hard', 'very_hard'; found 'EASY-ish'"], make: broken { $0.replacing("difficulty", with: .string("EASY-ish")) }),
        Case(name: "nested wrong type", status: 1, expected: [":2: error: [schema] 'ground_truth.accepted[0].sha256':"], make: broken { members in
            members.replacing("ground_truth", with: .object([("value", .int(1)), ("sha256", .string("x")), ("accepted", .array([.object([("value", .int(1)), ("sha256", .int(7))])]))]))
        }),
        Case(name: "foreign schema version", status: 1, expected: [":2: error: [version]", "version 1"], make: broken { $0.replacing("schema_version", with: .int(2)) }),
        Case(name: "id that does not match the content", status: 1, expected: [":2: error: [id]", "does not match"], make: broken { $0.replacing("question", with: .string("Something else entirely?")) }),
        Case(name: "ground truth hash mismatch", status: 1, expected: [":1: error: [hash] 'ground_truth.sha256'"]) { path in
            var question = RecordFixtures.question()
            question.groundTruth?.sha256 = String(repeating: "0", count: 64)
            try RecordFixtures.writeGzipLines([try RecordEncoder().encode(question)], to: path)
        },
        Case(name: "duplicate id", status: 1, expected: [":2: error: [duplicate]", "line 1"], make: gzipLines([try! RecordFixtures.questionLine(), try! RecordFixtures.questionLine()])),
    ]

    @Test(arguments: cases)
    func reportsBrokenInput(_ testCase: Case) throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("questions.jsonl.gz")
        try testCase.make(path)
        let outcome = try StageProcess.run("validate", [path])
        #expect(outcome.status == testCase.status, "stderr: \(outcome.stderr.prefix(2000))")
        for text in testCase.expected {
            #expect(outcome.stderr.contains(text), "expected '\(text)' in: \(outcome.stderr.prefix(2000))")
        }
        #expect(outcome.stderr.contains("\(path): "), "a summary line names the file")
        #expect(outcome.stdout.isEmpty)
    }

    @Test func acceptsACleanFileWithExitZero() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("questions.jsonl.gz")
        try RecordFixtures.writeGzipLines((1...20).map { try RecordFixtures.questionLine(number: $0) }, to: path)
        let outcome = try StageProcess.run("validate", [path])
        #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
        #expect(outcome.stderr.contains("20 records, 20 valid, 0 errors"))
    }

    @Test func capsPrintedDiagnosticsAndCountsTheRest() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("questions.jsonl.gz")
        try RecordFixtures.writeGzipLines(Array(repeating: Array("nope".utf8), count: 30), to: path)
        let outcome = try StageProcess.run("validate", ["--max-diagnostics", "5", path])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.components(separatedBy: "error: [json]").count - 1 == 5)
        #expect(outcome.stderr.contains("30 errors (json 30); 25 not shown"))
    }

    @Test func rejectsANegativeDiagnosticLimitAsBadInvocation() throws {
        let outcome = try StageProcess.run("validate", ["--max-diagnostics", "-1", "x.jsonl.gz"])
        #expect(outcome.status == 64)
    }
}

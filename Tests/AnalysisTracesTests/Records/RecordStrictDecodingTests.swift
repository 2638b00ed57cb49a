import AnalysisTraces
import Foundation
import Testing

@Suite struct RecordStrictDecodingTests {
    /// A broken record: how to break a valid encoding, and the error it must give.
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let edit: @Sendable (String) -> String
        let path: String
        let message: String
        var testDescription: String { name }
    }

    static let episodeCases: [Case] = [
        Case(name: "unknown top-level key",
             edit: { $0.replacingOccurrences(of: #"{"schema_version":1,"id":"ep-77d1""#, with: #"{"schema_version":1,"foo":1,"id":"ep-77d1""#) },
             path: "foo",
             message: "unknown key 'foo'; expected one of 'schema_version', 'id', 'question', 'traces', 'verification', 'usage', 'producer'"),
        Case(name: "missing optional key",
             edit: { $0.replacingOccurrences(of: #""hint":null,"#, with: "") },
             path: "question.hint", message: "missing key 'hint' (write null when there is no value)"),
        Case(name: "missing required key",
             edit: { $0.replacingOccurrences(of: #""expected_steps":3,"#, with: "") },
             path: "question.expected_steps", message: "missing key 'expected_steps'"),
        Case(name: "wrong type nested in arrays",
             edit: { $0.replacingOccurrences(of: #""timed_out":true"#, with: #""timed_out":1"#) },
             path: "traces[1].turns[1].execution.timed_out", message: "expected a boolean; found a number"),
        Case(name: "string given a number",
             edit: { $0.replacingOccurrences(of: #""tool":"0.1.0""#, with: #""tool":7"#) },
             path: "producer.tool", message: "expected a string; found a number"),
        Case(name: "bad enum value",
             edit: { $0.replacingOccurrences(of: #""very_hard""#, with: #""EASY-ish""#) },
             path: "question.difficulty", message: "must be one of 'easy', 'medium', 'hard', 'very_hard'; found 'EASY-ish'"),
        Case(name: "integer given as 1.5",
             edit: { $0.replacingOccurrences(of: #""fixes_turn":0"#, with: #""fixes_turn":1.5"#) },
             path: "traces[0].turns[1].correction.fixes_turn", message: "expected an integer; found 1.5"),
        Case(name: "integer given as 1.0",
             edit: { $0.replacingOccurrences(of: #""expected_steps":3"#, with: #""expected_steps":3.0"#) },
             path: "question.expected_steps", message: "expected an integer; found 3"),
        Case(name: "null for a required field",
             edit: { $0.replacingOccurrences(of: #""verified":true"#, with: #""verified":null"#) },
             path: "verification.verified", message: "expected a boolean; found null"),
        Case(name: "unknown key deep inside",
             edit: { $0.replacingOccurrences(of: #""grounded":true}"#, with: #""grounded":true,"extra":null}"#) },
             path: "traces[0].turns[1].hooks[0].extra",
             message: "unknown key 'extra'; expected one of 'name', 'code_line', 'value', 'value_summarized', 'value_sha256', 'depends_on', 'description', 'grounded'"),
        Case(name: "array element of the wrong type",
             edit: { $0.replacingOccurrences(of: #""traces":[0]"#, with: #""traces":["0"]"#) },
             path: "verification.votes[0].traces[0]", message: "expected an integer; found a string"),
        Case(name: "object where an array belongs",
             edit: { $0.replacingOccurrences(of: #""depends_on":["df"]"#, with: #""depends_on":{}"#) },
             path: "traces[0].turns[1].hooks[0].depends_on", message: "expected an array; found an object"),
        Case(name: "schema that breaks its own rules",
             edit: { $0.replacingOccurrences(of: #""output_schema":{"type":"mapping","decimals":null"#, with: #""output_schema":{"type":"mapping","decimals":2"#) },
             path: "question.output_schema.decimals", message: "a 'mapping' schema must have null 'decimals'"),
        Case(name: "dictionary value of the wrong type",
             edit: { $0.replacingOccurrences(of: #""pandas":"3.1.1""#, with: #""pandas":3.1"#) },
             path: "producer.sandbox.pandas", message: "expected a string; found a number"),
    ]

    @Test(arguments: episodeCases)
    func brokenEpisodeNamesTheField(_ broken: Case) throws {
        let valid = String(decoding: try RecordEncoder().encode(RecordFixtures.episode), as: UTF8.self)
        let edited = broken.edit(valid)
        #expect(edited != valid, "the edit must change the record")
        do {
            _ = try RecordDecoder().decode(Episode.self, from: Array(edited.utf8))
            Issue.record("decoded a broken record")
        } catch let error as RecordDecodingError {
            #expect(error.path == broken.path)
            #expect(error.message == broken.message)
            #expect(error.description == "'\(broken.path)': \(broken.message)")
        }
    }

    @Test func syntaxErrorsSurfaceAsJSONParseErrors() {
        #expect(throws: JSONParseError(offset: 12, reason: "unterminated object (opened at byte 0)")) {
            try RecordDecoder().decode(Usage.self, from: Array(#"{"calls": 1,"#.utf8))
        }
    }

    @Test func topLevelTypeMismatchHasAnEmptyPath() {
        do {
            _ = try RecordDecoder().decode(Usage.self, from: .array([]))
            Issue.record("decoded an array as an object")
        } catch let error as RecordDecodingError {
            #expect(error.path == "")
            #expect(error.description == "expected an object; found an array")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func integerOutOfRangeIsReported() throws {
        struct Small: Codable { var count: Int8 }
        #expect(throws: RecordDecodingError(path: "count", message: "expected an integer in -128...127; found 300")) {
            try RecordDecoder().decode(Small.self, from: Array(#"{"count":300}"#.utf8))
        }
    }

    @Test func doublesAcceptIntegerLiterals() throws {
        let usage = try RecordDecoder().decode(Usage.self, from: Array(#"{"calls":1,"prompt_tokens":0,"completion_tokens":0,"reasoning_tokens":0,"cost_usd":2}"#.utf8))
        #expect(usage.costUSD == 2)
    }

    @Test func keysMayComeInAnyOrderWhenDecoding() throws {
        let usage = try RecordDecoder().decode(Usage.self, from: Array(#"{"cost_usd":null,"reasoning_tokens":3,"completion_tokens":2,"prompt_tokens":1,"calls":0}"#.utf8))
        #expect(usage == Usage(calls: 0, promptTokens: 1, completionTokens: 2, reasoningTokens: 3, costUSD: nil))
    }

    @Test func misspeltKeyIsReportedAsUnknownRatherThanMissing() {
        #expect(throws: RecordDecodingError(path: "costUSD", message: "unknown key 'costUSD'; expected one of 'calls', 'prompt_tokens', 'completion_tokens', 'reasoning_tokens', 'cost_usd'")) {
            try RecordDecoder().decode(Usage.self, from: Array(#"{"calls":1,"prompt_tokens":0,"completion_tokens":0,"reasoning_tokens":0,"costUSD":null}"#.utf8))
        }
    }

    @Test func keysOfNonCaseIterableCodingKeysAreNotChecked() throws {
        struct Loose: Codable, Equatable {
            var a: Int
            enum CodingKeys: String, CodingKey { case a }
        }
        #expect(try RecordDecoder().decode(Loose.self, from: Array(#"{"b":2,"a":1}"#.utf8)) == Loose(a: 1))
    }
}

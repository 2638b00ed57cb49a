import Foundation
import Testing
@testable import AnalysisTraces

@Suite struct JSONLinesTests {
    struct Item: Codable, Equatable {
        var name: String
        var count: Int
        var note: String?
        var value: JSONValue

        enum CodingKeys: String, CodingKey, CaseIterable { case name, count, note, value }
    }

    private func items(_ n: Int) -> [Item] {
        (0..<n).map { index in
            Item(
                name: "item \(index) \u{1F600} \"q\"", count: index, note: index.isMultiple(of: 3) ? nil : "n\(index)",
                value: .object([("k", .array([.int(Int64(index)), .double(0.5), .null, .bool(true)]))]))
        }
    }

    @Test func roundTripsRecordsAndWritesIdenticalBytesForIdenticalRecords() throws {
        try IOTestDirectory.with { dir in
            let records = items(50)
            try JSONLinesWriter.write(records, to: dir.file("a.jsonl.gz"))
            try JSONLinesWriter.write(records, to: dir.file("b.jsonl.gz"))
            #expect(try JSONLinesReader<Item>(path: dir.file("a.jsonl.gz")).readAll() == records)
            #expect(try IOTestSupport.bytes(of: dir.file("a.jsonl.gz")) == (try IOTestSupport.bytes(of: dir.file("b.jsonl.gz"))))
            let first = try IOTestSupport.readLines(dir.file("a.jsonl.gz")).lines[1]
            #expect(first == #"{"name":"item 1 😀 \"q\"","count":1,"note":"n1","value":{"k":[1,0.5,null,true]}}"#)
        }
    }

    @Test func namesTheFileLineAndFieldOfARecordThatDoesNotMatchItsType() throws {
        try IOTestDirectory.with { dir in
            let path = dir.file("bad.jsonl.gz")
            try IOTestSupport.writeGzip([
                #"{"name":"a","count":1,"note":null,"value":1}"#,
                #"{"name":"b","count":2,"note":null,"value":2}"#,
                #"{"name":"c","count":"three","note":null,"value":3}"#,
                #"{"name":"d","count":4,"note":null,"value":4}"#,
            ], to: path)
            var seen: [Int] = []
            let error = #expect(throws: JSONLinesError.self) {
                try JSONLinesReader<Item>(path: path).forEach { _, line in seen.append(line) }
            }
            #expect(seen == [1, 2])
            #expect(error?.line == 3)
            #expect(error?.path == path)
            #expect(error?.description.hasPrefix("\(path):3: error: [schema] 'count': ") == true)
            #expect(error?.diagnostic.rule == "schema")
        }
    }

    @Test func reportsSyntaxErrorsWithTheRuleJSON() throws {
        try IOTestDirectory.with { dir in
            let path = dir.file("syntax.jsonl.gz")
            try IOTestSupport.writeGzip([#"{"name":"a","count":1,"note":null,"value":1}"#, #"{"name": "#], to: path)
            let error = #expect(throws: JSONLinesError.self) { try JSONLinesReader<Item>(path: path).readAll() }
            #expect(error?.description.hasPrefix("\(path):2: error: [json] at byte ") == true)
        }
    }

    @Test func handsEveryLineOutcomeToACheckerThatGoesOn() throws {
        try IOTestDirectory.with { dir in
            let path = dir.file("mixed.jsonl.gz")
            try IOTestSupport.writeGzip([
                #"{"name":"a","count":1,"note":null,"value":1}"#,
                #"{"name":"b","count":2,"value":2}"#,
                "",
                #"{"name":"d","count":4,"note":null,"value":4,"extra":0}"#,
                #"{"name":"e","count":5,"note":"x","value":[]}"#,
            ], to: path)
            var good: [Int] = []
            var bad: [String] = []
            try JSONLinesReader<Item>(path: path).forEachResult { outcome, line in
                switch outcome {
                case .success: good.append(line)
                case .failure(let error): bad.append(error.description)
                }
            }
            #expect(good == [1, 5])
            #expect(bad.count == 3)
            #expect(bad[0].hasPrefix("\(path):2: error: [schema] "))
            #expect(bad[0].contains("note"))
            #expect(bad[1].hasPrefix("\(path):3: error: [json] "))
            #expect(bad[2].hasPrefix("\(path):4: error: [schema] "))
            #expect(bad[2].contains("extra"))
        }
    }

    @Test func resumesTypedRecordsFromAPartialFile() throws {
        try IOTestDirectory.with { dir in
            let target = dir.file("typed.jsonl.gz")
            let records = items(10)
            let first = PartialFile(target: target)
            try first.open()
            for record in records.prefix(4) { try first.append(record: record) }
            try first.close()
            var resumed: [Item] = []
            let second = PartialFile(target: target)
            try second.open(resuming: Item.self) { record, number in
                #expect(number == resumed.count + 1)
                resumed.append(record)
            }
            #expect(resumed == Array(records.prefix(4)))
            for record in records.dropFirst(4) { try second.append(record: record) }
            try second.publish()
            #expect(try JSONLinesReader<Item>(path: target).readAll() == records)
        }
    }

    @Test func publishesNothingWhenTheAsyncBodyThrows() async throws {
        struct Stop: Error {}
        try await IOTestDirectory.with { dir in
            let path = dir.file("async.jsonl.gz")
            await #expect(throws: Stop.self) {
                try await JSONLinesWriter<Item>.publishing(to: path) { writer in
                    for record in self.items(5) { try writer.write(record) }
                    await Task.yield()
                    throw Stop()
                }
            }
            let listing = try dir.listing()
            #expect(listing.isEmpty)
            try await JSONLinesWriter<Item>.publishing(to: path) { writer in
                for record in self.items(5) { try writer.write(record) }
            }
            #expect(try JSONLinesReader<Item>(path: path).readAll() == items(5))
        }
    }
}

extension JSONLinesReader {
    /// Decodes every line, handing each outcome to `body`: a record, or the `JSONLinesError` of
    /// a line that does not decode, so that a checker can report every bad line and go on.
    @discardableResult
    public func forEachResult(
        policy: GzipLineReader.Policy = .strict, _ body: (Result<Record, JSONLinesError>, Int) throws -> Void
    ) throws -> GzipReadSummary {
        let reader = try GzipLineReader(path: path, options: options)
        return try reader.forEachLine(policy: policy) { bytes, line in
            let outcome: Result<Record, JSONLinesError>
            do {
                outcome = .success(try JSONLinesError.decode(Record.self, from: bytes, path: path, line: line, decoder: decoder))
            } catch let error as JSONLinesError {
                outcome = .failure(error)
            }
            try body(outcome, line)
        }
    }
}

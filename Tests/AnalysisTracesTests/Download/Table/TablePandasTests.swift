import Foundation
import TestSupport
import Testing
@testable import AnalysisTraces

/// The output loads in pandas, as the sandbox's loader reads it, to the rows and columns reported.
@Suite("Table output loads in pandas", .timeLimit(.minutes(10)))
struct TablePandasTests {

    /// Quirky inputs, each normalised, then loaded by pandas.
    static func quirkyTables() throws -> [NormalizedTable] {
        var tables: [NormalizedTable] = []
        tables.append(try TableFixture.normalize(TableFixture.text(header: ["land", "preis", "menge", "", ""], rows: 25, delimiter: ";") {
            [$0 == 3 ? "NA" : "Land \($0)", $0 % 4 == 0 ? "?" : "\($0),5", "\($0)", "", ""]
        }))
        var quoted = "id,comment,score\r\n"
        for index in 0..<22 {
            quoted += "\(index),\"multi\r\nline, \"\"quoted\"\"\",\(index % 3 == 0 ? "-" : "\(index)")\r\n"
        }
        tables.append(try TableFixture.normalize(quoted + "\r\n,,\r\n"))
        tables.append(try TableFixture.normalize(TableFixture.text(header: ["", "x", "x", " y "], rows: 21) { ["\($0)", "a", "#b", "None"] }))
        var ragged = "a\tb\tc\n"
        for index in 0..<120 { ragged += index == 7 ? "7\tx\ty\tz\n" : index == 9 ? "9\t\n" : "\(index)\t\"q\"\tnan\n" }
        tables.append(try TableFixture.normalize(ragged, fileName: "r.tsv"))
        var bytes = Array("name;price\n".utf8)
        for index in 0..<20 { bytes += [0x93] + Array("\(index)".utf8) + [0x94, 0x3B] + Array("\(index),25".utf8) + [0x80, 0x0A] }
        tables.append(try TableExtractor.normalize(bytes, fileName: "w.csv", wanted: nil))
        return tables
    }

    @Test("every normalised quirky table loads with the reported shape and names", .requiresSandbox)
    func loadsInPandas() async throws {
        let tables = try Self.quirkyTables()
        let temporary = try TemporaryDirectory()
        let directory = temporary.url
        var manifest: [JSONValue] = []
        for (index, table) in tables.enumerated() {
            let path = directory.appendingPathComponent("t\(index).csv").path
            try Data(table.csv).write(to: URL(fileURLWithPath: path))
            manifest.append(.object([(key: "path", value: .string(path)), (key: "na", value: .array(table.naValues.map { .string($0) }))]))
        }
        let script = """
            import json, sys
            import pandas as pd
            out = []
            for item in json.load(sys.stdin):
                frame = pd.read_csv(item["path"], sep=",", encoding="utf-8", keep_default_na=False, na_values=item["na"])
                out.append({"rows": int(frame.shape[0]), "columns": [str(c) for c in frame.columns],
                            "missing": int(frame.isna().sum().sum())})
            print(json.dumps(out))
            """
        let outcome = try await ChildProcess.run(
            SandboxTestEnvironment.python, ["-c", script], input: Data(JSONWriter.bytes(.array(manifest))))
        try #require(outcome.status == 0, "\(outcome.stderr)")
        let data = outcome.stdoutData
        let results = try JSONParser.parse(Array(data))
        guard case .array(let loaded) = results else {
            Issue.record("unexpected output: \(String(decoding: data, as: UTF8.self))")
            return
        }
        #expect(loaded.count == tables.count)
        for (table, result) in zip(tables, loaded) {
            guard case .object(let members) = result else { continue }
            let rows = members.first { $0.key == "rows" }?.value
            let columns = members.first { $0.key == "columns" }?.value
            #expect(rows == .int(Int64(table.rows)), "\(table.sourceFile): \(table.notes)")
            #expect(columns == .array(table.columns.map { .string($0) }), "\(table.sourceFile): \(table.notes)")
        }
    }
}

import AnalysisTraces
import Foundation
import LoopbackServers
import TestSupport
import Testing

/// The `download` binary on a local file and on a loopback URL, and `question-gen` run on what
/// it wrote: a downloaded dataset goes through the rest of the pipeline unchanged.
@Suite(.requiresSandbox, .timeLimit(.minutes(10)))
struct DownloadCommandTests {
    /// 30 rows of a semicolon-separated Latin-1 table with decimal commas, as spreadsheets export.
    static func quirkyTable() -> [UInt8] {
        var text = "station;température;rainfall_mm;zone\r\n"
        for row in 0..<30 {
            text += "S\(row);\(10 + row % 7),\(row % 10);\(row * 3 % 17);\(row % 2 == 0 ? "nord" : "süd")\r\n"
        }
        return Array(text.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) })
    }

    /// Runs a stage binary in `folder`. With `home`, the child gets that home folder and no Kaggle
    /// variables (so no credentials).
    static func run(_ stage: String, _ arguments: [String], in folder: URL, home: String? = nil) async throws -> ChildProcess.Outcome {
        let environment = home.map { home in
            ProcessInfo.processInfo.environment
                .filter { !$0.key.hasPrefix("KAGGLE_") && $0.key != "XDG_CONFIG_HOME" }
                .merging(["HOME": home]) { $1 }
        }
        return try await ChildProcess.runProduct(stage, arguments, currentDirectory: folder, environment: environment)
    }

    /// Checks the dataset folder `id` and runs question-gen on it.
    static func checkPipelineRuns(on id: String, in folder: URL) async throws {
        let dataset = try DatasetFolder(path: folder.appendingPathComponent("data/datasets/\(id)").path)
        #expect(dataset.record.id == id)
        #expect(dataset.record.columns == ["station", "température", "rainfall_mm", "zone"])
        #expect(dataset.record.rows == 30)
        #expect(dataset.record.loader.delimiter == "," && dataset.record.loader.encoding == "utf-8")
        #expect(dataset.record.license.spdx == nil)

        try FileManager.default.createDirectory(at: folder.appendingPathComponent("data/questions"), withIntermediateDirectories: true)
        let questions = try await run("question-gen", [
            "--dataset", "data/datasets/\(id)", "--output", "data/questions/\(id).jsonl.gz",
            "--source", "template", "--python", SandboxTestEnvironment.python,
        ], in: folder)
        #expect(questions.status == 0, "\(questions.stderr)")
        let written = try JSONLinesReader<Question>(path: folder.appendingPathComponent("data/questions/\(id).jsonl.gz").path).readAll()
        #expect(!written.isEmpty)
        #expect(written.allSatisfy { $0.datasetSHA256 == dataset.record.sha256 })
    }

    @Test("a local file is normalised into a dataset that question-gen runs on, and a second download changes nothing")
    func localFile() async throws {
        let folder = try TemporaryDirectory()
        try Data(Self.quirkyTable()).write(to: folder.url.appendingPathComponent("Weather Stations.csv"))

        let first = try await Self.run("download", ["./Weather Stations.csv"], in: folder.url)
        #expect(first.status == 0, "\(first.stderr)")
        let id = "weather_stations"
        let csv = folder.url.appendingPathComponent("data/datasets/\(id)/data.csv").path
        let written = try FileManager.default.attributesOfItem(atPath: csv)[.modificationDate] as? Date
        try await Self.checkPipelineRuns(on: id, in: folder.url)

        let again = try await Self.run("download", ["--force", "./Weather Stations.csv"], in: folder.url)
        #expect(again.status == 0, "\(again.stderr)")
        let after = try FileManager.default.attributesOfItem(atPath: csv)[.modificationDate] as? Date
        #expect(written == after)
    }

    @Test("a loopback URL is fetched and published; a Kaggle entry without credentials is skipped with one line while the URL proceeds")
    func loopbackURL() async throws {
        let folder = try TemporaryDirectory()
        let table = Self.quirkyTable()
        try await withLoopbackHTTPServer(handler: { request in
            request.path == "/exports/stations.csv"
                ? LoopbackResponse(status: 200, headers: ["Content-Type": "text/csv"], body: table)
                : .text("not found", status: 404)
        }) { server in
            let sources = folder.url.appendingPathComponent("sources.txt")
            try "# a Kaggle dataset and a plain URL\nsome-owner/some-dataset\n\(server.baseURL)/exports/stations.csv\n"
                .write(to: sources, atomically: true, encoding: .utf8)
            let home = folder.url.appendingPathComponent("home").path
            let outcome = try await Self.run("download", ["--sources", sources.path], in: folder.url, home: home)
            #expect(outcome.status == 0, "\(outcome.stderr)")
            #expect(outcome.stderr.components(separatedBy: "\n").filter { $0.contains("no Kaggle credentials") }.count == 1)
            #expect(await server.requestCount() >= 1)
        }
        try await Self.checkPipelineRuns(on: "stations", in: folder.url)
    }
}

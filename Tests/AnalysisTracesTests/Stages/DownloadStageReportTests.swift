import AnalysisTraces
import Foundation
import Logging
import Testing

/// `download` as a ``Stage``: its entries, its report and the run log of each dataset folder.
@Suite struct DownloadStageReportTests {
    static func stage(_ root: String, entries: [String], only: String? = nil) throws -> DownloadStage {
        DownloadStage(
            options: DownloadOptions(outputDirectory: root + "/out", environment: [:], home: root + "/home"),
            entries: try entries.map { try SourceEntry.parse($0) }, only: only)
    }

    static func table(in root: String, named name: String) throws -> String {
        let path = root + "/" + name
        let rows = (1...30).map { "s\($0 % 3),\(3000 + $0 * 7)" }
        try Data((["species,mass"] + rows).joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func reportsEachDatasetFolderRunLogWithTheFactsOfItsSource() async throws {
        let root = try DownloadStageTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let csv = try Self.table(in: root, named: "sales.csv")
        let report = try await Self.stage(root, entries: [csv]).execute(logger: Logger(label: "test"))
        #expect(!report.failed && report.diagnostics.isEmpty)
        #expect(report.metadata["written"] == "1")
        let log = try #require(report.runLogs.first)
        #expect(report.runLogs.count == 1)
        #expect(log.path == root + "/out/sales/download.run.json")
        #expect(log.datasetID == "sales")
        #expect(log.items.map(\.outcome) == ["written"])
        #expect(log.source == RunLogSource(
            entry: csv, location: csv, finalURL: nil, sourceFile: "sales.csv", otherTables: [],
            detectedEncoding: "utf-8", detectedDelimiter: ",", notes: []))
    }

    @Test func aFailedEntryIsADiagnosticAndFailsTheRun() async throws {
        let root = try DownloadStageTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let report = try await Self.stage(root, entries: [root + "/missing.csv"]).execute(logger: Logger(label: "test"))
        #expect(report.failed)
        #expect(report.runLogs.isEmpty)
        #expect(report.diagnostics.map(\.description) == ["\(root)/missing.csv: error: [not-found] no such file"])
    }

    @Test func anIdThatNoEntryGivesIsRefusedBeforeAnythingIsFetched() async throws {
        let root = try DownloadStageTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let csv = try Self.table(in: root, named: "sales.csv")
        await #expect(throws: SourceListError.self) {
            _ = try await Self.stage(root, entries: [csv], only: "other").execute(logger: Logger(label: "test"))
        }
        #expect(!FileManager.default.fileExists(atPath: root + "/out/sales"))
    }

    @Test func aCancelledRunThrowsCancellationError() async throws {
        let root = try DownloadStageTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let csv = try Self.table(in: root, named: "sales.csv")
        let stage = try Self.stage(root, entries: [csv])
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await stage.execute(logger: Logger(label: "test"))
        }
        await #expect(throws: CancellationError.self) { _ = try await task.value }
    }
}

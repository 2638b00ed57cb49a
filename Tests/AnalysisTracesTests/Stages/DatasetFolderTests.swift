import AnalysisTraces
import Foundation
import Testing

@Suite struct DatasetFolderTests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var bundledDatasets: [String] {
        let folder = repository.appendingPathComponent("data/datasets")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { FileManager.default.fileExists(atPath: folder.appendingPathComponent("\($0)/dataset.json").path) }.sorted()
    }

    @Test func bundlesBetweenSixAndTenDatasets() {
        #expect((6...10).contains(Self.bundledDatasets.count))
    }

    @Test(arguments: bundledDatasets)
    func readsEveryBundledDatasetAndItsHashMatches(_ id: String) throws {
        let folder = try DatasetFolder(path: Self.repository.appendingPathComponent("data/datasets/\(id)").path)
        #expect(folder.record.id == id)
        #expect(folder.record.source.kind == .bundled)
        #expect(folder.record.rows >= 20)
        #expect(!folder.record.license.name.isEmpty)
    }

    @Test(arguments: bundledDatasets)
    func writesDatasetRecordsExactlyAsTheyAreStored(_ id: String) throws {
        let path = Self.repository.appendingPathComponent("data/datasets/\(id)/dataset.json").path
        let stored = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let record = try RecordDecoder().decode(Dataset.self, from: stored)
        let rewritten = JSONWriter.prettyBytes(try RecordEncoder().encodeValue(record)) + [0x0A]
        #expect(rewritten == stored)
    }

    @Test func refusesATableThatChangedSinceItsRecordWasWritten() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dataset-folder-\(UUID().uuidString)/penguins")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }
        let source = Self.repository.appendingPathComponent("data/datasets/penguins")
        try FileManager.default.copyItem(at: source.appendingPathComponent("dataset.json"), to: directory.appendingPathComponent("dataset.json"))
        try Data("species,island\nAdelie,Biscoe\n".utf8).write(to: directory.appendingPathComponent("data.csv"))
        #expect {
            try DatasetFolder(path: directory.path)
        } throws: { error in
            "\(error)".contains("data.csv: error: the table changed since dataset.json was written")
        }
    }

    @Test func refusesAFolderWhoseNameIsNotTheDatasetID() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dataset-folder-\(UUID().uuidString)/other")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }
        let source = Self.repository.appendingPathComponent("data/datasets/penguins")
        for name in ["dataset.json", "data.csv"] {
            try FileManager.default.copyItem(at: source.appendingPathComponent(name), to: directory.appendingPathComponent(name))
        }
        #expect {
            try DatasetFolder(path: directory.path)
        } throws: { error in
            "\(error)".contains("'id' must match the folder name; expected 'other', found 'penguins'")
        }
    }
}

import AnalysisTraces
import Foundation
import TestSupport
import Testing

/// The committed bundled datasets (the list in data/datasets/README.md), never whatever else a
/// user downloaded into data/datasets.
@Suite struct DatasetFolderTests {
    @Test func bundlesBetweenSixAndTenDatasetsEachWithItsFolder() {
        #expect((6...10).contains(BundledDatasets.ids.count), "\(BundledDatasets.ids)")
        for id in BundledDatasets.ids {
            #expect(FileManager.default.fileExists(atPath: BundledDatasets.folder(id).appendingPathComponent("dataset.json").path), "\(id)")
        }
    }

    @Test(arguments: BundledDatasets.ids)
    func readsEveryBundledDatasetAndItsHashMatches(_ id: String) throws {
        let folder = try DatasetFolder(path: BundledDatasets.folder(id).path)
        #expect(folder.record.id == id)
        #expect(folder.record.source.kind == .bundled)
        #expect(folder.record.rows >= 20)
        #expect(!folder.record.license.name.isEmpty)
    }

    @Test(arguments: BundledDatasets.ids)
    func writesDatasetRecordsExactlyAsTheyAreStored(_ id: String) throws {
        let path = BundledDatasets.folder(id).appendingPathComponent("dataset.json").path
        let stored = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let record = try RecordDecoder().decode(Dataset.self, from: stored)
        let rewritten = JSONWriter.prettyBytes(try RecordEncoder().encodeValue(record)) + [0x0A]
        #expect(rewritten == stored)
    }

    @Test func refusesATableThatChangedSinceItsRecordWasWritten() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dataset-folder-\(UUID().uuidString)/penguins")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }
        let source = BundledDatasets.folder("penguins")
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
        let source = BundledDatasets.folder("penguins")
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

#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Writes `data/datasets/<id>/` — `data.csv` and `dataset.json` — so that the folder appears
/// complete or not at all, and leaves it alone when the content would not change.
///
/// Both files are written into a hidden sibling folder (`.<id>.tmp-<pid>-<random>`), fsynced,
/// and the folder is renamed into place; an existing folder is first renamed aside and removed
/// after the new one is in place. `dataset.json` is the `Dataset` record as pretty JSON laid
/// out like the bundled ones (`JSONWriter.prettyBytes`, two-space indent, final newline).
public struct DatasetPublisher: Sendable {
    public enum Outcome: String, Sendable, Equatable {
        /// The folder was created or replaced.
        case written
        /// The folder already held this table and this record (apart from `fetched_at`):
        /// nothing was touched, mtimes included.
        case unchanged
    }

    public var outputDirectory: String

    public init(outputDirectory: String) {
        self.outputDirectory = outputDirectory.hasSuffix("/") ? String(outputDirectory.dropLast()) : outputDirectory
    }

    public func folder(for id: String) -> String { outputDirectory + "/" + id }

    /// The record already in the folder for `id`, if it reads.
    public func existingRecord(id: String) -> Dataset? {
        guard let data = FileManager.default.contents(atPath: folder(for: id) + "/dataset.json") else { return nil }
        return try? RecordDecoder().decode(Dataset.self, from: [UInt8](data))
    }

    /// Publishes `record` with its table `csv` (whose SHA-256, size, rows and columns the
    /// record must already state).
    public func publish(_ record: Dataset, csv: [UInt8]) throws(DownloadError) -> Outcome {
        let target = folder(for: record.id)
        if let existing = existingRecord(id: record.id), existing.sha256 == record.sha256 {
            var comparable = record
            comparable.fetchedAt = existing.fetchedAt
            if comparable == existing, (try? DatasetFolder.sha256(ofFile: target + "/data.csv")) == record.sha256 {
                return .unchanged
            }
        }
        var json: [UInt8]
        do {
            json = JSONWriter.prettyBytes(try RecordEncoder().encodeValue(record))
        } catch {
            throw DownloadError(.output, source: target, "cannot encode the dataset record: \(error)")
        }
        json.append(0x0A)
        do {
            try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
            let random = String(UInt64.random(in: 0...UInt64.max), radix: 16)
            let staging = "\(outputDirectory)/.\(record.id).tmp-\(getpid())-\(random)"
            try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: false)
            do {
                try Self.writeDurably(csv, to: staging + "/data.csv")
                try Self.writeDurably(json, to: staging + "/dataset.json")
                var old: String?
                if FileManager.default.fileExists(atPath: target) {
                    let aside = "\(outputDirectory)/.\(record.id).old-\(getpid())-\(random)"
                    try POSIXFile.rename(target, to: aside)
                    old = aside
                }
                do {
                    try POSIXFile.rename(staging, to: target)
                } catch {
                    if let old { try? POSIXFile.rename(old, to: target) }
                    throw error
                }
                try POSIXFile.syncDirectory(containing: target)
                if let old { try? FileManager.default.removeItem(atPath: old) }
            } catch {
                try? FileManager.default.removeItem(atPath: staging)
                throw error
            }
        } catch {
            throw DownloadError(.output, source: target, "cannot write the dataset folder: \(error)")
        }
        return .written
    }

    private static func writeDurably(_ bytes: [UInt8], to path: String) throws {
        let descriptor = try POSIXFile.open(path, flags: O_WRONLY | O_CREAT | O_EXCL, mode: 0o644, operation: "create")
        defer { _ = Glibc.close(descriptor) }
        try bytes.withUnsafeBytes { try POSIXFile.writeAll(descriptor, $0, path: path) }
        try POSIXFile.fsync(descriptor, path: path)
    }
}

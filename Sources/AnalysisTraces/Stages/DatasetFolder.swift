import Crypto
import Foundation

/// A dataset as the stages read it: `data/datasets/<id>/dataset.json` and the `data.csv` it
/// describes, checked to still be the bytes the record was written for.
public struct DatasetFolder: Sendable {
    public let path: String
    public let record: Dataset

    public var csvPath: String { path + "/data.csv" }
    public var recordPath: String { path + "/dataset.json" }

    /// The id of the dataset in the folder at `path`: the folder's name, which the record's id
    /// must match.
    public static func id(ofPath path: String) -> String {
        ((path.hasSuffix("/") ? String(path.dropLast()) : path) as NSString).lastPathComponent
    }

    /// Reads and checks the folder. Throws `DatasetFolderError` naming the file and the problem.
    public init(path: String) throws {
        let folder = path.hasSuffix("/") ? String(path.dropLast()) : path
        self.path = folder
        let recordPath = folder + "/dataset.json"
        let bytes: [UInt8]
        do {
            bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: recordPath)))
        } catch {
            throw DatasetFolderError(path: recordPath, message: "cannot read the dataset record: \(error.localizedDescription)")
        }
        do {
            record = try RecordDecoder().decode(Dataset.self, from: bytes)
        } catch {
            throw DatasetFolderError(path: recordPath, message: "\(error)")
        }
        let expectedID = Self.id(ofPath: folder)
        guard record.id == expectedID else {
            throw DatasetFolderError(path: recordPath, message: "'id' must match the folder name; expected '\(expectedID)', found '\(record.id)'")
        }
        let actual = try Self.sha256(ofFile: folder + "/data.csv")
        guard actual == record.sha256 else {
            throw DatasetFolderError(
                path: folder + "/data.csv",
                message: "the table changed since dataset.json was written; expected SHA-256 \(record.sha256), found \(actual)")
        }
    }

    /// Lower-case hex SHA-256 of a file, read in 1 MiB chunks.
    public static func sha256(ofFile path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw DatasetFolderError(path: path, message: "cannot open the table")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
        }
        return hasher.finalize().hexString()
    }
}

public struct DatasetFolderError: DiagnosticError {
    public var path: String
    public var message: String

    public var diagnosticLocation: String? { path }
    public var diagnosticMessage: String { message }
}

import Foundation
import Testing
import ZIPFoundation
@testable import AnalysisTraces

/// Fixture bytes for the table tests, made in code.
enum TableFixture {
    /// A header and `rows` rows joined with `delimiter` and `lineEnd`, each row made by `row`.
    static func text(
        header: [String], rows: Int, delimiter: String = ",", lineEnd: String = "\n",
        row: (Int) -> [String]
    ) -> String {
        ([header.joined(separator: delimiter)] + (0..<rows).map { row($0).joined(separator: delimiter) })
            .map { $0 + lineEnd }.joined()
    }

    /// A plain numeric table: `id,name,value` with `rows` rows.
    static func simple(rows: Int = 25, delimiter: String = ",") -> String {
        text(header: ["id", "name", "value"], rows: rows, delimiter: delimiter) { ["\($0 + 1)", "item\($0 + 1)", "\(Double($0) * 1.5)"] }
    }

    /// Latin-1 bytes of a string whose scalars are all below U+0100.
    static func latin1(_ text: String) -> [UInt8] {
        text.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }
    }

    /// A zip made in memory; each member deflated unless `stored`.
    static func zip(_ members: [(path: String, bytes: [UInt8])], stored: Bool = false) throws -> [UInt8] {
        let archive = try Archive(data: Data(), accessMode: .create)
        for member in members {
            let data = Data(member.bytes)
            try archive.addEntry(
                with: member.path, type: .file, uncompressedSize: Int64(data.count),
                compressionMethod: stored ? .none : .deflate
            ) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return [UInt8](archive.data ?? Data())
    }

    /// The bytes of a gzip file holding `bytes` (through the project's `GzipWriter`).
    static func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("table-gz-\(UUID().uuidString).gz").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try GzipWriter(path: path, mode: .createNew)
        try bytes.withUnsafeBytes { try writer.write($0) }
        try writer.close()
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    static func normalize(_ text: String, fileName: String = "data.csv", limits: TableLimits = TableLimits()) throws(TableRejection) -> NormalizedTable {
        try TableExtractor.normalize(Array(text.utf8), fileName: fileName, wanted: nil, limits: limits)
    }

    /// The rejection `body` throws; records an issue when it throws none.
    static func rejection(_ body: () throws(TableRejection) -> NormalizedTable) -> TableRejection? {
        do {
            let table = try body()
            Issue.record("expected a rejection, got a table of \(table.rows) rows")
            return nil
        } catch {
            return error
        }
    }

    static func csvText(_ table: NormalizedTable) -> String { String(decoding: table.csv, as: UTF8.self) }

    /// The output's rows, parsed back by the scanner (header first).
    static func parsedRows(_ table: NormalizedTable) throws -> [[String]] {
        var rows: [[String]] = []
        try table.csv.withUnsafeBufferPointer { buffer in
            try TableCSVScanner.forEachRecord(in: buffer, delimiter: UInt8(ascii: ","), file: "out.csv") { record in
                rows.append((0..<record.count).map { String(decoding: record.field($0), as: UTF8.self) })
                return true
            }
        }
        return rows
    }
}

import Foundation

/// Turns downloaded bytes into one normalised table (see `NormalizedTable`), or says why not.
///
/// The steps, each with its own documented rules:
/// 1. Size: more than `TableLimits.maxInputBytes` input bytes is refused outright.
/// 2. Container, by content (magic bytes), not by name: a zip (`PK\3\4`) goes to
///    `TableZipReader` (member choice and zip-bomb guards); a gzip (`1F 8B`) is inflated by
///    `TableGunzip` under the same caps (a tar inside is refused); anything else is the table.
/// 3. Text: `TableText` (HTML and binary refused; UTF-8, UTF-8 with BOM, UTF-16 with BOM,
///    Windows-1252, Latin-1).
/// 4. Delimiter: `TableDelimiterSniffer`; parsing: `TableCSVScanner` (RFC 4180 as pandas reads it).
/// 5. Shape, header, NA tokens, decimal commas and the output: `TableNormalizer`.
public enum TableExtractor {
    /// Normalises `bytes`, what was downloaded or read: a CSV/TSV/TXT file, a gzip of one, or
    /// a zip holding tables. `fileName` is its name (used in messages; its extension hints the
    /// delimiter, and `.gz` is dropped from it for the inner file's name).
    ///
    /// `wanted` names the table: for a zip, the member's path, or its base name when that is
    /// unique (any member, whatever its extension); nil takes the largest CSV/TSV/TXT member
    /// and reports the others in `otherTables`. For a single file, `wanted` must equal its
    /// name or base name (with or without `.gz`), else the download is not the table asked for.
    public static func normalize(
        _ bytes: [UInt8], fileName: String, wanted: String?, limits: TableLimits = TableLimits()
    ) throws(TableRejection) -> NormalizedTable {
        guard bytes.count <= limits.maxInputBytes else {
            throw TableRejection(
                .tooLarge, file: fileName,
                reason: "\(bytes.count) bytes, over the cap of \(limits.maxInputBytes)")
        }
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) || bytes.starts(with: [0x50, 0x4B, 0x05, 0x06]) {
            let member = try TableZipReader.extract(bytes, archiveName: fileName, wanted: wanted, limits: limits)
            return try TableNormalizer.normalize(
                member.bytes,
                source: .init(file: "\(fileName)/\(member.path)", otherTables: member.others, nameForHints: member.path),
                limits: limits)
        }
        if bytes.starts(with: [0x1F, 0x8B]) {
            let innerName = fileName.lowercased().hasSuffix(".gz") ? String(fileName.dropLast(3)) : fileName
            try checkWanted(wanted, names: [fileName, innerName], file: fileName)
            let inflated = try TableGunzip.inflate(
                bytes, file: fileName, maxOutput: min(limits.maxInputBytes, limits.maxUncompressedBytes),
                maxRatio: limits.maxCompressionRatio, ratioFloor: limits.compressionRatioFloor)
            if inflated.count >= 262 && inflated[257..<262].elementsEqual("ustar".utf8) {
                throw TableRejection(.badArchive, file: fileName, reason: "a tar archive (.tar.gz), which is not supported; give a zip, a CSV or a gzip of one CSV")
            }
            return try TableNormalizer.normalize(
                inflated, source: .init(file: fileName, otherTables: [], nameForHints: innerName), limits: limits)
        }
        try checkWanted(wanted, names: [fileName], file: fileName)
        return try TableNormalizer.normalize(
            bytes, source: .init(file: fileName, otherTables: [], nameForHints: fileName), limits: limits)
    }

    /// `normalize` for bytes held in `Data`.
    public static func normalize(
        _ data: Data, fileName: String, wanted: String?, limits: TableLimits = TableLimits()
    ) throws(TableRejection) -> NormalizedTable {
        try normalize([UInt8](data), fileName: fileName, wanted: wanted, limits: limits)
    }

    private static func checkWanted(_ wanted: String?, names: [String], file: String) throws(TableRejection) {
        guard let wanted else { return }
        let accepted = Set(names + names.map(TableZipReader.baseName))
        guard accepted.contains(wanted) else {
            throw TableRejection(
                .noTable, file: file,
                reason: "'\(wanted)' was asked for, but the download is the single file '\(names.last ?? file)', not an archive")
        }
    }
}

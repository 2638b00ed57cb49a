import Foundation
import ZIPFoundation

/// Lists a zip's table members and takes one out, guarding against zip bombs.
///
/// Members: regular files only; anything under `__MACOSX/` and any path with a component
/// starting with `.` (hidden files, `.DS_Store`) is ignored. Table members are those whose
/// name ends in `.csv`, `.tsv`, `.txt` or `.tab` (any case), in folders or not.
///
/// Choice rule: with `wanted`, the member whose path equals it, else the one member whose base
/// name equals it (several → rejected, listing their paths; none → rejected, listing the
/// tables there are). Without it, the largest table member by uncompressed size (the first in
/// archive order on a tie); the other table members are reported.
///
/// Guards, before inflating: at most `maxArchiveEntries` entries; the declared uncompressed
/// sizes of all members at most `maxUncompressedBytes` together; the chosen member's declared
/// size at most `maxInputBytes` and, when over `compressionRatioFloor`, at most
/// `maxCompressionRatio` times its compressed size. While inflating: no more bytes than the
/// member declared, no more than `maxInputBytes`, and the same ratio cap on what came out;
/// afterwards the CRC-32 and the size must match the header.
enum TableZipReader {
    static let tableExtensions = ["csv", "tsv", "txt", "tab"]

    struct Member {
        var path: String
        var uncompressedSize: UInt64
        var compressedSize: UInt64
        var entry: Entry
    }

    static func isTableName(_ path: String) -> Bool {
        let base = baseName(path).lowercased()
        return tableExtensions.contains { base.hasSuffix(".\($0)") }
    }

    static func baseName(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? path
    }

    static func isIgnored(_ path: String) -> Bool {
        let components = path.split(separator: "/")
        return components.first == "__MACOSX" || components.contains { $0.hasPrefix(".") }
    }

    /// The chosen member's bytes and path, and the other table members' paths.
    static func extract(
        _ bytes: [UInt8], archiveName: String, wanted: String?, limits: TableLimits
    ) throws(TableRejection) -> (bytes: [UInt8], path: String, others: [String]) {
        let archive: Archive
        do {
            archive = try Archive(data: Data(bytes), accessMode: .read)
        } catch {
            throw TableRejection(.badArchive, file: archiveName, reason: "not a readable zip archive (\(error))")
        }
        var members: [Member] = []
        var entries = 0
        var declaredTotal: UInt64 = 0
        for entry in archive {
            entries += 1
            if entries > limits.maxArchiveEntries {
                throw TableRejection(
                    .tooLarge, file: archiveName,
                    reason: "more than \(limits.maxArchiveEntries) entries in the archive")
            }
            guard entry.type == .file else { continue }
            declaredTotal &+= entry.uncompressedSize
            if declaredTotal > UInt64(limits.maxUncompressedBytes) {
                throw TableRejection(
                    .tooLarge, file: archiveName,
                    reason: "the members declare more than \(limits.maxUncompressedBytes) bytes uncompressed together")
            }
            guard !isIgnored(entry.path) else { continue }
            members.append(Member(
                path: entry.path, uncompressedSize: entry.uncompressedSize,
                compressedSize: entry.compressedSize, entry: entry))
        }
        let tables = members.filter { isTableName($0.path) }
        let chosen = try choose(members: members, tables: tables, archiveName: archiveName, wanted: wanted)
        let others = tables.map(\.path).filter { $0 != chosen.path }
        let data = try inflate(chosen, from: archive, archiveName: archiveName, limits: limits)
        return (data, chosen.path, others)
    }

    private static func choose(
        members: [Member], tables: [Member], archiveName: String, wanted: String?
    ) throws(TableRejection) -> Member {
        let listing = { (list: [Member]) -> String in
            list.isEmpty ? "none" : list.prefix(20).map { "'\($0.path)'" }.joined(separator: ", ") + (list.count > 20 ? ", ..." : "")
        }
        if let wanted {
            if let exact = members.first(where: { $0.path == wanted }) { return exact }
            let byBase = members.filter { baseName($0.path) == wanted }
            if byBase.count == 1 { return byBase[0] }
            if byBase.count > 1 {
                throw TableRejection(
                    .noTable, file: archiveName,
                    reason: "'\(wanted)' names \(byBase.count) members: \(listing(byBase)); give the path")
            }
            throw TableRejection(
                .noTable, file: archiveName,
                reason: "no member '\(wanted)'; the tables in the archive are: \(listing(tables))")
        }
        guard var best = tables.first else {
            let isWorkbook = members.contains { $0.path == "[Content_Types].xml" } && members.contains { $0.path.hasPrefix("xl/") }
            if isWorkbook {
                throw TableRejection(.noTable, file: archiveName, reason: "an Excel workbook (.xlsx), not a CSV table")
            }
            throw TableRejection(
                .noTable, file: archiveName,
                reason: "no CSV, TSV or TXT member; the archive holds: \(listing(members))")
        }
        for table in tables.dropFirst() where table.uncompressedSize > best.uncompressedSize { best = table }
        return best
    }

    private struct Stop: Error { var rejection: TableRejection }

    private static func inflate(
        _ member: Member, from archive: Archive, archiveName: String, limits: TableLimits
    ) throws(TableRejection) -> [UInt8] {
        let file = "\(archiveName)/\(member.path)"
        let declared = member.uncompressedSize
        guard declared <= UInt64(limits.maxInputBytes) else {
            throw TableRejection(
                .tooLarge, file: file,
                reason: "declares \(declared) bytes uncompressed, over the cap of \(limits.maxInputBytes)")
        }
        let ratio = UInt64(limits.maxCompressionRatio)
        if declared > UInt64(limits.compressionRatioFloor) && declared > member.compressedSize &* ratio {
            throw TableRejection(
                .tooLarge, file: file,
                reason: "compression ratio over \(limits.maxCompressionRatio):1 (\(member.compressedSize) bytes inflate to \(declared)); a zip bomb?")
        }
        var output: [UInt8] = []
        output.reserveCapacity(Int(declared))
        let checksum: CRC32
        do {
            checksum = try archive.extract(member.entry, bufferSize: 64 << 10, skipCRC32: false) { chunk in
                let total = UInt64(output.count + chunk.count)
                if total > declared {
                    throw Stop(rejection: TableRejection(
                        .tooLarge, file: file,
                        reason: "inflates past the \(declared) bytes its header declares (a zip bomb?); stopped"))
                }
                if total > UInt64(limits.compressionRatioFloor) && total > member.compressedSize &* ratio {
                    throw Stop(rejection: TableRejection(
                        .tooLarge, file: file,
                        reason: "compression ratio over \(limits.maxCompressionRatio):1 while inflating (a zip bomb?); stopped"))
                }
                output.append(contentsOf: chunk)
            }
        } catch let stop as Stop {
            throw stop.rejection
        } catch {
            throw TableRejection(.badArchive, file: file, reason: "cannot inflate the member (\(error))")
        }
        guard UInt64(output.count) == declared else {
            throw TableRejection(
                .badArchive, file: file,
                reason: "inflates to \(output.count) bytes, its header declares \(declared)")
        }
        guard checksum == member.entry.checksum else {
            throw TableRejection(.badArchive, file: file, reason: "CRC-32 mismatch: the member is damaged")
        }
        return output
    }
}

import Foundation
import Testing
@testable import AnalysisTraces

@Suite("Table archives: zip member choice, gzip, bombs")
struct TableArchiveTests {
    static let small = Array(TableFixture.simple(rows: 20).utf8)
    static let large = Array(TableFixture.simple(rows: 60).utf8)

    @Test("a zip with several tables gives the largest and reports the others")
    func largestMember() throws {
        let zip = try TableFixture.zip([
            ("readme.md", Array("about".utf8)),
            ("small.csv", Self.small),
            ("data/large.csv", Self.large),
            ("extra.TSV", Array(TableFixture.simple(rows: 30, delimiter: "\t").utf8)),
        ])
        let table = try TableExtractor.normalize(zip, fileName: "set.zip", wanted: nil)
        #expect(table.sourceFile == "set.zip/data/large.csv")
        #expect(table.rows == 60)
        #expect(table.otherTables == ["small.csv", "extra.TSV"])
    }

    @Test("a named member is taken by path or by base name; a missing one lists the tables")
    func namedMember() throws {
        let zip = try TableFixture.zip([("a/small.csv", Self.small), ("b/large.csv", Self.large), ("c/large.csv", Self.large)])
        #expect(try TableExtractor.normalize(zip, fileName: "z.zip", wanted: "small.csv").rows == 20)
        #expect(try TableExtractor.normalize(zip, fileName: "z.zip", wanted: "c/large.csv").sourceFile == "z.zip/c/large.csv")
        let ambiguous = TableFixture.rejection { () throws(TableRejection) in
            try TableExtractor.normalize(zip, fileName: "z.zip", wanted: "large.csv")
        }
        #expect(ambiguous?.reason.contains("names 2 members") == true)
        let missing = TableFixture.rejection { () throws(TableRejection) in
            try TableExtractor.normalize(zip, fileName: "z.zip", wanted: "nope.csv")
        }
        #expect(missing?.kind == .noTable)
        #expect(missing?.description == "z.zip: error: [table] no member 'nope.csv'; the tables in the archive are: 'a/small.csv', 'b/large.csv', 'c/large.csv'")
    }

    @Test("__MACOSX entries and hidden files are ignored")
    func macOSJunk() throws {
        let zip = try TableFixture.zip([
            ("__MACOSX/._data.csv", [UInt8](repeating: 0x41, count: 50_000)),
            (".hidden.csv", Self.large + Self.large),
            ("data.csv", Self.small),
        ])
        let table = try TableExtractor.normalize(zip, fileName: "mac.zip", wanted: nil)
        #expect(table.sourceFile == "mac.zip/data.csv")
        #expect(table.otherTables.isEmpty)
    }

    @Test("a zip without tables, and a workbook, are refused with what they hold")
    func noTables() throws {
        let plain = try TableFixture.zip([("notes.md", Array("x".utf8))])
        #expect(TableFixture.rejection { () throws(TableRejection) in
            try TableExtractor.normalize(plain, fileName: "p.zip", wanted: nil)
        }?.reason == "no CSV, TSV or TXT member; the archive holds: 'notes.md'")
        let workbook = try TableFixture.zip([("[Content_Types].xml", Array("<x/>".utf8)), ("xl/workbook.xml", Array("<x/>".utf8))])
        #expect(TableFixture.rejection { () throws(TableRejection) in
            try TableExtractor.normalize(workbook, fileName: "w.xlsx", wanted: nil)
        }?.reason.contains("Excel workbook") == true)
    }

    @Test("a zip bomb is refused from its headers without inflating it")
    func zipBombByRatio() throws {
        let zip = try TableFixture.zip([("bomb.csv", [UInt8](repeating: 0x30, count: 8 << 20))])
        #expect(zip.count < 100_000)
        let rejection = TableFixture.rejection { () throws(TableRejection) in
            try TableExtractor.normalize(zip, fileName: "bomb.zip", wanted: nil)
        }
        #expect(rejection?.kind == .tooLarge)
        #expect(rejection?.reason.contains("compression ratio over 200:1") == true)
    }

    @Test("a zip that declares a small size but inflates to more is stopped while inflating")
    func zipBombWithLyingHeaders() throws {
        var zip = try TableFixture.zip([("lie.csv", Array(TableFixture.simple(rows: 20_000).utf8))])
        let declared: UInt32 = 1_000
        // Patch the uncompressed size in the local header (offset 22) and the central directory (offset 24).
        func patch(at offset: Int) {
            for byte in 0..<4 { zip[offset + byte] = UInt8(truncatingIfNeeded: declared >> (8 * UInt32(byte))) }
        }
        patch(at: 22)
        let central = try #require((0..<(zip.count - 4)).last { zip[$0..<$0 + 4].elementsEqual([0x50, 0x4B, 0x01, 0x02]) })
        patch(at: central + 24)
        let rejection = TableFixture.rejection { () throws(TableRejection) in
            try TableExtractor.normalize(zip, fileName: "lie.zip", wanted: nil)
        }
        #expect(rejection?.kind == .tooLarge)
        #expect(rejection?.reason.contains("inflates past the 1000 bytes its header declares") == true)
    }

    @Test("too many entries and too many declared bytes are refused")
    func archiveCaps() throws {
        let zip = try TableFixture.zip((0..<5).map { ("t\($0).csv", Self.small) })
        var limits = TableLimits()
        limits.maxArchiveEntries = 4
        #expect(TableFixture.rejection { () throws(TableRejection) in
            try TableExtractor.normalize(zip, fileName: "many.zip", wanted: nil, limits: limits)
        }?.reason == "more than 4 entries in the archive")
        limits = TableLimits()
        limits.maxUncompressedBytes = Self.small.count * 4
        #expect(TableFixture.rejection { () throws(TableRejection) in
            try TableExtractor.normalize(zip, fileName: "many.zip", wanted: nil, limits: limits)
        }?.kind == .tooLarge)
    }

    @Test("a stored (uncompressed) member is read")
    func storedMember() throws {
        let zip = try TableFixture.zip([("s.csv", Self.small)], stored: true)
        #expect(try TableExtractor.normalize(zip, fileName: "s.zip", wanted: nil).rows == 20)
    }

    @Test("a damaged zip is refused")
    func damagedZip() throws {
        let zip = try TableFixture.zip([("d.csv", Self.large)])
        let cut = Array(zip.prefix(zip.count / 2))
        #expect(TableFixture.rejection { () throws(TableRejection) in
            try TableExtractor.normalize(cut, fileName: "d.zip", wanted: nil)
        }?.kind == .badArchive)
    }

    @Test("a gzip CSV is inflated; .tsv.gz hints tab")
    func gzip() throws {
        let table = try TableExtractor.normalize(try TableFixture.gzip(Self.large), fileName: "data.csv.gz", wanted: "data.csv")
        #expect(table.rows == 60)
        #expect(table.sourceFile == "data.csv.gz")
        let tied = TableFixture.text(header: ["a,b", "c"], rows: 21, delimiter: "\t") { ["\($0),x", "\($0)"] }
        let tsv = try TableExtractor.normalize(try TableFixture.gzip(Array(tied.utf8)), fileName: "t.tsv.gz", wanted: nil)
        #expect(tsv.detectedDelimiter == "\t")
    }

    @Test("concatenated gzip members are read as one file")
    func gzipMembers() throws {
        let text = Array(TableFixture.simple(rows: 30).utf8)
        let split = text.firstIndex(of: 0x0A).map { $0 + 1 } ?? 0
        let bytes = try TableFixture.gzip(Array(text[..<split])) + TableFixture.gzip(Array(text[split...]))
        #expect(try TableExtractor.normalize(bytes, fileName: "m.csv.gz", wanted: nil).rows == 30)
    }

    @Test("a truncated gzip is refused")
    func truncatedGzip() throws {
        let gz = try TableFixture.gzip(Self.large)
        let rejection = TableFixture.rejection { () throws(TableRejection) in
            try TableExtractor.normalize(Array(gz.dropLast(12)), fileName: "t.csv.gz", wanted: nil)
        }
        #expect(rejection?.kind == .badArchive)
        #expect(rejection?.reason.hasPrefix("truncated gzip") == true)
    }

    @Test("a gzip bomb is stopped at the ratio cap")
    func gzipBomb() throws {
        let gz = try TableFixture.gzip([UInt8](repeating: 0x30, count: 8 << 20))
        let rejection = TableFixture.rejection { () throws(TableRejection) in
            try TableExtractor.normalize(gz, fileName: "b.csv.gz", wanted: nil)
        }
        #expect(rejection?.kind == .tooLarge)
        #expect(rejection?.reason.contains("a gzip bomb?") == true)
    }
}

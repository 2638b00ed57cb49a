import Foundation
import Testing
@testable import AnalysisTraces

@Suite("Table normalisation: delimiters, encodings, header and rows")
struct TableNormalizationTests {
    @Test("a semicolon table with decimal commas gets ';' and its decimal commas become points")
    func semicolonsWithDecimalCommas() throws {
        let text = TableFixture.text(header: ["land", "preis", "menge"], rows: 25, delimiter: ";") {
            ["Österreich", "\($0),5", "\($0 * 3)"]
        }
        let table = try TableFixture.normalize(text)
        #expect(table.detectedDelimiter == ";")
        #expect(table.columns == ["land", "preis", "menge"])
        #expect(table.rows == 25)
        let rows = try TableFixture.parsedRows(table)
        #expect(rows[1] == ["Österreich", "0.5", "0"])
        #expect(rows[25] == ["Österreich", "24.5", "72"])
        #expect(table.notes.contains { $0.contains("decimal commas") && $0.contains("'preis'") })
    }

    @Test("decimal commas next to thousands points are left as text")
    func thousandsPointsAreNotConverted() throws {
        let text = TableFixture.text(header: ["a", "b"], rows: 22, delimiter: ";") { ["\($0)", $0 == 0 ? "1.234,5" : "\($0),5"] }
        let table = try TableFixture.normalize(text)
        #expect(try TableFixture.parsedRows(table)[2] == ["1", "1,5"])
        #expect(!table.notes.contains { $0.contains("decimal commas") })
    }

    @Test("tab and pipe delimiters are found; a .tsv name prefers tab")
    func tabsAndPipes() throws {
        let tabbed = TableFixture.simple(delimiter: "\t")
        #expect(try TableFixture.normalize(tabbed, fileName: "x.txt").detectedDelimiter == "\t")
        #expect(try TableFixture.normalize(TableFixture.simple(delimiter: "|")).detectedDelimiter == "|")
        // Every row has one comma and one tab: a tie that the .tsv name settles.
        let tied = TableFixture.text(header: ["a,b", "c"], rows: 21, delimiter: "\t") { ["\($0),x", "\($0)"] }
        #expect(try TableFixture.normalize(tied, fileName: "t.tsv").detectedDelimiter == "\t")
        let table = try TableFixture.normalize(tied, fileName: "t.tsv")
        #expect(table.columns == ["a,b", "c"])
        #expect(TableFixture.csvText(table).hasPrefix("\"a,b\",c\n\"0,x\",0\n"))
    }

    @Test("quoted delimiters, quoted newlines and doubled quotes survive and are requoted minimally")
    func quotedFields() throws {
        var text = "id;comment;score\n"
        for index in 0..<21 {
            text += index == 3
                ? "\(index);\"line one\nline two; with \"\"quotes\"\"\";\(index)\n"
                : "\(index);\"plain; quoted\";\(index)\n"
        }
        let table = try TableFixture.normalize(text)
        #expect(table.detectedDelimiter == ";")
        #expect(table.rows == 21)
        let rows = try TableFixture.parsedRows(table)
        #expect(rows[4] == ["3", "line one\nline two; with \"quotes\"", "3"])
        #expect(rows[1] == ["0", "plain; quoted", "0"])
        #expect(TableFixture.csvText(table).contains("\n0,plain; quoted,0\n"))
        #expect(TableFixture.csvText(table).contains("\n3,\"line one\nline two; with \"\"quotes\"\"\",3\n"))
    }

    @Test("a UTF-8 byte order mark is stripped and reported as utf-8-sig")
    func byteOrderMark() throws {
        let table = try TableExtractor.normalize(
            [0xEF, 0xBB, 0xBF] + Array(TableFixture.simple().utf8), fileName: "bom.csv", wanted: nil)
        #expect(table.detectedEncoding == "utf-8-sig")
        #expect(table.columns.first == "id")
        #expect(table.csv.starts(with: Array("id,name".utf8)))
    }

    @Test("Latin-1 bytes are decoded as Latin-1 and written as UTF-8")
    func latin1() throws {
        let text = TableFixture.text(header: ["stadt", "grad"], rows: 20) { ["Zürich \($0)", "\($0)°"] }
        let table = try TableExtractor.normalize(TableFixture.latin1(text), fileName: "l.csv", wanted: nil)
        #expect(table.detectedEncoding == "latin-1")
        #expect(try TableFixture.parsedRows(table)[1] == ["Zürich 0", "0°"])
    }

    @Test("Windows-1252 curly quotes and the euro sign are decoded as Windows-1252")
    func windows1252() throws {
        var bytes = Array("name,price\n".utf8)
        for index in 0..<20 {
            bytes += [0x93] + Array("caf".utf8) + [0xE9, 0x94] + Array(" \(index),".utf8) + [0x80] + Array("\(index)\n".utf8)
        }
        let table = try TableExtractor.normalize(bytes, fileName: "w.csv", wanted: nil)
        #expect(table.detectedEncoding == "windows-1252")
        #expect(try TableFixture.parsedRows(table)[1] == ["\u{201C}café\u{201D} 0", "€0"])
    }

    @Test("a byte 1252 leaves undefined makes the text Latin-1")
    func undefinedIn1252IsLatin1() throws {
        var bytes = Array("a,b\n".utf8)
        for index in 0..<20 { bytes += Array("\(index),x".utf8) + [index == 5 ? 0x81 : 0x80] + [0x0A] }
        #expect(try TableExtractor.normalize(bytes, fileName: "m.csv", wanted: nil).detectedEncoding == "latin-1")
    }

    @Test("UTF-16 with a byte order mark (Excel's Unicode text) is decoded")
    func utf16() throws {
        let text = TableFixture.simple(delimiter: "\t")
        let bytes: [UInt8] = [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let table = try TableExtractor.normalize(bytes, fileName: "u.txt", wanted: nil)
        #expect(table.detectedEncoding == "utf-16")
        #expect(table.rows == 25 && table.columns == ["id", "name", "value"])
    }

    @Test("CRLF and lone CR line ends become LF")
    func lineEnds() throws {
        for lineEnd in ["\r\n", "\r"] {
            let text = TableFixture.text(header: ["a", "b"], rows: 20, lineEnd: lineEnd) { ["\($0)", "\"x\(lineEnd)y\""] }
            let table = try TableFixture.normalize(text)
            #expect(table.rows == 20)
            #expect(!TableFixture.csvText(table).contains("\r\n0"))
            #expect(TableFixture.csvText(table).hasPrefix("a,b\n0,\"x\(lineEnd)y\"\n1,"))
        }
    }

    @Test("trailing empty columns from trailing delimiters are dropped")
    func trailingEmptyColumns() throws {
        let text = TableFixture.text(header: ["a", "b", "", ""], rows: 20, delimiter: ";") { ["\($0)", "x", "", ""] }
        let table = try TableFixture.normalize(text)
        #expect(table.columns == ["a", "b"])
        #expect(TableFixture.csvText(table).hasPrefix("a,b\n0,x\n"))
        #expect(table.notes.contains { $0.contains("dropped 2 trailing empty columns") })
    }

    @Test("a trailing delimiter on data rows only does not shift the columns")
    func trailingDelimiterOnRows() throws {
        let text = "a,b\n" + (0..<20).map { "\($0),y,\n" }.joined()
        let table = try TableFixture.normalize(text)
        #expect(table.columns == ["a", "b"])
        #expect(try TableFixture.parsedRows(table)[1] == ["0", "y"])
    }

    @Test("duplicate, empty and padded header names are made unique, named and trimmed")
    func headerNames() throws {
        let text = TableFixture.text(header: [" city ", "city", "", "city_2", "city"], rows: 20) { ["\($0)", "b", "c", "d", "e"] }
        let table = try TableFixture.normalize(text)
        #expect(table.columns == ["city", "city_3", "column_3", "city_2", "city_4"])
        #expect(table.notes.contains { $0.contains("trimmed whitespace in 1 column name") })
        #expect(table.notes.contains { $0.contains("column_3") })
        #expect(table.notes.contains { $0.contains("'city' → 'city_3'") })
    }

    @Test("an empty header with values in its column becomes column_N")
    func unnamedIndexColumn() throws {
        let text = TableFixture.text(header: ["", "x", "y"], rows: 20) { ["\($0)", "a", "\($0)"] }
        #expect(try TableFixture.normalize(text).columns == ["column_1", "x", "y"])
    }

    @Test("short rows are padded, blank lines skipped and all-empty rows dropped")
    func rowShapes() throws {
        var text = "a,b,c\n\n"
        for index in 0..<20 { text += index == 4 ? "4,x\n" : "\(index),x,y\n" }
        text += ",,\n\n"
        let table = try TableFixture.normalize(text)
        #expect(table.rows == 20)
        #expect(try TableFixture.parsedRows(table)[5] == ["4", "x", ""])
        #expect(table.notes.contains { $0.contains("padded 1 row") })
        #expect(table.notes.contains { $0.contains("skipped 2 blank lines") })
        #expect(table.notes.contains { $0.contains("dropped 1 row with every field empty") })
    }

    @Test("a rare row with extra fields is dropped with its line; many are rejected with the first line")
    func malformedRows() throws {
        var rare = "a,b\n"
        for index in 0..<150 { rare += index == 60 ? "60,x,extra\n" : "\(index),x\n" }
        let table = try TableFixture.normalize(rare)
        #expect(table.rows == 149)
        #expect(table.notes.contains { $0.contains("dropped 1 row with more fields than the header (line 62)") })

        var many = "a,b\n"
        for index in 0..<30 { many += index % 5 == 2 ? "\(index),x,extra\n" : "\(index),x\n" }
        let rejection = TableFixture.rejection { () throws(TableRejection) in try TableFixture.normalize(many) }
        #expect(rejection?.kind == .notATable)
        #expect(rejection?.line == 4)
        #expect(rejection?.description.hasPrefix("data.csv:4: error: [table] row has 3 fields, the header 2 (and 5 more such rows)") == true)
    }

    @Test("a quoted field that never closes is rejected with its line")
    func unclosedQuote() {
        let text = TableFixture.simple() + "26,\"open,1\n27,x,2\n"
        let rejection = TableFixture.rejection { () throws(TableRejection) in try TableFixture.normalize(text) }
        #expect(rejection?.line == 27)
        #expect(rejection?.reason.contains("never closed") == true)
    }

    @Test("NA tokens of numeric columns join the loader's; tokens that are values elsewhere do not")
    func naTokens() throws {
        let text = TableFixture.text(header: ["id", "weight", "height", "label"], rows: 30) {
            ["\($0)", $0 % 7 == 0 ? "?" : "\($0).5", $0 % 9 == 0 ? "-" : "\($0)", $0 % 10 == 0 ? "-" : "l\($0)"]
        }
        let table = try TableFixture.normalize(text)
        #expect(table.naValues == LoaderSettings.defaultNAValues + ["?"])
        #expect(table.loaderSettings.naValues.contains("?"))
        #expect(table.notes.contains { $0.contains("'?'") })
    }

    @Test("values are copied byte for byte, minimal quoting only")
    func valuesUntouched() throws {
        let text = TableFixture.text(header: ["a", "b"], rows: 20) { _ in [" padded ", "say \"hi\""] }
        let table = try TableFixture.normalize(text)
        #expect(TableFixture.csvText(table).hasPrefix("a,b\n padded ,\"say \"\"hi\"\"\"\n"))
    }

    @Test("20 data rows are enough")
    func twentyRows() throws {
        #expect(try TableFixture.normalize(TableFixture.simple(rows: 20)).rows == 20)
    }
}

@Suite("Table rejections: pages, binary, shape")
struct TableRejectionTests {
    @Test("an HTML page is rejected as a page", arguments: [
        "<!DOCTYPE html>\n<html><body>Sign in</body></html>\n",
        "\n  <html lang=\"en\"><head><title>404</title></head></html>",
        "<?xml version=\"1.0\"?><Error><Code>AccessDenied</Code></Error>",
    ])
    func html(page: String) {
        let rejection = TableFixture.rejection { () throws(TableRejection) in try TableFixture.normalize(page) }
        #expect(rejection?.kind == .html)
    }

    static func binaryInputs() -> [[UInt8]] {
        let filler = [UInt8](repeating: 0x41, count: 100)
        let nul: [UInt8] = filler + [0x00] + Array("a,b\n".utf8)
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + filler
        let parquet: [UInt8] = Array("PAR1".utf8) + filler
        var controls: [UInt8] = []
        for index in 0..<200 { controls.append(index % 2 == 0 ? 0x41 : 0x01) }
        return [nul, png, parquet, controls]
    }

    @Test("binary content is rejected", arguments: binaryInputs())
    func binary(bytes: [UInt8]) {
        let rejection = TableFixture.rejection { () throws(TableRejection) in
            try TableExtractor.normalize(bytes, fileName: "b.csv", wanted: nil)
        }
        #expect(rejection?.kind == .binary)
    }

    @Test("a single column is rejected")
    func singleColumn() {
        let text = "words\n" + (0..<30).map { "word \($0)\n" }.joined()
        let rejection = TableFixture.rejection { () throws(TableRejection) in try TableFixture.normalize(text) }
        #expect(rejection?.kind == .notATable)
        #expect(rejection?.reason.contains("a single column") == true)
    }

    @Test("19 data rows are rejected")
    func nineteenRows() {
        let rejection = TableFixture.rejection { () throws(TableRejection) in try TableFixture.normalize(TableFixture.simple(rows: 19)) }
        #expect(rejection?.reason == "19 data rows; at least 20 needed")
    }

    @Test("a first row of numbers is not a header")
    func noHeader() {
        let text = (0..<30).map { "\($0),\(Double($0) / 2),\($0 * 3)\n" }.joined()
        let rejection = TableFixture.rejection { () throws(TableRejection) in try TableFixture.normalize(text) }
        #expect(rejection?.line == 1)
        #expect(rejection?.reason.hasPrefix("no header") == true)
    }

    @Test("an empty file and an all-blank file are rejected")
    func empty() {
        #expect(TableFixture.rejection { () throws(TableRejection) in try TableFixture.normalize("") }?.kind == .notATable)
        #expect(TableFixture.rejection { () throws(TableRejection) in try TableFixture.normalize("\n\n\n") }?.kind == .notATable)
    }

    @Test("input and output over their caps are rejected")
    func sizeCaps() {
        let text = TableFixture.simple(rows: 100)
        var limits = TableLimits()
        limits.maxInputBytes = 100
        #expect(TableFixture.rejection { () throws(TableRejection) in try TableFixture.normalize(text, limits: limits) }?.kind == .tooLarge)
        limits = TableLimits()
        limits.maxOutputBytes = 500
        #expect(TableFixture.rejection { () throws(TableRejection) in try TableFixture.normalize(text, limits: limits) }?.kind == .tooLarge)
    }

    @Test("asking a single file for another name is refused")
    func wantedOnSingleFile() throws {
        let bytes = Array(TableFixture.simple().utf8)
        #expect(try TableExtractor.normalize(bytes, fileName: "dir/data.csv", wanted: "data.csv").rows == 25)
        let rejection = TableFixture.rejection { () throws(TableRejection) in
            try TableExtractor.normalize(bytes, fileName: "data.csv", wanted: "other.csv")
        }
        #expect(rejection?.kind == .noTable)
    }
}

/// The first look at a file's bytes: is it a page or binary rather than text, and which
/// encoding is it in. Produces the text as UTF-8 bytes for the CSV scanner.
///
/// Rules, in order:
/// - HTML/XML: the first non-blank byte is `<` and the first 1 KiB holds `<!doctype html`,
///   `<html`, `<head`, `<body` or starts `<?xml` (case-insensitive): rejected as a page.
/// - UTF-16 with a byte order mark (`FF FE` or `FE FF`, as Excel's "Unicode text" writes):
///   decoded as UTF-16 (`utf-16`).
/// - Binary: a NUL byte, a known binary signature (PDF, PNG, JPEG, GIF, Parquet, OLE2 `.xls`,
///   SQLite), or more than 1% of bytes being control characters other than tab, LF and CR.
/// - Encoding: valid UTF-8 (`utf-8`); valid UTF-8 after a byte order mark, which is stripped
///   (`utf-8-sig`); otherwise Windows-1252 when every byte in 0x80–0x9F is one that 1252
///   defines and at least one occurs (`windows-1252`); otherwise Latin-1 (`latin-1`, which
///   decodes every byte).
struct TableText {
    /// The text, UTF-8, without a byte order mark.
    var utf8: [UInt8]
    var encoding: String
    var notes: [String]

    static func decode(_ bytes: [UInt8], file: String) throws(TableRejection) -> TableText {
        try rejectPage(bytes, file: file)
        if bytes.count >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)) {
            return try decodeUTF16(bytes, bigEndian: bytes[0] == 0xFE, file: file)
        }
        try rejectBinary(bytes, file: file)
        let hasBOM = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
        let body = hasBOM ? Array(bytes[3...]) : bytes
        if StrictUTF8.isValid(body) {
            return TableText(
                utf8: body, encoding: hasBOM ? "utf-8-sig" : "utf-8",
                notes: hasBOM ? ["stripped the UTF-8 byte order mark"] : [])
        }
        let single = singleByteEncoding(of: body)
        var notes = ["converted from \(single) to UTF-8"]
        if hasBOM { notes.insert("dropped a UTF-8 byte order mark in front of text that is not UTF-8", at: 0) }
        return TableText(utf8: transcode(body, windows1252: single == "windows-1252"), encoding: single, notes: notes)
    }

    // MARK: - Pages and binary content

    private static func rejectPage(_ bytes: [UInt8], file: String) throws(TableRejection) {
        var start = 0
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { start = 3 }
        while start < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[start]) { start += 1 }
        guard start < bytes.count, bytes[start] == UInt8(ascii: "<") else { return }
        let head = String(decoding: bytes[start..<min(bytes.count, start + 1024)], as: UTF8.self).lowercased()
        if head.hasPrefix("<?xml") {
            throw TableRejection(.html, file: file, reason: "an XML document, not a table")
        }
        for marker in ["<!doctype html", "<html", "<head", "<body"] where head.contains(marker) {
            throw TableRejection(
                .html, file: file,
                reason: "an HTML page, not a table (a login, error or landing page instead of the file?)")
        }
    }

    private static let signatures: [(bytes: [UInt8], name: String)] = [
        (Array("%PDF".utf8), "a PDF document"),
        ([0x89, 0x50, 0x4E, 0x47], "a PNG image"),
        ([0xFF, 0xD8, 0xFF], "a JPEG image"),
        (Array("GIF8".utf8), "a GIF image"),
        (Array("PAR1".utf8), "a Parquet file"),
        ([0xD0, 0xCF, 0x11, 0xE0], "an OLE2 file (an old Excel .xls workbook?)"),
        (Array("SQLite format 3".utf8), "an SQLite database"),
    ]

    private static func rejectBinary(_ bytes: [UInt8], file: String) throws(TableRejection) {
        for signature in signatures where bytes.starts(with: signature.bytes) {
            throw TableRejection(.binary, file: file, reason: "\(signature.name), not a table")
        }
        var controls = 0
        for (offset, byte) in bytes.enumerated() where byte < 0x20 || byte == 0x7F {
            if byte == 0 {
                throw TableRejection(.binary, file: file, reason: "binary content, not text: a NUL byte at offset \(offset)")
            }
            if byte != 0x09 && byte != 0x0A && byte != 0x0D { controls += 1 }
        }
        if controls * 100 > bytes.count {
            throw TableRejection(
                .binary, file: file,
                reason: "binary content, not text: \(controls) of \(bytes.count) bytes are control characters")
        }
    }

    // MARK: - Encodings

    private static func decodeUTF16(_ bytes: [UInt8], bigEndian: Bool, file: String) throws(TableRejection) -> TableText {
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var index = 2
        while index + 1 < bytes.count {
            let unit = bigEndian
                ? UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1])
                : UInt16(bytes[index + 1]) << 8 | UInt16(bytes[index])
            units.append(unit)
            index += 2
        }
        var utf8: [UInt8] = []
        utf8.reserveCapacity(units.count)
        var iterator = units.makeIterator()
        var decoder = UTF16()
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                if scalar.value == 0 {
                    throw TableRejection(.binary, file: file, reason: "binary content, not text: a NUL character in UTF-16 text")
                }
                if let encoded = UTF8.encode(scalar) { utf8.append(contentsOf: encoded) }
            case .emptyInput: break loop
            case .error:
                throw TableRejection(.binary, file: file, reason: "UTF-16 text (it starts with a byte order mark) with an unpaired surrogate")
            }
        }
        try rejectBinary(utf8, file: file)
        return TableText(utf8: utf8, encoding: "utf-16", notes: ["converted from UTF-16 to UTF-8"])
    }

    /// Bytes 0x80–0x9F that Windows-1252 leaves undefined.
    private static let undefinedIn1252: Set<UInt8> = [0x81, 0x8D, 0x8F, 0x90, 0x9D]

    static func singleByteEncoding(of bytes: [UInt8]) -> String {
        var usesC1 = false
        for byte in bytes where byte >= 0x80 && byte <= 0x9F {
            if undefinedIn1252.contains(byte) { return "latin-1" }
            usesC1 = true
        }
        return usesC1 ? "windows-1252" : "latin-1"
    }

    /// Windows-1252's code points for 0x80–0x9F (0 where undefined; those decode as Latin-1).
    private static let windows1252High: [UInt32] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
    ]

    static func transcode(_ bytes: [UInt8], windows1252: Bool) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 8)
        for byte in bytes {
            var scalar = UInt32(byte)
            if byte < 0x80 {
                out.append(byte)
                continue
            }
            if windows1252 && byte <= 0x9F && windows1252High[Int(byte - 0x80)] != 0 {
                scalar = windows1252High[Int(byte - 0x80)]
            }
            if scalar < 0x800 {
                out.append(UInt8(0xC0 | (scalar >> 6)))
                out.append(UInt8(0x80 | (scalar & 0x3F)))
            } else {
                out.append(UInt8(0xE0 | (scalar >> 12)))
                out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
                out.append(UInt8(0x80 | (scalar & 0x3F)))
            }
        }
        return out
    }
}

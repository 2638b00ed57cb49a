/// Normalises one text table (already taken out of any archive) into a `NormalizedTable`.
///
/// Two passes over the decoded text with the chosen delimiter: the first finds the header,
/// counts rows and gathers per-column statistics (`TableColumnStats`); the second writes the
/// output. The rules:
/// - Blank lines are skipped (pandas skips them too); rows whose fields are all empty are
///   dropped (noted).
/// - Header: the first non-blank row. Names are trimmed of surrounding whitespace and line
///   breaks inside a name become spaces. A header whose non-empty names are all numbers, or
///   that has no name at all, is not a header: rejected.
/// - Trailing columns with an empty name and no value in any row are dropped (Excel's
///   trailing delimiters). Other empty names become `column_N` (N the 1-based position);
///   a repeated name becomes `name_2`, `name_3`, ... (skipping names taken elsewhere).
/// - A row shorter than the header is padded with empty fields (noted). Extra fields that are
///   all empty (a trailing delimiter) are removed. A row with extra non-empty fields is
///   malformed: such rows are dropped with a note while there are at most
///   `TableLimits.maxMalformedRowFraction` of the data rows, otherwise the table is rejected
///   naming the first one's line.
/// - Decimal commas: see `TableColumnStats.convertsDecimalCommas`; converted values have their
///   comma replaced by a point, nothing else changes. All other values are copied byte for byte.
/// - NA tokens: a candidate token (`TableColumnStats.candidateNATokens`) is added to the
///   loader's `na_values` when it occurs in at least one column and every column it occurs in
///   is otherwise numeric (the loader applies NA tokens to every column, so a token that is
///   a real value anywhere is not added).
/// - At least `minColumns` columns and `minRows` data rows must remain.
enum TableNormalizer {
    struct Source {
        var file: String
        var otherTables: [String]
        /// The name whose extension hints the delimiter (`.tsv`, `.tab`).
        var nameForHints: String
    }

    static func normalize(_ bytes: [UInt8], source: Source, limits: TableLimits) throws(TableRejection) -> NormalizedTable {
        let file = source.file
        guard !bytes.isEmpty else { throw TableRejection(.notATable, file: file, reason: "the file is empty") }
        let text = try TableText.decode(bytes, file: file)
        return try text.utf8.withUnsafeBufferPointer { buffer throws(TableRejection) -> NormalizedTable in
            try normalize(buffer, text: text, source: source, limits: limits)
        }
    }

    private static func normalize(
        _ buffer: UnsafeBufferPointer<UInt8>, text: TableText, source: Source, limits: TableLimits
    ) throws(TableRejection) -> NormalizedTable {
        let file = source.file
        guard buffer.contains(where: { $0 != 0x0A && $0 != 0x0D && $0 != 0x20 && $0 != 0x09 }) else {
            throw TableRejection(.notATable, file: file, reason: "no rows: the file holds only blank lines")
        }
        let lowerName = source.nameForHints.lowercased()
        let preferTab = lowerName.hasSuffix(".tsv") || lowerName.hasSuffix(".tab")
        let delimiter: UInt8
        if let sniffed = TableDelimiterSniffer.sniff(buffer, preferTab: preferTab, file: file) {
            delimiter = sniffed.delimiter
        } else if limits.minColumns <= 1 {
            delimiter = UInt8(ascii: ",")
        } else {
            throw TableRejection(
                .notATable, file: file, line: 1,
                reason: "a single column: none of ',' ';' tab '|' splits the first row into \(limits.minColumns) or more fields")
        }
        var notes = text.notes

        // Pass 1: header, row shapes, column statistics.
        var headerRecord: [[UInt8]]?
        var headerLine = 1
        var stats: [TableColumnStats] = []
        var rows = 0
        var emptyRows = 0
        var blankLines = 0
        var paddedRows = 0
        var trimmedRows = 0
        var malformedLines: [Int] = []
        var firstMalformed: (line: Int, fields: Int)?
        try TableCSVScanner.forEachRecord(in: buffer, delimiter: delimiter, file: file) { record throws(TableRejection) in
            if record.isBlank {
                blankLines += 1
                return true
            }
            guard let header = headerRecord else {
                headerRecord = (0..<record.count).map { Array(record.field($0)) }
                headerLine = record.line
                stats = Array(repeating: TableColumnStats(), count: record.count)
                return true
            }
            if record.isAllEmpty {
                emptyRows += 1
                return true
            }
            if record.count > header.count {
                if (header.count..<record.count).allSatisfy({ record.isEmpty($0) }) {
                    trimmedRows += 1
                } else {
                    if firstMalformed == nil { firstMalformed = (record.line, record.count) }
                    malformedLines.append(record.line)
                    return true
                }
            } else if record.count < header.count {
                paddedRows += 1
            }
            for column in 0..<min(record.count, header.count) {
                stats[column].add(record.field(column))
            }
            rows += 1
            return true
        }
        guard let rawHeader = headerRecord else {
            throw TableRejection(.notATable, file: file, reason: "no rows: the file holds only blank lines")
        }

        // Columns: drop trailing empty ones, name the rest.
        var kept = rawHeader.count
        while kept > 0 && trimmedName(rawHeader[kept - 1]).isEmpty && stats[kept - 1].nonEmpty == 0 { kept -= 1 }
        if kept < rawHeader.count {
            let dropped = rawHeader.count - kept
            notes.append("dropped \(dropped) trailing empty column\(dropped == 1 ? "" : "s") (no name and no values)")
        }
        guard kept >= limits.minColumns else {
            throw TableRejection(
                .notATable, file: file, line: headerLine,
                reason: "\(kept) column\(kept == 1 ? "" : "s") after dropping empty ones; at least \(limits.minColumns) needed")
        }
        let names = try columnNames(rawHeader[..<kept].map { $0 }, line: headerLine, file: file, notes: &notes)

        // Rows.
        if blankLines > 0 { notes.append("skipped \(blankLines) blank line\(blankLines == 1 ? "" : "s")") }
        if emptyRows > 0 { notes.append("dropped \(emptyRows) row\(emptyRows == 1 ? "" : "s") with every field empty") }
        if trimmedRows > 0 {
            notes.append("removed empty fields past the header's \(rawHeader.count) from \(trimmedRows) row\(trimmedRows == 1 ? "" : "s")")
        }
        if paddedRows > 0 {
            notes.append("padded \(paddedRows) row\(paddedRows == 1 ? "" : "s") shorter than the header with empty fields")
        }
        if let first = firstMalformed {
            let allowed = Int(Double(rows + malformedLines.count) * limits.maxMalformedRowFraction)
            if malformedLines.count > allowed {
                let more = malformedLines.count - 1
                throw TableRejection(
                    .notATable, file: file, line: first.line,
                    reason: "row has \(first.fields) fields, the header \(rawHeader.count)"
                        + (more > 0 ? " (and \(more) more such row\(more == 1 ? "" : "s"))" : "")
                        + "; a wrong delimiter or unescaped quotes?")
            }
            let shown = malformedLines.prefix(5).map(String.init).joined(separator: ", ")
            notes.append(
                "dropped \(malformedLines.count) row\(malformedLines.count == 1 ? "" : "s") with more fields than the header "
                    + "(line\(malformedLines.count == 1 ? "" : "s") \(shown)\(malformedLines.count > 5 ? ", ..." : ""))")
        }
        guard rows >= limits.minRows else {
            throw TableRejection(
                .notATable, file: file,
                reason: "\(rows) data row\(rows == 1 ? "" : "s"); at least \(limits.minRows) needed")
        }

        // Decimal commas and NA tokens.
        let converts = stats[..<kept].map { $0.convertsDecimalCommas(delimiter: delimiter) }
        let convertedNames = zip(names, converts).filter(\.1).map(\.0)
        if !convertedNames.isEmpty {
            notes.append("converted decimal commas to points in \(convertedNames.map { "'\($0)'" }.joined(separator: ", "))")
        }
        var naValues = LoaderSettings.defaultNAValues
        var added: [String] = []
        for (index, token) in TableColumnStats.candidateNATokens.enumerated() {
            let using = stats[..<kept].filter { $0.tokens[index] > 0 }
            if !using.isEmpty && using.allSatisfy({ $0.isOtherwiseNumeric(delimiter: delimiter) }) {
                naValues.append(token)
                added.append(token)
            }
        }
        if !added.isEmpty {
            notes.append("NA tokens found in numeric columns added to the loader's: \(added.map { "'\($0)'" }.joined(separator: ", "))")
        }

        // Pass 2: write.
        var writer = TableCSVWriter(limit: limits.maxOutputBytes, file: file)
        writer.reserve(min(buffer.count + buffer.count / 8 + 1024, limits.maxOutputBytes))
        try writer.writeRow(names.map { ArraySlice($0.utf8) })
        var seenHeader = false
        var written = 0
        var fields: [ArraySlice<UInt8>] = Array(repeating: [], count: kept)
        try TableCSVScanner.forEachRecord(in: buffer, delimiter: delimiter, file: file) { record throws(TableRejection) in
            if record.isBlank { return true }
            if !seenHeader {
                seenHeader = true
                return true
            }
            if record.isAllEmpty { return true }
            if record.count > rawHeader.count && !(rawHeader.count..<record.count).allSatisfy({ record.isEmpty($0) }) {
                return true
            }
            for column in 0..<kept {
                if column < record.count {
                    let value = record.field(column)
                    fields[column] = converts[column] && TableColumnStats.classify(value) == .decimalComma
                        ? ArraySlice(value.map { $0 == UInt8(ascii: ",") ? UInt8(ascii: ".") : $0 })
                        : value
                } else {
                    fields[column] = []
                }
            }
            try writer.writeRow(fields)
            written += 1
            return true
        }
        return NormalizedTable(
            csv: writer.bytes, rows: written, columns: names, sourceFile: file, otherTables: source.otherTables,
            detectedEncoding: text.encoding, detectedDelimiter: String(UnicodeScalar(delimiter)),
            naValues: naValues, notes: notes)
    }

    /// A header field as a name: whitespace around removed, line breaks and tabs inside
    /// turned into spaces.
    static func trimmedName(_ bytes: [UInt8]) -> String {
        let name = String(decoding: bytes, as: UTF8.self)
        let flattened = name.contains(where: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" || $0 == "\t" })
            ? String(name.map { $0 == "\n" || $0 == "\r\n" || $0 == "\r" || $0 == "\t" ? " " : $0 })
            : name
        return flattened.trimmingWhitespace()
    }

    private static func columnNames(
        _ raw: [[UInt8]], line: Int, file: String, notes: inout [String]
    ) throws(TableRejection) -> [String] {
        var names = raw.map(trimmedName)
        let changed = zip(raw, names).filter { String(decoding: $0.0, as: UTF8.self) != $0.1 }.count
        if changed > 0 { notes.append("trimmed whitespace in \(changed) column name\(changed == 1 ? "" : "s")") }
        let present = names.filter { !$0.isEmpty }
        guard !present.isEmpty else {
            throw TableRejection(.notATable, file: file, line: line, reason: "no header: the first row has no names")
        }
        if present.allSatisfy({ TableColumnStats.classify(ArraySlice($0.utf8)) != .other }) {
            let sample = present.prefix(3).map { "'\($0)'" }.joined(separator: ", ")
            throw TableRejection(
                .notATable, file: file, line: line,
                reason: "no header: the first row looks like data (every field is a number: \(sample)\(present.count > 3 ? ", ..." : "")); a header row of column names is required")
        }
        var renamedEmpty: [String] = []
        for index in names.indices where names[index].isEmpty {
            names[index] = "column_\(index + 1)"
            renamedEmpty.append(names[index])
        }
        if !renamedEmpty.isEmpty { notes.append("named columns without a name: \(renamedEmpty.joined(separator: ", "))") }
        var taken = Set(names)
        var seen = Set<String>()
        var renamed: [String] = []
        for index in names.indices {
            let name = names[index]
            if seen.insert(name).inserted { continue }
            var suffix = 2
            while taken.contains("\(name)_\(suffix)") { suffix += 1 }
            names[index] = "\(name)_\(suffix)"
            taken.insert(names[index])
            seen.insert(names[index])
            renamed.append("'\(name)' → '\(names[index])'")
        }
        if !renamed.isEmpty { notes.append("renamed duplicate column names: \(renamed.joined(separator: ", "))") }
        return names
    }
}

extension String {
    /// Without leading and trailing whitespace and newlines.
    fileprivate func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars = scalars.dropFirst() }
        while let last = scalars.last, last.isWhitespace { scalars = scalars.dropLast() }
        return String(scalars)
    }
}

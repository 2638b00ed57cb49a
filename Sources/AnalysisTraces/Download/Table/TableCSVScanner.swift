/// One record as the scanner hands it out: the fields' bytes end to end, unquoted, and where
/// each field ends. Reused from record to record; valid only during the callback.
struct TableRecord {
    /// The unquoted bytes of all fields, one after another.
    var bytes: [UInt8] = []
    /// `ends[i]` is where field `i` ends in `bytes`.
    var ends: [Int] = []
    /// The 1-based source line the record starts on.
    var line = 0

    var count: Int { ends.count }

    func start(of field: Int) -> Int { field == 0 ? 0 : ends[field - 1] }

    func field(_ index: Int) -> ArraySlice<UInt8> { bytes[start(of: index)..<ends[index]] }

    func isEmpty(_ index: Int) -> Bool { start(of: index) == ends[index] }

    /// A blank line: one empty field (pandas skips these lines).
    var isBlank: Bool { ends.count == 1 && ends[0] == 0 }

    /// Every field is empty.
    var isAllEmpty: Bool { bytes.isEmpty }

    mutating func reset(line: Int) {
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        self.line = line
    }
}

/// Splits UTF-8 text into records the way RFC 4180 and pandas' C parser do:
/// - a field that starts with `"` is quoted: it runs to the next `"` not doubled, may hold the
///   delimiter and line breaks, and `""` inside stands for one `"`; bytes between the closing
///   quote and the next delimiter are kept as they are (pandas does the same);
/// - a `"` elsewhere in a field is an ordinary character;
/// - records end at LF, CRLF or a lone CR.
/// The delimiter must be an ASCII byte, so splitting never cuts a multi-byte character.
enum TableCSVScanner {
    /// Calls `body` with each record of `text` until it returns false or the text ends.
    /// With `end` below `text.count` the text is a prefix (a sample): a record cut by `end`
    /// (or a quote still open there) ends the scan quietly instead of being handed out.
    /// Throws when a quoted field is still open at the end of the whole text.
    static func forEachRecord(
        in text: UnsafeBufferPointer<UInt8>, delimiter: UInt8, end: Int? = nil, file: String,
        _ body: (TableRecord) throws(TableRejection) -> Bool
    ) throws(TableRejection) {
        let quote = UInt8(ascii: "\"")
        let newline = UInt8(ascii: "\n")
        let carriageReturn = UInt8(ascii: "\r")
        let limit = min(end ?? text.count, text.count)
        let isSample = limit < text.count
        var position = 0
        var line = 1
        var record = TableRecord()
        while position < limit {
            record.reset(line: line)
            var recordDone = false
            while !recordDone {
                // One field, from `position`.
                if position < limit && text[position] == quote {
                    position += 1
                    while true {
                        var next = position
                        while next < limit && text[next] != quote {
                            if text[next] == newline || (text[next] == carriageReturn && (next + 1 >= limit || text[next + 1] != newline)) {
                                line += 1
                            }
                            next += 1
                        }
                        if next >= limit {
                            if isSample { return }
                            throw TableRejection(
                                .notATable, file: file, line: record.line,
                                reason: "a quoted field that starts on this line is never closed")
                        }
                        record.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[position..<next]))
                        position = next + 1
                        if position < limit && text[position] == quote {
                            record.bytes.append(quote)
                            position += 1
                            continue
                        }
                        break
                    }
                }
                // The unquoted part (all of an unquoted field, or what follows a closing quote).
                var next = position
                while next < limit {
                    let byte = text[next]
                    if byte == delimiter || byte == newline || byte == carriageReturn { break }
                    next += 1
                }
                if next > position {
                    record.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[position..<next]))
                }
                record.ends.append(record.bytes.count)
                position = next
                if position >= limit {
                    if isSample { return }
                    recordDone = true
                } else if text[position] == delimiter {
                    position += 1
                } else {
                    if text[position] == carriageReturn && position + 1 < text.count && text[position + 1] == newline {
                        position += 1
                    }
                    position += 1
                    line += 1
                    recordDone = true
                }
            }
            if try !body(record) { return }
        }
    }
}

/// Writes rows as UTF-8 CSV: comma, `\n` after every row, a field quoted only when it holds a
/// comma, a double quote, `\n` or `\r` (quotes doubled inside). Stops at a size cap.
struct TableCSVWriter {
    private(set) var bytes: [UInt8] = []
    let limit: Int
    let file: String

    init(limit: Int, file: String) {
        self.limit = limit
        self.file = file
    }

    mutating func reserve(_ capacity: Int) { bytes.reserveCapacity(capacity) }

    mutating func writeRow(_ fields: [ArraySlice<UInt8>]) throws(TableRejection) {
        let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\"")
        for (index, field) in fields.enumerated() {
            if index > 0 { bytes.append(comma) }
            let needsQuotes = field.contains { $0 == comma || $0 == quote || $0 == 0x0A || $0 == 0x0D }
                // A row of one empty field would be a blank line, which pandas skips.
                || (fields.count == 1 && field.isEmpty)
            if needsQuotes {
                bytes.append(quote)
                for byte in field {
                    if byte == quote { bytes.append(quote) }
                    bytes.append(byte)
                }
                bytes.append(quote)
            } else {
                bytes.append(contentsOf: field)
            }
        }
        bytes.append(0x0A)
        if bytes.count > limit {
            throw TableRejection(
                .tooLarge, file: file,
                reason: "the normalised table is over the cap of \(limit) bytes")
        }
    }
}

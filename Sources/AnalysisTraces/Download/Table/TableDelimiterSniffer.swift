/// Chooses the delimiter among `,` `;` tab `|` from the first records of the text.
///
/// Each candidate splits a sample (the first 200 records, within the first 1 MiB) with full
/// quote handling. A candidate is possible when it splits the header into 2 or more fields;
/// its consistency is the share of the sampled data rows that have the header's number of
/// fields (extra fields that are all empty, a trailing delimiter, count as matching). The most
/// consistent possible candidate wins; ties go to the one with more header fields, then to the
/// order `,` `;` tab `|`. A `.tsv` or `.tab` file name puts tab first, before the field count.
enum TableDelimiterSniffer {
    static let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t"), UInt8(ascii: "|")]
    static let sampleBytes = 1 << 20
    static let sampleRecords = 200

    struct Candidate {
        var delimiter: UInt8
        var headerFields: Int
        var consistency: Double
    }

    /// The chosen delimiter, or nil when no candidate splits the header into 2 or more fields.
    static func sniff(_ text: UnsafeBufferPointer<UInt8>, preferTab: Bool, file: String) -> Candidate? {
        var best: (candidate: Candidate, key: (Double, Int, Int, Int))?
        for (rank, delimiter) in candidates.enumerated() {
            guard let candidate = measure(text, delimiter: delimiter, file: file), candidate.headerFields >= 2 else { continue }
            let tabFirst = preferTab && delimiter == UInt8(ascii: "\t") ? 1 : 0
            let key = (candidate.consistency, tabFirst, candidate.headerFields, -rank)
            if let current = best, !(key > current.key) { continue }
            best = (candidate, key)
        }
        return best?.candidate
    }

    static func measure(_ text: UnsafeBufferPointer<UInt8>, delimiter: UInt8, file: String) -> Candidate? {
        var header: Int?
        var rows = 0
        var matching = 0
        // A quote this delimiter leaves open ends the sample; the full parse reports it if the
        // delimiter is chosen.
        try? TableCSVScanner.forEachRecord(in: text, delimiter: delimiter, end: sampleBytes, file: file) { record throws(TableRejection) in
            if record.isBlank { return true }
            guard let fields = header else {
                header = record.count
                return true
            }
            if record.isAllEmpty { return true }
            rows += 1
            if record.count == fields || (record.count > fields && (fields..<record.count).allSatisfy { record.isEmpty($0) }) {
                matching += 1
            }
            return rows < sampleRecords
        }
        guard let fields = header else { return nil }
        return Candidate(delimiter: delimiter, headerFields: fields, consistency: rows == 0 ? 1 : Double(matching) / Double(rows))
    }
}

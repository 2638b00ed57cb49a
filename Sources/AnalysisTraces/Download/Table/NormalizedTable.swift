/// A table as `TableExtractor.normalize` leaves it: UTF-8, comma-separated, header first,
/// `\n` line ends, RFC 4180 quoting where needed (a field is quoted only when it holds a comma,
/// a double quote, `\n` or `\r`; quotes inside are doubled), and what was found and changed.
///
/// `csv` loads in pandas as `read_csv(path, sep=",", encoding="utf-8",
/// keep_default_na=False, na_values=naValues)` (the sandbox's loader) to exactly `rows` rows
/// and `columns` columns, in this order and with these names.
public struct NormalizedTable: Sendable, Equatable {
    /// The normalised CSV bytes.
    public var csv: [UInt8]
    /// Data rows, not counting the header.
    public var rows: Int
    /// Column names in file order: unique, non-empty, without surrounding whitespace.
    public var columns: [String]
    /// The file the table came from: the member's path inside a zip, else the name given.
    public var sourceFile: String
    /// The other table members (CSV/TSV/TXT) of a zip that were not chosen, in archive order.
    public var otherTables: [String]
    /// The source's encoding: `utf-8`, `utf-8-sig` (a byte order mark was stripped),
    /// `windows-1252` or `latin-1`. The output is always UTF-8.
    public var detectedEncoding: String
    /// The source's delimiter: `,`, `;`, `\t` or `|`. The output always uses `,`.
    public var detectedDelimiter: String
    /// The NA tokens for the loader: `LoaderSettings.defaultNAValues` followed by any extra
    /// tokens found standing for missing values in otherwise numeric columns.
    public var naValues: [String]
    /// What was changed, one sentence each (renamed headers, dropped columns and rows,
    /// converted decimal commas, added NA tokens), in the order the changes were made.
    public var notes: [String]

    public init(
        csv: [UInt8], rows: Int, columns: [String], sourceFile: String, otherTables: [String],
        detectedEncoding: String, detectedDelimiter: String, naValues: [String], notes: [String]
    ) {
        self.csv = csv
        self.rows = rows
        self.columns = columns
        self.sourceFile = sourceFile
        self.otherTables = otherTables
        self.detectedEncoding = detectedEncoding
        self.detectedDelimiter = detectedDelimiter
        self.naValues = naValues
        self.notes = notes
    }

    /// The settings the sandbox loads `csv` with: comma, UTF-8 and `naValues`.
    public var loaderSettings: LoaderSettings {
        LoaderSettings(delimiter: ",", encoding: "utf-8", naValues: naValues)
    }
}

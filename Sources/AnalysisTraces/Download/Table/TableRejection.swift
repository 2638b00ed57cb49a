/// Why a download is not accepted as a table. `description` reads
/// `<file>: error: [table] <reason>` (with `:<line>` when a line is to blame), e.g.
/// `sales.csv:14: error: [table] row has 7 fields, the header 5; ...`.
public struct TableRejection: DiagnosticError, Equatable {
    /// The broad cause, for callers that treat some causes differently.
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// Over a size cap (input, output, archive entries, uncompressed size, ratio).
        case tooLarge
        /// An archive that cannot be read (damaged zip, truncated or corrupt gzip, tar).
        case badArchive
        /// The named member is not there, or no member is a table.
        case noTable
        /// An HTML or XML page, not a table.
        case html
        /// Binary content: NUL bytes, control characters, a known binary format.
        case binary
        /// No header row, a single column, too few rows, malformed rows, an unclosed quote.
        case notATable
    }

    public var kind: Kind
    /// The file (or archive member) the reason is about.
    public var file: String
    /// The 1-based line of the source the reason is about, when there is one.
    public var line: Int?
    /// What is wrong, lower case, and what was expected.
    public var reason: String

    public init(_ kind: Kind, file: String, line: Int? = nil, reason: String) {
        self.kind = kind
        self.file = file
        self.line = line
        self.reason = reason
    }

    public var diagnosticLocation: String? { line.map { "\(file):\($0)" } ?? file }
    public var diagnosticRule: String? { "table" }
    public var diagnosticMessage: String { reason }
}

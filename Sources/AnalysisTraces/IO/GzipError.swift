/// A gzip file could not be read or written: what happened, in which file, and where.
///
/// `offset` is a byte offset in the compressed file; `memberOffset` is where the gzip member
/// concerned starts; `line` is the 1-based number of the line being read when the problem was
/// found (lines count across members, as `zcat FILE | sed -n 'Np'` numbers them).
public struct GzipError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable {
        /// The bytes where a member should start are not the gzip magic `1f 8b`.
        case notGzip(found: [UInt8])
        /// The deflate stream or the gzip header is invalid; zlib's message.
        case corruptData(String)
        /// The CRC-32 in a member's trailer does not match the decompressed data.
        case crcMismatch
        /// The length (ISIZE) in a member's trailer does not match the decompressed data.
        case lengthMismatch
        /// The file ends inside a member (header, deflate data or trailer).
        case truncated
        /// A line is longer than the reader's limit.
        case lineTooLong(limit: Int)
        /// Members that checked a moment ago no longer read the same (the file was rewritten).
        case changedWhileReading
        /// zlib returned an unexpected code (a bug or resource exhaustion, not bad data).
        case zlib(code: Int32, message: String)
    }

    public var kind: Kind
    public var path: String
    /// The byte in the compressed file where the problem was found.
    public var offset: Int
    /// The byte where the member concerned starts, when the problem is inside a member.
    public var memberOffset: Int?
    /// The line being read when the problem was found, 1-based.
    public var line: Int?

    public init(_ kind: Kind, path: String, offset: Int, memberOffset: Int? = nil, line: Int? = nil) {
        self.kind = kind
        self.path = path
        self.offset = offset
        self.memberOffset = memberOffset
        self.line = line
    }

    /// `path:line: byte N: what happened`, without severity (see `diagnostic` for the compiler form).
    public var description: String {
        var location = path
        if let line { location += ":\(line)" }
        return "\(location): \(message)"
    }

    /// What happened and where, without the path and line.
    public var message: String {
        let member = memberOffset.map { " in the member starting at byte \($0)" } ?? ""
        switch kind {
        case .notGzip(let found):
            let foundText = found.isEmpty ? "the end of the file" : found.hexString(separator: " ")
            return offset == 0
                ? "not a gzip file: expected the magic bytes 1f 8b at byte 0, found \(foundText)"
                : "data after the last gzip member is not gzip: expected the magic bytes 1f 8b at byte \(offset), found \(foundText)"
        case .corruptData(let reason):
            return "corrupt deflate data at byte \(offset)\(member): \(reason)"
        case .crcMismatch:
            return "CRC-32 mismatch at byte \(offset)\(member): the trailer does not match the decompressed data"
        case .lengthMismatch:
            return "length mismatch at byte \(offset)\(member): the trailer's ISIZE does not match the decompressed data"
        case .truncated:
            return "truncated: the file ends at byte \(offset)\(member), expected the rest of the member and its trailer"
        case .lineTooLong(let limit):
            return "line longer than the limit of \(limit) bytes (near byte \(offset)\(member))"
        case .changedWhileReading:
            return "the file changed while it was being read (at byte \(offset))"
        case .zlib(let code, let message):
            return "zlib error \(code) at byte \(offset)\(member): \(message)"
        }
    }

    /// The error as a compiler-style diagnostic with the rule `gzip`.
    public var diagnostic: Diagnostic {
        Diagnostic(path: path, line: line, severity: .error, rule: "gzip", message: message)
    }
}

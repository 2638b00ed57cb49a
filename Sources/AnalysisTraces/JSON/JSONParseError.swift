/// A document that is not strict RFC 8259 JSON, with the byte offset where parsing stopped.
///
/// The description reads `at byte 17: unterminated string`. Readers of files add the file and
/// the line in front of it.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Zero-based offset, in bytes from the start of the parsed buffer, of the first byte that
    /// could not be accepted (the start of the offending token where that is more useful).
    public var offset: Int
    /// A lower-case statement of the problem, for example `unterminated string`.
    public var reason: String

    public init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    public var description: String { "at byte \(offset): \(reason)" }
}

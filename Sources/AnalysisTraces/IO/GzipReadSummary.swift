/// What a `GzipLineReader` pass read.
public struct GzipReadSummary: Equatable, Sendable {
    /// Lines handed to the caller.
    public var lines = 0
    /// Complete members whose lines were handed to the caller.
    public var members = 0
    /// The byte just after the last of those members (0 when there was none). Under
    /// `.completeMembersOnly` a damaged file can be cut here and appended to.
    public var goodOffset = 0
    /// Decompressed bytes handed to the caller, newlines included.
    public var uncompressedBytes = 0
    /// Under `.completeMembersOnly`: the damage that ended the read early; nil for a clean file.
    public var damagedTail: GzipDamagedTail?

    public init() {}
}

/// The part of a file after its last complete member that could not be read: a member cut off
/// by a killed writer, or corrupt bytes.
public struct GzipDamagedTail: Equatable, Sendable, CustomStringConvertible {
    /// What was found and where (kind, byte offset, member offset, line).
    public var cause: GzipError
    /// The byte just after the last complete member whose lines were handed out.
    public var goodOffset: Int
    /// Lines handed out, all from complete members.
    public var completeLines: Int
    /// The first line that was lost or damaged: `completeLines + 1`.
    public var firstDamagedLine: Int { completeLines + 1 }

    public init(cause: GzipError, goodOffset: Int, completeLines: Int) {
        self.cause = cause
        self.goodOffset = goodOffset
        self.completeLines = completeLines
    }

    public var description: String {
        "\(cause.path):\(firstDamagedLine): damaged tail after byte \(goodOffset) (\(completeLines) complete lines before it): \(cause.message)"
    }
}

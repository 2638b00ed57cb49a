#if canImport(Glibc)
import Glibc
#endif

/// Reads the lines of a gzip file, one member after another, without loading the file.
///
/// Memory is bounded: an input and an output buffer (`Options.bufferSize` each), the carry for a
/// line that spans buffers (at most `Options.maxLineLength`), and under `.completeMembersOnly`
/// the lines held back until their member's trailer checks (at most `Options.holdBackLimit`;
/// beyond that the reader verifies the members first and then inflates them again to hand
/// the lines out).
///
/// Lines are split at `\n` and handed without it; a final line without a newline is a line.
/// Line numbers are 1-based and count across members.
public final class GzipLineReader {
    /// What to do with a file whose tail is not a complete gzip member.
    public enum Policy: Sendable {
        /// Hand out lines as they are decompressed; a truncated or corrupt tail throws a
        /// `GzipError` with its byte offset and line, after the lines before it were handed out.
        case strict
        /// Hand out only the lines of members whose CRC-32 and length checked, then stop at the
        /// first damage and describe it in `GzipReadSummary.damagedTail` instead of throwing.
        /// A file that is not gzip from its first byte still throws.
        case completeMembersOnly
    }

    public struct Options: Sendable {
        /// The longest line accepted, in bytes (without the newline). Default 64 MiB.
        public var maxLineLength: Int
        /// Size of the input and of the output buffer. Default 256 KiB.
        public var bufferSize: Int
        /// Under `.completeMembersOnly`, the most decompressed bytes held back in memory while
        /// members are checked. Default 32 MiB.
        public var holdBackLimit: Int

        public init(maxLineLength: Int = 64 << 20, bufferSize: Int = 256 << 10, holdBackLimit: Int = 32 << 20) {
            self.maxLineLength = maxLineLength
            self.bufferSize = bufferSize
            self.holdBackLimit = holdBackLimit
        }
    }

    /// The file, as named in errors.
    public let path: String
    public let options: Options
    private let fd: Int32

    /// Opens `path` for reading.
    public init(path: String, options: Options = Options()) throws {
        self.path = path
        self.options = options
        self.fd = try POSIXFile.open(path, flags: O_RDONLY, operation: "open for reading")
    }

    deinit {
        _ = Glibc.close(fd)
    }

    /// Calls `body` with every line (its bytes, valid only during the call, and its 1-based
    /// number), from the start of the file. Errors thrown by `body` stop the read and propagate.
    ///
    /// Throws `GzipError` for a line over the limit and, under `.strict`, for any damage;
    /// `FileSystemError` when the file cannot be read.
    @discardableResult
    public func forEachLine(
        policy: Policy = .strict, _ body: (UnsafeRawBufferPointer, Int) throws -> Void
    ) throws -> GzipReadSummary {
        let scanner = try GzipMemberScanner(fileDescriptor: fd, path: path, bufferSize: options.bufferSize)
        var splitter = LineSplitter(maxLineLength: options.maxLineLength)
        do {
            switch policy {
            case .strict: return try readStrict(scanner, &splitter, body)
            case .completeMembersOnly: return try readCompleteMembers(scanner, &splitter, body)
            }
        } catch let tooLong as LineSplitter.LineTooLong {
            throw GzipError(
                .lineTooLong(limit: options.maxLineLength), path: path, offset: scanner.position,
                memberOffset: scanner.memberStart, line: tooLong.line)
        }
    }

    private func readStrict(
        _ scanner: GzipMemberScanner, _ splitter: inout LineSplitter,
        _ body: (UnsafeRawBufferPointer, Int) throws -> Void
    ) throws -> GzipReadSummary {
        var summary = GzipReadSummary()
        let end = try scanner.scan(
            from: 0,
            onOutput: { chunk in
                summary.uncompressedBytes += chunk.count
                try splitter.feed(chunk, body)
            },
            onMemberEnd: { _, memberEnd in
                summary.members += 1
                summary.goodOffset = memberEnd
                return true
            })
        switch end {
        case .endOfFile, .stopped:
            try splitter.finish(body)
            summary.lines = splitter.lineCount
            return summary
        case .damaged(var error):
            error.line = splitter.lineCount + 1
            throw error
        }
    }

    private func readCompleteMembers(
        _ scanner: GzipMemberScanner, _ splitter: inout LineSplitter,
        _ body: (UnsafeRawBufferPointer, Int) throws -> Void
    ) throws -> GzipReadSummary {
        var summary = GzipReadSummary()
        // Members after `committedOffset` are complete but end inside a line, so their bytes
        // wait in `pending` until a member ends on a line boundary (or the file ends cleanly).
        var committedOffset = 0
        var uncommittedMembers = 0
        var uncommittedBytes = 0
        var lastByte: UInt8 = 0x0A
        var pending: [UInt8] = []
        var overflowed = false
        var lastMemberEnd = 0

        func commit(through memberEnd: Int) throws {
            if overflowed {
                try replay(from: committedOffset, to: memberEnd, &splitter, body)
            } else {
                try pending.withUnsafeBytes { try splitter.feed($0, body) }
            }
            pending.removeAll(keepingCapacity: pending.capacity <= options.bufferSize * 4)
            overflowed = false
            summary.uncompressedBytes += uncommittedBytes
            summary.members += uncommittedMembers
            summary.goodOffset = memberEnd
            committedOffset = memberEnd
            uncommittedMembers = 0
            uncommittedBytes = 0
        }

        let end = try scanner.scan(
            from: 0,
            onOutput: { chunk in
                uncommittedBytes += chunk.count
                if let last = chunk.last { lastByte = last }
                guard !overflowed else { return }
                if pending.count + chunk.count > options.holdBackLimit {
                    overflowed = true
                    pending = []
                } else {
                    pending.append(contentsOf: chunk)
                }
            },
            onMemberEnd: { _, memberEnd in
                uncommittedMembers += 1
                lastMemberEnd = memberEnd
                if uncommittedBytes == 0 || lastByte == 0x0A { try commit(through: memberEnd) }
                return true
            })
        switch end {
        case .endOfFile, .stopped:
            if uncommittedMembers > 0 { try commit(through: lastMemberEnd) }
            try splitter.finish(body)
            summary.lines = splitter.lineCount
            return summary
        case .damaged(var error):
            error.line = splitter.lineCount + 1
            if case .notGzip = error.kind, error.offset == 0 { throw error }
            summary.lines = splitter.lineCount
            summary.damagedTail = GzipDamagedTail(
                cause: error, goodOffset: committedOffset, completeLines: splitter.lineCount)
            return summary
        }
    }

    /// Inflates the members in `start..<end` again, handing their lines straight out: used when
    /// the members were too large to hold back while they were being checked.
    private func replay(
        from start: Int, to end: Int, _ splitter: inout LineSplitter,
        _ body: (UnsafeRawBufferPointer, Int) throws -> Void
    ) throws {
        let scanner = try GzipMemberScanner(fileDescriptor: fd, path: path, bufferSize: options.bufferSize)
        let outcome = try scanner.scan(
            from: start,
            onOutput: { chunk in try splitter.feed(chunk, body) },
            onMemberEnd: { _, memberEnd in memberEnd < end })
        switch outcome {
        case .stopped(let offset) where offset == end:
            return
        case .damaged(var error):
            error.line = splitter.lineCount + 1
            throw error
        default:
            throw GzipError(
                .changedWhileReading, path: path, offset: start, memberOffset: start, line: splitter.lineCount + 1)
        }
    }
}

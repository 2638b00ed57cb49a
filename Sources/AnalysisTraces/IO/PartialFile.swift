#if canImport(Glibc)
import Glibc
#endif

/// The resumable progress of a long stage: `<target>.partial`, a gzip file of independently
/// flushed members, published to the target by a rename when the stage completes.
///
/// `open(resuming:)` hands every record of the existing partial's complete members back to the
/// caller (who skips that work), cuts off a damaged tail (a member a killed writer left
/// unfinished) and appends from there. Records are batched into members of
/// `Options.recordsPerMember`; each member is written and fsynced as soon as it is complete, so a
/// killed writer loses at most the batch it had not flushed, and a resumed run neither loses nor
/// duplicates a complete record. An exclusive `flock` keeps two processes off one partial file.
///
/// With one record per member (the default) the published file is byte-identical however often
/// the run was interrupted, as long as the records themselves are.
public final class PartialFile {
    public struct Options: Sendable {
        /// The gzip level, 0–9.
        public var level: Int
        /// Records per gzip member: the batch a killed writer can lose. At least 1.
        public var recordsPerMember: Int
        /// Whether each finished member is fsynced (the durability promise relies on it).
        public var syncEachMember: Bool
        /// How the existing partial is read on resume.
        public var reader: GzipLineReader.Options

        public init(
            level: Int = GzipWriter.defaultLevel, recordsPerMember: Int = 1, syncEachMember: Bool = true,
            reader: GzipLineReader.Options = GzipLineReader.Options()
        ) {
            self.level = level
            self.recordsPerMember = max(1, recordsPerMember)
            self.syncEachMember = syncEachMember
            self.reader = reader
        }
    }

    /// The conventional partial path for `target`: `<target>.partial`.
    public static func partialPath(for target: String) -> String { target + ".partial" }

    /// The file the partial will be published to.
    public let target: String
    /// The partial file itself.
    public let path: String
    public let options: Options
    /// Complete records in the file: those resumed plus those appended (flushed or not).
    public private(set) var recordCount = 0

    private var fd: Int32 = -1
    private var writer: GzipWriter?
    private var recordsInMember = 0

    /// Describes the partial for `target`; nothing is opened until `open(resuming:)`.
    public init(target: String, path: String? = nil, options: Options = Options()) {
        self.target = target
        self.path = path ?? Self.partialPath(for: target)
        self.options = options
    }

    deinit {
        if fd >= 0 { _ = Glibc.close(fd) }
    }

    /// Opens the partial file, creating it if needed, and locks it. Hands every record of its
    /// complete members to `body` (bytes without the newline, valid during the call, and the
    /// 1-based record number), then cuts the file after the last complete member and leaves it
    /// open for appending.
    ///
    /// Throws `GzipError` when the file is not gzip at all (it is left untouched),
    /// `FileSystemError` when it cannot be opened or another process holds it, and whatever
    /// `body` throws (the file is left untouched).
    @discardableResult
    public func open(resuming body: (UnsafeRawBufferPointer, Int) throws -> Void) throws -> PartialFileResume {
        guard fd < 0 else {
            throw FileSystemError(path: path, operation: "open the partial file a second time", errno: EBUSY)
        }
        let descriptor = try POSIXFile.open(path, flags: O_RDWR | O_CREAT | O_APPEND, operation: "open the partial file")
        do {
            while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
                if errno == EINTR { continue }
                let code = errno
                throw FileSystemError(
                    path: path, operation: "lock the partial file (another process is writing it?)", errno: code)
            }
            var resume = PartialFileResume()
            let size = try POSIXFile.size(descriptor, path: path)
            if size > 0 {
                let reader = try GzipLineReader(path: path, options: options.reader)
                let summary = try reader.forEachLine(policy: .completeMembersOnly, body)
                resume.records = summary.lines
                resume.goodOffset = summary.goodOffset
                resume.damagedTail = summary.damagedTail
                if summary.goodOffset < size {
                    // A killed writer's unfinished member (or padding, or damage) goes; every
                    // complete record before it stays.
                    try POSIXFile.truncate(descriptor, to: summary.goodOffset, path: path)
                    try POSIXFile.fsync(descriptor, path: path)
                    resume.discardedBytes = size - summary.goodOffset
                }
            } else {
                try POSIXFile.syncDirectory(containing: path)
            }
            writer = try GzipWriter(fileDescriptor: descriptor, path: path, level: options.level, closesDescriptor: false)
            fd = descriptor
            recordCount = resume.records
            recordsInMember = 0
            return resume
        } catch {
            _ = Glibc.close(descriptor)
            throw error
        }
    }

    /// Opens the partial file, discarding the records it holds (see `open(resuming:)`).
    @discardableResult
    public func open() throws -> PartialFileResume {
        try open(resuming: { _, _ in })
    }

    /// Appends one record (without a newline; it must not contain one). Finishes and flushes the
    /// member when it holds `recordsPerMember` records.
    public func append(_ record: UnsafeRawBufferPointer) throws {
        let writer = try openWriter()
        if let base = record.baseAddress, memchr(base, 0x0A, record.count) != nil {
            throw FileSystemError(path: path, operation: "append a record that contains a newline", errno: EINVAL)
        }
        try writer.writeLine(record)
        recordCount += 1
        recordsInMember += 1
        if recordsInMember >= options.recordsPerMember { try flush() }
    }

    /// Appends one record; see `append(_:)`.
    public func append(_ record: [UInt8]) throws {
        try record.withUnsafeBytes { try append($0) }
    }

    /// Ends the current member, if it has records, writes it and fsyncs it.
    public func flush() throws {
        let writer = try openWriter()
        recordsInMember = 0
        guard try writer.finishMember() else { return }
        if options.syncEachMember { try writer.sync() } else { try writer.flush() }
    }

    /// Flushes and closes the partial file, keeping it for a later resume (Ctrl-C, SIGTERM).
    public func close() throws {
        guard fd >= 0 else { return }
        try flush()
        writer = nil
        let descriptor = fd
        fd = -1
        try POSIXFile.close(descriptor, path: path)
    }

    /// Flushes, fsyncs and closes the partial file, then renames it to `target` and fsyncs the
    /// directory: the target appears complete and no partial is left behind. An empty partial
    /// gets one empty gzip member, so the target is always a valid gzip file.
    public func publish() throws {
        try publish(to: target)
    }

    /// `publish()` to another path.
    public func publish(to destination: String) throws {
        let writer = try openWriter()
        try flush()
        if try POSIXFile.size(fd, path: path) == 0 { try writer.close() }
        try POSIXFile.fsync(fd, path: path)
        self.writer = nil
        let descriptor = fd
        fd = -1
        try POSIXFile.close(descriptor, path: path)
        try POSIXFile.rename(path, to: destination)
        try POSIXFile.syncDirectory(containing: destination)
    }

    /// Closes and deletes the partial file (a run that starts over).
    public func discard() throws {
        writer = nil
        if fd >= 0 {
            _ = Glibc.close(fd)
            fd = -1
        }
        try POSIXFile.removeIfPresent(path)
    }

    private func openWriter() throws -> GzipWriter {
        guard let writer else {
            throw FileSystemError(path: path, operation: "write to the partial file before open() or after close()", errno: EBADF)
        }
        return writer
    }
}

/// What `PartialFile.open(resuming:)` found in an existing partial file.
public struct PartialFileResume: Equatable, Sendable {
    /// Complete records handed back.
    public var records = 0
    /// The byte after the last complete member, where appending continues.
    public var goodOffset = 0
    /// Bytes cut off after `goodOffset` (an unfinished member, padding or damage).
    public var discardedBytes = 0
    /// The damage that was cut off, if any.
    public var damagedTail: GzipDamagedTail?

    public init() {}
}

#if canImport(Glibc)
import Glibc
#endif
import CZlibSystem

/// Writes bytes into gzip members through a file descriptor, with large buffered writes.
///
/// A file is a sequence of gzip members. `finishMember()` ends the current member (deflate
/// `Z_FINISH`, then `deflateReset`), so every finished member is complete on its own and a file
/// cut after any member still reads cleanly. zlib's gzip header carries MTIME 0 and no name, so
/// identical input written with identical member boundaries gives byte-identical output.
///
/// Bytes are staged, compressed in large blocks, and written with `write(2)` when the output
/// buffer fills, on `flush()`, `sync()` and `close()`. Call `close()` when done: a writer dropped
/// without it releases its resources but does not write what it buffered.
public final class GzipWriter {
    /// How to open the file at a path.
    public enum OpenMode: Sendable {
        /// Create a new file; fail if one exists.
        case createNew
        /// Create the file or truncate an existing one.
        case truncate
        /// Create the file or append members to an existing one (`O_APPEND`).
        case append
    }

    /// zlib's compression levels: 0 (stored) to 9; 6 is zlib's and gzip's default.
    public static let defaultLevel = 6

    /// The file name used in error messages.
    public let path: String
    /// The compression level, 0–9.
    public let level: Int
    /// Uncompressed bytes accepted so far.
    public private(set) var uncompressedBytes = 0
    /// Compressed bytes handed to the file descriptor so far (buffered bytes are not counted).
    public private(set) var bytesWritten = 0
    /// Members finished by this writer.
    public private(set) var membersFinished = 0

    private let fd: Int32
    private let closesDescriptor: Bool
    private let stream: UnsafeMutablePointer<z_stream>
    private let staging: UnsafeMutableRawBufferPointer
    private var stagedCount = 0
    private let output: UnsafeMutableRawBufferPointer
    private var outputCount = 0
    private var memberHasInput = false
    private var isOpen = true

    /// Writes to an open descriptor. With `closesDescriptor`, `close()` and `deinit` close it.
    /// A level outside 0–9 is rejected by zlib (`GzipError.Kind.zlib`).
    public init(
        fileDescriptor: Int32, path: String, level: Int = GzipWriter.defaultLevel,
        closesDescriptor: Bool, bufferSize: Int = 256 * 1024
    ) throws {
        self.fd = fileDescriptor
        self.path = path
        self.level = level
        self.closesDescriptor = closesDescriptor
        let size = max(bufferSize, 4096)
        stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        staging = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        output = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        // windowBits 15 + 16: a gzip wrapper (MTIME 0, OS unix) around a 32 KiB-window deflate stream.
        let code = deflateInit2_(
            stream, Int32(level), Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
            zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        if code != Z_OK {
            // deinit runs for a fully initialised instance that throws: it frees the buffers,
            // closes an owned descriptor, and deflateEnd ignores a stream whose init failed.
            throw GzipError(.zlib(code: code, message: "deflateInit2 failed"), path: path, offset: 0)
        }
    }

    /// Opens `path` (see `OpenMode`) and writes to it; `close()` closes the file.
    public convenience init(path: String, mode: OpenMode, level: Int = GzipWriter.defaultLevel) throws {
        let flags: Int32
        switch mode {
        case .createNew: flags = O_WRONLY | O_CREAT | O_EXCL
        case .truncate: flags = O_WRONLY | O_CREAT | O_TRUNC
        case .append: flags = O_WRONLY | O_CREAT | O_APPEND
        }
        let fd = try POSIXFile.open(path, flags: flags, operation: "open for writing")
        try self.init(fileDescriptor: fd, path: path, level: level, closesDescriptor: true)
    }

    deinit {
        deflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        staging.deallocate()
        output.deallocate()
        if isOpen && closesDescriptor { _ = Glibc.close(fd) }
    }

    /// Appends raw bytes to the current member.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        try requireOpen()
        guard !bytes.isEmpty else { return }
        memberHasInput = true
        uncompressedBytes += bytes.count
        if stagedCount + bytes.count <= staging.count {
            UnsafeMutableRawBufferPointer(rebasing: staging[stagedCount...]).copyMemory(from: bytes)
            stagedCount += bytes.count
            if stagedCount == staging.count { try compressStaged(flush: Z_NO_FLUSH) }
            return
        }
        try compressStaged(flush: Z_NO_FLUSH)
        if bytes.count < staging.count {
            staging.copyMemory(from: bytes)
            stagedCount = bytes.count
        } else {
            try compress(bytes, flush: Z_NO_FLUSH)
        }
    }

    /// Appends `bytes` followed by a newline.
    public func writeLine(_ bytes: UnsafeRawBufferPointer) throws {
        try write(bytes)
        try writeNewline()
    }

    /// Appends `bytes` followed by a newline.
    public func writeLine(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
        try writeNewline()
    }

    /// Appends the UTF-8 bytes of `text` followed by a newline.
    public func writeLine(_ text: String) throws {
        var text = text
        try text.withUTF8 { try write(UnsafeRawBufferPointer($0)) }
        try writeNewline()
    }

    /// Ends the current member if anything was written to it since it began; returns whether it
    /// did. The member's bytes stay buffered until the next `flush()`, `sync()` or `close()`.
    @discardableResult
    public func finishMember() throws -> Bool {
        try requireOpen()
        guard memberHasInput else { return false }
        try endMember()
        return true
    }

    /// Compresses what is staged and writes every buffered compressed byte to the descriptor.
    /// The member stays open: what zlib holds back for the current member is written when the
    /// member ends.
    public func flush() throws {
        try requireOpen()
        try compressStaged(flush: Z_NO_FLUSH)
        try drainOutput()
    }

    /// `flush()`, then `fsync(2)`, so that everything written so far is on disk.
    public func sync() throws {
        try flush()
        try POSIXFile.fsync(fd, path: path)
    }

    /// Ends the open member, writes everything and closes the descriptor if the writer owns it.
    /// A writer that never wrote a member writes one empty member, so a file without lines is
    /// still a valid gzip file. Does not fsync; call `sync()` first when durability matters.
    public func close() throws {
        guard isOpen else { return }
        if memberHasInput || membersFinished == 0 { try endMember() }
        try drainOutput()
        isOpen = false
        if closesDescriptor { try POSIXFile.close(fd, path: path) }
    }

    // MARK: - Internals

    private static let newline: [UInt8] = [0x0A]

    private func writeNewline() throws {
        if stagedCount < staging.count {
            staging[stagedCount] = 0x0A
            stagedCount += 1
            uncompressedBytes += 1
            memberHasInput = true
            if stagedCount == staging.count { try compressStaged(flush: Z_NO_FLUSH) }
        } else {
            try Self.newline.withUnsafeBytes { try write($0) }
        }
    }

    private func requireOpen() throws {
        guard isOpen else {
            throw GzipError(.zlib(code: Z_STREAM_ERROR, message: "the writer is closed"), path: path, offset: bytesWritten)
        }
    }

    private func endMember() throws {
        try compressStaged(flush: Z_FINISH)
        let code = deflateReset(stream)
        guard code == Z_OK else { throw zlibError(code, "deflateReset failed") }
        memberHasInput = false
        membersFinished += 1
    }

    private func compressStaged(flush: Int32) throws {
        let staged = UnsafeRawBufferPointer(rebasing: staging[..<stagedCount])
        stagedCount = 0
        try compress(staged, flush: flush)
    }

    /// Runs deflate over `bytes` with `flush` until zlib has taken all input (and, for
    /// `Z_FINISH`, written the trailer), writing the output buffer whenever it fills.
    private func compress(_ bytes: UnsafeRawBufferPointer, flush: Int32) throws {
        if bytes.isEmpty && flush == Z_NO_FLUSH { return }
        let input = bytes.baseAddress.map { UnsafeMutablePointer(mutating: $0.assumingMemoryBound(to: Bytef.self)) }
        stream.pointee.next_in = input
        stream.pointee.avail_in = uInt(bytes.count)
        defer {
            stream.pointee.next_in = nil
            stream.pointee.avail_in = 0
        }
        while true {
            if outputCount == output.count { try drainOutput() }
            let space = output.count - outputCount
            stream.pointee.next_out = output.baseAddress.map { ($0 + outputCount).assumingMemoryBound(to: Bytef.self) }
            stream.pointee.avail_out = uInt(space)
            let code = deflate(stream, flush)
            outputCount += space - Int(stream.pointee.avail_out)
            switch code {
            case Z_STREAM_END:
                return
            case Z_OK, Z_BUF_ERROR:
                // Done with a non-finishing call once zlib took all input and had room to spare.
                if flush != Z_FINISH && stream.pointee.avail_in == 0 && stream.pointee.avail_out > 0 { return }
                if code == Z_BUF_ERROR && stream.pointee.avail_out > 0 {
                    throw zlibError(code, "deflate made no progress")
                }
            default:
                throw zlibError(code, "deflate failed")
            }
        }
    }

    private func drainOutput() throws {
        guard outputCount > 0 else { return }
        try POSIXFile.writeAll(fd, UnsafeRawBufferPointer(rebasing: output[..<outputCount]), path: path)
        bytesWritten += outputCount
        outputCount = 0
    }

    private func zlibError(_ code: Int32, _ context: String) -> GzipError {
        let detail = stream.pointee.msg.map { String(cString: $0) } ?? context
        return GzipError(.zlib(code: code, message: detail), path: path, offset: bytesWritten + outputCount)
    }
}

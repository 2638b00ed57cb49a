#if canImport(Glibc)
import Glibc
#endif
import CZlibSystem

/// Walks the gzip members of a file (or of bytes in memory) from a byte offset, inflating each
/// and reporting where every member ends: the one inflate loop of the package. Skips zero
/// padding between members. Owns its z_stream and bounded buffers; reads a file with
/// `pread(2)`, so several scanners can walk one descriptor.
final class GzipMemberScanner {
    /// Where the compressed bytes come from.
    private enum Source {
        case file(Int32)
        case memory([UInt8])
    }

    /// How a scan ended.
    enum End {
        /// No more members: `offset` is the end of the file.
        case endOfFile(offset: Int)
        /// `onMemberEnd` asked to stop after the member that ends at `offset`.
        case stopped(offset: Int)
        /// The data at the end is not a complete, valid member.
        case damaged(GzipError)
    }

    let path: String
    private let source: Source
    private let stream: UnsafeMutablePointer<z_stream>
    private let input: UnsafeMutableRawBufferPointer
    private let output: UnsafeMutableRawBufferPointer
    /// File offset of `input[0]`.
    private var inputFileOffset = 0
    private var inputStart = 0
    private var inputEnd = 0
    private var reachedEndOfFile = false
    /// Where the member being inflated starts.
    private(set) var memberStart = 0

    /// A scanner of the file open at `fileDescriptor`, named `path` in errors.
    convenience init(fileDescriptor: Int32, path: String, bufferSize: Int) throws {
        try self.init(source: .file(fileDescriptor), path: path, bufferSize: bufferSize)
    }

    /// A scanner of `bytes` held in memory (a downloaded `.gz`), named `path` in errors.
    convenience init(bytes: [UInt8], path: String, bufferSize: Int) throws {
        try self.init(source: .memory(bytes), path: path, bufferSize: bufferSize)
    }

    private init(source: Source, path: String, bufferSize: Int) throws {
        self.source = source
        self.path = path
        let size = max(bufferSize, 4096)
        stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        input = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        output = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        // windowBits 15 + 16: gzip only (a zlib or raw stream is not accepted).
        let code = inflateInit2_(stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        if code != Z_OK {
            // deinit frees the buffers; inflateEnd ignores a stream whose init failed.
            throw GzipError(.zlib(code: code, message: "inflateInit2 failed"), path: path, offset: 0)
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        input.deallocate()
        output.deallocate()
    }

    /// The file offset of the next byte not yet given to zlib.
    var position: Int { inputFileOffset + inputStart }

    /// Inflates members from `offset` on. `onOutput` receives every chunk of decompressed bytes
    /// (valid only during the call); `onMemberEnd(start, end)` runs once a member's trailer has
    /// checked and returns whether to go on. Errors thrown by the closures propagate unchanged.
    func scan(
        from offset: Int,
        onOutput: (UnsafeRawBufferPointer) throws -> Void,
        onMemberEnd: (Int, Int) throws -> Bool
    ) throws -> End {
        inputFileOffset = offset
        inputStart = 0
        inputEnd = 0
        reachedEndOfFile = false
        while true {
            // Zero padding between members (some tools pad to a block size) is skipped.
            while true {
                guard try ensureAvailable(1) else { return .endOfFile(offset: position) }
                while inputStart < inputEnd && input[inputStart] == 0 { inputStart += 1 }
                if inputStart < inputEnd { break }
            }
            memberStart = position
            _ = try ensureAvailable(2)
            let available = inputEnd - inputStart
            if available < 2 || input[inputStart] != 0x1F || input[inputStart + 1] != 0x8B {
                if available == 1 && input[inputStart] == 0x1F {
                    return .damaged(error(.truncated, at: position + 1))
                }
                let found = (0..<min(available, 4)).map { input[inputStart + $0] }
                return .damaged(GzipError(.notGzip(found: found), path: path, offset: memberStart))
            }
            let code = inflateReset(stream)
            guard code == Z_OK else { throw error(.zlib(code: code, message: "inflateReset failed"), at: position) }
            if let damage = try inflateMember(onOutput: onOutput) { return .damaged(damage) }
            if !(try onMemberEnd(memberStart, position)) { return .stopped(offset: position) }
        }
    }

    /// Inflates one member to its trailer; returns the damage that stopped it, or nil when the
    /// member is complete and its CRC-32 and length checked.
    private func inflateMember(onOutput: (UnsafeRawBufferPointer) throws -> Void) throws -> GzipError? {
        while true {
            if inputStart == inputEnd {
                guard try ensureAvailable(1) else { return error(.truncated, at: position) }
            }
            let offered = inputEnd - inputStart
            stream.pointee.next_in = input.baseAddress.map { ($0 + inputStart).assumingMemoryBound(to: Bytef.self) }
            stream.pointee.avail_in = uInt(offered)
            stream.pointee.next_out = output.baseAddress.map { $0.assumingMemoryBound(to: Bytef.self) }
            stream.pointee.avail_out = uInt(output.count)
            let code = inflate(stream, Z_NO_FLUSH)
            let consumed = offered - Int(stream.pointee.avail_in)
            let produced = output.count - Int(stream.pointee.avail_out)
            inputStart += consumed
            stream.pointee.next_in = nil
            stream.pointee.avail_in = 0
            if produced > 0 { try onOutput(UnsafeRawBufferPointer(rebasing: output[..<produced])) }
            switch code {
            case Z_STREAM_END:
                return nil
            case Z_OK:
                continue
            case Z_BUF_ERROR:
                // No progress was possible with the input at hand: it needs more, and a file that
                // has none left ends inside the member.
                if consumed == 0 && produced == 0 {
                    compact()
                    guard try readMore() else { return error(.truncated, at: position) }
                }
            case Z_DATA_ERROR:
                let message = stream.pointee.msg.map { String(cString: $0) } ?? "invalid data"
                switch message {
                case "incorrect data check": return error(.crcMismatch, at: position)
                case "incorrect length check": return error(.lengthMismatch, at: position)
                default: return error(.corruptData(message), at: position)
                }
            case Z_NEED_DICT:
                return error(.corruptData("the stream asks for a preset dictionary"), at: position)
            default:
                let message = stream.pointee.msg.map { String(cString: $0) } ?? "inflate failed"
                throw error(.zlib(code: code, message: message), at: position)
            }
        }
    }

    private func error(_ kind: GzipError.Kind, at offset: Int) -> GzipError {
        GzipError(kind, path: path, offset: offset, memberOffset: memberStart)
    }

    /// Makes at least `count` unconsumed bytes available unless the file ends first; returns
    /// whether it did.
    private func ensureAvailable(_ count: Int) throws -> Bool {
        while inputEnd - inputStart < count {
            compact()
            guard try readMore() else { return false }
        }
        return true
    }

    /// Moves the unconsumed bytes to the front of the input buffer.
    private func compact() {
        guard inputStart > 0, let base = input.baseAddress else { return }
        let remaining = inputEnd - inputStart
        if remaining > 0 { memmove(base, base + inputStart, remaining) }
        inputFileOffset += inputStart
        inputStart = 0
        inputEnd = remaining
    }

    /// Reads into the free end of the input buffer; returns false at the end of the file.
    private func readMore() throws -> Bool {
        guard !reachedEndOfFile, inputEnd < input.count, let base = input.baseAddress else { return false }
        let offset = inputFileOffset + inputEnd
        let wanted = input.count - inputEnd
        let got: Int
        switch source {
        case .file(let fd):
            got = try POSIXFile.read(fd, into: base + inputEnd, count: wanted, at: offset, path: path)
        case .memory(let bytes):
            got = max(0, min(wanted, bytes.count - offset))
            if got > 0 { bytes.withUnsafeBytes { (base + inputEnd).copyMemory(from: $0.baseAddress! + offset, byteCount: got) } }
        }
        if got == 0 {
            reachedEndOfFile = true
            return false
        }
        inputEnd += got
        return true
    }
}

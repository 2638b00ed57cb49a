#if canImport(Glibc)
import Glibc
#endif

/// Thin wrappers over the file system calls that the I/O layer uses: they retry on `EINTR`,
/// loop over short transfers and turn failures into `FileSystemError`.
enum POSIXFile {
    /// Opens `path` and returns the descriptor (always close-on-exec).
    static func open(_ path: String, flags: Int32, mode: mode_t = 0o644, operation: String) throws -> Int32 {
        while true {
            let fd = Glibc.open(path, flags | O_CLOEXEC, mode)
            if fd >= 0 { return fd }
            if errno == EINTR { continue }
            throw FileSystemError(path: path, operation: operation, errno: errno)
        }
    }

    /// Writes every byte of `buffer`, looping over short writes.
    static func writeAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer, path: String) throws {
        guard var base = buffer.baseAddress else { return }
        var remaining = buffer.count
        while remaining > 0 {
            let written = Glibc.write(fd, base, remaining)
            if written < 0 {
                if errno == EINTR { continue }
                throw FileSystemError(path: path, operation: "write", errno: errno)
            }
            remaining -= written
            base += written
        }
    }

    /// Reads up to `count` bytes at `offset` into `buffer`; returns the number read (0 at the end).
    static func read(_ fd: Int32, into buffer: UnsafeMutableRawPointer, count: Int, at offset: Int, path: String) throws -> Int {
        while true {
            let got = pread(fd, buffer, count, off_t(offset))
            if got >= 0 { return got }
            if errno == EINTR { continue }
            throw FileSystemError(path: path, operation: "read", errno: errno)
        }
    }

    static func fsync(_ fd: Int32, path: String) throws {
        while Glibc.fsync(fd) != 0 {
            if errno == EINTR { continue }
            throw FileSystemError(path: path, operation: "fsync", errno: errno)
        }
    }

    static func truncate(_ fd: Int32, to length: Int, path: String) throws {
        while ftruncate(fd, off_t(length)) != 0 {
            if errno == EINTR { continue }
            throw FileSystemError(path: path, operation: "truncate to \(length) bytes", errno: errno)
        }
    }

    static func size(_ fd: Int32, path: String) throws -> Int {
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw FileSystemError(path: path, operation: "stat", errno: errno)
        }
        return Int(info.st_size)
    }

    /// Closes `fd`. A failed close of a file that was written can mean lost data, so it throws.
    static func close(_ fd: Int32, path: String) throws {
        // Linux always releases the descriptor, even on EINTR; retrying could close a reused one.
        if Glibc.close(fd) != 0 && errno != EINTR {
            throw FileSystemError(path: path, operation: "close", errno: errno)
        }
    }

    /// Fsyncs the directory that holds `path`, so that a rename or a new entry in it is durable.
    static func syncDirectory(containing path: String) throws {
        let directory = directoryName(of: path)
        let fd = try open(directory, flags: O_RDONLY | O_DIRECTORY, operation: "open the directory")
        defer { _ = Glibc.close(fd) }
        try fsync(fd, path: directory)
    }

    static func rename(_ from: String, to: String) throws {
        if Glibc.rename(from, to) != 0 {
            throw FileSystemError(path: to, operation: "rename '\(from)' over it", errno: errno)
        }
    }

    /// Removes `path` if it exists; a missing file is not an error.
    static func removeIfPresent(_ path: String) throws {
        if unlink(path) != 0 && errno != ENOENT {
            throw FileSystemError(path: path, operation: "remove", errno: errno)
        }
    }

    /// The directory part of `path` (`.` for a bare name, `/` for a file in the root).
    static func directoryName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    /// The last component of `path`.
    static func baseName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}

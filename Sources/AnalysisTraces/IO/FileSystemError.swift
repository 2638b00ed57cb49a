#if canImport(Glibc)
import Glibc
#endif

/// A system call on a file failed: which file, what was being done, and the `errno` it returned.
public struct FileSystemError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file or directory the operation was about.
    public var path: String
    /// What was being done, as a lower-case verb phrase (`open for reading`, `rename over the target`).
    public var operation: String
    /// The `errno` value the call returned.
    public var errno: Int32

    public init(path: String, operation: String, errno: Int32) {
        self.path = path
        self.operation = operation
        self.errno = errno
    }

    /// The system's message for `errno` (`No such file or directory`).
    public var reason: String { String(cString: strerror(errno)) }

    public var description: String { "\(path): cannot \(operation): \(reason) (errno \(errno))" }
}

#if canImport(Glibc)
import Glibc
#endif

/// A file that appears at its target path complete or not at all.
///
/// Bytes go to a temporary file in the target's directory (`.<name>.tmp-<pid>-<random>`), which
/// `commit()` fsyncs, renames over the target and makes durable by fsyncing the directory. Until
/// then nothing exists at the target and an existing target is untouched; `discard()`, a thrown
/// error in the scoped helpers, cancellation, or dropping an uncommitted `AtomicFile` removes the
/// temporary. (A process killed outright leaves its temporary behind, never a partial target.)
public final class AtomicFile {
    private enum State { case open, committed, discarded }

    /// Where the file will appear.
    public let target: String
    /// The temporary file being written.
    public let temporaryPath: String
    /// The temporary file's descriptor, open for writing; closed by `commit()` and `discard()`.
    public let fileDescriptor: Int32
    private var state = State.open

    /// Creates the temporary file next to `target`.
    public init(target: String, permissions: mode_t = 0o644) throws {
        self.target = target
        let directory = POSIXFile.directoryName(of: target)
        let name = POSIXFile.baseName(of: target)
        var generator = SystemRandomNumberGenerator()
        var attempt = 0
        while true {
            let random = String(generator.next() as UInt64, radix: 16)
            let candidate = (directory == "." && !target.hasPrefix("./") ? "" : directory + "/")
                + ".\(name).tmp-\(getpid())-\(random)"
            do {
                fileDescriptor = try POSIXFile.open(
                    candidate, flags: O_WRONLY | O_CREAT | O_EXCL, mode: permissions,
                    operation: "create the temporary file for '\(target)'")
                temporaryPath = candidate
                break
            } catch let error as FileSystemError where error.errno == EEXIST && attempt < 8 {
                attempt += 1
            }
        }
    }

    deinit {
        if state == .open {
            _ = Glibc.close(fileDescriptor)
            _ = unlink(temporaryPath)
        }
    }

    /// Fsyncs and closes the temporary, renames it over the target and fsyncs the directory.
    /// On failure the temporary is removed and the target is as it was.
    public func commit() throws {
        guard state == .open else { return }
        do {
            try POSIXFile.fsync(fileDescriptor, path: temporaryPath)
            state = .discarded
            try POSIXFile.close(fileDescriptor, path: temporaryPath)
            try POSIXFile.rename(temporaryPath, to: target)
        } catch {
            if state == .open { _ = Glibc.close(fileDescriptor) }
            state = .discarded
            _ = unlink(temporaryPath)
            throw error
        }
        state = .committed
        try POSIXFile.syncDirectory(containing: target)
    }

    /// Closes and removes the temporary; the target is untouched.
    public func discard() {
        guard state == .open else { return }
        state = .discarded
        _ = Glibc.close(fileDescriptor)
        _ = unlink(temporaryPath)
    }

    /// Runs `body` on a new atomic file and commits it when `body` returns; a thrown error
    /// discards it and propagates.
    public static func write<Result>(
        to target: String, permissions: mode_t = 0o644, _ body: (AtomicFile) throws -> Result
    ) throws -> Result {
        let file = try AtomicFile(target: target, permissions: permissions)
        do {
            let result = try body(file)
            try file.commit()
            return result
        } catch {
            file.discard()
            throw error
        }
    }

    /// Like `write(to:permissions:_:)` for async work; if the task is cancelled the file is
    /// discarded and `CancellationError` is thrown instead of publishing.
    public static func write<Result>(
        to target: String, permissions: mode_t = 0o644, _ body: (AtomicFile) async throws -> Result
    ) async throws -> Result {
        let file = try AtomicFile(target: target, permissions: permissions)
        do {
            let result = try await body(file)
            try Task.checkCancellation()
            try file.commit()
            return result
        } catch {
            file.discard()
            throw error
        }
    }

    /// Writes a gzip file atomically: `body` writes through a `GzipWriter`, which is closed
    /// (its last member finished) before the file is committed.
    public static func writeGzip<Result>(
        to target: String, level: Int = GzipWriter.defaultLevel, _ body: (GzipWriter) throws -> Result
    ) throws -> Result {
        try write(to: target) { file in
            let writer = try GzipWriter(
                fileDescriptor: file.fileDescriptor, path: target, level: level, closesDescriptor: false)
            let result = try body(writer)
            try writer.close()
            return result
        }
    }

    /// The async form of `writeGzip(to:level:_:)`; cancellation discards the file.
    public static func writeGzip<Result>(
        to target: String, level: Int = GzipWriter.defaultLevel, _ body: (GzipWriter) async throws -> Result
    ) async throws -> Result {
        try await write(to: target) { file in
            let writer = try GzipWriter(
                fileDescriptor: file.fileDescriptor, path: target, level: level, closesDescriptor: false)
            let result = try await body(writer)
            try writer.close()
            return result
        }
    }
}

import Foundation
import Logging
import Synchronization

/// A swift-log handler that writes one line per message to standard error, and to a log file
/// when one is given: `2026-11-29T13:05:12Z info episode-gen: dataset done dataset=penguins`.
///
/// Only stage commands install it (`LoggingSystem.bootstrap`); the library takes a `Logger`.
public struct StderrLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    private let label: String
    private let file: LogFile?

    public init(label: String, level: Logger.Level, file: LogFile? = nil) {
        self.label = label
        self.logLevel = level
        self.file = file
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        var line = "\(Date.now.formatted(.iso8601)) \(event.level) \(label): \(event.message)"
        for key in merged.keys.sorted() {
            line += " \(key)=\(merged[key].map { "\($0)" } ?? "")"
        }
        FileHandleStandardError.write(line)
        file?.append(line)
    }
}

/// A log file shared by every logger of the process; lines are appended whole.
public final class LogFile: Sendable {
    private let handle: Mutex<FileHandle>

    /// Opens `path` for appending, creating it and its folder when missing.
    public init(path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: path) {
            FileManager.default.createFile(atPath: path, contents: nil)
        }
        let handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        self.handle = Mutex(handle)
    }

    func append(_ line: String) {
        handle.withLock { try? $0.write(contentsOf: Data((line + "\n").utf8)) }
    }
}

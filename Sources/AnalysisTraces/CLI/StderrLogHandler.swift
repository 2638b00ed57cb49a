import ArgumentParser
import Foundation
import Logging

/// A swift-log handler that writes one line per message to standard error:
/// `2026-11-29T13:05:12Z info episode-gen: dataset done dataset=penguins verified=41`.
///
/// Only stage commands install it (`LoggingSystem.bootstrap`); the library takes a `Logger`.
public struct StderrLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    private let label: String

    public init(label: String, level: Logger.Level) {
        self.label = label
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        var line = "\(Self.timestamp()) \(event.level) \(label): \(event.message)"
        for key in merged.keys.sorted() {
            line += " \(key)=\(merged[key].map { "\($0)" } ?? "")"
        }
        FileHandleStandardError.write(line)
    }

    private static func timestamp() -> String {
        Date.now.formatted(.iso8601)
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

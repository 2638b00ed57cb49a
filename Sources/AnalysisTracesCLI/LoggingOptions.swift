import ArgumentParser
import Logging

/// `--log-level`, `--quiet` and `--log-file`, shared by every stage through `@OptionGroup`.
public struct LoggingOptions: ParsableArguments {
    @Option(name: .long, help: "The least severe log messages to print on stderr: 'trace', 'debug', 'info', 'notice', 'warning', 'error' or 'critical'.")
    public var logLevel: Logger.Level = .info

    @Flag(name: .long, help: "Print only warnings and errors (same as '--log-level warning').")
    public var quiet: Bool = false

    @Option(name: .long, help: "Also append every log line to this file (the Makefile uses 'data/logs/<dataset>.<stage>.log').")
    public var logFile: String?

    public init() {}

    /// Installs the log handler for the whole process and returns the command's logger.
    public func bootstrap(label: String) throws -> Logger {
        let level: Logger.Level = quiet ? max(.warning, logLevel) : logLevel
        let file = try logFile.map { try LogFile(path: $0) }
        LoggingSystem.bootstrap { StderrLogHandler(label: $0, level: level, file: file) }
        return Logger(label: label)
    }
}

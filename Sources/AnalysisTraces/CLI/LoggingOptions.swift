import ArgumentParser
import Logging

/// `--log-level` and `--quiet`, shared by every stage through `@OptionGroup`.
public struct LoggingOptions: ParsableArguments {
    @Option(name: .long, help: "The least severe log messages to print on stderr: 'trace', 'debug', 'info', 'notice', 'warning', 'error' or 'critical'.")
    public var logLevel: Logger.Level = .info

    @Flag(name: .long, help: "Print only warnings and errors (same as '--log-level warning').")
    public var quiet: Bool = false

    public init() {}

    /// Installs the stderr handler for the whole process and returns the command's logger.
    public func bootstrap(label: String) -> Logger {
        let level: Logger.Level = quiet ? max(.warning, logLevel) : logLevel
        LoggingSystem.bootstrap { StderrLogHandler(label: $0, level: level) }
        return Logger(label: label)
    }
}

import ArgumentParser

/// The exit codes every stage shares (DESIGN.md §8).
public enum StageExitCode {
    /// The stage wrote its complete output (failed questions are data, not failures).
    public static let success = ExitCode(0)
    /// The stage could not produce its output; as a checker: problems were found.
    public static let failure = ExitCode(1)
    /// As a checker (`validate FILE`): the file could not be read.
    public static let unreadable = ExitCode(2)
    /// Bad invocation (ArgumentParser's `ValidationError`).
    public static let usage = ExitCode(64)
    /// Interrupted by SIGINT or SIGTERM.
    public static let interrupted = ExitCode(130)
}

/// Thrown by stages whose implementation has not landed yet: a clear message and exit 1,
/// never fake output.
public struct StageNotYetAvailable: Error, CustomStringConvertible {
    public let stage: String
    public let issue: String

    public init(stage: String, issue: String) {
        self.stage = stage
        self.issue = issue
    }

    public var description: String {
        "error: '\(stage)' is not yet available in this version (\(issue)); no output was written"
    }
}

import ArgumentParser

/// The exit codes every stage shares.
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

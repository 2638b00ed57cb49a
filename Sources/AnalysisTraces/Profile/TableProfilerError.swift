/// Why the profiler could not produce a profile or an overview.
public enum TableProfilerError: DiagnosticError, Equatable {
    /// The cell raised, timed out or lost its worker (`kind` is the exception class or the
    /// sandbox's own kind: `timeout`, `crashed`, `state_reset`, ...).
    case cellFailed(cell: String, kind: String, message: String)
    /// The cell finished without calling `submit`.
    case noSubmission(cell: String)
    /// The submitted value does not decode as a ``TableProfile``.
    case invalidProfile(RecordDecodingError)
    /// The submitted value has the wrong JSON type.
    case unexpectedValue(cell: String, expected: String, found: String)

    public var diagnosticLocation: String? { "table profiler" }

    public var diagnosticMessage: String {
        switch self {
        case .cellFailed(let cell, let kind, let message):
            "the \(cell) cell failed with \(kind): \(message); expected it to submit a value"
        case .noSubmission(let cell):
            "the \(cell) cell submitted nothing; expected one submit(...) call"
        case .invalidProfile(let error):
            "the submitted profile does not match TableProfile: \(error)"
        case .unexpectedValue(let cell, let expected, let found):
            "the \(cell) cell submitted a value of the wrong type; expected \(expected), found \(found)"
        }
    }
}

/// Why the sandbox could not start or serve a request. Cell failures are not errors: they are
/// data in `CellResult.execution`.
public enum SandboxError: DiagnosticError, Equatable {
    /// bubblewrap is not installed and the weaker mode was not asked for.
    case bubblewrapUnavailable(searched: [String])
    /// No venv interpreter was given or found.
    case noInterpreter
    /// The interpreter, the CSV or the Python folder does not exist.
    case missingFile(role: String, path: String)
    /// The zygote reported that it could not start (`kind` is `load`, `seccomp` or `import`).
    case zygoteFailed(kind: String, message: String)
    /// The zygote exited or stopped answering before it was ready.
    case zygoteDidNotStart(reason: String)
    /// The zygote refused or failed a request (a worker could not be forked, ...).
    case zygoteRequestFailed(operation: String, reason: String)
    /// A worker did not come up after it was forked.
    case workerDidNotStart(reason: String)
    /// A system call the host needs failed.
    case system(call: String, errno: Int32)
    /// The sandbox was shut down.
    case shutDown
    /// The task starting the sandbox was cancelled.
    case cancelled

    public var diagnosticLocation: String? { "sandbox" }

    public var diagnosticMessage: String {
        switch self {
        case .bubblewrapUnavailable(let searched):
            "bubblewrap is not installed, so code cannot be isolated; expected 'bwrap' in \(searched.joined(separator: ", ")), found none. Install it with 'apt-get install bubblewrap', or run without it (SandboxIsolation.unsafeNone), which lets cells read every file this user can read"
        case .noInterpreter:
            "no Python environment found; expected '.venv/bin/python' here or above (run 'make setup')"
        case .missingFile(let role, let path):
            "the \(role) does not exist; expected a file at '\(path)'"
        case .zygoteFailed(let kind, let message):
            if kind == "seccomp" {
                "the zygote could not load its seccomp filter: \(message). Install it with 'apt-get install python3-seccomp', or run without bubblewrap (SandboxIsolation.unsafeNone) only if you accept weaker isolation"
            } else {
                "the zygote could not start (\(kind)): \(message)"
            }
        case .zygoteDidNotStart(let reason):
            "the zygote did not become ready: \(reason)"
        case .zygoteRequestFailed(let operation, let reason):
            "the zygote could not \(operation): \(reason)"
        case .workerDidNotStart(let reason):
            "a worker did not become ready: \(reason)"
        case .system(let call, let errno):
            "\(call) failed: \(SandboxError.errnoText(errno)) (errno \(errno))"
        case .shutDown:
            "the sandbox was shut down; expected a running sandbox"
        case .cancelled:
            "the start was cancelled"
        }
    }

    static func errnoText(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "unknown error" }
        return String(cString: text)
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// Why the sandbox could not start or serve a request. Cell failures are not errors: they are
/// data in `CellResult.execution`.
public enum SandboxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// bubblewrap is not installed and the weaker mode was not asked for.
    case bubblewrapUnavailable(searched: [String])
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

    public var description: String {
        switch self {
        case .bubblewrapUnavailable(let searched):
            "sandbox: error: bubblewrap is not installed, so code cannot be isolated; expected 'bwrap' in \(searched.joined(separator: ", ")), found none. Install it with 'apt-get install bubblewrap', or pass '--isolation none' (SandboxIsolation.unsafeNone) to run without it, which lets cells read every file this user can read"
        case .missingFile(let role, let path):
            "sandbox: error: the \(role) does not exist; expected a file at '\(path)'"
        case .zygoteFailed(let kind, let message):
            if kind == "seccomp" {
                "sandbox: error: the zygote could not load its seccomp filter: \(message). Install it with 'apt-get install python3-seccomp', or pass '--isolation none' only if you accept weaker isolation"
            } else {
                "sandbox: error: the zygote could not start (\(kind)): \(message)"
            }
        case .zygoteDidNotStart(let reason):
            "sandbox: error: the zygote did not become ready: \(reason)"
        case .zygoteRequestFailed(let operation, let reason):
            "sandbox: error: the zygote could not \(operation): \(reason)"
        case .workerDidNotStart(let reason):
            "sandbox: error: a worker did not become ready: \(reason)"
        case .system(let call, let errno):
            "sandbox: error: \(call) failed: \(SandboxError.errnoText(errno)) (errno \(errno))"
        case .shutDown:
            "sandbox: error: the sandbox was shut down; expected a running sandbox"
        case .cancelled:
            "sandbox: error: the start was cancelled"
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

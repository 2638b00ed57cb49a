/// A notebook-like place to run cells: what the ``AgentLoop`` needs of a ``SandboxWorker``.
///
/// `run` never hangs and reports failures in the returned execution; it throws only when no
/// cell can be run at all (the sandbox is gone) or when the task is cancelled.
public protocol CellExecutor: Sendable {
    /// Restores a clean namespace.
    func reset() async throws
    /// Runs one cell in the current namespace, with the executor's default limit when `timeout`
    /// is nil.
    func run(_ code: String, timeout: Duration?) async throws -> CellResult
}

extension SandboxWorker: CellExecutor {}

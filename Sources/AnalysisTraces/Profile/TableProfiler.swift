/// Profiles the table a sandbox worker holds, by running the sandbox's `table_profile` module on
/// the frame the canonical loader produced (see <doc:Profiling> for the role rules).
///
/// The profile is computed where the code runs, so the dtypes, missing values and roles it
/// reports are exactly what every later cell sees.
public enum TableProfiler {
    /// The one cell the profiler runs: `table_profile` lives in the sandbox's Python folder,
    /// which is on the worker's `sys.path`.
    public static let cellCode = """
        import table_profile as _table_profile
        submit(_table_profile.profile(df))
        """

    /// Resets `worker` (so `df` is the loaded table again), runs ``cellCode`` and decodes the
    /// submitted profile.
    ///
    /// - Throws: ``TableProfilerError`` when the cell fails, submits nothing or submits a value
    ///   that is not a ``TableProfile``; `SandboxError` when the sandbox cannot run the cell;
    ///   `CancellationError` when the task is cancelled.
    public static func profile(on worker: SandboxWorker, timeout: Duration? = nil) async throws -> TableProfile {
        try await worker.reset()
        let result = try await worker.run(cellCode, timeout: timeout)
        return try decodeProfile(try submittedValue(result, cell: "profile"))
    }

    /// Decodes a submitted profile strictly (every key present, no unknown key).
    static func decodeProfile(_ value: JSONValue) throws(TableProfilerError) -> TableProfile {
        do {
            return try RecordDecoder().decode(TableProfile.self, from: value)
        } catch let error as RecordDecodingError {
            throw .invalidProfile(error)
        } catch {
            throw .invalidProfile(RecordDecodingError(path: "", message: "\(error)"))
        }
    }

    /// The value a profiler cell submitted, or the reason it has none.
    static func submittedValue(_ result: CellResult, cell: String) throws(TableProfilerError) -> JSONValue {
        let execution = result.execution
        if let error = execution.error {
            throw .cellFailed(cell: cell, kind: error.kind, message: error.message)
        }
        if execution.timedOut || execution.stateReset {
            throw .cellFailed(cell: cell, kind: execution.timedOut ? "timeout" : "state_reset",
                              message: execution.timedOut ? "the cell ran past its time limit" : "the worker was replaced while the cell ran")
        }
        for event in result.events {
            if case .submit(let value) = event { return value }
        }
        throw .noSubmission(cell: cell)
    }
}

import Foundation

/// The sandbox settings a stage is given before it knows its dataset: the isolation, each cell's
/// time limit, and the interpreter.
public struct SandboxSettings: Sendable {
    public var isolation: SandboxIsolation
    public var cellTimeout: Duration
    /// The venv interpreter; nil finds it as ``SandboxScript/python(explicit:environment:directory:)``
    /// does (`ANALYSIS_TRACES_PYTHON`, else `.venv/bin/python` here or in the nearest folder above).
    public var python: String?

    public init(isolation: SandboxIsolation = .bubblewrap, cellTimeout: Duration = .seconds(30), python: String? = nil) {
        self.isolation = isolation
        self.cellTimeout = cellTimeout
        self.python = python
    }

    /// The configuration for one dataset. Throws ``SandboxError/noInterpreter`` when no venv
    /// interpreter is found.
    public func configuration(
        for dataset: DatasetFolder, environment: [String: String] = ProcessInfo.processInfo.environment,
        directory: String = FileManager.default.currentDirectoryPath
    ) throws(SandboxError) -> SandboxConfiguration {
        guard let interpreter = SandboxScript.python(explicit: python, environment: environment, directory: directory) else {
            throw .noInterpreter
        }
        return SandboxConfiguration(
            csvPath: dataset.csvPath, loader: dataset.record.loader, python: interpreter, isolation: isolation,
            cellTimeout: cellTimeout)
    }
}

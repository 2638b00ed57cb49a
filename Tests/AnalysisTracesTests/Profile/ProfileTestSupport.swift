import Foundation
import Testing
@testable import AnalysisTraces
import TestSupport

/// Starts a real sandbox on a CSV, hands `body` one worker, and shuts everything down.
enum ProfileTestSandbox {
    /// Writes `csv` to a fresh temporary directory (removed on every path) and runs `body` on a
    /// worker of a sandbox over it.
    static func withWorker<R: Sendable>(
        csv: String, loader: LoaderSettings = LoaderSettings(), pythonFolder: String? = nil,
        _ body: @escaping (SandboxWorker) async throws -> R
    ) async throws -> R {
        let directory = try TemporaryDirectory()
        let path = directory.path("data.csv")
        try Data(csv.utf8).write(to: URL(fileURLWithPath: path))
        return try await withWorker(csvPath: path, loader: loader, pythonFolder: pythonFolder, body)
    }

    /// Runs `body` on a worker of a sandbox over an existing CSV file.
    static func withWorker<R: Sendable>(
        csvPath: String, loader: LoaderSettings = LoaderSettings(), pythonFolder: String? = nil,
        _ body: @escaping (SandboxWorker) async throws -> R
    ) async throws -> R {
        var configuration = SandboxConfiguration(csvPath: csvPath, loader: loader, python: SandboxTestEnvironment.python)
        configuration.cellTimeout = .seconds(60)
        configuration.pythonFolder = pythonFolder
        return try await withSandbox(configuration, logger: SandboxTestEnvironment.logger) { sandbox in
            let worker = try await sandbox.makeWorker(seed: 0)
            return try await body(worker)
        }
    }

    /// Profiles `csv` in a real sandbox.
    static func profile(csv: String, loader: LoaderSettings = LoaderSettings()) async throws -> TableProfile {
        try await withWorker(csv: csv, loader: loader) { worker in try await TableProfiler.profile(on: worker) }
    }
}

/// The bundled datasets under data/datasets/, each profiled at most once per test run.
actor BundledProfiles {
    static let shared = BundledProfiles()

    private var profiles: [String: Task<TableProfile, any Error>] = [:]

    static func dataset(_ id: String) throws -> Dataset {
        let bytes = try Data(contentsOf: BundledDatasets.folder(id).appendingPathComponent("dataset.json"))
        return try RecordDecoder().decode(Dataset.self, from: [UInt8](bytes))
    }

    func profile(_ id: String) async throws -> TableProfile {
        if let task = profiles[id] { return try await task.value }
        let task = Task<TableProfile, any Error> {
            let dataset = try Self.dataset(id)
            let csv = BundledDatasets.folder(id).appendingPathComponent("data.csv").path
            return try await ProfileTestSandbox.withWorker(csvPath: csv, loader: dataset.loader) { worker in
                try await TableProfiler.profile(on: worker)
            }
        }
        profiles[id] = task
        return try await task.value
    }
}

import Foundation
import Testing
@testable import AnalysisTraces

/// Starts a real sandbox on a CSV, hands `body` one worker, and shuts everything down.
enum ProfileTestSandbox {
    /// Writes `csv` to a fresh temporary directory (removed on every path) and runs `body` on a
    /// worker of a sandbox over it.
    static func withWorker<R: Sendable>(
        csv: String, loader: LoaderSettings = LoaderSettings(), pythonFolder: String? = nil,
        _ body: @escaping (SandboxWorker) async throws -> R
    ) async throws -> R {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("data.csv").path
            try Data(csv.utf8).write(to: URL(fileURLWithPath: path))
            return try await withWorker(csvPath: path, loader: loader, pythonFolder: pythonFolder, body)
        }
    }

    /// Runs `body` on a worker of a sandbox over an existing CSV file.
    static func withWorker<R: Sendable>(
        csvPath: String, loader: LoaderSettings = LoaderSettings(), pythonFolder: String? = nil,
        _ body: @escaping (SandboxWorker) async throws -> R
    ) async throws -> R {
        var configuration = SandboxConfiguration(csvPath: csvPath, loader: loader, python: SandboxTestEnvironment.python ?? "/nonexistent/python")
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

    static func withTemporaryDirectory<R>(_ body: (URL) async throws -> R) async throws -> R {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("profile-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try await body(directory)
    }
}

/// The bundled datasets under data/datasets/, each profiled at most once per test run.
actor BundledProfiles {
    static let shared = BundledProfiles()
    static let ids = [
        "penguins", "iris", "wine", "mauna_loa_co2", "us_macro_quarterly", "grunfeld_investment",
        "us_state_crime_2009", "seattle_weather",
    ]

    private var profiles: [String: Task<TableProfile, any Error>] = [:]

    static func folder(_ id: String) -> URL {
        SandboxTestEnvironment.repositoryRoot.appendingPathComponent("data/datasets/\(id)")
    }

    static func dataset(_ id: String) throws -> Dataset {
        let bytes = try Data(contentsOf: folder(id).appendingPathComponent("dataset.json"))
        return try RecordDecoder().decode(Dataset.self, from: [UInt8](bytes))
    }

    func profile(_ id: String) async throws -> TableProfile {
        if let task = profiles[id] { return try await task.value }
        let task = Task<TableProfile, any Error> {
            let dataset = try Self.dataset(id)
            let csv = Self.folder(id).appendingPathComponent("data.csv").path
            return try await ProfileTestSandbox.withWorker(csvPath: csv, loader: dataset.loader) { worker in
                try await TableProfiler.profile(on: worker)
            }
        }
        profiles[id] = task
        return try await task.value
    }
}

import Foundation
import TestSupport
@testable import AnalysisTraces

/// A temporary directory holding a small CSV, removed on every path.
struct SandboxFixture {
    let directory: URL
    var csv: String { directory.appendingPathComponent("data.csv").path }

    static let csvText = """
        id,group,value,label
        1,a,1.5,x
        2,a,2.5,y
        3,b,3.0,
        4,b,,z
        5,c,10.0,x
        6,c,12.5,NA

        """

    static func with<R>(_ body: (SandboxFixture) async throws -> R) async throws -> R {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let fixture = SandboxFixture(directory: directory)
        try Data(csvText.utf8).write(to: URL(fileURLWithPath: fixture.csv))
        return try await body(fixture)
    }

    func configuration(_ adjust: (inout SandboxConfiguration) -> Void = { _ in }) -> SandboxConfiguration {
        var configuration = SandboxConfiguration(csvPath: csv, python: SandboxTestEnvironment.python)
        configuration.cellTimeout = .seconds(5)
        configuration.watchdogGrace = .seconds(1)
        adjust(&configuration)
        return configuration
    }
}

/// Starts a sandbox on the fixture table with one worker, runs `body`, and shuts it down.
func withTestWorker<R: Sendable>(
    _ adjust: @escaping (inout SandboxConfiguration) -> Void = { _ in },
    _ body: @escaping (Sandbox, SandboxWorker) async throws -> R
) async throws -> R {
    try await SandboxFixture.with { fixture in
        try await withSandbox(fixture.configuration(adjust), logger: SandboxTestEnvironment.logger) { sandbox in
            let worker = try await sandbox.makeWorker(seed: 0)
            return try await body(sandbox, worker)
        }
    }
}

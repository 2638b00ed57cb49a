import Foundation
import Logging
import Testing
@testable import AnalysisTraces

/// What the sandbox's integration tests need, found once: the venv interpreter and bubblewrap.
enum SandboxTestEnvironment {
    static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url
    }()

    static let python: String? = {
        guard let found = SandboxScript.python(explicit: nil, environment: ProcessInfo.processInfo.environment, directory: repositoryRoot.path) else { return nil }
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: found)
        probe.arguments = ["-c", "import pandas, numpy, scipy, sklearn, statsmodels, sys; sys.path.append('/usr/lib/python3/dist-packages'); import seccomp"]
        probe.standardOutput = FileHandle.nullDevice
        probe.standardError = FileHandle.nullDevice
        do {
            try probe.run()
            probe.waitUntilExit()
        } catch {
            return nil
        }
        return probe.terminationStatus == 0 ? found : nil
    }()

    static let hasBubblewrap = FileManager.default.isExecutableFile(atPath: "/usr/bin/bwrap")

    /// True when the real sandbox can run here; tests that need it are skipped (not failed) otherwise.
    static var isAvailable: Bool { python != nil && hasBubblewrap }

    static let skipReason: Comment = "needs the project venv (make setup: pandas, numpy, scipy, scikit-learn, statsmodels, python3-seccomp) and bubblewrap (/usr/bin/bwrap)"

    static let logger: Logger = {
        var logger = Logger(label: "sandbox-tests")
        logger.logLevel = .warning
        return logger
    }()
}

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
        var configuration = SandboxConfiguration(csvPath: csv, python: SandboxTestEnvironment.python ?? "/nonexistent/python")
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

import Foundation

/// Runs a built stage binary and collects its exit status and output.
struct StageProcess {
    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The directory that holds the built products (the test bundle sits beside them).
    static var productsDirectory: URL {
        Bundle.main.bundleURL
    }

    /// `environment` replaces the test's own environment for the child when given.
    static func run(_ stage: String, _ arguments: [String], currentDirectory: URL? = nil, environment: [String: String]? = nil) throws -> Outcome {
        try run(executable: productsDirectory.appendingPathComponent(stage), arguments, currentDirectory: currentDirectory, environment: environment)
    }

    /// Runs any program (`make`, for one) the same way.
    static func run(executable: URL, _ arguments: [String], currentDirectory: URL? = nil, environment: [String: String]? = nil) throws -> Outcome {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        if let environment { process.environment = environment }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Drain both pipes while the child runs: waiting first would deadlock on large output.
        let group = DispatchGroup()
        nonisolated(unsafe) var outData = Data()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async { outData = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        group.enter()
        DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        group.wait()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// A temporary directory removed when the test's scope ends.
struct TemporaryDirectory: ~Copyable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("analysis-traces-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}

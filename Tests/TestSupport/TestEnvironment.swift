import AnalysisTraces
import Foundation
import Logging
import Testing

/// Where the tests find the repository, its bundled datasets and the sandbox's interpreter, and
/// whether the real sandbox can run here.
public enum SandboxTestEnvironment {
    /// The repository root (this file is Tests/TestSupport/TestEnvironment.swift).
    public static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    /// The sandbox's interpreter as the stages find it (`ANALYSIS_TRACES_PYTHON`, else the
    /// nearest `.venv`), or the repository's `.venv/bin/python` when there is none (and then
    /// `isAvailable` is false).
    public static let python: String =
        SandboxScript.python(explicit: nil, environment: ProcessInfo.processInfo.environment, directory: repositoryRoot.path)
        ?? repositoryRoot.appendingPathComponent(".venv/bin/python").path

    public static let hasBubblewrap = FileManager.default.isExecutableFile(atPath: "/usr/bin/bwrap")

    /// True when the real sandbox can run here: bubblewrap, and an interpreter that imports the
    /// sandbox's libraries and seccomp. Probed once per test run.
    public static var isAvailable: Bool {
        get async { await probe.value }
    }

    private static let probe = Task<Bool, Never> {
        guard hasBubblewrap, FileManager.default.isExecutableFile(atPath: python) else { return false }
        let imports = "import pandas, numpy, scipy, sklearn, statsmodels, sys; sys.path.append('/usr/lib/python3/dist-packages'); import seccomp"
        let outcome = try? await ChildProcess.run(python, ["-c", imports])
        return outcome?.status == 0 && outcome?.signaled == false
    }

    public static let skipReason: Comment =
        "needs the project venv (make setup: pandas, numpy, scipy, scikit-learn, statsmodels, python3-seccomp) and bubblewrap (/usr/bin/bwrap)"

    public static let logger: Logger = {
        var logger = Logger(label: "sandbox-tests")
        logger.logLevel = .warning
        return logger
    }()
}

extension Trait where Self == ConditionTrait {
    /// Runs a test or suite only where the real sandbox can run; skips it (with the reason) elsewhere.
    public static var requiresSandbox: Self {
        .enabled(SandboxTestEnvironment.skipReason) { await SandboxTestEnvironment.isAvailable }
    }
}

/// The datasets committed under data/datasets/: the ids in the table of its README.md, which
/// `stages/download/bundle_datasets.py` generates. Tests use these (or folders of their own),
/// never whatever else a user downloaded there.
public enum BundledDatasets {
    public static let folder = SandboxTestEnvironment.repositoryRoot.appendingPathComponent("data/datasets")

    public static let ids: [String] = {
        let readme = (try? String(contentsOf: folder.appendingPathComponent("README.md"), encoding: .utf8)) ?? ""
        return readme.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("| `") else { return nil }
            return line.dropFirst(3).prefix { $0 != "`" }.description
        }
    }()

    /// The folder of one bundled dataset.
    public static func folder(_ id: String) -> URL { folder.appendingPathComponent(id) }
}

/// A temporary directory owned by one test, removed when it goes out of scope.
public struct TemporaryDirectory: ~Copyable {
    public let url: URL

    public init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("analysis-traces-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    public var path: String { url.path }

    /// The path of `name` inside the directory.
    public func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}

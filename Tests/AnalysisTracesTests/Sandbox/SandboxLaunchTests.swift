import Foundation
import Testing
@testable import AnalysisTraces
import TestSupport
import AnalysisTracesCLI

@Suite(.timeLimit(.minutes(10))) struct SandboxLaunchTests {
    private static let paths = SandboxLaunch.Paths(
        venv: "/repo/.venv", python: "/repo/.venv/bin/python", pythonFolder: "/repo/build/Python",
        csv: "/repo/data/datasets/iris/data.csv", unsafeWorkingDirectory: "/tmp/sandbox-x")

    private static func configuration(_ isolation: SandboxIsolation) -> SandboxConfiguration {
        SandboxConfiguration(csvPath: "data/datasets/iris/data.csv", python: "/repo/.venv/bin/python", isolation: isolation, tmpfsBytes: 1 << 20)
    }

    @Test func bubblewrapCommandIsolatesTheZygote() {
        let launch = SandboxLaunch.make(configuration: Self.configuration(.bubblewrap), paths: Self.paths, bubblewrap: "/usr/bin/bwrap")
        #expect(launch.executable == "/usr/bin/bwrap")
        let arguments = launch.arguments
        let separator = try? #require(arguments.firstIndex(of: "--"))
        let options = Array(arguments[..<(separator ?? 0)])
        let joined = options.joined(separator: " ")
        for flags in [
            "--unshare-all --unshare-user --uid 65534 --gid 65534 --cap-drop ALL --clearenv --die-with-parent --new-session --as-pid-1",
            "--ro-bind /usr /usr --symlink usr/lib /lib --symlink usr/lib64 /lib64 --symlink usr/bin /bin --symlink usr/sbin /sbin",
            "--ro-bind /repo/.venv /repo/.venv",
            "--ro-bind /repo/build/Python /sandbox",
            "--ro-bind /repo/data/datasets/iris/data.csv /data/data.csv",
            "--size 1048576 --tmpfs /tmp --proc /proc --dev /dev --ro-bind /repo/.venv",
            "--remount-ro / --remount-ro /dev --chdir /tmp",
            "--setenv PYTHONHASHSEED 0",
            "--setenv OPENBLAS_NUM_THREADS 1",
            "--setenv SANDBOX_CONTROL_FD 3",
            "--setenv SANDBOX_CSV /data/data.csv",
            "--setenv HOME /tmp",
        ] {
            #expect(joined.contains(flags), "missing '\(flags)'")
        }
        // Nothing else of the host is bound: no writable bind, no other read-only path.
        #expect(!options.contains("--bind"))
        #expect(options.filter { $0 == "--ro-bind" }.count == 4)
        // The private /tmp is mounted before the host paths, so a checkout under /tmp stays visible.
        #expect((options.firstIndex(of: "--tmpfs") ?? .max) < (options.firstIndex(of: "/repo/.venv") ?? 0))
        // The read-only remounts come after the last mount (a later mount would need a writable root).
        let lastMount = options.lastIndex { ["--ro-bind", "--tmpfs", "--proc", "--dev", "--symlink"].contains($0) } ?? 0
        #expect((options.firstIndex(of: "--remount-ro") ?? 0) > lastMount)
        #expect(Array(arguments[((separator ?? 0) + 1)...]) == ["/repo/.venv/bin/python", "-s", "-P", "-B", "/sandbox/zygote.py"])
        let loader = options.firstIndex(of: "SANDBOX_LOADER").map { options[$0 + 1] }
        #expect(loader?.hasPrefix(#"{"delimiter":",","encoding":"utf-8","na_values":[""#) == true)
        let limits = options.firstIndex(of: "SANDBOX_LIMITS").map { options[$0 + 1] }
        #expect(limits == #"{"cell_timeout_s":30,"memory_bytes":2147483648,"file_size_bytes":67108864,"open_files":64,"max_output_bytes":65536,"abort_output_bytes":16777216,"repr_max_chars":10000}"#)
    }

    @Test func bindsAnInterpreterPrefixOutsideUsr() {
        var paths = Self.paths
        paths.extraReadOnly = ["/opt/python-3.11"]
        let launch = SandboxLaunch.make(configuration: Self.configuration(.bubblewrap), paths: paths, bubblewrap: "/usr/bin/bwrap")
        #expect(launch.arguments.joined(separator: " ").contains("--ro-bind /opt/python-3.11 /opt/python-3.11"))
    }

    @Test func unsafeModeRunsTheInterpreterDirectlyWithAnExplicitEnvironment() {
        let launch = SandboxLaunch.make(configuration: Self.configuration(.unsafeNone), paths: Self.paths, bubblewrap: "")
        #expect(launch.executable == "/repo/.venv/bin/python")
        #expect(launch.arguments == ["/repo/.venv/bin/python", "-s", "-P", "-B", "/repo/build/Python/zygote.py"])
        #expect(launch.environment.contains("SANDBOX_CSV=/repo/data/datasets/iris/data.csv"))
        #expect(launch.environment.contains("PYTHONHASHSEED=0"))
        #expect(launch.environment.contains("HOME=/tmp/sandbox-x"))
        #expect(launch.workingDirectory == "/tmp/sandbox-x")
        #expect(!launch.environment.contains { $0.hasPrefix("PATH=") })
    }

    @Test func refusesToStartWithoutBubblewrapAndSaysHowToFixIt() async throws {
        let configuration = SandboxConfiguration(csvPath: "/nonexistent.csv", python: "/nonexistent/python", bubblewrap: "/nonexistent/bwrap")
        do {
            _ = try await Sandbox.start(configuration, logger: SandboxTestEnvironment.logger)
            Issue.record("the sandbox started without bubblewrap")
        } catch let error as SandboxError {
            #expect(error == .bubblewrapUnavailable(searched: ["/nonexistent/bwrap"]))
            #expect(error.description.contains("apt-get install bubblewrap"))
            #expect(error.description.contains("run without it (SandboxIsolation.unsafeNone)"))
            #expect(!error.description.contains("--"), "the library names no command-line flag")
            #expect(CommandDiagnostics.text(for: error).contains("'--isolation none'"))
        }
    }

    @Test func refusesToStartWithoutTheInterpreter() async throws {
        let configuration = SandboxConfiguration(csvPath: "/nonexistent.csv", python: "/nonexistent/python", isolation: .unsafeNone)
        await #expect(throws: SandboxError.self) { _ = try await Sandbox.start(configuration, logger: SandboxTestEnvironment.logger) }
    }

    @Test func splitsAScriptIntoCellsAtPercentMarkers() {
        let script = "# %%\nx = 1\n  # %%  \n\n# %%\nprint(x)\ny = 2\n"
        #expect(SandboxScript.cells(in: script) == ["x = 1", "print(x)\ny = 2\n"])
        #expect(SandboxScript.cells(in: "1 + 1") == ["1 + 1"])
        #expect(SandboxScript.cells(in: "# %%\n\n").isEmpty)
    }

    @Test func findsThePythonFromTheFlagTheEnvironmentOrTheNearestVenv() throws {
        #expect(SandboxScript.python(explicit: "/a/python", environment: ["ANALYSIS_TRACES_PYTHON": "/b/python"], directory: "/") == "/a/python")
        #expect(SandboxScript.python(explicit: nil, environment: ["ANALYSIS_TRACES_PYTHON": "/b/python"], directory: "/") == "/b/python")
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("venv-search-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let bin = root.appendingPathComponent(".venv/bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let python = bin.appendingPathComponent("python")
        try Data("#!/bin/sh\n".utf8).write(to: python)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: python.path)
        let nested = root.appendingPathComponent("a/b")
        try FileManager.default.createDirectory(at: nested, withIntermediateDirectories: true)
        #expect(SandboxScript.python(explicit: nil, environment: [:], directory: nested.path) == python.path)
    }
}

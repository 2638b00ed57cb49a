import Foundation
import Logging

/// One zygote: a Python process, isolated by bubblewrap, that has imported the analysis
/// libraries and loaded one dataset, and forks a `SandboxWorker` per trace on request.
///
/// ```swift
/// try await withSandbox(configuration, logger: logger) { sandbox in
///     let worker = try await sandbox.makeWorker(seed: 0)
///     let result = try await worker.run("df.shape")
/// }
/// ```
///
/// A zygote that dies is restarted the next time a worker needs it. Call `shutdown()` (or use
/// `withSandbox`) so that no process outlives the sandbox.
public actor Sandbox {
    public nonisolated let configuration: SandboxConfiguration
    nonisolated let logger: Logger
    private nonisolated let thread: SandboxIOThread
    private nonisolated let controller: ZygoteController
    private let scratchDirectory: String?
    /// Versions of Python and the libraries inside the sandbox (`python`, `numpy`, `pandas`,
    /// `scipy`, `sklearn`, `statsmodels`).
    public private(set) var versions: [String: String]
    /// The loaded table: rows, columns and dtypes.
    public private(set) var table: SandboxTable
    private var isShutDown = false

    private init(configuration: SandboxConfiguration, logger: Logger, thread: SandboxIOThread, controller: ZygoteController, scratchDirectory: String?, ready: SandboxProtocol.ZygoteReady) {
        self.configuration = configuration
        self.logger = logger
        self.thread = thread
        self.controller = controller
        self.scratchDirectory = scratchDirectory
        self.versions = ready.versions
        self.table = ready.table
    }

    deinit {
        controller.emergencyKill()
        thread.stop()
        if let scratchDirectory { try? FileManager.default.removeItem(atPath: scratchDirectory) }
    }

    /// Starts a zygote and waits until it has loaded the table.
    ///
    /// Throws `SandboxError.bubblewrapUnavailable` when bubblewrap is missing and the isolation
    /// is `.bubblewrap`, `SandboxError.zygoteFailed` when the zygote cannot import the libraries,
    /// load the CSV or install seccomp, and `SandboxError.zygoteDidNotStart` when it dies first.
    public static func start(_ configuration: SandboxConfiguration, logger: Logger) async throws -> Sandbox {
        var bubblewrap = ""
        var scratch: String?
        switch configuration.isolation {
        case .bubblewrap:
            bubblewrap = try SandboxLaunch.findBubblewrap(configuration.bubblewrap)
        case .unsafeNone:
            logger.warning("UNSAFE: the sandbox runs WITHOUT bubblewrap. Cells can read every file this user can read and see this host's processes; only seccomp and rlimits apply. Use this mode only for code you trust.")
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-\(UUID().uuidString)").path
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw SandboxError.system(call: "mkdir \(directory)", errno: EACCES)
            }
            scratch = directory
        }
        let paths: SandboxLaunch.Paths
        do {
            paths = try SandboxLaunch.Paths.resolve(configuration, workingDirectory: scratch ?? "/tmp")
        } catch {
            if let scratch { try? FileManager.default.removeItem(atPath: scratch) }
            throw error
        }
        let launch = SandboxLaunch.make(configuration: configuration, paths: paths, bubblewrap: bubblewrap)
        logger.debug("Starting the sandbox zygote.", metadata: ["command": "\(launch.arguments.joined(separator: " "))"])
        let thread = SandboxIOThread(name: "sandbox-zygote")
        let controller = ZygoteController(configuration: configuration, launch: launch, logger: logger)
        do {
            let cancellation = ChannelCancellation()
            let ready = try await withTaskCancellationHandler {
                try await thread.perform { try controller.start(cancellation: cancellation) }
            } onCancel: {
                cancellation.cancel()
            }
            return Sandbox(configuration: configuration, logger: logger, thread: thread, controller: controller, scratchDirectory: scratch, ready: ready)
        } catch {
            controller.emergencyKill()
            thread.stop()
            if let scratch { try? FileManager.default.removeItem(atPath: scratch) }
            if case SandboxError.cancelled = error { throw CancellationError() }
            throw error
        }
    }

    /// Forks a worker with its own namespace, `random` and NumPy seeded with `seed`.
    public func makeWorker(seed: Int) async throws -> SandboxWorker {
        guard !isShutDown else { throw SandboxError.shutDown }
        let worker = SandboxWorker(sandbox: self, seed: seed)
        try await worker.start()
        return worker
    }

    /// Checks that the zygote answers, restarting it when it does not.
    public func ping() async throws {
        guard !isShutDown else { throw SandboxError.shutDown }
        let controller = controller
        let ready = try await thread.perform {
            try controller.ping()
            return controller.ready
        }
        refresh(ready)
    }

    /// The host pid of the process the sandbox spawned (bwrap, or the zygote itself in the
    /// unsafe mode), for diagnostics and memory measurements; nil after shutdown.
    public func hostProcessID() async -> Int32? {
        let controller = controller
        return try? await thread.perform { controller.hostPID }
    }

    /// Stops every worker and the zygote and waits for them; later calls throw `.shutDown`.
    public func shutdown() async {
        guard !isShutDown else { return }
        isShutDown = true
        let controller = controller
        _ = try? await thread.perform { controller.shutdown() }
        thread.stop()
        if let scratchDirectory { try? FileManager.default.removeItem(atPath: scratchDirectory) }
    }

    // MARK: For workers

    func spawnProcess(seed: Int) async throws -> ZygoteController.SpawnedWorker {
        guard !isShutDown else { throw SandboxError.shutDown }
        let controller = controller
        let (spawned, ready) = try await thread.perform {
            (try controller.spawnWorker(seed: seed), controller.ready)
        }
        refresh(ready)
        return spawned
    }

    @discardableResult
    func killProcess(pid: Int, generation: Int) async -> String? {
        guard !isShutDown else { return nil }
        let controller = controller
        return (try? await thread.perform { controller.killWorker(pid: pid, generation: generation) }) ?? nil
    }

    /// Takes the zygote's latest `ready` facts (a restarted zygote reports them again).
    private func refresh(_ ready: SandboxProtocol.ZygoteReady?) {
        if let ready {
            versions = ready.versions
            table = ready.table
        }
    }
}

/// Starts a sandbox, runs `body` with it, and shuts it down on every path.
public func withSandbox<R: Sendable>(
    _ configuration: SandboxConfiguration, logger: Logger,
    _ body: (Sandbox) async throws -> R
) async throws -> R {
    let sandbox = try await Sandbox.start(configuration, logger: logger)
    do {
        let result = try await body(sandbox)
        await sandbox.shutdown()
        return result
    } catch {
        await sandbox.shutdown()
        throw error
    }
}

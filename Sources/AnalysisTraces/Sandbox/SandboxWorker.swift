#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Logging

/// A forked Python worker with a persistent namespace, like a notebook kernel: variables
/// survive from one cell to the next until `reset()`.
///
/// Runs one cell at a time (concurrent calls wait their turn). Nothing it does can block
/// forever: the in-worker alarm stops most slow cells and keeps the namespace; when the alarm
/// does not work, the host's watchdog kills the worker and forks a fresh one.
public actor SandboxWorker {
    private struct Connection {
        var channel: FrameChannel
        var pid: Int
        var generation: Int
    }

    /// What ended an exchange with the worker without a valid reply.
    enum Failure {
        case watchdog
        case crashed(FrameChannelError)
    }

    private nonisolated let sandbox: Sandbox
    /// The seed of `random` and NumPy in this worker (and in every replacement).
    public nonisolated let seed: Int
    private nonisolated let thread: SandboxIOThread
    private nonisolated let configuration: SandboxConfiguration
    private nonisolated let logger: Logger
    private var connection: Connection?
    /// Set when the namespace was lost outside a cell (a cancelled cell, a PSS recycle); the
    /// next result reports `stateReset`.
    private var pendingStateReset = false
    private var nextID = 1

    private static let readyTimeout: Duration = .seconds(30)

    init(sandbox: Sandbox, seed: Int) {
        self.sandbox = sandbox
        self.seed = seed
        self.configuration = sandbox.configuration
        self.logger = sandbox.logger
        self.thread = SandboxIOThread(name: "sandbox-worker")
    }

    deinit {
        // Closing the socket ends the worker (it exits at end of stream); the zygote reaps it.
        connection?.channel.close()
        thread.stop()
    }

    func start() async throws {
        try await respawn()
    }

    /// Runs a cell. Never hangs: the in-worker alarm, then the host watchdog (kill + respawn,
    /// the result has `stateReset` and error kind `timeout`); a crashed worker is respawned
    /// (`stateReset`, error kind `crashed`); a worker whose PSS exceeded the limit is recycled
    /// after the cell (the next result says `stateReset`). A crashed zygote is restarted.
    ///
    /// Throws only when the sandbox cannot provide a worker at all (`SandboxError`), or
    /// `CancellationError` when the task is cancelled (the worker is then killed, and the next
    /// result reports `stateReset`).
    public func run(_ code: String, timeout: Duration? = nil) async throws -> CellResult {
        let limit = timeout ?? configuration.cellTimeout
        var stateReset = pendingStateReset
        if connection == nil {
            try await respawn()
            stateReset = true
        }
        pendingStateReset = false
        guard let connection else { throw SandboxError.shutDown }
        let id = takeID()
        let request = SandboxProtocol.exec(id: id, code: code, timeoutSeconds: limit.seconds)
        let deadline = ContinuousClock.now + limit + configuration.watchdogGrace
        let started = ContinuousClock.now
        let outcome: Result<SandboxProtocol.CellReply, FrameChannelError> = await exchange(connection.channel, request: request, deadline: deadline) { (reply: JSONValue) in
            _ = try SandboxProtocol.replyType(reply, id: id, types: ["result"])
            return try SandboxProtocol.cellReply(reply)
        }
        switch outcome {
        case .success(var reply):
            reply.execution.stateReset = stateReset
            if let pss = reply.pssBytes, pss > configuration.workerPSSLimitBytes {
                logger.info("Recycling a worker above its memory limit.", metadata: ["pss_bytes": "\(pss)", "limit": "\(configuration.workerPSSLimitBytes)"])
                await discard(connection)
                pendingStateReset = true
                await respawnForNextCell()
            }
            return CellResult(execution: reply.execution, events: reply.events, seconds: reply.seconds, pssBytes: reply.pssBytes)
        case .failure(.cancelled):
            await discard(connection)
            pendingStateReset = true
            throw CancellationError()
        case .failure(let failure):
            let seconds = (ContinuousClock.now - started).seconds
            let kind: Failure = failure == .timedOut ? .watchdog : .crashed(failure)
            let status = await discard(connection)
            await respawnForNextCell()
            return CellResult(execution: Self.lostExecution(kind, limit: limit, status: status), events: [], seconds: seconds, pssBytes: nil)
        }
    }

    /// Restores a clean namespace (`df` a fresh view of the shared frame, the modules, `submit`
    /// and `hook`). A worker that cannot reset is replaced, which is just as clean.
    public func reset() async throws {
        pendingStateReset = false
        guard let connection else {
            try await respawn()
            return
        }
        let id = takeID()
        let deadline = ContinuousClock.now + configuration.cellTimeout + configuration.watchdogGrace
        let outcome: Result<Void, FrameChannelError> = await exchange(connection.channel, request: SandboxProtocol.simple(id: id, op: "reset"), deadline: deadline) { (reply: JSONValue) in
            _ = try SandboxProtocol.replyType(reply, id: id, types: ["reset"])
        }
        switch outcome {
        case .success: return
        case .failure(.cancelled):
            await discard(connection)
            throw CancellationError()
        case .failure(let failure):
            logger.warning("A worker failed to reset; replacing it.", metadata: ["problem": "\(failure)"])
            await discard(connection)
            try await respawn()
        }
    }

    // MARK: Process management

    /// Forks a fresh worker through the zygote and waits for its `ready`.
    private func respawn() async throws {
        let spawned = try await sandbox.spawnProcess(seed: seed)
        let channel: FrameChannel
        do {
            channel = try FrameChannel(descriptor: spawned.descriptor, maxFrameBytes: configuration.maxFrameBytes)
        } catch {
            _ = Glibc.close(spawned.descriptor)
            await sandbox.killProcess(pid: spawned.pid, generation: spawned.generation)
            throw SandboxError.workerDidNotStart(reason: error.description)
        }
        let deadline = ContinuousClock.now + Self.readyTimeout
        do {
            let readyPID = try await thread.perform { () throws -> Int in
                let frame = try channel.receive(deadline: deadline)
                guard frame.descriptors.isEmpty else { throw FrameChannelError.malformed("unexpected descriptors in the worker's 'ready'") }
                return try SandboxProtocol.workerReady(SandboxProtocol.parse(frame))
            }
            if readyPID != spawned.pid {
                logger.debug("A worker reported another pid than the zygote.", metadata: ["zygote": "\(spawned.pid)", "worker": "\(readyPID)"])
            }
        } catch {
            channel.close()
            let status = await sandbox.killProcess(pid: spawned.pid, generation: spawned.generation)
            throw SandboxError.workerDidNotStart(reason: "\(error)" + (status.map { "; it \($0)" } ?? ""))
        }
        connection = Connection(channel: channel, pid: spawned.pid, generation: spawned.generation)
    }

    /// Replaces a lost worker now, so the next cell does not pay for it; when that fails the
    /// next `run` tries again and reports the failure.
    private func respawnForNextCell() async {
        do {
            try await respawn()
        } catch {
            logger.warning("Could not replace a worker; the next cell will try again.", metadata: ["problem": "\(error)"])
        }
    }

    /// Kills and forgets the current worker; returns its exit status as the zygote saw it.
    @discardableResult
    private func discard(_ old: Connection) async -> String? {
        if connection?.pid == old.pid && connection?.generation == old.generation { connection = nil }
        old.channel.close()
        return await sandbox.killProcess(pid: old.pid, generation: old.generation)
    }

    /// Sends `request` and reads one reply on the worker's thread, decoding it there.
    private func exchange<T: Sendable>(
        _ channel: FrameChannel, request: [UInt8], deadline: ContinuousClock.Instant,
        decode: @escaping @Sendable (JSONValue) throws -> T
    ) async -> Result<T, FrameChannelError> {
        let cancellation = ChannelCancellation()
        do {
            let value = try await withTaskCancellationHandler {
                try await thread.perform { () throws -> T in
                    try channel.send(request, deadline: deadline, cancellation: cancellation)
                    let frame = try channel.receive(deadline: deadline, cancellation: cancellation)
                    guard frame.descriptors.isEmpty else {
                        for descriptor in frame.descriptors { _ = Glibc.close(descriptor) }
                        throw FrameChannelError.malformed("a worker frame carried descriptors")
                    }
                    return try decode(SandboxProtocol.parse(frame))
                }
            } onCancel: {
                cancellation.cancel()
                channel.interrupt()
            }
            return .success(value)
        } catch let failure as FrameChannelError {
            return .failure(failure)
        } catch {
            // The thread was stopped (the worker is being torn down).
            return .failure(.closed)
        }
    }

    private func takeID() -> Int {
        defer { nextID += 1 }
        return nextID
    }

    /// The execution of a cell whose worker was killed by the watchdog or died.
    static func lostExecution(_ failure: Failure, limit: Duration, status: String?) -> Execution {
        let error: ExecutionError
        switch failure {
        case .watchdog:
            error = ExecutionError(
                kind: "timeout",
                message: "the cell ran past its time limit of \(formatSeconds(limit)) and did not stop, so the worker was killed; the state was reset: every variable is gone and df is the original table again",
                traceback: "")
        case .crashed(let problem):
            let cause: String
            switch problem {
            case .closed, .truncated: cause = "the worker process died while running the cell" + (status.map { " (\($0))" } ?? "")
            default: cause = "the worker sent an invalid reply (\(problem.description)) and was killed"
            }
            error = ExecutionError(
                kind: "crashed",
                message: "\(cause); the state was reset: every variable is gone and df is the original table again",
                traceback: "")
        }
        let timedOut = if case .watchdog = failure { true } else { false }
        return Execution(stdout: "", stdoutDropped: 0, stderr: "", stderrDropped: 0, result: nil, error: error, timedOut: timedOut, stateReset: true)
    }

    static func formatSeconds(_ duration: Duration) -> String {
        let seconds = duration.seconds
        if seconds == seconds.rounded() { return "\(Int(seconds)) s" }
        return "\(seconds) s"
    }
}

#if canImport(Glibc)
import Glibc
#endif
import CSandboxSupport
import Foundation
import Logging

/// The zygote process and its control channel. Every method except `emergencyKill()` blocks
/// and must run on the sandbox's `SandboxIOThread`, which also makes the zygote's requests
/// strictly one at a time and lets a restart happen in a single job.
final class ZygoteController: @unchecked Sendable {
    struct SpawnedWorker: Sendable {
        var descriptor: Int32
        var pid: Int
        var generation: Int
    }

    private struct Running {
        var pid: pid_t
        var channel: FrameChannel
        var logs: ZygoteLogDrain
    }

    let configuration: SandboxConfiguration
    let launch: SandboxLaunch
    private let logger: Logger
    private var running: Running?
    /// Increases with every zygote started; a worker belongs to the generation that forked it.
    private(set) var generation = 0
    private(set) var ready: SandboxProtocol.ZygoteReady?
    private var nextID = 1
    private var isShutDown = false
    private let pidLock = NSLock()
    private var livePID: pid_t = 0

    private static let requestTimeout: Duration = .seconds(30)

    init(configuration: SandboxConfiguration, launch: SandboxLaunch, logger: Logger) {
        self.configuration = configuration
        self.launch = launch
        self.logger = logger
    }

    /// Starts a zygote and waits for its `ready` frame.
    func start(cancellation: ChannelCancellation? = nil) throws(SandboxError) -> SandboxProtocol.ZygoteReady {
        guard !isShutDown else { throw .shutDown }
        let clock = ContinuousClock()
        let started = clock.now
        var pair: [Int32] = [-1, -1]
        guard cs_socketpair_cloexec(&pair) == 0 else { throw .system(call: "socketpair", errno: errno) }
        var output: [Int32] = [-1, -1]
        var errors: [Int32] = [-1, -1]
        guard cs_pipe_cloexec(&output) == 0 else {
            let code = errno
            closeAll(pair)
            throw .system(call: "pipe2", errno: code)
        }
        guard cs_pipe_cloexec(&errors) == 0 else {
            let code = errno
            closeAll(pair + output)
            throw .system(call: "pipe2", errno: code)
        }
        var pid: pid_t = 0
        let status = withCStrings(launch.arguments) { argv in
            withCStrings(launch.environment) { envp in
                if let directory = launch.workingDirectory {
                    return cs_spawn(launch.executable, argv, envp, output[1], errors[1], pair[1], SandboxLaunch.controlDescriptor, directory, &pid)
                }
                return cs_spawn(launch.executable, argv, envp, output[1], errors[1], pair[1], SandboxLaunch.controlDescriptor, nil, &pid)
            }
        }
        closeAll([pair[1], output[1], errors[1]])
        guard status == 0 else {
            closeAll([pair[0], output[0], errors[0]])
            throw .system(call: "posix_spawn of \(launch.executable)", errno: status)
        }
        let logs = ZygoteLogDrain(stdout: output[0], stderr: errors[0], logger: logger)
        let channel: FrameChannel
        do {
            channel = try FrameChannel(descriptor: pair[0], maxFrameBytes: configuration.maxFrameBytes)
        } catch {
            _ = Glibc.close(pair[0])
            terminate(pid)
            throw .system(call: "pipe2", errno: ENFILE)
        }
        setLive(pid)
        generation += 1
        do {
            let frame = try SandboxProtocol.parse(receiveReady(channel, deadline: started + configuration.startTimeout, cancellation: cancellation))
            switch try SandboxProtocol.zygoteReady(frame) {
            case .success(let info):
                running = Running(pid: pid, channel: channel, logs: logs)
                ready = info
                logger.info("Sandbox zygote is ready.", metadata: [
                    "pid": "\(pid)", "seconds": "\(((clock.now - started).seconds * 1000).rounded() / 1000)",
                    "rows": "\(info.table.rows)", "isolation": "\(configuration.isolation.rawValue)",
                ])
                return info
            case .failure(let failure):
                channel.close()
                let exit = terminate(pid)
                logger.debug("Zygote exited after reporting an error.", metadata: ["status": "\(exit)"])
                throw failure
            }
        } catch let failure as SandboxError {
            throw failure
        } catch FrameChannelError.cancelled {
            channel.close()
            terminate(pid)
            throw .cancelled
        } catch {
            channel.close()
            let exit = terminate(pid)
            let tail = logs.lastErrorLines(waiting: 2).suffix(8).joined(separator: " | ")
            let reason = (error as? FrameChannelError).map { $0 == .timedOut ? "no 'ready' after \(configuration.startTimeout)" : $0.description } ?? "\(error)"
            throw .zygoteDidNotStart(reason: "\(reason); it \(exit)" + (tail.isEmpty ? "" : "; its last messages: \(tail)"))
        }
    }

    /// Waits for the zygote's first frame in short slices, so that a cancelled start (Ctrl-C
    /// while the libraries import) ends within a tenth of a second.
    private func receiveReady(_ channel: FrameChannel, deadline: ContinuousClock.Instant, cancellation: ChannelCancellation?) throws(FrameChannelError) -> ReceivedFrame {
        while true {
            if cancellation?.isCancelled == true { throw .cancelled }
            let slice = min(deadline, ContinuousClock.now + .milliseconds(100))
            do {
                return try channel.receive(deadline: slice)
            } catch .timedOut where slice < deadline {
                continue
            }
        }
    }

    /// Forks a worker. A dead or broken zygote is restarted once first.
    func spawnWorker(seed: Int) throws(SandboxError) -> SpawnedWorker {
        guard !isShutDown else { throw .shutDown }
        if running == nil {
            logger.warning("Restarting the sandbox zygote.", metadata: ["generation": "\(generation + 1)"])
            _ = try start()
        }
        // A broken zygote is restarted once; a second failure in a row is the caller's.
        var restarted = false
        while true {
            do {
                return try requestSpawn(seed: seed)
            } catch {
                switch error {
                case .refused(let reason):
                    throw .zygoteRequestFailed(operation: "fork a worker", reason: reason)
                case .zygoteBroken(let problem):
                    discardZygote()
                    if restarted { throw .zygoteRequestFailed(operation: "fork a worker", reason: problem.description) }
                    restarted = true
                    logger.warning("The sandbox zygote failed; restarting it.", metadata: ["problem": "\(problem)"])
                    _ = try start()
                }
            }
        }
    }

    private enum RequestFailure: Error {
        case zygoteBroken(FrameChannelError)
        case refused(String)
    }

    private func requestSpawn(seed: Int) throws(RequestFailure) -> SpawnedWorker {
        guard let running else { throw .zygoteBroken(.closed) }
        let id = takeID()
        let frame: ReceivedFrame
        do {
            try running.channel.send(SandboxProtocol.spawn(id: id, seed: seed), deadline: .now + Self.requestTimeout)
            frame = try running.channel.receive(deadline: .now + Self.requestTimeout)
        } catch {
            throw .zygoteBroken(error)
        }
        do {
            let reply = try SandboxProtocol.parse(frame)
            let type = try SandboxProtocol.replyType(reply, id: id, types: ["spawned"], allowError: true)
            if type == "error" {
                closeAll(frame.descriptors)
                throw RequestFailure.refused((try? SandboxProtocol.string(reply, "message")) ?? "no message")
            }
            let pid = try SandboxProtocol.int(reply, "worker")
            guard frame.descriptors.count == 1, let descriptor = frame.descriptors.first else {
                throw FrameChannelError.malformed("a 'spawned' reply must carry exactly one descriptor, found \(frame.descriptors.count)")
            }
            return SpawnedWorker(descriptor: descriptor, pid: pid, generation: generation)
        } catch let failure as RequestFailure {
            throw failure
        } catch {
            closeAll(frame.descriptors)
            throw .zygoteBroken(error as? FrameChannelError ?? .malformed("\(error)"))
        }
    }

    /// Asks the zygote to SIGKILL and reap a worker; returns its exit status as the zygote
    /// describes it. Nothing to do for a worker of an earlier zygote (it died with it).
    @discardableResult
    func killWorker(pid: Int, generation workerGeneration: Int) -> String? {
        guard let running, workerGeneration == generation else { return nil }
        let id = takeID()
        do {
            try running.channel.send(SandboxProtocol.kill(id: id, worker: pid), deadline: .now + Self.requestTimeout)
            let frame = try running.channel.receive(deadline: .now + Self.requestTimeout)
            closeAll(frame.descriptors)
            let reply = try SandboxProtocol.parse(frame)
            let type = try SandboxProtocol.replyType(reply, id: id, types: ["killed"], allowError: true)
            if case .string(let status)? = reply["status"] { return status }
            return type == "error" ? (try? SandboxProtocol.string(reply, "message")) : nil
        } catch {
            logger.warning("The sandbox zygote failed while killing a worker; it will be restarted.", metadata: ["problem": "\(error)"])
            discardZygote()
            return nil
        }
    }

    /// Round trip to the zygote; restarts it when it does not answer.
    func ping() throws(SandboxError) {
        guard !isShutDown else { throw .shutDown }
        if let running {
            let id = takeID()
            do {
                try running.channel.send(SandboxProtocol.simple(id: id, op: "ping"), deadline: .now + Self.requestTimeout)
                let frame = try running.channel.receive(deadline: .now + Self.requestTimeout)
                closeAll(frame.descriptors)
                _ = try SandboxProtocol.replyType(try SandboxProtocol.parse(frame), id: id, types: ["pong"])
                return
            } catch {
                logger.warning("The sandbox zygote did not answer a ping; restarting it.", metadata: ["problem": "\(error)"])
                discardZygote()
            }
        }
        _ = try start()
    }

    /// The zygote's pid on the host (bwrap's pid under bubblewrap), for tests and benchmarks.
    var hostPID: pid_t? { running?.pid }

    /// Asks the zygote to stop its workers and exit, then kills its process group.
    func shutdown() {
        guard !isShutDown else { return }
        isShutDown = true
        guard let running else { return }
        let id = takeID()
        do {
            try running.channel.send(SandboxProtocol.simple(id: id, op: "shutdown"), deadline: .now + .seconds(2))
        } catch {
            logger.debug("The zygote did not take the shutdown request.", metadata: ["problem": "\(error)"])
        }
        let exit = waitForExit(running.pid, within: .seconds(3))
        running.channel.close()
        let status = exit ?? terminate(running.pid)
        self.running = nil
        setLive(0)
        logger.debug("Sandbox zygote stopped.", metadata: ["status": "\(status)"])
    }

    /// Kills the zygote's process group without waiting; safe from any thread (deinit).
    func emergencyKill() {
        pidLock.lock()
        let pid = livePID
        livePID = 0
        pidLock.unlock()
        guard pid > 0 else { return }
        _ = Glibc.kill(-pid, SIGKILL)
        _ = Glibc.kill(pid, SIGKILL)
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
    }

    /// Forgets a broken zygote: kills its process group (its workers die with it) and reaps it.
    private func discardZygote() {
        guard let running else { return }
        running.channel.close()
        terminate(running.pid)
        self.running = nil
    }

    @discardableResult
    private func terminate(_ pid: pid_t) -> String {
        _ = Glibc.kill(-pid, SIGKILL)
        _ = Glibc.kill(pid, SIGKILL)
        var status: Int32 = 0
        var result: pid_t
        repeat { result = waitpid(pid, &status, 0) } while result < 0 && errno == EINTR
        setLive(0)
        return result == pid ? Self.describe(status: status) : "could not be reaped"
    }

    private func waitForExit(_ pid: pid_t, within limit: Duration) -> String? {
        let deadline = ContinuousClock.now + limit
        var status: Int32 = 0
        while ContinuousClock.now < deadline {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid {
                // Under bubblewrap (--as-pid-1) it exits only after the zygote, pid 1 of the
                // sandbox's pid namespace, was reaped, and the kernel reaps that pid 1 only once
                // every process of the namespace is gone: nothing is left to kill. (No group
                // kill here: the pid is free again and could already name someone else's group.)
                setLive(0)
                return Self.describe(status: status)
            }
            if result < 0 && errno != EINTR { return nil }
            usleep(5000)
        }
        return nil
    }

    static func describe(status: Int32) -> String {
        let signal = status & 0x7f
        if signal == 0 { return "exited with status \((status >> 8) & 0xff)" }
        return "was killed by signal \(signal)"
    }

    private func takeID() -> Int {
        defer { nextID += 1 }
        return nextID
    }

    private func setLive(_ pid: pid_t) {
        pidLock.lock()
        livePID = pid
        pidLock.unlock()
    }

    private func closeAll(_ descriptors: [Int32]) {
        for descriptor in descriptors where descriptor >= 0 { _ = Glibc.close(descriptor) }
    }
}

/// Calls `body` with a NULL-terminated array of C strings that lives for the call.
func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>?) -> R) -> R {
    var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    pointers.append(nil)
    defer { for pointer in pointers { free(pointer) } }
    return pointers.withUnsafeBufferPointer { buffer in body(buffer.baseAddress) }
}

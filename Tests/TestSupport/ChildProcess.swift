import Foundation
import Synchronization

/// A child process that tests await without holding a thread of Swift's cooperative pool.
///
/// The in-process loopback servers and AsyncHTTPClient answer on the cooperative pool, so a test
/// that blocked a pool thread while a child talks to them could starve them. Here the end of the
/// child arrives through `Process.terminationHandler`, each output pipe is drained to its end by a
/// thread of its own, and `outcome()` suspends until all three are done. Cancelling the awaiting
/// task (a test's time limit does) kills the child.
public final class ChildProcess: Sendable {
    /// How the child ended and what it wrote.
    public struct Outcome: Sendable {
        /// The exit status, or the signal number when `signaled`.
        public var status: Int32
        /// Whether a signal ended the child.
        public var signaled: Bool
        public var stdoutData: Data
        public var stderrData: Data

        public var stdout: String { String(decoding: stdoutData, as: UTF8.self) }
        public var stderr: String { String(decoding: stderrData, as: UTF8.self) }
    }

    /// What becomes of the child's standard output and error.
    public enum Output: Sendable {
        /// Collected into the outcome.
        case capture
        /// Sent to /dev/null (for a child that is killed mid-run: its own children may hold a pipe).
        case discard
    }

    /// The directory that holds the built products (the test bundle sits beside the stage binaries).
    public static var productsDirectory: URL { Bundle.main.bundleURL }

    public let processIdentifier: Int32
    private let termination = Completion<(status: Int32, signaled: Bool)>()
    private let stdout = Completion<Data>()
    private let stderr = Completion<Data>()

    /// Starts `executable` with `arguments`. `environment` replaces the test's own environment for
    /// the child when given; `input` is written to the child's standard input, which then closes.
    public init(
        _ executable: String, _ arguments: [String], currentDirectory: URL? = nil,
        environment: [String: String]? = nil, input: Data? = nil, output: Output = .capture
    ) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        if let environment { process.environment = environment }
        let termination = termination
        process.terminationHandler = { process in
            termination.fulfill((process.terminationStatus, process.terminationReason == .uncaughtSignal))
        }
        let inputPipe = input.map { _ in Pipe() }
        process.standardInput = inputPipe ?? FileHandle.nullDevice
        var pipes: [(Pipe, Completion<Data>)] = []
        switch output {
        case .capture:
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            pipes = [(out, stdout), (err, stderr)]
        case .discard:
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            stdout.fulfill(Data())
            stderr.fulfill(Data())
        }
        try process.run()
        processIdentifier = process.processIdentifier
        for (pipe, completion) in pipes {
            let reader = pipe.fileHandleForReading
            Thread.detachNewThread { completion.fulfill(reader.readDataToEndOfFile()) }
        }
        if let inputPipe, let input {
            let writer = inputPipe.fileHandleForWriting
            Thread.detachNewThread {
                try? writer.write(contentsOf: input)
                try? writer.close()
            }
        }
    }

    /// Runs a program to its end.
    public static func run(
        _ executable: String, _ arguments: [String], currentDirectory: URL? = nil,
        environment: [String: String]? = nil, input: Data? = nil
    ) async throws -> Outcome {
        try await ChildProcess(executable, arguments, currentDirectory: currentDirectory, environment: environment, input: input).outcome()
    }

    /// Runs a built product of this package (a stage binary) to its end.
    public static func runProduct(
        _ name: String, _ arguments: [String], currentDirectory: URL? = nil, environment: [String: String]? = nil
    ) async throws -> Outcome {
        try await run(productsDirectory.appendingPathComponent(name).path, arguments, currentDirectory: currentDirectory, environment: environment)
    }

    /// Whether the child has ended (its status is known).
    public var hasExited: Bool { termination.isFulfilled }

    /// Sends `signal` to the child unless it has already ended.
    public func send(_ signal: Int32) {
        guard !termination.isFulfilled else { return }
        kill(processIdentifier, signal)
    }

    /// Checks `condition` every 10 ms (a suspension, not a blocked thread) while the child runs;
    /// returns true as soon as it holds, false when the child ended first.
    public func whileRunning(until condition: () -> Bool) async throws -> Bool {
        while !hasExited {
            if condition() { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }

    /// Waits for the child to end and its output to be read to the end. Cancelling the waiting
    /// task kills the child.
    public func outcome() async -> Outcome {
        await withTaskCancellationHandler {
            let (status, signaled) = await termination.value
            return Outcome(status: status, signaled: signaled, stdoutData: await stdout.value, stderrData: await stderr.value)
        } onCancel: {
            send(SIGKILL)
        }
    }
}

/// A value that arrives once, from any thread, and that any number of tasks await.
final class Completion<Value: Sendable>: Sendable {
    private let state = Mutex<(value: Value?, waiters: [CheckedContinuation<Value, Never>])>((nil, []))

    var isFulfilled: Bool { state.withLock { $0.value != nil } }

    func fulfill(_ value: Value) {
        let waiters = state.withLock { state -> [CheckedContinuation<Value, Never>] in
            guard state.value == nil else { return [] }
            state.value = value
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: value) }
    }

    var value: Value {
        get async {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state -> Value? in
                    if let value = state.value { return value }
                    state.waiters.append(continuation)
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        }
    }
}

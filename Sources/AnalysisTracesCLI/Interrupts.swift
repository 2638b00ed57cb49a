#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization

/// Runs `body` and cancels it on SIGINT or SIGTERM, so that a stage stops cleanly: its partial
/// file is kept, no target is half-written, and the command exits 130. A second signal while the
/// stage is still shutting down ends the process at once with 130 (``InterruptCounter``).
///
/// Returns nil when a signal cancelled the body. Whatever the body throws once a signal has
/// cancelled it counts as the interruption: every layer's form of "cancelled" (Swift's
/// `CancellationError`, a request or sandbox start that reports its cancellation) gives the same
/// exit code.
public func withInterruptCancellation<T: Sendable>(
    _ body: @escaping @Sendable () async throws -> T
) async throws -> T? {
    // The signals are caught before the work starts, so that none can end the process unasked.
    let work = CancellableWork<T>()
    let counter = InterruptCounter(
        cancel: {
            work.cancel()
            FileHandleStandardError.write("interrupted; stopping (interrupt again to exit at once)")
        },
        forceExit: {
            FileHandleStandardError.write("interrupted again; exiting without waiting for the shutdown")
            _exit(130)
        })
    let sources = [SIGINT, SIGTERM].map { number -> any DispatchSourceSignal in
        signal(number, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: number)
        source.setEventHandler { counter.received() }
        source.resume()
        return source
    }
    defer {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
    return try await run(body, cancelling: work, counter: counter)
}

/// Runs `body` as `work`'s task; nil when `counter` saw a signal and the body then threw.
func run<T: Sendable>(
    _ body: @escaping @Sendable () async throws -> T, cancelling work: CancellableWork<T>, counter: InterruptCounter
) async throws -> T? {
    let task = Task { try await body() }
    work.start(task)
    do {
        return try await task.value
    } catch where counter.count > 0 {
        return nil
    }
}

/// The task a signal cancels, which may not exist yet when the signal arrives.
final class CancellableWork<T: Sendable>: Sendable {
    private let state = Mutex<(task: Task<T, any Error>?, cancelled: Bool)>((nil, false))

    func start(_ task: Task<T, any Error>) {
        let cancelled = state.withLock { state in
            state.task = task
            return state.cancelled
        }
        if cancelled { task.cancel() }
    }

    func cancel() {
        let task = state.withLock { state in
            state.cancelled = true
            return state.task
        }
        task?.cancel()
    }
}

/// Counts the interrupting signals of a run: the first cancels the work, any later one forces
/// the exit (the work's shutdown hangs, or the user does not want to wait for it).
public final class InterruptCounter: Sendable {
    private let state = Mutex(0)
    private let cancel: @Sendable () -> Void
    private let forceExit: @Sendable () -> Void

    public init(cancel: @escaping @Sendable () -> Void, forceExit: @escaping @Sendable () -> Void) {
        self.cancel = cancel
        self.forceExit = forceExit
    }

    /// Signals received so far.
    public var count: Int { state.withLock { $0 } }

    /// One signal arrived.
    public func received() {
        let count = state.withLock { value in
            value += 1
            return value
        }
        if count == 1 { cancel() } else { forceExit() }
    }
}

import Foundation

/// Runs `body` and cancels it on SIGINT or SIGTERM, so that a stage stops cleanly: its partial
/// file is kept, no target is half-written, and the command exits 130.
///
/// Returns nil when the body was cancelled by a signal.
public func withInterruptCancellation<T: Sendable>(
    _ body: @escaping @Sendable () async throws -> T
) async throws -> T? {
    let task = Task { try await body() }
    let sources = [SIGINT, SIGTERM].map { number -> any DispatchSourceSignal in
        signal(number, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: number)
        source.setEventHandler { task.cancel() }
        source.resume()
        return source
    }
    defer {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
    do {
        return try await task.value
    } catch is CancellationError where task.isCancelled {
        return nil
    }
}

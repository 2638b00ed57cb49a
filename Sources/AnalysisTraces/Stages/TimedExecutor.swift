import Synchronization

/// A `CellExecutor` that measures where a trace's time goes: seconds inside Python (as the
/// worker measured each cell) and seconds of whole cell round trips seen from the host.
/// Measurements go to run logs and benchmarks, never into records.
final class TimedExecutor<Base: CellExecutor>: CellExecutor {
    struct Totals: Sendable {
        var cells = 0
        var pythonSeconds = 0.0
        var roundTripSeconds = 0.0
    }

    private let base: Base
    private let totals = Mutex(Totals())

    init(_ base: Base) { self.base = base }

    var current: Totals { totals.withLock { $0 } }

    func reset() async throws { try await base.reset() }

    func run(_ code: String, timeout: Duration?) async throws -> CellResult {
        let started = ContinuousClock.now
        let result = try await base.run(code, timeout: timeout)
        let elapsed = (ContinuousClock.now - started).seconds
        totals.withLock {
            $0.cells += 1
            $0.pythonSeconds += result.seconds
            $0.roundTripSeconds += elapsed
        }
        return result
    }
}

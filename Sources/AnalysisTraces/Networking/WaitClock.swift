import Synchronization

/// Time as the HTTP clients see it (the LLM client and `download`'s fetcher): a monotonic `now`
/// and a `sleep`, injectable so that tests run backoff and rate-limit waits without waiting
/// (see ``system``). Per-request timeouts always use real time: they bound a real server.
public struct WaitClock: Sendable {
    /// Time since an arbitrary fixed origin; never goes back.
    public var now: @Sendable () -> Duration
    /// Suspends for the duration; throws `CancellationError` when the task is cancelled.
    public var sleep: @Sendable (Duration) async throws -> Void

    public init(now: @escaping @Sendable () -> Duration, sleep: @escaping @Sendable (Duration) async throws -> Void) {
        self.now = now
        self.sleep = sleep
    }

    /// The continuous clock and `Task.sleep`.
    public static var system: WaitClock {
        let origin = ContinuousClock.now
        return WaitClock(now: { ContinuousClock.now - origin }, sleep: { try await Task.sleep(for: $0) })
    }
}

/// Uniform random numbers in [0, 1) for backoff jitter; seedable for deterministic tests.
public final class RetryJitter: Sendable {
    private let generator: Mutex<SeededGenerator>

    /// A generator seeded with `seed`: the same sequence every run.
    public init(seed: UInt64) {
        generator = Mutex(SeededGenerator(seed: seed))
    }

    /// A generator seeded from the system's random source.
    public convenience init() {
        var system = SystemRandomNumberGenerator()
        self.init(seed: system.next())
    }

    /// The next number in [0, 1).
    public func next() -> Double {
        generator.withLock { Double($0.next() >> 11) * 0x1p-53 }
    }
}

import Synchronization

/// A per-minute limit as a token bucket that fills at `perMinute / 60` per second up to
/// `perMinute`, starting full. A caller reserves what it needs at once — the balance may go
/// negative — and waits until the deficit is refilled, so callers are served in order and
/// nobody starves; a request bigger than the whole bucket waits until it is full.
/// ``adjust(by:)`` corrects an estimate after the fact.
final class RateLimiter: Sendable {
    private struct State {
        var balance: Double
        var updated: Duration
    }

    let perMinute: Double
    private let clock: WaitClock
    private let state: Mutex<State>

    init(perMinute: Int, clock: WaitClock) {
        self.perMinute = Double(perMinute)
        self.clock = clock
        state = Mutex(State(balance: Double(perMinute), updated: clock.now()))
    }

    private var perSecond: Double { perMinute / 60 }

    /// Takes `cost` from the bucket and returns how long to wait before going ahead.
    func reserve(_ cost: Double) -> Duration {
        let now = clock.now()
        return state.withLock { state in
            refill(&state, now: now)
            let needed = min(cost, perMinute)
            let deficit = needed - state.balance
            state.balance -= cost
            guard deficit > 0 else { return .zero }
            return .milliseconds(Int64((deficit / perSecond * 1000).rounded(.up)))
        }
    }

    /// Reserves `cost` and sleeps as long as needed; a cancelled sleep returns the reservation.
    func acquire(_ cost: Double) async throws {
        let wait = reserve(cost)
        guard wait > .zero else { return }
        do {
            try await clock.sleep(wait)
        } catch {
            adjust(by: -cost)
            throw error
        }
    }

    /// Takes `delta` more (or gives back `-delta`) after the actual cost became known.
    func adjust(by delta: Double) {
        let now = clock.now()
        state.withLock { state in
            refill(&state, now: now)
            state.balance = min(state.balance - delta, perMinute)
        }
    }

    private func refill(_ state: inout State, now: Duration) {
        let elapsed = now - state.updated
        guard elapsed > .zero else { return }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        state.balance = min(state.balance + seconds * perSecond, perMinute)
        state.updated = now
    }
}

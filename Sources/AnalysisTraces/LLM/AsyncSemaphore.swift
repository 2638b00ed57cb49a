import Synchronization

/// A counting semaphore for async code: at most `permits` holders at once, waiters served in
/// arrival order. A waiter whose task is cancelled leaves the queue at once and throws
/// `CancellationError`; it never takes a permit it does not release.
final class AsyncSemaphore: Sendable {
    private struct Waiter {
        var id: UInt64
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var available: Int
        var waiters: [Waiter] = []
        var nextID: UInt64 = 0
        /// Waiters cancelled before they were queued.
        var cancelled: Set<UInt64> = []
    }

    private let state: Mutex<State>

    init(permits: Int) {
        state = Mutex(State(available: max(permits, 1)))
    }

    /// Waits for a permit. Balance every successful call with one ``release()``.
    func acquire() async throws(CancellationError) {
        if Task.isCancelled { throw CancellationError() }
        let id = state.withLock { state -> UInt64 in
            defer { state.nextID += 1 }
            return state.nextID
        }
        do {
            try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                    state.withLock { state in
                        if state.cancelled.remove(id) != nil {
                            continuation.resume(throwing: CancellationError())
                        } else if state.available > 0 && state.waiters.isEmpty {
                            state.available -= 1
                            continuation.resume()
                        } else {
                            state.waiters.append(Waiter(id: id, continuation: continuation))
                        }
                    }
                }
            } onCancel: {
                state.withLock { state in
                    if let index = state.waiters.firstIndex(where: { $0.id == id }) {
                        state.waiters.remove(at: index).continuation.resume(throwing: CancellationError())
                    } else {
                        state.cancelled.insert(id)
                    }
                }
            }
        } catch {
            throw CancellationError()
        }
        // A permit was granted; forget a cancellation mark that arrived after the grant.
        state.withLock { _ = $0.cancelled.remove(id) }
    }

    /// Returns a permit: the longest waiter gets it, else it becomes available.
    func release() {
        state.withLock { state in
            if state.waiters.isEmpty {
                state.available += 1
            } else {
                state.waiters.removeFirst().continuation.resume()
            }
        }
    }
}

import Foundation

/// A dedicated thread that runs blocking system calls (spawn, framed reads and writes, waitpid)
/// one job at a time, so that they never block Swift's cooperative pool. Callers await a job
/// through a continuation.
///
/// The thread also fixes who the parent of a spawned process is: Linux delivers
/// `PR_SET_PDEATHSIG` (bubblewrap's `--die-with-parent`) when the *thread* that forked the
/// child exits, so the zygote is spawned from this long-lived thread, not from a pool thread.
final class SandboxIOThread: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [@Sendable () -> Void] = []
    private var stopping = false

    init(name: String) {
        let thread = Thread { [self] in serve() }
        thread.name = name
        thread.start()
    }

    /// Runs `body` on the thread and returns its result. Throws `SandboxError.shutDown` when the
    /// thread has been stopped.
    func perform<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let accepted = enqueue {
                continuation.resume(with: Result { try body() })
            }
            if !accepted { continuation.resume(throwing: SandboxError.shutDown) }
        }
    }

    /// Lets queued jobs finish, then ends the thread. Later jobs are refused.
    func stop() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
    }

    private func enqueue(_ job: @escaping @Sendable () -> Void) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !stopping else { return false }
        jobs.append(job)
        condition.signal()
        return true
    }

    private func serve() {
        while true {
            condition.lock()
            while jobs.isEmpty && !stopping { condition.wait() }
            if jobs.isEmpty {
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job()
        }
    }
}

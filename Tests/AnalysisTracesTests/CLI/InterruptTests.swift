@testable import AnalysisTracesCLI
import Synchronization
import Testing

@Suite struct InterruptTests {
    @Test func theFirstSignalCancelsAndTheSecondForcesTheExit() {
        let calls = Mutex<[String]>([])
        let counter = InterruptCounter(
            cancel: { calls.withLock { $0.append("cancel") } },
            forceExit: { calls.withLock { $0.append("exit") } })
        counter.received()
        #expect(calls.withLock { $0 } == ["cancel"])
        counter.received()
        counter.received()
        #expect(calls.withLock { $0 } == ["cancel", "exit", "exit"])
        #expect(counter.count == 3)
    }

    /// A layer that reports its cancellation in a form of its own still gives the interruption.
    struct OwnCancellation: Error {}

    @Test(.timeLimit(.minutes(1)))
    func anyErrorAfterASignalCountsAsTheInterruption() async throws {
        let work = CancellableWork<Int>()
        let counter = InterruptCounter(cancel: { work.cancel() }, forceExit: {})
        let result = try await run({ () async throws -> Int in
            counter.received()
            do {
                try await Task.sleep(for: .seconds(60))
            } catch {
                throw OwnCancellation()
            }
            return 1
        }, cancelling: work, counter: counter)
        #expect(result == nil)
    }

    @Test func anErrorWithoutASignalIsThrown() async {
        await #expect(throws: OwnCancellation.self) {
            _ = try await withInterruptCancellation { () async throws -> Int in throw OwnCancellation() }
        }
    }
}

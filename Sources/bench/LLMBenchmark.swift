import AnalysisTraces
import Foundation
import Logging
import LoopbackServers

/// Chat calls per second through ``LLMClient`` against a ``ScriptedChatServer`` that answers
/// every request after a fixed delay, at several concurrency levels, against the ideal
/// (concurrency / delay), and the host's overhead per call (wall time minus the delay).
struct LLMBenchmark {
    var concurrencies: [Int]
    /// Calls per level: `rounds` × the concurrency (at least `minimumCalls`).
    var rounds: Int
    var minimumCalls: Int
    var serverDelay: Duration

    struct Level {
        var concurrency: Int
        var calls: Int
        var seconds: Double
        var callsPerSecond: Double
        var ideal: Double
        var overheadP50: Double
        var overheadP95: Double
        var overheadMax: Double
        var connections: Int
        var maxInFlight: Int
    }

    func run(logger: Logger) async throws -> [Level] {
        var levels: [Level] = []
        for concurrency in concurrencies {
            let reply = ScriptedResponse.step("I look at the table's shape first.", code: "print(df.shape)")
            levels.append(try await withScriptedChatServer(script: .always(reply), responseDelay: serverDelay) { server in
                try await measure(concurrency: concurrency, server: server, logger: logger)
            })
        }
        return levels
    }

    private func measure(concurrency: Int, server: ScriptedChatServer, logger: Logger) async throws -> Level {
        let configuration = LLMConfiguration(
            role: .teacher, baseURL: server.baseURL, model: "scripted-model",
            requestTimeout: .seconds(60), retry: RetryPolicy(maxAttempts: 1), concurrency: concurrency,
            cacheMode: .off
        )
        let client = try LLMClient(configuration: configuration, logger: logger)
        let calls = max(minimumCalls, rounds * concurrency)
        let clock = ContinuousClock()
        do {
            // One call per connection first, so the pool's connections are open before timing.
            _ = try await run(calls: concurrency, concurrency: concurrency, client: client, clock: clock)
            let connectionsBefore = await server.connectionCount()
            let start = clock.now
            let durations = try await run(calls: calls, concurrency: concurrency, client: client, clock: clock)
            let seconds = Self.seconds(clock.now - start)
            let delay = Self.seconds(serverDelay)
            let overheads = durations.map { Self.seconds($0) - delay }.sorted()
            try await client.shutdown()
            return Level(
                concurrency: concurrency, calls: calls, seconds: seconds, callsPerSecond: Double(calls) / seconds,
                ideal: Double(concurrency) / delay,
                overheadP50: Self.percentile(overheads, 0.50), overheadP95: Self.percentile(overheads, 0.95),
                overheadMax: overheads.last ?? 0,
                connections: await server.connectionCount() - connectionsBefore,
                maxInFlight: await server.maxConcurrentRequests()
            )
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// Makes `calls` calls, `concurrency` at a time; returns each call's wall time.
    private func run(calls: Int, concurrency: Int, client: LLMClient, clock: ContinuousClock) async throws -> [Duration] {
        try await withThrowingTaskGroup(of: Duration.self) { group in
            var durations: [Duration] = []
            var next = 0
            func add() {
                let index = next
                next += 1
                group.addTask {
                    let request = ChatRequest(
                        model: "scripted-model",
                        messages: [Message(role: .system, content: "You are a careful data analyst."), Message(role: .user, content: "Question \(index): how many rows?")]
                    )
                    let start = clock.now
                    _ = try await client.complete(request)
                    return clock.now - start
                }
            }
            for _ in 0..<min(concurrency, calls) { add() }
            while let duration = try await group.next() {
                durations.append(duration)
                if next < calls { add() }
            }
            return durations
        }
    }

    static func report(_ levels: [Level], delay: Duration) -> String {
        var lines = ["LLM client against the scripted server (every answer after \(Int(seconds(delay) * 1000)) ms)", ""]
        lines.append("concurrency  calls  calls/s  ideal  ratio  overhead p50  p95    max    connections  max in flight")
        for level in levels {
            lines.append(
                String(
                    format: "%11d  %5d  %7.2f  %5.1f  %5.3f  %9.2f ms  %5.2f  %5.2f  %11d  %13d",
                    level.concurrency, level.calls, level.callsPerSecond, level.ideal, level.callsPerSecond / level.ideal,
                    level.overheadP50 * 1000, level.overheadP95 * 1000, level.overheadMax * 1000, level.connections, level.maxInFlight
                )
            )
        }
        lines.append("")
        lines.append("overhead: wall time of one call minus the server's delay (ms); connections: opened while timing.")
        return lines.joined(separator: "\n")
    }

    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    static func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let index = Int((Double(sorted.count - 1) * fraction).rounded())
        return sorted[index]
    }
}

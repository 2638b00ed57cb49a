import AnalysisTraces
import Foundation
import Logging
import LoopbackServers

/// Whole traces per second with the LLM teacher: the agent loop, a real sandbox worker per trace
/// and a ``ScriptedChatServer`` that answers every request after a fixed delay. Each trace is two
/// turns (a cell that computes and hooks a value, then a cell that submits it), so the ideal is
/// concurrency / (2 × delay) traces per second; the gap is the host's and the sandbox's share.
struct LLMTraceBenchmark {
    var dataset: DatasetFolder
    var sandbox: SandboxConfiguration
    var concurrencies: [Int]
    /// Traces per level: `rounds` × the concurrency.
    var rounds: Int
    var serverDelay: Duration

    static let turns = 2

    struct Level {
        var concurrency: Int
        var traces: Int
        var submitted: Int
        var seconds: Double
        var tracesPerSecond: Double
        var ideal: Double
    }

    func run(logger: Logger) async throws -> [Level] {
        let script = ChatScript([
            ChatRule(when: .messageCount(2), respond: .step(
                "I count the rows first.", code: "n = len(df)\nhook(n, 'n = len(df)', name='rows')\nprint(n)")),
            ChatRule(when: .any, respond: .step("The count is printed above; I submit it.", code: "submit(n)")),
        ])
        return try await withScriptedChatServer(script: script, responseDelay: serverDelay) { server in
            try await measure(server: server, logger: logger)
        }
    }

    private func measure(server: ScriptedChatServer, logger: Logger) async throws -> [Level] {
        let question = Question(
            id: "q_bench", datasetID: dataset.record.id, datasetSHA256: dataset.record.sha256, source: .llm,
            question: "How many rows does the table have?", hint: nil, difficulty: .easy, expectedSteps: 1,
            outputSchema: .integer, groundTruth: nil,
            generator: QuestionGenerator(name: "bench", version: "1", parameters: .object([]), program: nil, exploration: nil))
        let loop = AgentLoop(configuration: AgentLoopConfiguration(maxTurns: 4), logger: logger)
        let largest = concurrencies.max() ?? 1
        return try await withSandbox(sandbox, logger: logger) { sandbox in
            var workers: [SandboxWorker] = []
            for _ in 0..<largest { workers.append(try await sandbox.makeWorker(seed: 0)) }
            var levels: [Level] = []
            for concurrency in concurrencies {
                let configuration = LLMConfiguration(
                    role: .teacher, baseURL: server.baseURL, model: "scripted-model", requestTimeout: .seconds(60),
                    retry: RetryPolicy(maxAttempts: 1), concurrency: concurrency, cacheMode: .off)
                let client = try LLMClient(configuration: configuration, logger: logger)
                let teacher = LLMTeacher(service: client, model: "scripted-model")
                let traces = rounds * concurrency
                let clock = ContinuousClock()
                let start = clock.now
                let submitted = try await withThrowingTaskGroup(of: Int.self) { group in
                    for lane in 0..<concurrency {
                        let worker = workers[lane]
                        group.addTask {
                            var submitted = 0
                            for index in stride(from: lane, to: traces, by: concurrency) {
                                let task = AgentTask(question: question, role: .consistency, sample: index,
                                                     systemPrompt: "You analyse the table `df`.", userMessage: question.question)
                                let trace = try await loop.run(task, teacher: teacher, executor: worker)
                                if trace.endReason == .submitted { submitted += 1 }
                            }
                            return submitted
                        }
                    }
                    return try await group.reduce(0, +)
                }
                let seconds = (clock.now - start).seconds
                try await client.shutdown()
                levels.append(Level(
                    concurrency: concurrency, traces: traces, submitted: submitted, seconds: seconds,
                    tracesPerSecond: Double(traces) / seconds, ideal: Double(concurrency) / (Double(Self.turns) * serverDelay.seconds)))
            }
            return levels
        }
    }

    static func report(_ levels: [Level]) -> String {
        var lines = ["traces per second with the LLM teacher (2 turns a trace, a sandbox worker per trace in flight)"]
        lines.append("concurrency  traces  submitted  seconds  traces/s  ideal  ratio")
        for level in levels {
            lines.append(String(
                format: "%11d  %6d  %9d  %7.2f  %8.2f  %5.1f  %5.2f", level.concurrency, level.traces, level.submitted,
                level.seconds, level.tracesPerSecond, level.ideal, level.tracesPerSecond / level.ideal))
        }
        return lines.joined(separator: "\n")
    }
}

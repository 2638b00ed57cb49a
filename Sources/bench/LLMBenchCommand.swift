import AnalysisTraces
import AnalysisTracesCLI
import ArgumentParser
import Foundation

struct LLMBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "llm",
        abstract: "Measure chat calls per second through the LLM client against a scripted loopback server.",
        discussion: """
            Starts a scripted OpenAI-compatible server on 127.0.0.1 that answers every request \
            after '--delay-ms', and for each concurrency level makes '--rounds' × concurrency \
            calls through LLMClient (after one warm-up call per connection). Prints calls per \
            second against the ideal (concurrency / delay) and the host's overhead per call \
            (wall time minus the delay) at p50, p95 and max.
            """
    )

    @Option(help: "Comma-separated concurrency levels.")
    var concurrency: String = "1,8,64"

    @Option(help: "Calls per level, as a multiple of the concurrency.")
    var rounds: Int = 8

    @Option(help: "The fewest calls per level.")
    var minimumCalls: Int = 16

    @Option(help: "The server's delay before every answer, in milliseconds.")
    var delayMs: Int = 500

    @Option(help: "Traces per concurrency level in the traces-per-second run, as a multiple of the concurrency (0 skips that run).")
    var traceRounds: Int = 2

    @Option(help: "The dataset whose sandbox the traces run in.")
    var dataset = "data/datasets/penguins"

    @OptionGroup var sandbox: SandboxOptions
    @OptionGroup var logging: LoggingOptions

    private var levels: [Int] { concurrency.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } }

    func validate() throws {
        guard !levels.isEmpty, levels.allSatisfy({ $0 > 0 }) else {
            throw ValidationError("'--concurrency' must be positive integers separated by commas; found '\(concurrency)'")
        }
        guard traceRounds >= 0 else { throw ValidationError("'--trace-rounds' must be 0 or more; found \(traceRounds)") }
        guard rounds > 0, minimumCalls > 0, delayMs > 0 else { throw ValidationError("'--rounds', '--minimum-calls' and '--delay-ms' must be positive") }
    }

    func run() async throws {
        let logger = try logging.bootstrap(label: "bench")
        let delay = Duration.milliseconds(delayMs)
        let benchmark = LLMBenchmark(concurrencies: levels, rounds: rounds, minimumCalls: minimumCalls, serverDelay: delay)
        print(LLMBenchmark.report(try await benchmark.run(logger: logger), delay: delay))
        guard traceRounds > 0 else { return }
        let folder = try DatasetFolder(path: dataset)
        let traces = LLMTraceBenchmark(
            dataset: folder, sandbox: try sandbox.settings.configuration(for: folder), concurrencies: levels,
            rounds: traceRounds, serverDelay: delay)
        print("")
        print(LLMTraceBenchmark.report(try await traces.run(logger: logger)))
    }
}

import AnalysisTraces
import AnalysisTracesCLI
import ArgumentParser
import Foundation

struct SandboxBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Measure the sandbox's memory and latency against independent Python processes.",
        discussion: """
            Generates a deterministic CSV ('--megabytes', columns id, date, region, product, qty, \
            price, discount, x1, x2, flag, comment) and, for each worker count, measures the total \
            PSS of the zygote plus its workers against as many independent interpreters running \
            'stages/bench/sandbox_independent.py' (idle, then after groupby mean, describe, \
            value_counts and a LinearRegression fit, twice). Also reports zygote cold start, worker \
            spawn, the round trip of a trivial cell from Swift and respawn after a crash.
            """
    )

    @Option(help: "The venv interpreter; by default '.venv/bin/python' here or in the nearest folder above.")
    var python: String?

    @Option(help: "The independent-process baseline script.")
    var script: String = "stages/bench/sandbox_independent.py"

    @Option(help: "Comma-separated worker counts.")
    var workers: String = "1,4,8,16"

    @Option(help: "The size of the generated CSV, in megabytes.")
    var megabytes: Int = 10

    @Option(help: "Round trips of the trivial cell to time.")
    var roundTrips: Int = 2000

    @Option(help: "'bubblewrap' or 'none'.")
    var isolation: SandboxIsolation = .bubblewrap

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard !counts.isEmpty, counts.allSatisfy({ $0 > 0 }) else { throw ValidationError("'--workers' must be positive integers separated by commas; found '\(workers)'") }
        guard megabytes > 0, roundTrips > 0 else { throw ValidationError("'--megabytes' and '--round-trips' must be positive") }
    }

    private var counts: [Int] { workers.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } }

    func run() async throws {
        let logger = try logging.bootstrap(label: "bench")
        guard let interpreter = SandboxScript.python(explicit: python, environment: ProcessInfo.processInfo.environment, directory: FileManager.default.currentDirectoryPath) else {
            throw ValidationError("no venv found; run 'make setup' or pass '--python'")
        }
        let benchmark = SandboxBenchmark(python: interpreter, baselineScript: script, workerCounts: counts, megabytes: megabytes, roundTrips: roundTrips, isolation: isolation)
        do {
            print(try await benchmark.run(logger: logger))
        } catch let error as SandboxError {
            CommandDiagnostics.write(error)
            throw StageExitCode.failure
        }
    }
}

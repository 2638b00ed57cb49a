import ArgumentParser

@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the throughput of the pipeline's building blocks.",
        discussion: """
            Each subcommand prints its figures and, where there is a baseline, the ratio to it \
            measured in the same run. Nothing is asserted: tests check behaviour, this measures.
            """,
        subcommands: [JSONLinesBenchCommand.self, SandboxBenchCommand.self, EpisodeBenchCommand.self, LLMBenchCommand.self]
    )
}

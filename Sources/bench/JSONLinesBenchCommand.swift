import AnalysisTraces
import ArgumentParser
import Foundation

struct JSONLinesBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jsonl",
        abstract: "Write and read episode records as gzip JSON Lines, against Python's json and gzip.",
        discussion: """
            Builds '--records' realistic episode records (about 5 KB of JSON each), writes them \
            with JSONLinesWriter and reads and decodes them back with JSONLinesReader, then runs \
            'stages/bench/jsonl_bench.py' on the same records with the same gzip level. Prints \
            MB/s of uncompressed JSON for writing and for reading plus decoding, and the ratios \
            Swift/Python.
            """
    )

    @Option(help: "The number of records.")
    var records: Int = 100_000

    @Option(help: "The gzip level for both sides, 0 to 9.")
    var level: Int = 6

    @Option(help: "The Python interpreter; by default 'python3' found on PATH, skipping pyenv shims.")
    var python: String?

    @Option(help: "The Python side of the benchmark.")
    var script: String = "stages/bench/jsonl_bench.py"

    @Option(help: "Where the files go; by default a temporary directory that is removed afterwards.")
    var directory: String?

    @Flag(help: "Skip the Python baseline.")
    var swiftOnly = false

    func validate() throws {
        guard records > 0 else { throw ValidationError("'--records' must be positive; found \(records)") }
        guard (0...9).contains(level) else { throw ValidationError("'--level' must be 0 to 9; found \(level)") }
    }

    func run() throws {
        let interpreter = swiftOnly ? nil : try python ?? JSONLinesBenchmark.findPython()
        let benchmark = JSONLinesBenchmark(records: records, level: level, python: interpreter, script: script)
        let report = try benchmark.run(directory: directory)
        print(report.table)
    }
}

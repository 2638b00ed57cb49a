import AnalysisTraces
import AnalysisTracesCLI
import ArgumentParser
import Foundation
import Logging

@main
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Run Python cells against a dataset in the sandbox.",
        discussion: """
        Starts the sandbox for one dataset (a zygote that has imported pandas, numpy, scipy, \
        scikit-learn and statsmodels and loaded the table as 'df'), forks one worker, and runs \
        the cells in it one after another, like a notebook: variables persist from cell to cell. \
        Cells come from '--cell' options or, without any, from standard input, separated by \
        lines that hold only '# %%'. Each result is printed on standard output as one JSON line \
        (or as text with '--text'); logs go to standard error.

        Exit status: 0 when every cell ran (a cell that raised is a result, not a failure), \
        1 when the sandbox could not start, 64 on bad usage, 130 when interrupted.

        Examples:
          sandbox --dataset data/datasets/penguins --cell 'df.shape' --cell 'df.species.value_counts()'
          printf 'x = 2\\n# %%\\nx * 21\\n' | sandbox --dataset data/datasets/iris --text
        """
    )

    @Option(name: .long, help: "The dataset folder, holding 'dataset.json' and 'data.csv'.")
    var dataset: String

    @Option(name: .long, help: "Python code of one cell; repeat for several cells. Without it, cells are read from standard input.")
    var cell: [String] = []

    @Flag(name: .long, help: "Print readable text instead of one JSON line per cell.")
    var text = false

    @Option(name: .long, help: "'bubblewrap' isolates the code from the host; 'none' runs without bubblewrap (seccomp and limits still apply) and lets the code read every file you can read.")
    var isolation: SandboxIsolation = .bubblewrap

    @Option(name: .long, help: "The time limit of each cell, in seconds.")
    var timeout: Double = 30

    @Option(name: .long, help: "The seed of 'random' and NumPy in the worker.")
    var seed: Int = 0

    @Option(name: .long, help: "The venv interpreter. Defaults to 'ANALYSIS_TRACES_PYTHON', else '.venv/bin/python' in the current folder or the nearest one above it.")
    var python: String?

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard timeout > 0, timeout.isFinite else {
            throw ValidationError("'--timeout' must be a positive number of seconds; found '\(timeout)'")
        }
    }

    func run() async throws {
        let logger = try logging.bootstrap(label: "sandbox")
        let folder = URL(fileURLWithPath: dataset)
        let metadataPath = folder.appendingPathComponent("dataset.json").path
        let record: Dataset
        do {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: metadataPath)))
            record = try RecordDecoder().decode(Dataset.self, from: bytes)
        } catch {
            FileHandleStandardError.write("\(metadataPath): error: cannot read the dataset's metadata: \(error)")
            throw StageExitCode.failure
        }
        guard let interpreter = SandboxScript.python(explicit: python, environment: ProcessInfo.processInfo.environment, directory: FileManager.default.currentDirectoryPath) else {
            CommandDiagnostics.write(SandboxError.noInterpreter)
            throw StageExitCode.failure
        }
        let cells = cell.isEmpty ? SandboxScript.cells(in: String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)) : cell
        let configuration = SandboxConfiguration(
            csvPath: folder.appendingPathComponent("data.csv").path, loader: record.loader, python: interpreter,
            isolation: isolation, cellTimeout: .milliseconds(Int64((timeout * 1000).rounded())))
        let asText = text
        let seed = seed
        do {
            let finished = try await withInterruptCancellation {
                try await withSandbox(configuration, logger: logger) { sandbox in
                    let worker = try await sandbox.makeWorker(seed: seed)
                    for (index, code) in cells.enumerated() {
                        let result = try await worker.run(code)
                        let line = asText ? Array(result.text(cell: index + 1).utf8) : result.jsonLine(cell: index + 1) + [UInt8(ascii: "\n")]
                        FileHandle.standardOutput.write(Data(line))
                    }
                    return true
                }
            }
            if finished == nil { throw StageExitCode.interrupted }
        } catch let error as SandboxError {
            CommandDiagnostics.write(error)
            throw StageExitCode.failure
        }
    }
}

import AnalysisTraces
import AnalysisTracesCLI
import ArgumentParser

@main
struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check stage files against the record contracts, or keep the episodes that pass.",
        discussion: """
            Every line is decoded strictly (unknown keys, missing keys, wrong types, a foreign \
            'schema_version'), ids must match their content, hashes their values, ids and \
            question ids must be unique, and every episode must pass the semantic rules: a \
            verified answer matches its ground truth or triangulation majority, the recorded \
            verification is what the traces give, hooks are grounded in the executed code, turns \
            are numbered without gaps and point at the messages holding their code, feedback \
            messages are what the loop renders from the recorded execution, the hint leaks into \
            neither the question nor a consistency trace, and the gold trace's user message is \
            the rendered question. Problems are reported on stderr in compiler style, \
            'path:line: error: [rule] message'.

            Checker mode, 'validate FILE...': one summary line per file. Exit status: 0 when \
            every file is clean, 1 when problems were found, 2 when a file could not be read at \
            all (missing, not gzip).

            Stage mode, 'validate --input EPISODES --output VALIDATED': writes the episodes that \
            pass every rule to '--output' in input order, and a JSON report (counts per rule and \
            per dataset, records read, kept and dropped, the first diagnostics) to '--report', \
            then prints a readable summary. An episode that is not verified is counted, and kept \
            only with '--keep-unverified'. Each output is rewritten only when its bytes change. \
            A run log goes to '<output>.run.json'. Exit status: 0 when the output was written \
            (dropped episodes are data), 1 when the input cannot be used (missing, not gzip, \
            damaged), 64 on bad usage, 130 when interrupted.
            """
    )

    @Argument(help: "Checker mode: the files to check, e.g. 'data/questions/penguins.jsonl.gz'.")
    var files: [String] = []

    @Option(help: "Checker mode: what the files hold, 'questions', 'episodes', or 'auto' to tell from the path and the first record.")
    var kind: StageFileChecker.Kind = .auto

    @Option(help: "Stage mode: the episodes to validate, e.g. 'data/episodes/penguins.jsonl.gz'.")
    var input: String?

    @Option(help: "Stage mode: where to write the episodes that pass, e.g. 'data/validated/penguins.jsonl.gz'.")
    var output: String?

    @Option(help: "Stage mode: where to write the JSON report; by default the output's name with '.report.json' for '.jsonl.gz'.")
    var report: String?

    @Flag(help: "Stage mode: also keep episodes that pass every rule but are not verified (for preference pairs and analysis).")
    var keepUnverified: Bool = false

    @Option(help: "The most diagnostics printed (per file in checker mode, listed in the report in stage mode); the rest are counted in the summary.")
    var maxDiagnostics: Int = 100

    @OptionGroup var logging: LoggingOptions

    private var stageMode: Bool { input != nil || output != nil }

    func validate() throws {
        guard maxDiagnostics >= 0 else {
            throw ValidationError("'--max-diagnostics' must be zero or more; found \(maxDiagnostics)")
        }
        if stageMode {
            guard input != nil, output != nil else {
                throw ValidationError("stage mode needs both '--input' and '--output'")
            }
            guard files.isEmpty else {
                throw ValidationError("give either FILE arguments (checker mode) or '--input' and '--output' (stage mode), not both; found the files \(files.joined(separator: ", "))")
            }
            guard kind == .auto else {
                throw ValidationError("'--kind' applies to checker mode only; stage mode reads episodes")
            }
        } else {
            guard !files.isEmpty else {
                throw ValidationError("give the FILEs to check, or '--input' and '--output' to run as a stage")
            }
            guard report == nil, !keepUnverified else {
                throw ValidationError("'--report' and '--keep-unverified' apply to stage mode only ('--input' and '--output')")
            }
        }
    }

    func run() async throws {
        if let input, let output {
            try await runStage(input: input, output: output)
        } else {
            try runChecker()
        }
    }

    private func runChecker() throws {
        let checker = StageFileChecker(maxDiagnostics: maxDiagnostics)
        var exitCode = StageExitCode.success
        for file in files {
            let report = checker.check(path: file, kind: kind)
            for diagnostic in report.diagnostics { CommandDiagnostics.write(diagnostic) }
            FileHandleStandardError.write(report.summary)
            if report.unreadable {
                exitCode = StageExitCode.unreadable
            } else if !report.isClean && exitCode == StageExitCode.success {
                exitCode = StageExitCode.failure
            }
        }
        if exitCode != StageExitCode.success { throw exitCode }
    }

    private func runStage(input: String, output: String) async throws {
        let logger = try logging.bootstrap(label: "validate")
        let stage = EpisodeValidation(
            input: input, output: output, reportPath: report, keepUnverified: keepUnverified,
            maxDiagnostics: maxDiagnostics)
        try await StageRun.execute(stage, logger: logger)
    }
}

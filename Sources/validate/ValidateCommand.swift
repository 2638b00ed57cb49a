import AnalysisTraces
import ArgumentParser

@main
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check stage files against the record contracts.",
        discussion: """
            Reads each FILE (gzip JSON Lines of questions or episodes) and decodes every line \
            strictly: unknown keys, missing keys, wrong types, a foreign 'schema_version', ids \
            that do not match their content, hashes that do not match their values and duplicate \
            ids are reported on stderr in compiler style, 'path:line: error: [rule] message', \
            followed by one summary line per file.

            Exit status: 0 when every file is clean, 1 when problems were found, 2 when a file \
            could not be read at all (missing, not gzip).
            """
    )

    @Argument(help: "The files to check, e.g. 'data/questions/penguins.jsonl.gz'.")
    var files: [String]

    @Option(help: "What the files hold: 'questions', 'episodes', or 'auto' to tell from the path and the first record.")
    var kind: StageFileChecker.Kind = .auto

    @Option(help: "The most diagnostics printed per file; the rest are counted in the summary.")
    var maxDiagnostics: Int = 100

    func validate() throws {
        guard maxDiagnostics >= 0 else {
            throw ValidationError("'--max-diagnostics' must be zero or more; found \(maxDiagnostics)")
        }
    }

    func run() throws {
        let checker = StageFileChecker(maxDiagnostics: maxDiagnostics)
        var exitCode = StageExitCode.success
        for file in files {
            let report = checker.check(path: file, kind: kind)
            for diagnostic in report.diagnostics { FileHandleStandardError.write(diagnostic.description) }
            FileHandleStandardError.write(report.summary)
            if report.unreadable {
                exitCode = StageExitCode.unreadable
            } else if !report.isClean && exitCode == StageExitCode.success {
                exitCode = StageExitCode.failure
            }
        }
        if exitCode != StageExitCode.success { throw exitCode }
    }
}

extension StageFileChecker.Kind: ExpressibleByArgument {}

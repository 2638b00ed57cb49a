import AnalysisTraces
import ArgumentParser
import Foundation
import Logging

/// The part of every stage command around its ``Stage``: the start and end log lines,
/// cancellation on SIGINT/SIGTERM (exit 130), an error printed once as a diagnostic (exit 1),
/// then the report: its diagnostics and notes on stderr, its summary line, its run logs, and its
/// exit code.
public enum StageRun {
    public static func execute<S: Stage>(_ stage: S, logger: Logger) async throws {
        let startedAt = Date.now
        let started = ContinuousClock.now
        logger.info("started", metadata: ["dataset": "\(stage.datasetLabel)", "output": "\(stage.outputLabel)"])
        let report: StageReport
        do {
            guard let finished = try await withInterruptCancellation({ try await stage.execute(logger: logger) }) else {
                logger.notice("interrupted; no output was published", metadata: ["dataset": "\(stage.datasetLabel)"])
                throw StageExitCode.interrupted
            }
            report = finished
        } catch let exit as ExitCode {
            throw exit
        } catch is CancellationError {
            throw StageExitCode.interrupted
        } catch {
            CommandDiagnostics.write(error)
            logger.error("failed; no output was published", metadata: ["dataset": "\(stage.datasetLabel)"])
            throw StageExitCode.failure
        }
        for diagnostic in report.diagnostics { CommandDiagnostics.write(diagnostic) }
        for note in report.notes { FileHandleStandardError.write(note) }
        logger.info("\(report.summary)", metadata: report.metadata)
        let finishedAt = Date.now
        let seconds = (ContinuousClock.now - started).seconds
        for entry in report.runLogs {
            let log = RunLog(
                stage: S.name, datasetID: entry.datasetID, arguments: Array(CommandLine.arguments.dropFirst()),
                startedAt: startedAt.formatted(.iso8601), finishedAt: finishedAt.formatted(.iso8601), seconds: seconds,
                counters: entry.counters, failures: entry.failures, items: entry.items, source: entry.source)
            do {
                try RecordFile.writeRunLog(log, to: entry.path)
            } catch {
                logger.warning("could not write the run log", metadata: ["path": "\(entry.path)", "error": "\(error)"])
            }
        }
        logger.info("finished", metadata: ["dataset": "\(stage.datasetLabel)", "seconds": "\(Int(seconds.rounded()))"])
        if report.failed { throw StageExitCode.failure }
    }
}

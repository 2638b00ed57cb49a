import ArgumentParser
import Foundation
import Logging

/// The part of every stage command around its work: the start and end log lines, cancellation
/// on SIGINT/SIGTERM (exit 130), errors printed once on stderr (exit 1), and the run log.
public enum StageRun {
    /// What a stage's work reports for the run log.
    public struct Report: Sendable {
        public var counters: [String: Int]
        public var failures: [String: Int]
        public var items: [RunLogItem]

        public init(counters: [String: Int], failures: [String: Int], items: [RunLogItem]) {
            self.counters = counters
            self.failures = failures
            self.items = items
        }
    }

    public static func execute(
        stage: String, dataset: String, output: String, logger: Logger,
        _ work: @escaping @Sendable () async throws -> Report
    ) async throws {
        let startedAt = Date.now
        let started = ContinuousClock.now
        logger.info("started", metadata: ["dataset": "\(dataset)", "output": "\(output)"])
        let report: Report
        do {
            guard let finished = try await withInterruptCancellation(work) else {
                logger.notice("interrupted; no output was published", metadata: ["dataset": "\(dataset)"])
                throw StageExitCode.interrupted
            }
            report = finished
        } catch let exit as ExitCode {
            throw exit
        } catch is CancellationError {
            throw StageExitCode.interrupted
        } catch {
            FileHandleStandardError.write("\(error)")
            logger.error("failed; no output was published", metadata: ["dataset": "\(dataset)"])
            throw StageExitCode.failure
        }
        let log = RunLog(
            stage: stage, datasetID: dataset, arguments: Array(CommandLine.arguments.dropFirst()),
            startedAt: startedAt.formatted(.iso8601), finishedAt: Date.now.formatted(.iso8601),
            seconds: (ContinuousClock.now - started).seconds, counters: report.counters,
            failures: report.failures, items: report.items)
        do {
            try RecordFile.writeRunLog(log, for: output)
        } catch {
            logger.warning("could not write the run log", metadata: ["error": "\(error)"])
        }
        logger.info("finished", metadata: ["dataset": "\(dataset)", "seconds": "\(Int(log.seconds.rounded()))"])
    }
}

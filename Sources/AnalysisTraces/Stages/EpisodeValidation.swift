import Logging

/// The `validate` stage on one episodes file: check every episode against the record contract
/// and the semantic rules (``ValidationRule``), write the episodes that pass, in input order,
/// and a ``ValidationReport``.
///
/// An episode that is not verified is data, not an error: it is counted, and kept when it passes
/// every rule and `keepUnverified` is set (preference pairs and analysis use them). Both outputs
/// are rewritten only when their bytes change, so an unchanged input leaves their mtimes alone.
/// An input that cannot be used (missing, not gzip, truncated or corrupt) throws
/// ``StageInputError`` and nothing is written.
public struct EpisodeValidation: Stage {
    public static let name = "validate"

    public var input: String
    public var output: String
    public var reportPath: String
    public var keepUnverified: Bool
    /// The most diagnostics listed in the report and on stderr; the rest are counted.
    public var maxDiagnostics: Int

    public init(input: String, output: String, reportPath: String? = nil, keepUnverified: Bool = false, maxDiagnostics: Int = 100) {
        self.input = input
        self.output = output
        self.reportPath = reportPath ?? Self.defaultReportPath(for: output)
        self.keepUnverified = keepUnverified
        self.maxDiagnostics = maxDiagnostics
    }

    /// What a run did.
    public struct Outcome: Sendable {
        public var report: ValidationReport
        /// The first diagnostics, as listed in the report.
        public var diagnostics: [Diagnostic]
        /// Whether the output's bytes changed (false: the file was left alone).
        public var outputChanged: Bool
        public var reportChanged: Bool
    }

    /// `data/validated/x.jsonl.gz` → `data/validated/x.report.json`.
    public static func defaultReportPath(for output: String) -> String {
        let stem = output.hasSuffix(".jsonl.gz") ? String(output.dropLast(".jsonl.gz".count)) : output
        return stem + ".report.json"
    }

    /// The dataset a file is about, from its name: `data/episodes/penguins.jsonl.gz` → `penguins`.
    public static func datasetName(of path: String) -> String {
        let name = POSIXFile.baseName(of: path)
        return name.hasSuffix(".jsonl.gz") ? String(name.dropLast(".jsonl.gz".count)) : name
    }

    public func run(logger: Logger) throws -> Outcome {
        var report = ValidationReport(input: input, output: output, keepUnverified: keepUnverified)
        var kept: [Episode] = []
        let checker = StageFileChecker(maxDiagnostics: maxDiagnostics)
        let checked = try checker.check(path: input, kind: .episodes) { record in
            if record.line.isMultiple(of: 256), Task.isCancelled { throw CancellationError() }
            let dataset = record.episode?.question.datasetID ?? record.datasetID ?? ValidationReport.unknownDataset
            var counts = report.datasets[dataset] ?? ValidationReport.DatasetCounts()
            counts.read += 1
            for rule in record.brokenRules { counts.rules[rule, default: 0] += 1 }
            let unverified = record.episode.map { !$0.verification.verified } ?? false
            if unverified {
                counts.unverified += 1
                report.unverified += 1
            }
            if !record.passes {
                counts.failingRules += 1
                report.recordsFailingRules += 1
            }
            if let episode = record.episode, record.passes, !unverified || keepUnverified {
                kept.append(episode)
                counts.kept += 1
            } else {
                counts.dropped += 1
            }
            report.datasets[dataset] = counts
        }
        try Task.checkCancellation()
        if checked.unreadable || checked.damaged {
            let problem = checked.diagnostics.first(where: { ["io", "gzip"].contains($0.rule) })
            throw StageInputError(
                path: input, line: problem?.line,
                message: "the episodes file cannot be used: \(problem?.message ?? "it could not be read"); nothing was written")
        }
        report.recordsRead = checked.records
        report.recordsKept = kept.count
        report.recordsDropped = checked.records - kept.count
        report.rules = checked.countsByRule
        report.diagnostics = checked.diagnostics.map(\.description)
        report.diagnosticsOmitted = checked.omittedDiagnostics
        logger.debug("checked the episodes", metadata: ["records": "\(checked.records)", "kept": "\(kept.count)"])

        let outputChanged = try RecordFile.publish(kept, to: output)
        let reportChanged = try report.write(to: reportPath)
        return Outcome(report: report, diagnostics: checked.diagnostics, outputChanged: outputChanged, reportChanged: reportChanged)
    }
}

extension EpisodeValidation {
    public var datasetLabel: String { Self.datasetName(of: input) }
    public var outputLabel: String { output }

    /// Validates, and reports the diagnostics and the readable summary for stderr, the counts
    /// for the summary line and the run log.
    public func execute(logger: Logger) async throws -> StageReport {
        let outcome = try run(logger: logger)
        let report = outcome.report
        return StageReport(
            summary: "validated episodes written",
            metadata: [
                "read": "\(report.recordsRead)", "kept": "\(report.recordsKept)", "dropped": "\(report.recordsDropped)",
                "changed": "\(outcome.outputChanged)",
            ],
            diagnostics: outcome.diagnostics, notes: [report.summary],
            runLogs: [.next(
                to: output, datasetID: datasetLabel,
                counters: [
                    "read": report.recordsRead, "kept": report.recordsKept, "dropped": report.recordsDropped,
                    "failing_rules": report.recordsFailingRules, "unverified": report.unverified,
                ],
                failures: report.rules, items: [])])
    }
}

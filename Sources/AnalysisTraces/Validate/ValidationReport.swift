import Foundation

/// `data/validated/<id>.report.json`: what `validate` read, kept and dropped, and why.
///
/// Content only (no timestamps, no durations: those go to the run log), so that an unchanged
/// input gives a byte-identical report, which is rewritten only when its bytes change.
public struct ValidationReport: Codable, Sendable, Equatable {
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int
    /// The episodes file read, as named on the command line.
    public var input: String
    /// The validated episodes written.
    public var output: String
    /// Whether episodes that passed every rule but are not verified were kept.
    public var keepUnverified: Bool
    /// Lines read, broken ones included.
    public var recordsRead: Int
    /// Episodes written to the output.
    public var recordsKept: Int
    /// `recordsRead - recordsKept`.
    public var recordsDropped: Int
    /// Records that broke at least one rule (dropped whatever `keepUnverified` says).
    public var recordsFailingRules: Int
    /// Episodes with `verification.verified == false`, whether they passed the rules or not.
    public var unverified: Int
    /// Diagnostics per rule name (`feedback`, `grounding`, ...), file-level ones included.
    public var rules: [String: Int]
    /// The same counts, by `question.dataset_id` (`unknown` for lines that do not say).
    public var datasets: [String: DatasetCounts]
    /// The first diagnostics, compiler-style (`path:line: error: [rule] message`).
    public var diagnostics: [String]
    /// Diagnostics past the limit, counted in `rules` but not listed.
    public var diagnosticsOmitted: Int

    public init(input: String, output: String, keepUnverified: Bool) {
        self.schemaVersion = Self.currentSchemaVersion
        self.input = input
        self.output = output
        self.keepUnverified = keepUnverified
        self.recordsRead = 0
        self.recordsKept = 0
        self.recordsDropped = 0
        self.recordsFailingRules = 0
        self.unverified = 0
        self.rules = [:]
        self.datasets = [:]
        self.diagnostics = []
        self.diagnosticsOmitted = 0
    }

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case schemaVersion = "schema_version", input, output, keepUnverified = "keep_unverified"
        case recordsRead = "records_read", recordsKept = "records_kept", recordsDropped = "records_dropped"
        case recordsFailingRules = "records_failing_rules", unverified, rules, datasets, diagnostics
        case diagnosticsOmitted = "diagnostics_omitted"
    }

    /// The counts of one dataset.
    public struct DatasetCounts: Codable, Sendable, Equatable {
        public var read = 0
        public var kept = 0
        public var dropped = 0
        public var failingRules = 0
        public var unverified = 0
        /// Diagnostics per rule name.
        public var rules: [String: Int] = [:]

        public init() {}

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case read, kept, dropped, failingRules = "failing_rules", unverified, rules
        }
    }

    /// The dataset name used for lines that do not say which dataset they are about.
    public static let unknownDataset = "unknown"

    /// Writes the report, pretty-printed, atomically, unless the file already holds exactly these
    /// bytes. Returns whether the file changed.
    @discardableResult
    public func write(to path: String) throws -> Bool {
        var bytes = JSONWriter.prettyBytes(try RecordEncoder().encodeValue(self))
        bytes.append(0x0A)
        return try RecordFile.publish(bytes: bytes, to: path)
    }

    /// The readable summary printed on stderr: one line of totals, then a table of the rules
    /// broken (when any) and one of the datasets.
    public var summary: String {
        var lines: [String] = []
        let dropped = recordsFailingRules == recordsDropped
            ? "\(recordsDropped) dropped"
            : "\(recordsDropped) dropped (\(recordsFailingRules) broke rules, \(recordsDropped - recordsFailingRules) unverified)"
        lines.append("\(input): \(recordsRead) record\(recordsRead == 1 ? "" : "s") read, \(recordsKept) kept, \(dropped); \(unverified) unverified\(keepUnverified ? " (kept when they pass)" : "")")
        if !rules.isEmpty {
            lines.append("  rule            diagnostics")
            for (rule, count) in rules.sorted(by: { $0.key < $1.key }) {
                lines.append("  " + rule.padding(toLength: 16, withPad: " ", startingAt: 0) + "\(count)")
            }
        }
        if !datasets.isEmpty {
            lines.append("  dataset                     read    kept dropped unverified")
            for (name, counts) in datasets.sorted(by: { $0.key < $1.key }) {
                let cells = [counts.read, counts.kept, counts.dropped, counts.unverified].enumerated().map { index, value in
                    let text = String(value)
                    let width = index == 3 ? 11 : 8
                    return String(repeating: " ", count: max(0, width - text.count)) + text
                }
                let label = name.count > 24 ? String(name.prefix(23)) + "…" : name
                lines.append("  " + label.padding(toLength: 24, withPad: " ", startingAt: 0) + cells.joined())
            }
        }
        if diagnosticsOmitted > 0 { lines.append("  \(diagnosticsOmitted) more diagnostics not shown (counted above)") }
        return lines.joined(separator: "\n")
    }
}

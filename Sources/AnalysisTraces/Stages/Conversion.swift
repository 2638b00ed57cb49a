import Foundation
import Logging

/// The `convert` stage: reads every validated episode file of a folder, streaming, and writes
/// each training format's splits and a dataset card.
///
/// Every `*.jsonl.gz` in `input` is one dataset (its stem is the dataset id, and every episode
/// in it must belong to that dataset). Datasets are assigned to splits by ``DatasetSplit``;
/// rows go to `<output>/<format>/<split>.jsonl.gz` in input order (files sorted by name,
/// episodes in file order, traces in episode order), and the card to `<output>/README.md`.
/// Every output is published atomically and only when its bytes change; all three split files
/// are written for every format, empty ones included.
public struct Conversion: Stage {
    public static let name = "convert"

    public var input: String
    public var output: String
    /// `data/datasets`, for the licences and titles on the card; nil leaves them unknown.
    public var datasetsFolder: String?
    public var formats: [TrainingFormat]
    public var split: DatasetSplit
    public var codeStyle: CodeStyle
    /// Whether the `sft` formats include self-correcting traces.
    public var includeRecoveriesInSFT: Bool

    public init(input: String, output: String, datasetsFolder: String?, formats: [TrainingFormat], split: DatasetSplit, codeStyle: CodeStyle,
                includeRecoveriesInSFT: Bool = false) {
        self.includeRecoveriesInSFT = includeRecoveriesInSFT
        self.input = input
        self.output = output
        self.datasetsFolder = datasetsFolder
        self.formats = formats
        self.split = split
        self.codeStyle = codeStyle
    }

    /// What a run did, for the log, the run log and the card.
    public struct Summary: Sendable {
        public var datasets: [DatasetEntry] = []
        /// Rows per format and split.
        public var rows: [TrainingFormat: [Split: Int]] = [:]
        /// Rows per format by question source and by difficulty.
        public var rowsBySource: [TrainingFormat: [String: Int]] = [:]
        public var rowsByDifficulty: [TrainingFormat: [String: Int]] = [:]
        /// Episodes per split by source and by difficulty.
        public var episodesBySource: [Split: [String: Int]] = [:]
        public var episodesByDifficulty: [Split: [String: Int]] = [:]
        public var episodes = 0
        /// Episodes whose right answer is unknown (unverified triangulation): no labelled rows.
        public var episodesWithoutTruth = 0
        /// Traces left out of every format, by reason.
        public var excludedTraces: [String: Int] = [:]
        /// Output files (relative to the output folder) whose bytes changed.
        public var changedFiles: [String] = []
        /// Flawed and self-correcting traces per catalogued mistake.
        public var flawedByMistake: [String: Int] = [:]
        public var recoveriesByMistake: [String: Int] = [:]
        /// Rows labelled negative per format (`kto`, `orm`).
        public var negativeRows: [TrainingFormat: Int] = [:]
        /// Episodes whose right answer is known, and those of them with at least one `dpo` pair.
        public var episodesWithTruth = 0
        public var episodesWithPairs = 0

        /// Total rows of a format.
        public func rowCount(_ format: TrainingFormat) -> Int {
            rows[format, default: [:]].values.reduce(0, +)
        }
    }

    /// One input dataset: its split, its episodes and what its `dataset.json` says.
    public struct DatasetEntry: Sendable {
        public var id: String
        public var split: Split
        public var episodes: Int
        public var record: Dataset?
        /// Why the record could not be read, when it could not.
        public var recordProblem: String?
    }

    public func run(logger: Logger) throws -> Summary {
        let files = try inputFiles()
        let ids = files.map { Self.datasetID(ofFile: $0) }
        let assignment = split.assign(ids)
        let builder = TrainingRowBuilder(formats: Set(formats), codeStyle: codeStyle, includeRecoveriesInSFT: includeRecoveriesInSFT)
        let manager = FileManager.default
        var summary = Summary()

        var outputs: [TrainingFormat: [Split: TrainingFile]] = [:]
        func discardAll() {
            for files in outputs.values { for file in files.values { file.discard() } }
        }
        do {
            for format in formats {
                let folder = output + "/" + format.rawValue
                try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
                for split in Split.allCases {
                    outputs[format, default: [:]][split] = try TrainingFile(path: folder + "/" + split.rawValue + ".jsonl.gz")
                }
            }
            for (file, id) in zip(files, ids) {
                try Task.checkCancellation()
                let split = assignment[id] ?? .train
                var entry = DatasetEntry(id: id, split: split, episodes: 0)
                let path = input + "/" + file
                try JSONLinesReader<Episode>(path: path).forEach { episode, line in
                    guard episode.question.datasetID == id else {
                        throw ConversionError.foreignEpisode(path: path, line: line, expected: id, found: episode.question.datasetID)
                    }
                    let result = builder.rows(for: episode)
                    entry.episodes += 1
                    summary.episodes += 1
                    if !result.truthKnown { summary.episodesWithoutTruth += 1 } else { summary.episodesWithTruth += 1 }
                    if !(result.rows[.dpo] ?? []).isEmpty { summary.episodesWithPairs += 1 }
                    summary.negativeRows.merge(result.negativeRows, uniquingKeysWith: +)
                    for trace in episode.traces {
                        guard let mistake = trace.mistake else { continue }
                        if trace.role == .flawed { summary.flawedByMistake[mistake.id, default: 0] += 1 }
                        if trace.role == .selfCorrecting { summary.recoveriesByMistake[mistake.id, default: 0] += 1 }
                    }
                    summary.episodesBySource[split, default: [:]][episode.question.source.rawValue, default: 0] += 1
                    summary.episodesByDifficulty[split, default: [:]][episode.question.difficulty.rawValue, default: 0] += 1
                    for (reason, count) in result.excludedTraces { summary.excludedTraces[reason, default: 0] += count }
                    for (format, rows) in result.rows {
                        guard let target = outputs[format]?[split] else { continue }
                        for row in rows { try target.write(row) }
                        summary.rows[format, default: [:]][split, default: 0] += rows.count
                        summary.rowsBySource[format, default: [:]][episode.question.source.rawValue, default: 0] += rows.count
                        summary.rowsByDifficulty[format, default: [:]][episode.question.difficulty.rawValue, default: 0] += rows.count
                    }
                }
                (entry.record, entry.recordProblem) = datasetRecord(id)
                summary.datasets.append(entry)
                logger.info("dataset converted", metadata: ["dataset": "\(id)", "split": "\(split.rawValue)", "episodes": "\(entry.episodes)"])
            }
            try Task.checkCancellation()
            for format in formats {
                for split in Split.allCases {
                    guard let file = outputs[format]?[split] else { continue }
                    outputs[format]?[split] = nil
                    if try file.publish() { summary.changedFiles.append("\(format.rawValue)/\(split.rawValue).jsonl.gz") }
                }
            }
        } catch {
            discardAll()
            throw error
        }
        let card = DatasetCard(summary: summary, formats: formats, split: split, codeStyle: codeStyle).render()
        if try TrainingFile.publishText(card, to: output + "/README.md") { summary.changedFiles.append("README.md") }
        return summary
    }

    /// The `*.jsonl.gz` files of the input folder, sorted by name.
    func inputFiles() throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ConversionError.missingInput(path: input)
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: input)
            .filter { $0.hasSuffix(".jsonl.gz") && !$0.hasPrefix(".") }
            .sorted { JSONWriter.utf8Precedes($0, $1) }
        guard !names.isEmpty else { throw ConversionError.noEpisodeFiles(path: input) }
        return names
    }

    static func datasetID(ofFile name: String) -> String {
        String(name.dropLast(".jsonl.gz".count))
    }

    /// `<datasets>/<id>/dataset.json`, or why it could not be read.
    func datasetRecord(_ id: String) -> (Dataset?, String?) {
        guard let datasetsFolder else { return (nil, "no folder of dataset records was given") }
        let path = datasetsFolder + "/" + id + "/dataset.json"
        guard let data = FileManager.default.contents(atPath: path) else { return (nil, "'\(id)/dataset.json' was not found") }
        do {
            return (try RecordDecoder().decode(Dataset.self, from: [UInt8](data)), nil)
        } catch {
            return (nil, "'\(id)/dataset.json' does not decode: \(error)")
        }
    }
}

/// Why `convert` could not produce its output.
extension Conversion {
    public var datasetLabel: String { "all" }
    /// The output folder without a trailing `/`; the run log goes next to it (`data/train.run.json`).
    public var outputLabel: String { output.hasSuffix("/") ? String(output.dropLast()) : output }

    /// Converts, and reports the rows per format for the summary line and the run log.
    public func execute(logger: Logger) async throws -> StageReport {
        let summary = try run(logger: logger)
        var counters = ["datasets": summary.datasets.count, "episodes": summary.episodes, "changed_files": summary.changedFiles.count]
        for format in formats { counters["rows_\(format.rawValue)"] = summary.rowCount(format) }
        return StageReport(
            summary: "training data written",
            metadata: [
                "datasets": "\(summary.datasets.count)", "episodes": "\(summary.episodes)",
                "rows": "\(formats.map { "\($0.rawValue)=\(summary.rowCount($0))" }.joined(separator: " "))",
                "changed": "\(summary.changedFiles.count)",
            ],
            runLogs: [.next(to: outputLabel, datasetID: datasetLabel, counters: counters, failures: summary.excludedTraces, items: [])])
    }
}

public enum ConversionError: DiagnosticError {
    case missingInput(path: String)
    case noEpisodeFiles(path: String)
    case foreignEpisode(path: String, line: Int, expected: String, found: String)

    public var diagnosticLocation: String? {
        switch self {
        case .missingInput(let path), .noEpisodeFiles(let path): path
        case .foreignEpisode(let path, let line, _, _): "\(path):\(line)"
        }
    }

    public var diagnosticRule: String? {
        if case .foreignEpisode = self { return "dataset" }
        return nil
    }

    public var diagnosticMessage: String {
        switch self {
        case .missingInput:
            "the input folder does not exist; expected a folder of validated episodes ('<dataset>.jsonl.gz')"
        case .noEpisodeFiles:
            "the input folder holds no episode files; expected at least one '<dataset>.jsonl.gz'"
        case .foreignEpisode(_, _, let expected, let found):
            "the episode belongs to another dataset; expected dataset_id '\(expected)' (the file's name), found '\(found)'"
        }
    }
}

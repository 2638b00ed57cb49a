import Foundation
import Logging
@testable import AnalysisTraces
import Testing

@Suite struct ConversionTests {
    static let logger = Logger(label: "convert-tests")

    static func conversion(_ directory: IOTestDirectory, formats: [TrainingFormat] = TrainingFormat.allCases) -> Conversion {
        Conversion(
            input: directory.file("validated"), output: directory.file("train"), datasetsFolder: nil, formats: formats,
            split: DatasetSplit(ratios: [.train: 0.8, .val: 0.1, .test: 0.1], seed: 0), codeStyle: .toolCalls)
    }

    static func write(_ episodes: [Episode], as name: String, in directory: IOTestDirectory) throws {
        try FileManager.default.createDirectory(atPath: directory.file("validated"), withIntermediateDirectories: true)
        try JSONLinesWriter<Episode>.write(episodes, to: directory.file("validated/\(name).jsonl.gz"))
    }

    @Test func anEpisodeOfAnotherDatasetIsAnErrorAndNothingIsPublished() throws {
        try IOTestDirectory.with { directory in
            try Self.write([ConvertFixtures.groundTruthEpisode(dataset: "beta", number: 1)], as: "alpha", in: directory)
            #expect {
                try Self.conversion(directory).run(logger: Self.logger)
            } throws: { error in
                "\(error)".contains("alpha.jsonl.gz:1: error: [dataset] the episode belongs to another dataset; expected dataset_id 'alpha'")
            }
            #expect(!FileManager.default.fileExists(atPath: directory.file("train/sft/train.jsonl.gz")))
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.file("train/sft"))
            #expect(leftovers.isEmpty)
        }
    }

    @Test func anEmptyInputFolderIsAnError() throws {
        try IOTestDirectory.with { directory in
            try FileManager.default.createDirectory(atPath: directory.file("validated"), withIntermediateDirectories: true)
            #expect(throws: ConversionError.self) { try Self.conversion(directory).run(logger: Self.logger) }
        }
    }

    @Test func theCardListsOnlyNonEmptySplitsAndFormatsWithRows() throws {
        try IOTestDirectory.with { directory in
            try Self.write([ConvertFixtures.groundTruthEpisode(dataset: "alpha", number: 1)], as: "alpha", in: directory)
            let summary = try Self.conversion(directory, formats: [.sft, .dpo]).run(logger: Self.logger)
            #expect(summary.rows[.sft] == [.train: 1])
            #expect(summary.rowCount(.dpo) == 0)
            let card = try String(contentsOfFile: directory.file("train/README.md"), encoding: .utf8)
            #expect(card.contains("- config_name: sft\n  default: true\n  data_files:\n  - split: train\n    path: sft/train.jsonl.gz\n---"))
            #expect(!card.contains("config_name: dpo"))
            #expect(card.contains("| `dpo` | 0 | 0 | 0 | 0 |"))
            #expect(card.contains("license: other"))
            #expect(card.contains("⚠ licence unknown: no folder of dataset records was given"))
            // Empty split files are still written, so every format has its three files.
            #expect(FileManager.default.fileExists(atPath: directory.file("train/dpo/test.jsonl.gz")))
            #expect(summary.changedFiles.count == 7)
        }
    }
}

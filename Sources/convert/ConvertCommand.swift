import AnalysisTraces
import AnalysisTracesCLI
import ArgumentParser
import Foundation

@main
struct ConvertCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert validated episodes into training formats, split by dataset.",
        discussion: """
            Reads every '<dataset>.jsonl.gz' of '--input' (validated episodes, streaming) and \
            writes each format to '<output>/<format>/{train,val,test}.jsonl.gz' and a dataset \
            card to '<output>/README.md'. Formats: 'sft' (TRL conversational messages, code as \
            tool calls or fenced blocks, with 'tools'), 'sft-openai' (OpenAI chat fine-tuning \
            lines), 'sft-interleaved' (replies that predict their hooked values), 'prm' \
            (stepwise supervision), 'prm-openrlhf' (OpenRLHF's process reward trainer), 'dpo' (conversational preference pairs), 'kto' \
            (conversational unpaired preference), 'orm' (standard-text unpaired preference) and \
            'rl' (prompt-only rows with the ground truth, for GRPO). The hint is removed from \
            the question in every format; host paths are shortened.

            Whole datasets go to one split: ordered by SHA-256 of '<seed>:<id>' and cut by the \
            '--split' ratios (largest remainder, at least one dataset in train). The same \
            inputs and settings give byte-identical files, and a file whose bytes would not \
            change is left untouched. A run log goes to '<output>.run.json'.

            Exit status: 0 when the output was written, 1 when it could not be (missing or \
            broken input), 64 on bad usage, 130 when interrupted (nothing is published).
            """
    )

    @Option(help: "The folder of validated episodes, e.g. 'data/validated'.")
    var input: String

    @Option(help: "The folder to write the formats and the card to, e.g. 'data/train'.")
    var output: String

    @Option(help: "The dataset folders, read for each table's title, source and licence on the card, e.g. 'data/datasets'.")
    var datasets: String?

    @Option(help: "Comma-separated formats to write: 'sft', 'sft-openai', 'sft-interleaved', 'prm', 'prm-openrlhf', 'dpo', 'kto', 'orm', 'rl', or 'all'.")
    var formats: String = "all"

    @Option(help: "Train, validation and test ratios by number of datasets, summing to 1, train above 0.")
    var split: String = "0.8,0.1,0.1"

    @Option(help: "Seed of the dataset-to-split assignment.")
    var seed: Int = 0

    @Option(help: "How code appears in 'sft', 'dpo' and 'kto': 'tool-calls' (a 'python' tool call per reply, feedback as tool messages) or 'fenced' (```python blocks in the reply, feedback as user messages).")
    var codeStyle: CodeStyle = .toolCalls

    @Flag(help: "Include self-correcting traces in the 'sft' formats (flawed traces never are).")
    var sftRecoveries = false

    @OptionGroup var logging: LoggingOptions

    func parsedFormats() throws -> [TrainingFormat] {
        let names = formats.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        if names == ["all"] { return TrainingFormat.allCases }
        var chosen = Set<TrainingFormat>()
        for name in names {
            guard let format = TrainingFormat(rawValue: name) else {
                throw ValidationError("'--formats' must list names from 'sft', 'sft-openai', 'sft-interleaved', 'prm', 'prm-openrlhf', 'dpo', 'kto', 'orm', 'rl' or be 'all'; found '\(name)'")
            }
            chosen.insert(format)
        }
        guard !chosen.isEmpty else { throw ValidationError("'--formats' must name at least one format; found '\(formats)'") }
        return TrainingFormat.allCases.filter(chosen.contains)
    }

    func validate() throws {
        _ = try parsedFormats()
        guard DatasetSplit.parseRatios(split) != nil else {
            throw ValidationError("'--split' must be three ratios 'train,val,test', each at least 0, summing to 1, with train above 0; found '\(split)'")
        }
    }

    func run() async throws {
        let logger = try logging.bootstrap(label: "convert")
        let conversion = Conversion(
            input: input, output: output, datasetsFolder: datasets, formats: try parsedFormats(),
            split: DatasetSplit(ratios: DatasetSplit.parseRatios(split) ?? [:], seed: seed), codeStyle: codeStyle,
            includeRecoveriesInSFT: sftRecoveries)
        try await StageRun.execute(conversion, logger: logger)
    }
}

import Foundation

/// The dataset card `convert` writes as `<output>/README.md`: Hugging Face front matter with one
/// config per format (its non-empty splits as data files), then counts, splits, schemas,
/// licences and how to load the files. Deterministic: no dates, no host paths.
public struct DatasetCard: Sendable {
    public var summary: Conversion.Summary
    public var formats: [TrainingFormat]
    public var split: DatasetSplit
    public var codeStyle: CodeStyle

    public init(summary: Conversion.Summary, formats: [TrainingFormat], split: DatasetSplit, codeStyle: CodeStyle) {
        self.summary = summary
        self.formats = formats
        self.split = split
        self.codeStyle = codeStyle
    }

    /// Formats with at least one row, in format order.
    var loadable: [TrainingFormat] { formats.filter { summary.rowCount($0) > 0 } }

    func splitsWithRows(_ format: TrainingFormat) -> [Split] {
        Split.allCases.filter { summary.rows[format]?[$0, default: 0] ?? 0 > 0 }
    }

    public func render() -> String {
        var lines: [String] = []
        lines += frontMatter()
        lines += [
            "# Verified data-analysis agent traces",
            "",
            "Multi-turn traces in which a teacher answers a question about a table by writing pandas code in a notebook, reading the output and submitting an answer that was checked (against ground truth, or by agreement of independent traces). Made by the `convert` stage of `analysis-traces` from validated episodes; every format below is derived from the same episodes.",
            "",
            "The system prompt and the user message are the ones the teacher saw, except that the question's hint (given to the gold trace only) is removed in every format, so that a model learns to solve without it. Host paths in tracebacks are shortened (`site-packages/...`). Code appears as \(codeStyle == .toolCalls ? "calls of a `python` tool (`arguments` an object `{\"code\": ...}`)" : "fenced ```python blocks in the assistant text") in `sft`, `dpo` and `kto`.",
            "",
        ]
        lines += loading()
        lines += counts()
        lines += splits()
        lines += negatives()
        lines += processRewardTrainers()
        lines += schemas()
        lines += licences()
        lines += leftOut()
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: Sections

    func frontMatter() -> [String] {
        var lines = ["---", "pretty_name: Verified data-analysis agent traces"]
        let licences = Set(summary.datasets.map { $0.record?.license.spdx?.lowercased() ?? "unknown" })
        if licences.count == 1, let only = licences.first, only != "unknown" {
            lines.append("license: \(only)")
        } else {
            lines.append("license: other")
            lines.append("license_name: per-table")
            lines.append("license_link: README.md")
        }
        lines += ["language:", "- en", "tags:", "- data-analysis", "- tool-use", "- code", "- synthetic", "configs:"]
        for (position, format) in loadable.enumerated() {
            lines.append("- config_name: \(format.rawValue)")
            if position == 0 { lines.append("  default: true") }
            lines.append("  data_files:")
            for split in splitsWithRows(format) {
                lines.append("  - split: \(split.cardName)")
                lines.append("    path: \(format.rawValue)/\(split.rawValue).jsonl.gz")
            }
        }
        if loadable.isEmpty { lines.append("[]") }
        lines += ["---", ""]
        return lines
    }

    func loading() -> [String] {
        var lines = ["## Loading", ""]
        guard let example = loadable.first else {
            return lines + ["No format has any row yet.", ""]
        }
        let files = splitsWithRows(example).map { "\"\($0.cardName)\": \"\(example.rawValue)/\($0.rawValue).jsonl.gz\"" }
        lines += [
            "Each format is a folder of gzip JSON Lines files, one per split, that `datasets` reads directly:",
            "",
            "```python",
            "from datasets import load_dataset",
            "",
            "\(example.rawValue.replacingOccurrences(of: "-", with: "_")) = load_dataset(\"json\", data_files={\(files.joined(separator: ", "))})",
            "```",
            "",
            "From a copy of this folder on the Hub, name the format: `load_dataset(\"<user>/<repo>\", \"\(example.rawValue)\")`. Only non-empty split files are listed in the configs above: `datasets` cannot load an empty file, so a split with no rows is left out of `data_files`.",
            "",
        ]
        return lines
    }

    func counts() -> [String] {
        var lines = ["## Counts", "", "Rows per format and split:", "", "| format | train | validation | test | total |", "|---|---:|---:|---:|---:|"]
        for format in formats {
            let perSplit = Split.allCases.map { String(summary.rows[format]?[$0] ?? 0) }
            lines.append("| `\(format.rawValue)` | \(perSplit.joined(separator: " | ")) | \(summary.rowCount(format)) |")
        }
        let sources = Question.Source.allCases.map(\.rawValue)
        let difficulties = Question.Difficulty.allCases.map(\.rawValue)
        lines += ["", "Rows per format by question source and difficulty:", "",
                  "| format | " + (sources + difficulties).joined(separator: " | ") + " |",
                  "|---|" + String(repeating: "---:|", count: sources.count + difficulties.count)]
        for format in formats {
            let values = sources.map { summary.rowsBySource[format]?[$0] ?? 0 } + difficulties.map { summary.rowsByDifficulty[format]?[$0] ?? 0 }
            lines.append("| `\(format.rawValue)` | " + values.map(String.init).joined(separator: " | ") + " |")
        }
        lines += ["", "Episodes per split by question source and difficulty:", "",
                  "| split | episodes | " + (sources + difficulties).joined(separator: " | ") + " |",
                  "|---|---:|" + String(repeating: "---:|", count: sources.count + difficulties.count)]
        for part in Split.allCases {
            let bySource = summary.episodesBySource[part] ?? [:]
            let byDifficulty = summary.episodesByDifficulty[part] ?? [:]
            let total = bySource.values.reduce(0, +)
            let values = sources.map { bySource[$0] ?? 0 } + difficulties.map { byDifficulty[$0] ?? 0 }
            lines.append("| \(part.cardName) | \(total) | " + values.map(String.init).joined(separator: " | ") + " |")
        }
        lines.append("")
        return lines
    }

    func splits() -> [String] {
        let ratios = Split.allCases.map { Self.number(split.ratios[$0] ?? 0) }.joined(separator: "/")
        let counts = split.counts(for: summary.datasets.count)
        var lines = [
            "## Splits",
            "",
            "Split by dataset, so that no table appears in two splits: the datasets are ordered by SHA-256 of `\"<seed>:<dataset id>\"` and cut in that order into \(counts[.train] ?? 0) train, \(counts[.val] ?? 0) validation and \(counts[.test] ?? 0) test datasets (ratios \(ratios) by dataset count, largest remainder, at least one dataset in train; seed \(split.seed)). Rows keep the input order; trainers shuffle.",
            "",
            "| dataset | split | episodes |",
            "|---|---|---:|",
        ]
        for entry in summary.datasets.sorted(by: { ($0.split, $0.id) < ($1.split, $1.id) }) {
            lines.append("| `\(entry.id)` | \(entry.split.cardName) | \(entry.episodes) |")
        }
        lines.append("")
        return lines
    }

    func schemas() -> [String] {
        var lines = ["## Formats", ""]
        if codeStyle == .toolCalls {
            lines += [
                "A `message` in `sft`, `dpo` and `kto` always has the keys `role`, `content`, `tool_calls`, `tool_call_id` and `name` (null where they do not apply); a tool call is `{id, type: \"function\", function: {name: \"python\", arguments: {code}}}`, and the `tool` message that answers it carries the feedback, `tool_call_id` and `name: \"python\"`. The last reply of a trace (usually the one that calls `submit`) has no answer, as in the real loop.",
                "",
            ]
        }
        for format in formats {
            lines += ["### `\(format.rawValue)`", "", format.summary + ".", "", "| column | type | meaning |", "|---|---|---|"]
            for column in format.columns(codeStyle: codeStyle) {
                lines.append("| `\(column.name)` | \(column.type) | \(column.meaning) |")
            }
            lines.append("")
        }
        return lines
    }

    func negatives() -> [String] {
        let flawed = summary.flawedByMistake.values.reduce(0, +)
        let recovered = summary.recoveriesByMistake.values.reduce(0, +)
        var lines = [
            "## Negatives: flawed and self-correcting traces",
            "",
            "Besides the gold trace, a template question can have *flawed* traces (role `flawed`): the reference program with one step replaced by a catalogued analyst mistake, carried on honestly (later steps use the wrong value, the reasoning never mentions the mistake) to a wrong answer; and *self-correcting* traces (role `self_correcting`) that make a mistake, run a check whose executed output shows it, redo the step and submit the right answer. A mistake is kept only where it changes a hooked value on the table and, for a flawed trace, leaves the answer wrong. Because every step's hooks are compared with the gold trace's by value, the step labels are exact: in `prm` and `prm-openrlhf` a flawed trace's first bad step (`first_bad_step`) is the step its mistake was made in; a self-correcting trace's mistaken step is bad and its check and fix are good.",
            "",
            "`dpo` pairs the gold trace (chosen) with each flawed trace (rejected) of the same question; `kto` and `orm` carry them as negatives; the `sft` formats never hold a flawed trace\(summary.recoveriesByMistake.isEmpty ? "" : " (self-correcting traces only when converted with `--sft-recoveries`)").",
            "",
            "In this card: \(flawed) flawed and \(recovered) self-correcting traces; negative rows: " + [TrainingFormat.kto, .orm].map { format in
                let total = summary.rowCount(format)
                let negative = summary.negativeRows[format] ?? 0
                return "`\(format.rawValue)` \(negative) of \(total)" + (total > 0 ? " (\(Self.percent(negative, total)))" : "")
            }.joined(separator: ", ") + "; questions with at least one `dpo` pair: \(summary.episodesWithPairs) of \(summary.episodesWithTruth)" + (summary.episodesWithTruth > 0 ? " (\(Self.percent(summary.episodesWithPairs, summary.episodesWithTruth)))." : "."),
            "",
            "| mistake | what the analyst does | flawed | self-correcting |",
            "|---|---|---:|---:|",
        ]
        for mistake in MistakeCatalog.all {
            lines.append("| `\(mistake.id)` v\(mistake.version) | \(Self.cell(mistake.summary)) | \(summary.flawedByMistake[mistake.id] ?? 0) | \(summary.recoveriesByMistake[mistake.id] ?? 0) |")
        }
        lines.append("")
        return lines
    }

    func processRewardTrainers() -> [String] {
        [
            "## Which trainer reads which process-reward file",
            "",
            "- `prm-openrlhf/`: OpenRLHF's process reward trainer. Each row is one text, `input`, with the placeholder token `\(TrainingRowBuilder.placeholderToken)` after every step, and `value`, the step labels as reward tokens (`\(TrainingRowBuilder.rewardTokens.good)` good, `\(TrainingRowBuilder.rewardTokens.bad)` bad):",
            "",
            "  ```bash",
            "  deepspeed --module openrlhf.cli.train_prm --pretrain <model> --dataset json@prm-openrlhf --input_key input --label_key value --placeholder_token \(TrainingRowBuilder.placeholderToken) --reward_tokens \(TrainingRowBuilder.rewardTokens.good) \(TrainingRowBuilder.rewardTokens.bad) --save_path <out>",
            "  ```",
            "",
            "  Choose a placeholder that is one token of your model's tokenizer (`\(TrainingRowBuilder.placeholderToken)` is one in the Llama and Mistral tokenizers, as in Math-Shepherd).",
            "- `prm/`: the stepwise columns `prompt`, `completions`, `labels` (and `scores`), the layout of TRL's stepwise-supervision datasets. TRL removed `PRMTrainer` in September 2026 (pull request 7133), so no TRL trainer reads it any more; tools that read the stepwise layout (or a few lines of your own collator) still can.",
            "",
        ]
    }

    func licences() -> [String] {
        var lines = [
            "## Licences of the source tables",
            "",
            "The traces are derived from these tables; each table's licence applies to the rows made from it.",
            "",
            "| dataset | title | source | licence | SPDX | note |",
            "|---|---|---|---|---|---|",
        ]
        var flagged = 0
        for entry in summary.datasets.sorted(by: { $0.id < $1.id }) {
            guard let record = entry.record else {
                flagged += 1
                lines.append("| `\(entry.id)` | | | unknown | | ⚠ licence unknown: \(Self.cell(entry.recordProblem ?? "no record")) |")
                continue
            }
            let source = record.source.kind.rawValue + ": " + record.source.ref
            let note: String
            if record.license.spdx == nil {
                flagged += 1
                note = "⚠ no SPDX identifier: check the terms before use"
            } else {
                note = ""
            }
            lines.append("| `\(entry.id)` | \(Self.cell(record.title)) | \(Self.cell(source)) | \(Self.cell(record.license.name)) | \(record.license.spdx ?? "") | \(note) |")
        }
        lines.append("")
        if flagged > 0 {
            lines += ["\(flagged) of \(summary.datasets.count) \(summary.datasets.count == 1 ? "table has" : "tables have") no known SPDX licence (⚠ above).", ""]
        }
        return lines
    }

    func leftOut() -> [String] {
        var lines = ["## Left out", ""]
        lines.append("Episodes whose right answer is unknown (an unverified triangulation) feed no format: \(summary.episodesWithoutTruth) of \(summary.episodes).")
        if summary.excludedTraces.isEmpty {
            lines.append("No trace was left out.")
        } else {
            lines.append("Traces left out of every format, by reason:")
            lines.append("")
            for reason in summary.excludedTraces.keys.sorted() {
                lines.append("- `\(reason)`: \(summary.excludedTraces[reason] ?? 0)")
            }
        }
        lines.append("")
        return lines
    }

    // MARK: Text helpers

    /// A table cell: pipes escaped, line breaks flattened.
    static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    /// `part` of `whole` as a whole percentage (`42%`).
    static func percent(_ part: Int, _ whole: Int) -> String {
        "\(Int((Double(part) * 100 / Double(max(whole, 1))).rounded()))%"
    }

    /// A ratio without trailing zeros (`0.8`, `1`).
    static func number(_ value: Double) -> String {
        String(decoding: JSONWriter.bytes(.double(value)), as: UTF8.self)
    }
}

/// The training formats `convert` writes, each to `<output>/<format>/{train,val,test}.jsonl.gz`.
/// The exact columns of each are in <doc:TrainingFormats>.
public enum TrainingFormat: String, Sendable, CaseIterable, Comparable {
    /// Conversational `messages` (TRL SFT) with the code as tool calls (or fenced blocks), and `tools`.
    case sft
    /// OpenAI fine-tuning chat lines: `messages` with JSON-string arguments and `weight`, `tools`.
    case sftOpenAI = "sft-openai"
    /// Conversational `messages` in which every code reply also predicts its hooked values.
    case sftInterleaved = "sft-interleaved"
    /// TRL stepwise supervision: `prompt`, `completions`, `labels`, plus `scores`.
    case prm
    /// OpenRLHF's process reward trainer: one text with a placeholder token after each step
    /// (`input`) and the step labels as reward tokens `+`/`-` (`value`).
    case prmOpenRLHF = "prm-openrlhf"
    /// TRL conversational preference: `prompt`, `chosen`, `rejected`.
    case dpo
    /// TRL conversational unpaired preference: `prompt`, `completion`, `label`.
    case kto
    /// Outcome supervision as standard text: `prompt`, `completion`, `label`.
    case orm
    /// TRL prompt-only rows for GRPO-style trainers, with the ground truth and how to check it.
    case rl

    /// What trainer reads it, in a few words.
    public var summary: String {
        switch self {
        case .sft: "TRL SFTTrainer, conversational language modelling (messages + tools)"
        case .sftOpenAI: "OpenAI-style chat fine-tuning lines (also Together, Fireworks, Mistral)"
        case .sftInterleaved: "SFT with state prediction: each code reply predicts its hooked values"
        case .prm: "stepwise supervision (standard text: prompt, completions, labels), as TRL's former PRMTrainer read it"
        case .prmOpenRLHF: "OpenRLHF train_prm (--input_key input --label_key value --placeholder_token ки --reward_tokens + -)"
        case .dpo: "TRL DPOTrainer, conversational preference with explicit prompt"
        case .kto: "TRL KTOTrainer / BCOTrainer, conversational unpaired preference"
        case .orm: "outcome reward models, unpaired preference as standard text"
        case .rl: "TRL GRPOTrainer / RLOO, conversational prompt-only with reward columns"
        }
    }

    public static func < (lhs: TrainingFormat, rhs: TrainingFormat) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }
}

/// How code appears in the conversational formats (`sft`, `dpo`, `kto`).
public enum CodeStyle: String, Sendable, CaseIterable {
    /// Each code reply is an assistant message with a `python` tool call (`arguments` an object
    /// `{"code": ...}`), answered by a `tool` message with the feedback; rows carry `tools`.
    case toolCalls = "tool-calls"
    /// Each code reply is the teacher's text verbatim, code in a ```python block, answered by a
    /// `user` message with the feedback; no `tools` column.
    case fenced
}

/// The three splits, in file order.
public enum Split: String, Sendable, CaseIterable, Comparable {
    case train, val, test

    /// The split name on the dataset card (Hugging Face calls the middle one `validation`).
    public var cardName: String {
        switch self {
        case .train: "train"
        case .val: "validation"
        case .test: "test"
        }
    }

    public static func < (lhs: Split, rhs: Split) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }
}

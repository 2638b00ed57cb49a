extension TrainingFormat {
    /// A column of a format: its name, its Arrow-style type and what it holds.
    public struct Column: Sendable, Equatable {
        public var name: String
        public var type: String
        public var meaning: String

        public init(_ name: String, _ type: String, _ meaning: String) {
            self.name = name
            self.type = type
            self.meaning = meaning
        }
    }

    /// The columns of every row of this format, in file order (the dataset card's schema, and
    /// what the tests hold the rows to).
    public func columns(codeStyle: CodeStyle) -> [Column] {
        let message = codeStyle == .toolCalls ? "list<message>" : "list<{role, content}>"
        let tools = codeStyle == .toolCalls
            ? [Column("tools", "list<tool>", "the `python` tool's JSON schema (one entry)")] : []
        let ids = [
            Column("id", "string", "unique row id (`<episode_id>/<trace>` or `<episode_id>/<chosen>-<rejected>`)"),
            Column("dataset_id", "string", "the source table (`data/datasets/<id>`)"),
            Column("question_id", "string", "content-addressed question id"),
            Column("episode_id", "string", "the episode the row came from"),
            Column("source", "string", "`template` or `llm`"),
            Column("difficulty", "string", "`easy`, `medium`, `hard` or `very_hard`"),
        ]
        let trace = [
            Column("trace_index", "int64", "index of the trace in the episode (0 is the gold trace)"),
            Column("trace_role", "string", "`gold`, `consistency`, `flawed` or `self_correcting`"),
        ]
        switch self {
        case .sft:
            return [Column("messages", message, "system, user question (no hint), then each code reply and its feedback")]
                + tools + ids + trace
        case .sftOpenAI:
            return [
                Column("messages", "list<openai message>", "system, user, assistant (`tool_calls` with JSON-string `arguments`, `weight` 0 or 1), tool (`tool_call_id`)"),
                Column("tools", "list<tool>", "the `python` tool's JSON schema (one entry)"),
                Column("parallel_tool_calls", "bool", "always false: one cell per reply"),
            ]
        case .sftInterleaved:
            return [Column("messages", "list<{role, content}>", "replies with fenced code followed by a `<state>` block predicting the hooked values, then the real feedback")]
                + ids + trace
        case .prm:
            return [
                Column("prompt", "string", "system prompt, a blank line, the user question"),
                Column("completions", "list<string>", "one step per code reply: reasoning, fenced code, feedback"),
                Column("labels", "list<bool>", "whether each step is good"),
                Column("scores", "list<float64>", "share of each step's checks that passed (0.0 when its code failed)"),
                Column("trace_correct", "bool", "whether the trace submitted a right answer"),
                Column("first_bad_step", "int64", "index of the first step labelled bad; -1 when every step is good"),
            ] + ids + trace + [Column("mistake", "string", "the catalogued mistake of a flawed or self-correcting trace; empty otherwise")]
        case .prmOpenRLHF:
            return [
                Column("input", "string", "the prompt, then each step as in `prm` followed by the placeholder token `ки`"),
                Column("value", "list<string>", "one reward token per step: `+` good, `-` bad"),
                Column("first_bad_step", "int64", "index of the first step labelled bad; -1 when every step is good"),
            ] + ids + trace + [Column("mistake", "string", "the catalogued mistake of a flawed or self-correcting trace; empty otherwise")]
        case .dpo:
            return [
                Column("prompt", "list<{role, content}>", "system and user messages"),
                Column("chosen", message, "the replies of a correct trace (the gold trace against a flawed one)"),
                Column("rejected", message, "the replies of a trace that is not correct (a flawed trace, or a disagreeing one)"),
            ] + tools + ids + [
                Column("chosen_trace_index", "int64", "trace index of `chosen`"),
                Column("rejected_trace_index", "int64", "trace index of `rejected`"),
                Column("chosen_answer", "string", "the chosen trace's answer as JSON text"),
                Column("rejected_answer", "string", "the rejected trace's answer as JSON text (`null` when none)"),
            ]
        case .kto:
            return [
                Column("prompt", "list<{role, content}>", "system and user messages"),
                Column("completion", message, "the trace's replies"),
                Column("label", "bool", "whether the trace submitted a right answer"),
            ] + tools + ids + trace + [Column("answer", "string", "the trace's answer as JSON text (`null` when none)")]
        case .orm:
            return [
                Column("prompt", "string", "system prompt, a blank line, the user question"),
                Column("completion", "string", "the steps as in `prm`, separated by blank lines"),
                Column("label", "bool", "whether the trace submitted a right answer"),
            ] + ids + trace + [Column("answer", "string", "the trace's answer as JSON text (`null` when none)")]
        case .rl:
            return [
                Column("prompt", "list<{role, content}>", "system and user messages"),
                Column("ground_truth", "string", "the reference answer as JSON text"),
                Column("accepted_answers", "string", "every right answer, a JSON array as text"),
                Column("output_schema", "string", "the answer schema (type, decimals, ordered, items, fields) as JSON text"),
                Column("tolerance", "float64", "half a unit in the finest requested decimal place; 0.0 when no rounding is asked"),
            ] + ids
        }
    }
}

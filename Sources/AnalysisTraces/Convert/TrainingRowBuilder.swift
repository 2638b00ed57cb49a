/// Turns one validated episode into rows of every requested training format: one JSON object
/// per row, written with ``JSONWriter``'s `floatsWithFraction` (so a float is always `1.0`, never
/// `1`).
///
/// Which traces feed which format (the hint is removed from the user message in every format,
/// see <doc:TrainingFormats>):
/// - `sft`, `sft-openai`, `sft-interleaved`: every *correct* trace (it submitted a right answer),
///   the gold trace and agreeing consistency traces alike; self-correcting traces only with
///   ``includeRecoveriesInSFT``; never a flawed trace (it is never correct).
/// - `prm`, `prm-openrlhf`, `kto`, `orm`: every trace of an episode whose right answer is known,
///   labelled (flawed traces are the negatives, see <doc:Negatives>).
/// - `dpo`: every trace that is not correct, each paired with a correct trace of the same
///   episode: a flawed trace with the gold trace; any other with the correct gold and
///   consistency traces (consistency traces first, then the gold trace, taken in turn).
/// - `rl`: one row per episode whose right answer is known.
public struct TrainingRowBuilder: Sendable {
    public var formats: Set<TrainingFormat>
    public var codeStyle: CodeStyle
    public var scrubber: HostPathScrubber
    /// Whether the `sft` formats include self-correcting traces (`SFT_RECOVERIES`).
    public var includeRecoveriesInSFT: Bool

    public init(formats: Set<TrainingFormat> = Set(TrainingFormat.allCases), codeStyle: CodeStyle = .toolCalls,
                scrubber: HostPathScrubber = HostPathScrubber(), includeRecoveriesInSFT: Bool = false) {
        self.formats = formats
        self.codeStyle = codeStyle
        self.scrubber = scrubber
        self.includeRecoveriesInSFT = includeRecoveriesInSFT
    }

    /// The placeholder token after each step of `prm-openrlhf` (`--placeholder_token`): one token
    /// in the common tokenizers, and never in the traces' text.
    public static let placeholderToken = "ки"
    /// The reward tokens of `prm-openrlhf` (`--reward_tokens`): good, bad.
    public static let rewardTokens = (good: "+", bad: "-")

    /// The rows of one episode and the traces left out, by reason.
    public struct Output: Sendable {
        public var rows: [TrainingFormat: [JSONValue]] = [:]
        /// Traces left out of every format, by ``TraceConversation/Exclusion`` raw value.
        public var excludedTraces: [String: Int] = [:]
        /// Whether the episode's right answer is known (it feeds the labelled formats).
        public var truthKnown = false
        /// Rows labelled negative (`label` false) per format, for `kto` and `orm`.
        public var negativeRows: [TrainingFormat: Int] = [:]
    }

    /// The name of the one tool, and its schema as the `tools` column holds it.
    public static let toolName = "python"
    public static let toolDescription = "Run one cell of Python in the persistent notebook where the table is loaded as the pandas DataFrame `df`. Returns what the cell printed, its result or its error, and the hooks it recorded."

    public static var toolSchema: JSONValue {
        .object([
            ("type", .string("function")),
            ("function", .object([
                ("name", .string(toolName)),
                ("description", .string(toolDescription)),
                ("parameters", .object([
                    ("type", .string("object")),
                    ("properties", .object([
                        ("code", .object([("type", .string("string")), ("description", .string("The code of the cell."))])),
                    ])),
                    ("required", .array([.string("code")])),
                ])),
            ])),
        ])
    }

    public func rows(for episode: Episode) -> Output {
        var output = Output()
        let outcome = EpisodeOutcome(episode: episode)
        output.truthKnown = outcome.truthKnown
        var conversations: [Int: TraceConversation] = [:]
        for (index, trace) in episode.traces.enumerated() {
            switch TraceConversation.read(trace, hint: episode.question.hint, scrubber: scrubber) {
            case .success(let conversation): conversations[index] = conversation
            case .failure(let exclusion): output.excludedTraces[exclusion.reason.rawValue, default: 0] += 1
            }
        }
        guard outcome.truthKnown else { return output }
        let labeler = StepLabeler(episode: episode, outcome: outcome)
        let traceIndices = conversations.keys.sorted()

        func add(_ format: TrainingFormat, _ row: JSONValue) {
            if formats.contains(format) { output.rows[format, default: []].append(row) }
        }

        for index in traceIndices {
            guard let conversation = conversations[index] else { continue }
            let trace = episode.traces[index]
            let common = commonColumns(episode, id: "\(episode.id)/\(index)") + [
                ("trace_index", .int(Int64(index))), ("trace_role", .string(trace.role.rawValue)),
            ]
            let answer = answerColumn(trace.answer)
            if outcome.correct[index] && (trace.role != .selfCorrecting || includeRecoveriesInSFT) {
                let opening = [message("system", conversation.system), message("user", conversation.user)]
                var sft: [(key: String, value: JSONValue)] = [("messages", .array(opening + completion(conversation)))]
                if codeStyle == .toolCalls { sft.append(("tools", .array([Self.toolSchema]))) }
                add(.sft, .object(sft + common))
                add(.sftOpenAI, openAIRow(conversation))
                add(.sftInterleaved, .object([("messages", .array(interleaved(conversation)))] + common))
            }
            let labels = conversation.codeSteps.map { labeler.label($0.turn, trace: index) }
            let steps = conversation.codeSteps.map { Self.stepText($0.turn, feedback: TraceConversation.feedback(of: $0.turn, recorded: $0.feedback)) }
            let firstBad = labels.firstIndex { !$0.good } ?? -1
            let mistake: [(key: String, value: JSONValue)] = [("mistake", .string(trace.mistake?.id ?? ""))]
            add(.prm, .object([
                ("prompt", .string(Self.promptText(conversation))),
                ("completions", .array(steps.map(JSONValue.string))),
                ("labels", .array(labels.map { .bool($0.good) })),
                ("scores", .array(labels.map { .double($0.score) })),
                ("trace_correct", .bool(outcome.correct[index])),
                ("first_bad_step", .int(Int64(firstBad))),
            ] + common + mistake))
            add(.prmOpenRLHF, .object([
                ("input", .string(Self.placeholderText(prompt: Self.promptText(conversation), steps: steps))),
                ("value", .array(labels.map { .string($0.good ? Self.rewardTokens.good : Self.rewardTokens.bad) })),
                ("first_bad_step", .int(Int64(firstBad))),
            ] + common + mistake))
            if !outcome.correct[index] {
                for format in [TrainingFormat.kto, .orm] where formats.contains(format) { output.negativeRows[format, default: 0] += 1 }
            }
            add(.kto, .object([
                ("prompt", .array(prompt(conversation))),
                ("completion", .array(completion(conversation))),
                ("label", .bool(outcome.correct[index])),
            ] + tools + common + [("answer", answer)]))
            add(.orm, .object([
                ("prompt", .string(Self.promptText(conversation))),
                ("completion", .string(steps.joined(separator: "\n\n"))),
                ("label", .bool(outcome.correct[index])),
            ] + common + [("answer", answer)]))
        }

        let chosen = traceIndices.filter { outcome.correct[$0] && episode.traces[$0].role.isAttempt }
            .sorted { (episode.traces[$0].role == .gold ? 1 : 0, $0) < (episode.traces[$1].role == .gold ? 1 : 0, $1) }
        let rejected = traceIndices.filter { !outcome.correct[$0] }
        let gold = chosen.first { episode.traces[$0].role == .gold }
        if !chosen.isEmpty {
            for (k, bad) in rejected.enumerated() {
                let good = episode.traces[bad].role == .flawed ? gold ?? chosen[k % chosen.count] : chosen[k % chosen.count]
                guard let winner = conversations[good], let loser = conversations[bad] else { continue }
                add(.dpo, .object([
                    ("prompt", .array(prompt(winner))),
                    ("chosen", .array(completion(winner))),
                    ("rejected", .array(completion(loser))),
                ] + tools + commonColumns(episode, id: "\(episode.id)/\(good)-\(bad)") + [
                    ("chosen_trace_index", .int(Int64(good))), ("rejected_trace_index", .int(Int64(bad))),
                    ("chosen_answer", answerColumn(episode.traces[good].answer)),
                    ("rejected_answer", answerColumn(episode.traces[bad].answer)),
                ]))
            }
        }

        let promptSource = traceIndices.first.flatMap { conversations[$0] }
        if let promptSource, let truth = outcome.answer {
            add(.rl, .object([
                ("prompt", .array([plainMessage("system", promptSource.system), plainMessage("user", promptSource.user)])),
                ("ground_truth", Self.jsonString(truth)),
                ("accepted_answers", Self.jsonString(.array(outcome.acceptedAnswers))),
                ("output_schema", .string(schemaJSON(episode.question.outputSchema))),
                ("tolerance", .double(Self.tolerance(of: episode.question.outputSchema))),
            ] + commonColumns(episode, id: episode.id)))
        }
        return output
    }

    // MARK: Columns

    private var tools: [(key: String, value: JSONValue)] {
        codeStyle == .toolCalls ? [("tools", .array([Self.toolSchema]))] : []
    }

    private func commonColumns(_ episode: Episode, id: String) -> [(key: String, value: JSONValue)] {
        [
            ("id", .string(id)),
            ("dataset_id", .string(episode.question.datasetID)),
            ("question_id", .string(episode.question.id)),
            ("episode_id", .string(episode.id)),
            ("source", .string(episode.question.source.rawValue)),
            ("difficulty", .string(episode.question.difficulty.rawValue)),
        ]
    }

    /// The compact JSON text of `value` as a string column (document order of object members),
    /// so that the shape of a free-form value cannot change a column's type.
    private static func jsonString(_ value: JSONValue) -> JSONValue {
        .string(String(decoding: JSONWriter.bytes(value), as: UTF8.self))
    }

    /// The trace's answer as JSON text; `"null"` when it ended without one.
    private func answerColumn(_ answer: AnswerValue?) -> JSONValue {
        .string(scrubber.scrub(String(decoding: JSONWriter.bytes(answer?.value ?? .null), as: UTF8.self)))
    }

    private func schemaJSON(_ schema: AnswerSchema) -> String {
        guard let value = try? RecordEncoder().encodeValue(schema) else { return "null" }
        return String(decoding: JSONWriter.bytes(value), as: UTF8.self)
    }

    /// Half a unit in the finest requested decimal place of the schema's numbers; 0.0 when the
    /// schema asks for no rounding (numbers then match to the matcher's relative tolerance).
    public static func tolerance(of schema: AnswerSchema) -> Double {
        func finest(_ schema: AnswerSchema) -> Int? {
            switch schema {
            case .number(let decimals): decimals
            case .integer, .string, .boolean: nil
            case .list(let items, _), .mapping(let items): finest(items)
            case .object(let fields): fields.compactMap { finest($0.schema) }.max()
            }
        }
        guard let decimals = finest(schema) else { return 0 }
        return 0.5 * pow10(-decimals)
    }

    private static func pow10(_ exponent: Int) -> Double {
        var value = 1.0
        for _ in 0..<abs(exponent) { value *= 10 }
        return exponent < 0 ? 1 / value : value
    }

    // MARK: Messages

    /// A message with the conversational formats' fixed key set: `role`, `content`,
    /// `tool_calls`, `tool_call_id`, `name` (null where they do not apply) in tool-call style,
    /// `role` and `content` alone in fenced style.
    private func message(_ role: String, _ content: String, toolCalls: JSONValue = .null, toolCallID: String? = nil, name: String? = nil) -> JSONValue {
        guard codeStyle == .toolCalls else { return plainMessage(role, content) }
        return .object([
            ("role", .string(role)), ("content", .string(content)), ("tool_calls", toolCalls),
            ("tool_call_id", toolCallID.map(JSONValue.string) ?? .null), ("name", name.map(JSONValue.string) ?? .null),
        ])
    }

    private func plainMessage(_ role: String, _ content: String) -> JSONValue {
        .object([("role", .string(role)), ("content", .string(content))])
    }

    /// The `prompt` column of the prompt/completion formats: system and user messages with
    /// `role` and `content` only (tool keys would be null in every row, which Arrow types as
    /// `null` and later rows could not fill).
    private func prompt(_ conversation: TraceConversation) -> [JSONValue] {
        [plainMessage("system", conversation.system), plainMessage("user", conversation.user)]
    }

    /// The replies after the prompt: unusable replies and their corrections are left out.
    private func completion(_ conversation: TraceConversation) -> [JSONValue] {
        var messages: [JSONValue] = []
        for step in conversation.codeSteps {
            switch codeStyle {
            case .toolCalls:
                let id = Self.callID(step.turn)
                let call: JSONValue = .object([
                    ("id", .string(id)), ("type", .string("function")),
                    ("function", .object([("name", .string(Self.toolName)), ("arguments", .object([("code", .string(step.turn.code))]))])),
                ])
                messages.append(message("assistant", step.turn.reasoning, toolCalls: .array([call])))
                if let feedback = step.feedback {
                    messages.append(message("tool", feedback, toolCallID: id, name: Self.toolName))
                }
            case .fenced:
                messages.append(plainMessage("assistant", step.reply))
                if let feedback = step.feedback { messages.append(plainMessage("user", feedback)) }
            }
        }
        return messages
    }

    static func callID(_ turn: Turn) -> String { "call_\(turn.index)" }

    /// The OpenAI chat line: role-specific keys only, `arguments` as a JSON string, `weight` 0
    /// on replies whose code failed or that ran nothing, `tool_call_id` on tool messages.
    private func openAIRow(_ conversation: TraceConversation) -> JSONValue {
        var messages: [JSONValue] = [plainMessage("system", conversation.system), plainMessage("user", conversation.user)]
        for step in conversation.steps {
            switch step {
            case .code(let turn, _, let feedback):
                let id = Self.callID(turn)
                let arguments = String(decoding: JSONWriter.bytes(.object([(key: "code", value: .string(turn.code))])), as: UTF8.self)
                messages.append(.object([
                    ("role", .string("assistant")), ("content", .string(turn.reasoning)),
                    ("tool_calls", .array([.object([
                        ("id", .string(id)), ("type", .string("function")),
                        ("function", .object([("name", .string(Self.toolName)), ("arguments", .string(arguments))])),
                    ])])),
                    ("weight", .int(turn.execution.succeeded ? 1 : 0)),
                ]))
                if let feedback {
                    messages.append(.object([("role", .string("tool")), ("tool_call_id", .string(id)), ("content", .string(feedback))]))
                }
            case .unusable(let reply, let correction):
                messages.append(.object([("role", .string("assistant")), ("content", .string(reply)), ("weight", .int(0))]))
                if let correction { messages.append(plainMessage("user", correction)) }
            }
        }
        return .object([
            ("messages", .array(messages)), ("tools", .array([Self.toolSchema])), ("parallel_tool_calls", .bool(false)),
        ])
    }

    /// Fenced replies, each followed by `<state>` with the JSON object of the values the cell
    /// hooked (grounded, not summarised; name → value, later duplicates win), then the feedback.
    private func interleaved(_ conversation: TraceConversation) -> [JSONValue] {
        var messages = [plainMessage("system", conversation.system), plainMessage("user", conversation.user)]
        for step in conversation.codeSteps {
            messages.append(plainMessage("assistant", step.reply + "\n\n" + stateBlock(step.turn)))
            if let feedback = step.feedback { messages.append(plainMessage("user", feedback)) }
        }
        return messages
    }

    /// `<state>\n{...}\n</state>` for a turn.
    func stateBlock(_ turn: Turn) -> String {
        "<state>\n" + scrubber.scrub(String(decoding: JSONWriter.bytes(Self.hookedValues(turn)), as: UTF8.self)) + "\n</state>"
    }

    /// The object of a turn's grounded, unsummarised hook values by name.
    public static func hookedValues(_ turn: Turn) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = []
        for hook in turn.hooks where hook.grounded && !hook.valueSummarized {
            if let existing = members.firstIndex(where: { $0.key == hook.name }) {
                members[existing].value = hook.value
            } else {
                members.append((hook.name, hook.value))
            }
        }
        return .object(members)
    }

    // MARK: Text

    /// The standard-text prompt: the system prompt, a blank line, the user message.
    public static func promptText(_ conversation: TraceConversation) -> String {
        conversation.system + "\n\n" + conversation.user
    }

    /// The `input` of `prm-openrlhf`: the prompt, then each step followed by a newline and the
    /// placeholder token, steps separated by blank lines. A placeholder token inside the text
    /// itself is spelt out, so the placeholders are exactly one per step.
    public static func placeholderText(prompt: String, steps: [String]) -> String {
        let clean = { (text: String) in text.replacingOccurrences(of: placeholderToken, with: "<placeholder>") }
        return clean(prompt) + "\n\n" + steps.map { clean($0) + "\n" + placeholderToken }.joined(separator: "\n\n")
    }

    /// One step as standard text: the reasoning, the code in a ```python block, the feedback.
    public static func stepText(_ turn: Turn, feedback: String) -> String {
        let reasoning = turn.reasoning.isEmpty ? "" : turn.reasoning + "\n\n"
        return reasoning + "```python\n" + turn.code + "\n```\n\n" + feedback
    }
}

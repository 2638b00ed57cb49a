/// One attempt at a question: the conversation as the model saw it and the turns as they ran.
public struct Trace: Codable, Sendable, Equatable {
    public enum Role: String, Codable, Sendable, CaseIterable {
        /// Solved with the hint; its answer is the one that is verified.
        case gold
        /// Solved without the hint, to check the gold answer.
        case consistency
        /// The reference program with one step replaced by a catalogued mistake, carried on
        /// honestly to a wrong answer (see <doc:Negatives>); never verified.
        case flawed
        /// The reference program with one catalogued mistake that a check then reveals; the
        /// step is redone and the right answer submitted.
        case selfCorrecting = "self_correcting"

        /// The roles that attempt the question in earnest (gold and consistency): the traces a
        /// verdict is taken from. Flawed and self-correcting traces follow them in an episode.
        public var isAttempt: Bool { self == .gold || self == .consistency }
    }

    public enum EndReason: String, Codable, Sendable, CaseIterable {
        case submitted
        case maxTurns = "max_turns"
        case budget
        /// The teacher kept replying in a form the loop could not use.
        case malformed
        case error
    }

    public var role: Role
    /// The exact conversation: system and user messages, every assistant reply verbatim, every
    /// feedback message.
    public var messages: [Message]
    public var turns: [Turn]
    /// The submitted answer, or null when the trace ended without one.
    public var answer: AnswerValue?
    public var endReason: EndReason
    /// What went wrong when `endReason` is `error`, `budget` or `malformed`.
    public var error: String?
    public var usage: Usage
    /// The catalogued mistake a `flawed` or `self_correcting` trace made. The key is written
    /// exactly for those roles and absent for the others, so episodes without such traces are
    /// byte-identical to those of schema version 1 before the roles existed.
    public var mistake: TraceMistake?

    public init(role: Role, messages: [Message], turns: [Turn], answer: AnswerValue?, endReason: EndReason, error: String?, usage: Usage, mistake: TraceMistake? = nil) {
        self.role = role
        self.messages = messages
        self.turns = turns
        self.answer = answer
        self.endReason = endReason
        self.error = error
        self.usage = usage
        self.mistake = mistake
    }

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case role, messages, turns, answer, endReason = "end_reason", error, usage, mistake
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        role = try container.decode(Role.self, forKey: .role)
        messages = try container.decode([Message].self, forKey: .messages)
        turns = try container.decode([Turn].self, forKey: .turns)
        answer = try container.decodeIfPresent(AnswerValue.self, forKey: .answer)
        endReason = try container.decode(EndReason.self, forKey: .endReason)
        error = try container.decodeIfPresent(String.self, forKey: .error)
        usage = try container.decode(Usage.self, forKey: .usage)
        if role.isAttempt {
            guard !container.contains(.mistake) else {
                throw DecodingError.dataCorruptedError(forKey: .mistake, in: container, debugDescription: "'mistake' is only written for flawed and self-correcting traces; found it on a \(role.rawValue) trace")
            }
            mistake = nil
        } else {
            mistake = try container.decode(TraceMistake.self, forKey: .mistake)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(role, forKey: .role)
        try container.encode(messages, forKey: .messages)
        try container.encode(turns, forKey: .turns)
        try container.encodeIfPresent(answer, forKey: .answer)
        try container.encode(endReason, forKey: .endReason)
        try container.encodeIfPresent(error, forKey: .error)
        try container.encode(usage, forKey: .usage)
        if let mistake { try container.encode(mistake, forKey: .mistake) }
    }
}

/// Which catalogued mistake a flawed or self-correcting trace made, and where (see
/// ``MistakeCatalog``).
public struct TraceMistake: Codable, Sendable, Equatable {
    /// The mistake's id in the catalogue (`population_std`).
    public var id: String
    /// The mistake's version; bumped whenever its transformation changes.
    public var version: String
    /// The turn whose step the mistake replaced (0-based, a turn index of the trace).
    public var step: Int
    /// Self-correcting traces: the turn whose executed output reveals the mistake; null for a
    /// flawed trace.
    public var checkStep: Int?
    /// Self-correcting traces: the turn that redoes the mistaken step correctly; null for a
    /// flawed trace.
    public var fixStep: Int?

    public init(id: String, version: String, step: Int, checkStep: Int? = nil, fixStep: Int? = nil) {
        self.id = id
        self.version = version
        self.step = step
        self.checkStep = checkStep
        self.fixStep = fixStep
    }

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case id, version, step, checkStep = "check_step", fixStep = "fix_step"
    }
}

/// A chat message exactly as sent to or received from the model.
public struct Message: Codable, Sendable, Equatable {
    public enum Role: String, Codable, Sendable, CaseIterable {
        case system, user, assistant
    }

    public var role: Role
    public var content: String
    /// A reasoning field returned by the endpoint (`reasoning_content`, `reasoning`), verbatim.
    public var reasoning: String?

    public init(role: Role, content: String, reasoning: String? = nil) {
        self.role = role
        self.content = content
        self.reasoning = reasoning
    }

    public enum CodingKeys: String, CodingKey, CaseIterable { case role, content, reasoning }
}

/// One executed cell, recorded when it ran.
public struct Turn: Codable, Sendable, Equatable {
    /// 0-based and contiguous within a trace.
    public var index: Int
    /// Index into `Trace.messages` of the assistant message this turn came from.
    public var message: Int
    /// The text before the code block.
    public var reasoning: String
    /// The code that was executed, exactly.
    public var code: String
    public var execution: Execution
    /// Hooks emitted while the cell ran, in order.
    public var hooks: [Hook]
    /// The answer submitted in this cell, if any.
    public var submission: AnswerValue?
    /// Set when this turn repairs the previous turn's failure.
    public var correction: Correction?

    public init(index: Int, message: Int, reasoning: String, code: String, execution: Execution, hooks: [Hook], submission: AnswerValue?, correction: Correction?) {
        self.index = index
        self.message = message
        self.reasoning = reasoning
        self.code = code
        self.execution = execution
        self.hooks = hooks
        self.submission = submission
        self.correction = correction
    }

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case index, message, reasoning, code, execution, hooks, submission, correction
    }
}

public struct Correction: Codable, Sendable, Equatable {
    /// The turn whose failure this turn repairs.
    public var fixesTurn: Int
    /// The error kind of that turn (`KeyError`, `timeout`, ...).
    public var errorKind: String

    public init(fixesTurn: Int, errorKind: String) {
        self.fixesTurn = fixesTurn
        self.errorKind = errorKind
    }

    public enum CodingKeys: String, CodingKey, CaseIterable { case fixesTurn = "fixes_turn", errorKind = "error_kind" }
}

/// What a cell did in the sandbox.
public struct Execution: Codable, Sendable, Equatable {
    /// Captured stdout, capped: a prefix is kept and `stdoutDropped` bytes were counted and dropped.
    public var stdout: String
    public var stdoutDropped: Int
    public var stderr: String
    public var stderrDropped: Int
    /// Bounded repr of the cell's trailing expression, if it had one that was not None.
    public var result: String?
    public var error: ExecutionError?
    /// The cell ran past its time limit.
    public var timedOut: Bool
    /// The worker died or was killed; the namespace was lost and a fresh worker took over.
    public var stateReset: Bool

    public init(stdout: String, stdoutDropped: Int, stderr: String, stderrDropped: Int, result: String?, error: ExecutionError?, timedOut: Bool, stateReset: Bool) {
        self.stdout = stdout
        self.stdoutDropped = stdoutDropped
        self.stderr = stderr
        self.stderrDropped = stderrDropped
        self.result = result
        self.error = error
        self.timedOut = timedOut
        self.stateReset = stateReset
    }

    public var succeeded: Bool { error == nil && !timedOut && !stateReset }

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case stdout, stdoutDropped = "stdout_dropped", stderr, stderrDropped = "stderr_dropped"
        case result, error, timedOut = "timed_out", stateReset = "state_reset"
    }
}

public struct ExecutionError: Codable, Sendable, Equatable {
    /// The exception class (`KeyError`), or one of the sandbox's own kinds: `timeout`,
    /// `output_limit`, `memory`, `crashed`, `syntax`.
    public var kind: String
    public var message: String
    /// Traceback with the sandbox's own frames removed.
    public var traceback: String

    public init(kind: String, message: String, traceback: String) {
        self.kind = kind
        self.message = message
        self.traceback = traceback
    }

    public enum CodingKeys: String, CodingKey, CaseIterable { case kind, message, traceback }
}

/// An intermediate value the code reported with `hook(...)`.
public struct Hook: Codable, Sendable, Equatable {
    public var name: String
    /// The line of code the value came from, as the code passed it.
    public var codeLine: String
    /// The value, or a bounded summary of a large one (`valueSummarized`).
    public var value: JSONValue
    public var valueSummarized: Bool
    /// `CanonicalJSON.sha256` of the full value, even when `value` is a summary.
    public var valueSHA256: String
    public var dependsOn: [String]
    public var description: String?
    /// Whether `codeLine`, whitespace-normalised, is a line of code executed in this trace.
    public var grounded: Bool

    public init(name: String, codeLine: String, value: JSONValue, valueSummarized: Bool, valueSHA256: String, dependsOn: [String], description: String?, grounded: Bool) {
        self.name = name
        self.codeLine = codeLine
        self.value = value
        self.valueSummarized = valueSummarized
        self.valueSHA256 = valueSHA256
        self.dependsOn = dependsOn
        self.description = description
        self.grounded = grounded
    }

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case name, codeLine = "code_line", value, valueSummarized = "value_summarized"
        case valueSHA256 = "value_sha256", dependsOn = "depends_on", description, grounded
    }
}

/// One line of `data/episodes/<dataset>.jsonl.gz`: a question, every attempt at it, and the verdict.
public struct Episode: Codable, Sendable, Equatable {
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int
    /// Content address over the question id and the producer (see `docs/records.md`).
    public var id: String
    /// The complete question record, so an episode stands on its own.
    public var question: Question
    /// The gold trace first (`role == .gold`), then the consistency traces.
    public var traces: [Trace]
    public var verification: Verification
    /// Summed over all traces.
    public var usage: Usage
    public var producer: Producer

    public init(id: String, question: Question, traces: [Trace], verification: Verification, usage: Usage, producer: Producer) {
        self.schemaVersion = Self.currentSchemaVersion
        self.id = id
        self.question = question
        self.traces = traces
        self.verification = verification
        self.usage = usage
        self.producer = producer
    }

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case schemaVersion = "schema_version", id, question, traces, verification, usage, producer
    }
}

/// The versions that produced an episode.
public struct Producer: Codable, Sendable, Equatable {
    /// `program` for the deterministic teacher, otherwise the model name.
    public var teacher: String
    public var promptVersion: String
    /// The sandbox environment: Python and library versions, as reported by the zygote.
    public var sandbox: [String: String]
    /// The version of this tool.
    public var tool: String

    public init(teacher: String, promptVersion: String, sandbox: [String: String], tool: String) {
        self.teacher = teacher
        self.promptVersion = promptVersion
        self.sandbox = sandbox
        self.tool = tool
    }

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case teacher, promptVersion = "prompt_version", sandbox, tool
    }
}

/// Tokens and money spent by model calls. All zero for the program teacher.
public struct Usage: Codable, Sendable, Equatable {
    public var calls: Int
    public var promptTokens: Int
    public var completionTokens: Int
    public var reasoningTokens: Int
    /// In US dollars, from the configured price table; null when no price is known.
    public var costUSD: Double?

    public init(calls: Int = 0, promptTokens: Int = 0, completionTokens: Int = 0, reasoningTokens: Int = 0, costUSD: Double? = nil) {
        self.calls = calls
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.reasoningTokens = reasoningTokens
        self.costUSD = costUSD
    }

    public static let zero = Usage()

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case calls, promptTokens = "prompt_tokens", completionTokens = "completion_tokens"
        case reasoningTokens = "reasoning_tokens", costUSD = "cost_usd"
    }
}

/// The verdict on an episode.
public struct Verification: Codable, Sendable, Equatable {
    public enum Method: String, Codable, Sendable, CaseIterable {
        /// The gold answer matched one of the question's accepted answers.
        case groundTruth = "ground_truth"
        /// Independent traces agreed (see <doc:Verification>).
        case triangulation
    }

    public var method: Method
    public var verified: Bool
    /// Answers grouped by the matcher, largest group first.
    public var votes: [VoteGroup]
    /// Size of the largest group over the number of traces that submitted; null when none did.
    public var agreement: Double?
    /// Shannon entropy (bits) of the vote distribution; null when no trace submitted.
    public var entropy: Double?
    /// Why the episode is or is not verified, in one sentence.
    public var reason: String

    public init(method: Method, verified: Bool, votes: [VoteGroup], agreement: Double?, entropy: Double?, reason: String) {
        self.method = method
        self.verified = verified
        self.votes = votes
        self.agreement = agreement
        self.entropy = entropy
        self.reason = reason
    }

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case method, verified, votes, agreement, entropy, reason
    }
}

/// Traces whose answers the matcher considers equal.
public struct VoteGroup: Codable, Sendable, Equatable {
    /// The answer of the first trace in the group.
    public var answer: AnswerValue
    /// Indices into `Episode.traces`.
    public var traces: [Int]
    /// Whether this group's answer matches the ground truth (null under triangulation).
    public var matchesGroundTruth: Bool?

    public init(answer: AnswerValue, traces: [Int], matchesGroundTruth: Bool?) {
        self.answer = answer
        self.traces = traces
        self.matchesGroundTruth = matchesGroundTruth
    }

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case answer, traces, matchesGroundTruth = "matches_ground_truth"
    }
}

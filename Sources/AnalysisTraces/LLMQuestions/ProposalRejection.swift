/// A question proposal (or a whole proposals reply) that was not turned into a question, and why.
///
/// Rejections are data: the stage logs each one, lists them in the run log and counts them by
/// ``Reason/kind``; the re-ask message sends them back to the model.
public struct ProposalRejection: Sendable, Equatable, CustomStringConvertible {
    /// Why a proposal was rejected. Every case reads as a lower-case statement in
    /// ``description``.
    public enum Reason: Error, Sendable, Equatable, CustomStringConvertible {
        /// The reply as a whole holds no usable JSON array of proposals.
        case unusableReply(ProposalParser.Problem)
        /// A key is missing or unexpected, a value has the wrong type or range, or the output
        /// schema does not decode into an ``AnswerSchema``. Names the key and what was found.
        case malformed(String)
        /// After ``TextComparison/normalized(_:)`` the question equals an earlier proposal's or one
        /// of this run's template questions (`earlier` is that question as written).
        case duplicate(of: String, template: Bool)
        /// The hint's content appears in the question (see ``ProposalValidator/hintLeak(question:hint:)``).
        case hintLeak(String)
        /// A discovery question (its answer is a column name) names every column its hint points
        /// to (see ``ProposalValidator/discoveryLeak(_:columns:)``).
        case discoveryLeak(columns: [String])
        /// Valid, but the run already has as many LLM questions as it asked for.
        case surplus

        /// A stable snake_case name for counting: `unusable_reply`, `malformed`, `duplicate`,
        /// `hint_leak`, `discovery_leak`, `surplus`.
        public var kind: String {
            switch self {
            case .unusableReply: "unusable_reply"
            case .malformed: "malformed"
            case .duplicate: "duplicate"
            case .hintLeak: "hint_leak"
            case .discoveryLeak: "discovery_leak"
            case .surplus: "surplus"
            }
        }

        public var description: String {
            switch self {
            case .unusableReply(let problem): "the reply holds no usable list of questions: \(problem)"
            case .malformed(let detail): "malformed: \(detail)"
            case .duplicate(let earlier, let template):
                "duplicate of \(template ? "a template question" : "an earlier question"): \"\(Self.clipped(earlier))\""
            case .hintLeak(let detail): "the hint leaks into the question: \(detail)"
            case .discoveryLeak(let columns):
                "the question asks which column, and names the \(columns.count == 1 ? "column" : "columns") its hint points to: "
                    + columns.map { "'\($0)'" }.joined(separator: ", ")
            case .surplus: "more valid questions than were asked for"
            }
        }

        static func clipped(_ text: String, to length: Int = 120) -> String {
            text.count <= length ? text : String(text.prefix(length)) + "…"
        }
    }

    /// Which proposals reply this was in: 0 for the first, 1 for the first re-ask, ...
    public var round: Int
    /// The proposal's position in its reply's array, from 0; nil when the whole reply was unusable.
    public var index: Int?
    /// The proposal's question text when it had one.
    public var question: String?
    public var reason: Reason

    public init(round: Int, index: Int?, question: String?, reason: Reason) {
        self.round = round
        self.index = index
        self.question = question
        self.reason = reason
    }

    /// `round 0, proposal 3 ("Which ..."): duplicate of ...`
    public var description: String {
        var place = "round \(round)"
        if let index { place += ", proposal \(index + 1)" }
        if let question { place += " (\"\(Reason.clipped(question, to: 80))\")" }
        return place + ": " + reason.description
    }
}

/// The rules `validate` checks, each with the stable name its diagnostics carry
/// (`path:line: error: [name] message`) and its report counts are keyed by.
///
/// The first group is about reading the file and decoding its records; the second holds the
/// contract's invariants on every record; the third the semantic rules on episodes. The full
/// list, with what each rule accepts, is in <doc:Validation>.
public enum ValidationRule: String, Sendable, CaseIterable, Codable {
    // Reading and decoding.
    /// The file could not be opened or read.
    case io
    /// The gzip stream is damaged: not gzip, truncated, corrupt.
    case gzip
    /// A line is not one JSON object.
    case json
    /// The record type could not be told (`--kind` settles it).
    case kind
    /// Strict decoding failed, or a structural invariant does not hold.
    case schema
    /// A record of another schema version.
    case version
    /// The file holds no records.
    case empty

    // The record contract.
    /// An id is not the content address of the record.
    case id
    /// A recorded SHA-256 is not the canonical hash of its value.
    case hash
    /// A record id or a question id appears twice in the file.
    case duplicate

    // Semantic rules on episodes.
    /// A verified episode's gold answer does not match its accepted answers (ground truth) or
    /// its triangulation majority under the matcher.
    case answer
    /// A trace's answer is not the last answer submitted in its turns.
    case submission
    /// The recorded verification disagrees with the traces: the verdict, the vote groups, the
    /// agreement, or the quorum rule.
    case verification
    /// A hook's `grounded` flag disagrees with the executed code, or a verified trace holds a
    /// hook that is not grounded.
    case grounding
    /// Turn indices are not 0, 1, 2, ... or a turn has no code.
    case turns
    /// The conversation's shape: it opens with the system and user messages, and each turn
    /// points at an assistant message whose one code block is the turn's code, in order.
    case messages
    /// The feedback message after a turn is not what the loop renders from its recorded
    /// execution and hooks.
    case feedback
    /// The hint appears in the question text or in the user message of a consistency trace.
    case hintLeak = "hint-leak"
    /// The gold trace's user message is not the one the teacher prompt renders.
    case prompt
    /// A flawed trace is not what its mistake says: its mistake is unknown or out of place, its
    /// mistaken step changed no hooked value, or its answer matches an accepted answer.
    case flawed
    /// A self-correcting trace claims a check it did not run: the check turn is missing, failed,
    /// or shows no difference from the mistaken step, or the fix claims what the check's output
    /// does not show.
    case recovery

    /// One line on what the rule checks.
    public var summary: String {
        switch self {
        case .io: "the file can be opened and read"
        case .gzip: "the file is a complete, undamaged gzip stream"
        case .json: "every line is one JSON object"
        case .kind: "the record type can be told from the path or the first record"
        case .schema: "every record decodes strictly and its structure holds"
        case .version: "every record has the schema version this tool reads"
        case .empty: "the file holds at least one record"
        case .id: "ids are the content addresses of their records"
        case .hash: "recorded hashes are the canonical hashes of their values"
        case .duplicate: "record ids and question ids are unique in the file"
        case .answer: "a verified episode's answer matches its ground truth or its triangulation majority"
        case .submission: "a trace's answer is the last answer submitted in its turns"
        case .verification: "the recorded verification is what the traces give"
        case .grounding: "hook grounding is what the executed code gives, and verified traces hold only grounded hooks"
        case .turns: "turn indices count from 0 without gaps and every turn ran code"
        case .messages: "turns point, in order, at assistant messages whose code block is the turn's code"
        case .feedback: "each turn's feedback message is rendered from its recorded execution"
        case .hintLeak: "the hint appears neither in the question nor in a consistency trace's user message"
        case .prompt: "the gold trace's user message is the question rendered by the teacher prompt"
        case .flawed: "a flawed trace's mistaken step changes a hooked value and its answer matches no accepted answer"
        case .recovery: "a self-correcting trace's check ran, shows the mistake, and its fix claims only what the check showed"
        }
    }
}

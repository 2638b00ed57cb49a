/// The limits of one trace.
public struct AgentLoopConfiguration: Sendable, Equatable {
    /// Cells the loop runs at most; the trace then ends with `max_turns`. Malformed replies are
    /// not cells.
    public var maxTurns: Int
    /// Wall-clock time for the whole trace (from after the worker reset), checked before each request to the teacher and
    /// before each feedback; the trace then ends with `budget`. A reply already received is run.
    public var timeBudget: Duration
    /// Unusable replies (no code block, several, empty, ...) answered with a corrective message;
    /// one more ends the trace with `malformed`.
    public var maxMalformedReplies: Int
    /// Distinct grounded hook lines a trace needs for its answer to be accepted (0: no minimum).
    /// Usually the question's expected number of steps.
    public var minimumHooks: Int
    /// Times an answer with too few grounded hooks is sent back asking for hooks; the next
    /// answer is accepted whatever its hooks.
    public var maxHookReprompts: Int
    /// Largest stdout, stderr, result, error message or traceback shown to the model, in bytes;
    /// the rest is cut with a marker saying how many bytes (see ``ShownOutput``).
    public var maxShownBytes: Int
    /// Largest hook value kept verbatim, in canonical JSON bytes; larger values are summarised
    /// (see ``HookValueSummary``).
    public var maxHookValueBytes: Int
    /// The time limit of each cell; nil uses the sandbox's.
    public var cellTimeout: Duration?

    public init(
        maxTurns: Int = 16,
        timeBudget: Duration = .seconds(600),
        maxMalformedReplies: Int = 3,
        minimumHooks: Int = 0,
        maxHookReprompts: Int = 2,
        maxShownBytes: Int = 8192,
        maxHookValueBytes: Int = 4096,
        cellTimeout: Duration? = nil
    ) {
        self.maxTurns = maxTurns
        self.timeBudget = timeBudget
        self.maxMalformedReplies = maxMalformedReplies
        self.minimumHooks = minimumHooks
        self.maxHookReprompts = maxHookReprompts
        self.maxShownBytes = maxShownBytes
        self.maxHookValueBytes = maxHookValueBytes
        self.cellTimeout = cellTimeout
    }
}

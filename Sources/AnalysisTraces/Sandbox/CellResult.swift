/// What one cell did: the record-ready execution, the events it emitted and how long it took.
public struct CellResult: Sendable, Equatable {
    /// Output, trailing-expression repr, error, and the timed-out and state-reset flags.
    public var execution: Execution
    /// `hook` and `submit` calls, in the order the cell made them. Empty when the worker was
    /// killed or crashed (the events of a lost cell are lost with it).
    public var events: [SandboxEvent]
    /// Wall-clock seconds of the cell (measured by the worker, or by the host when the worker
    /// did not answer). A measurement: it belongs in run logs, not in records.
    public var seconds: Double
    /// The worker's proportional set size after the cell, when it reported one.
    public var pssBytes: Int?

    public init(execution: Execution, events: [SandboxEvent], seconds: Double, pssBytes: Int? = nil) {
        self.execution = execution
        self.events = events
        self.seconds = seconds
        self.pssBytes = pssBytes
    }
}

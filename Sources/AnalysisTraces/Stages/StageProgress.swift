/// Where a stage reports each item it finishes; the command shows it (the `AnalysisTracesCLI`
/// target's progress reporter: a live bar on a terminal, a log line now and then otherwise).
public protocol StageProgress: Sendable {
    /// The run has `total` items, `resumed` of them done before it started.
    func start(total: Int, resumed: Int) async
    /// One item finished.
    func finished(verified: Bool, failed: Bool) async
    /// The run ended; show the final figures.
    func finish() async
}

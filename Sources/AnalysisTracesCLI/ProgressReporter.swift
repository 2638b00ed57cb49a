#if canImport(Glibc)
import Glibc
#endif
import AnalysisTraces
import Logging

/// Progress of a stage over its items: a live bar on a terminal, a log line every
/// `interval` otherwise (and always one at the end).
///
/// `penguins [##########----------] 20/40 verified 19 failed 1  3.1/s  ETA 6s`
public actor ProgressReporter: StageProgress {
    public struct Counts: Sendable, Equatable {
        public var done = 0
        public var verified = 0
        public var failed = 0
        public init() {}
    }

    private let label: String
    private let logger: Logger
    private let interactive: Bool
    private let interval: Duration
    private var total = 0
    private var started = ContinuousClock.now
    private var lastReport: ContinuousClock.Instant
    private var counts = Counts()
    /// Items already done before this run (resumed); excluded from the rate.
    private var resumed = 0

    public init(label: String, logger: Logger, interactive: Bool = isatty(STDERR_FILENO) == 1,
                interval: Duration = .seconds(10)) {
        self.label = label
        self.logger = logger
        self.interactive = interactive
        self.interval = interval
        self.lastReport = .now
    }

    public func start(total: Int, resumed: Int) {
        self.total = total
        self.resumed = resumed
        started = .now
        lastReport = .now
        counts = Counts()
        counts.done = resumed
    }

    /// Records one finished item.
    public func finished(verified: Bool, failed: Bool) {
        counts.done += 1
        if verified { counts.verified += 1 }
        if failed { counts.failed += 1 }
        let now = ContinuousClock.now
        if interactive {
            FileHandleStandardError.writeRaw("\r\u{1B}[2K" + line(now: now))
        } else if now - lastReport >= interval {
            lastReport = now
            logger.info("\(line(now: now))")
        }
    }

    /// Ends the display with a final line.
    public func finish() {
        if interactive { FileHandleStandardError.writeRaw("\r\u{1B}[2K") }
        logger.info("\(line(now: .now))")
    }

    public var current: Counts { counts }

    private func line(now: ContinuousClock.Instant) -> String {
        let width = 20
        let filled = total == 0 ? width : min(width, counts.done * width / total)
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let seconds = (now - started).components.seconds
        let fresh = counts.done - resumed
        let rate = seconds > 0 ? Double(fresh) / Double(seconds) : 0
        var text = "\(label) [\(bar)] \(counts.done)/\(total) verified \(counts.verified) failed \(counts.failed)"
        if rate > 0 {
            let remaining = Int((Double(total - counts.done) / rate).rounded())
            text += "  \(Self.format(rate))/s  ETA \(remaining)s"
        }
        return text
    }

    private static func format(_ rate: Double) -> String {
        let tenths = Int((rate * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}

/// One problem found in a file, printed compiler-style:
/// `data/episodes/x.jsonl.gz:1832: error: [schema] 'traces': expected an array, found a string`.
///
/// Stages collect diagnostics about the data and report them together; only the command decides
/// the exit code.
public struct Diagnostic: Equatable, Hashable, Sendable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable, CaseIterable, Comparable {
        case note
        case warning
        case error

        private var rank: Int {
            switch self {
            case .note: 0
            case .warning: 1
            case .error: 2
            }
        }

        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
    }

    /// The file the problem is in, as the user named it.
    public var path: String
    /// The 1-based line, or nil when the problem is about the whole file.
    public var line: Int?
    public var severity: Severity
    /// A short machine-readable rule name (`schema`, `json`, `gzip`, `verification`, ...).
    public var rule: String
    /// What is wrong, lower-case first, then expected versus found.
    public var message: String

    public init(path: String, line: Int?, severity: Severity, rule: String, message: String) {
        self.path = path
        self.line = line
        self.severity = severity
        self.rule = rule
        self.message = message
    }

    /// `path:line: severity: [rule] message` (`path: severity: ...` without a line).
    public var description: String {
        let location = line.map { "\(path):\($0)" } ?? path
        return "\(location): \(severity.rawValue): [\(rule)] \(message)"
    }
}

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
        Self.format(location: line.map { "\(path):\($0)" } ?? path, severity: severity, rule: rule, message: message)
    }

    /// The one diagnostic format: `location: severity: [rule] message`, leaving out the location
    /// and the rule when there are none (`error: message`).
    public static func format(location: String?, severity: Severity, rule: String?, message: String) -> String {
        var text = location.map { "\($0): " } ?? ""
        text += "\(severity.rawValue): "
        if let rule { text += "[\(rule)] " }
        return text + message
    }
}

/// An error that reports itself as one diagnostic: where, which rule, what is wrong. The library
/// says what is wrong in its own terms; the command formats it with ``Diagnostic/format(location:severity:rule:message:)``
/// and may add how to fix it with its own options (the library names no command-line flag).
public protocol DiagnosticError: Error, Sendable, CustomStringConvertible {
    /// Where the problem is: a file (`path` or `path:line`), a source entry, or the part that
    /// failed (`sandbox`); nil when it concerns the run as a whole.
    var diagnosticLocation: String? { get }
    /// A short rule name, shown as `[rule]`; nil for none.
    var diagnosticRule: String? { get }
    /// What is wrong, lower-case first, then expected versus found.
    var diagnosticMessage: String { get }
}

extension DiagnosticError {
    public var diagnosticRule: String? { nil }

    /// The diagnostic as an error, without any advice the command would add.
    public var description: String {
        Diagnostic.format(location: diagnosticLocation, severity: .error, rule: diagnosticRule, message: diagnosticMessage)
    }
}

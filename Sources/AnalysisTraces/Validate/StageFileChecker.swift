/// Checks a stage file (questions or episodes, gzip JSON Lines) against the record contract:
/// every line decodes strictly, carries the current schema version, has the id its content gives
/// it, unique ids and consistent hashes, and every episode passes the semantic rules
/// (``ValidationRule``, listed in <doc:Validation>). Problems are collected as diagnostics, never
/// thrown, and the checker survives any input (binary garbage, truncated gzip, huge lines,
/// invalid UTF-8).
public struct StageFileChecker: Sendable {
    /// Which record type the file holds.
    public enum Kind: String, Sendable, CaseIterable {
        /// Decide from the path (`questions/`, `episodes/`, `validated/`), else from the first record.
        case auto
        case questions
        case episodes
    }

    /// One line as the checker saw it, handed to the visitor of
    /// ``check(path:kind:visit:)`` in file order.
    public struct CheckedRecord: Sendable {
        /// The 1-based line.
        public var line: Int
        /// The episode on this line, when the file holds episodes and the line decoded.
        public var episode: Episode?
        /// The dataset the record is about, when the line says (even if it did not decode).
        public var datasetID: String?
        /// The rules this record breaks, in the order found; empty when it passes every rule.
        public var brokenRules: [String]

        public var passes: Bool { brokenRules.isEmpty }
    }

    /// The most diagnostics kept in a report; the rest are counted by rule.
    public var maxDiagnostics: Int
    public var readerOptions: GzipLineReader.Options

    public init(maxDiagnostics: Int = 100, readerOptions: GzipLineReader.Options = .init()) {
        self.maxDiagnostics = maxDiagnostics
        self.readerOptions = readerOptions
    }

    public func check(path: String, kind: Kind = .auto) -> StageFileReport {
        run(path: path, kind: kind, visit: { _ in }).report
    }

    /// Checks the file and hands every line to `visit` as it is checked. An error thrown by
    /// `visit` (a cancellation) stops the check and is rethrown; problems in the file never are.
    public func check(path: String, kind: Kind = .auto, visit: (CheckedRecord) throws -> Void) throws -> StageFileReport {
        let (report, visitorError) = run(path: path, kind: kind, visit: visit)
        if let visitorError { throw visitorError }
        return report
    }

    /// An error from the visitor, carried through the line reader.
    private struct VisitorError: Error {
        var underlying: any Error
    }

    private func run(path: String, kind: Kind, visit: (CheckedRecord) throws -> Void) -> (report: StageFileReport, visitorError: (any Error)?) {
        var report = StageFileReport(path: path, maxDiagnostics: maxDiagnostics)
        var resolvedKind = kind == .auto ? Self.kind(fromPath: path) : kind
        var seenIDs: [String: Int] = [:]
        var seenQuestions: [String: Int] = [:]
        let decoder = RecordDecoder()

        let reader: GzipLineReader
        do {
            reader = try GzipLineReader(path: path, options: readerOptions)
        } catch {
            report.markUnreadable(Diagnostic(path: path, line: nil, severity: .error, rule: "io", message: "\(error)"))
            return (report, nil)
        }

        /// Checks one line and returns what it found.
        func examine(_ bytes: UnsafeRawBufferPointer, line: Int) -> CheckedRecord {
            var record = CheckedRecord(line: line, episode: nil, datasetID: nil, brokenRules: [])
            func add(_ rule: String, _ message: String) {
                report.add(line: line, rule: rule, message)
                record.brokenRules.append(rule)
            }
            report.records += 1
            if bytes.isEmpty {
                add("json", "empty line; expected one JSON object per line")
                return record
            }
            let value: JSONValue
            do {
                value = try JSONParser.parse(bytes)
            } catch {
                add("json", "invalid JSON at column \(error.offset + 1): \(error.reason)")
                return record
            }
            record.datasetID = Self.datasetID(fromRecord: value)
            if resolvedKind == .auto {
                guard let detected = Self.kind(fromRecord: value) else {
                    add("kind", "cannot tell whether this is a questions or an episodes file; expected an object with 'output_schema' or 'traces'; name the kind")
                    return record
                }
                resolvedKind = detected
            }
            let problems: [(rule: String, message: String)]
            let id: String
            var questionID: String?
            do {
                switch resolvedKind {
                case .questions:
                    let question = try decoder.decode(Question.self, from: value)
                    id = question.id
                    problems = RecordRules.check(question)
                case .episodes, .auto:
                    let episode = try decoder.decode(Episode.self, from: value)
                    id = episode.id
                    questionID = episode.question.id
                    record.episode = episode
                    problems = RecordRules.check(episode) + EpisodeRules.check(episode)
                }
            } catch let error as RecordDecodingError {
                add(Self.hasForeignSchemaVersion(value, kind: resolvedKind) ? "version" : "schema", error.description)
                return record
            } catch {
                add("schema", "\(error)")
                return record
            }
            for problem in problems { add(problem.rule, problem.message) }
            if let first = seenIDs[id] {
                add("duplicate", "id '\(id)' already appeared on line \(first)")
            } else {
                seenIDs[id] = line
                // An episode with a new id can still repeat a question (another producer).
                if let questionID {
                    if let first = seenQuestions[questionID] {
                        add("duplicate", "question '\(questionID)' already appeared on line \(first); a file holds one episode per question")
                    } else {
                        seenQuestions[questionID] = line
                    }
                }
            }
            if record.passes { report.validRecords += 1 }
            return record
        }

        do {
            let summary = try reader.forEachLine(policy: .strict) { bytes, line in
                let record = examine(bytes, line: line)
                do { try visit(record) } catch { throw VisitorError(underlying: error) }
            }
            if summary.lines == 0 {
                report.add(line: nil, rule: "empty", "the file holds no records")
            }
        } catch let error as VisitorError {
            return (report, error.underlying)
        } catch let error as GzipError {
            if case .notGzip = error.kind, error.offset == 0 {
                report.markUnreadable(error.diagnostic)
            } else {
                report.markDamaged(error.diagnostic)
            }
        } catch {
            report.markUnreadable(Diagnostic(path: path, line: nil, severity: .error, rule: "io", message: "\(error)"))
        }
        report.kind = resolvedKind == .auto ? nil : resolvedKind
        return (report, nil)
    }

    static func kind(fromPath path: String) -> Kind {
        let components = path.split(separator: "/")
        if components.contains("questions") { return .questions }
        if components.contains("episodes") || components.contains("validated") { return .episodes }
        return .auto
    }

    /// `question.dataset_id` of an episode, or `dataset_id` of a question, when it is a string.
    static func datasetID(fromRecord value: JSONValue) -> String? {
        if case .string(let id)? = value["question"]?["dataset_id"] { return id }
        if case .string(let id)? = value["dataset_id"] { return id }
        return nil
    }

    static func kind(fromRecord value: JSONValue) -> Kind? {
        if value["traces"] != nil { return .episodes }
        if value["output_schema"] != nil { return .questions }
        return nil
    }

    /// A record written under another schema version usually fails decoding because of it; such
    /// failures are reported under the `version` rule so the cause is plain.
    static func hasForeignSchemaVersion(_ value: JSONValue, kind: Kind) -> Bool {
        guard case .int(let version)? = value["schema_version"] else { return false }
        let current = kind == .questions ? Question.currentSchemaVersion : Episode.currentSchemaVersion
        return version != Int64(current)
    }
}

/// What `StageFileChecker` found in one file.
public struct StageFileReport: Sendable {
    public let path: String
    /// The record type the file was checked as; nil when it could not be told.
    public var kind: StageFileChecker.Kind?
    /// Lines read (including broken ones).
    public var records = 0
    /// Lines that passed every check.
    public var validRecords = 0
    /// The first diagnostics, up to the checker's limit.
    public private(set) var diagnostics: [Diagnostic] = []
    /// Every diagnostic counted by rule, including those past the limit.
    public private(set) var countsByRule: [String: Int] = [:]
    /// The file could not be read at all (missing, unreadable, not gzip).
    public private(set) var unreadable = false
    /// The gzip stream broke partway (truncated, corrupt): the records before the damage were
    /// checked, the rest of the file is lost.
    public private(set) var damaged = false
    private let maxDiagnostics: Int

    init(path: String, maxDiagnostics: Int) {
        self.path = path
        self.maxDiagnostics = maxDiagnostics
    }

    public var errorCount: Int { countsByRule.values.reduce(0, +) }
    public var isClean: Bool { errorCount == 0 }
    public var omittedDiagnostics: Int { errorCount - diagnostics.count }

    mutating func add(line: Int?, rule: String, _ message: String) {
        add(Diagnostic(path: path, line: line, severity: .error, rule: rule, message: message))
    }

    mutating func add(_ diagnostic: Diagnostic) {
        countsByRule[diagnostic.rule, default: 0] += 1
        if diagnostics.count < maxDiagnostics { diagnostics.append(diagnostic) }
    }

    mutating func markUnreadable(_ diagnostic: Diagnostic) {
        unreadable = true
        add(diagnostic)
    }

    mutating func markDamaged(_ diagnostic: Diagnostic) {
        damaged = true
        add(diagnostic)
    }

    /// `path: 1200 records, 1198 valid, 3 errors (schema 2, json 1)`.
    public var summary: String {
        var text = "\(path): \(records) record\(records == 1 ? "" : "s"), \(validRecords) valid, "
        text += "\(errorCount) error\(errorCount == 1 ? "" : "s")"
        if !countsByRule.isEmpty {
            let parts = countsByRule.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            text += " (" + parts.joined(separator: ", ") + ")"
        }
        if omittedDiagnostics > 0 { text += "; \(omittedDiagnostics) not shown" }
        return text
    }
}

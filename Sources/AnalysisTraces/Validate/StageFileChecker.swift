/// Checks a stage file (questions or episodes, gzip JSON Lines) against the record contract:
/// every line decodes strictly, carries the current schema version, has the id its content gives
/// it, unique ids and consistent hashes. Problems are collected as diagnostics, never thrown, and
/// the checker survives any input (binary garbage, truncated gzip, huge lines, invalid UTF-8).
public struct StageFileChecker: Sendable {
    /// Which record type the file holds.
    public enum Kind: String, Sendable, CaseIterable {
        /// Decide from the path (`questions/`, `episodes/`, `validated/`), else from the first record.
        case auto
        case questions
        case episodes
    }

    /// The most diagnostics kept in a report; the rest are counted by rule.
    public var maxDiagnostics: Int
    public var readerOptions: GzipLineReader.Options

    public init(maxDiagnostics: Int = 100, readerOptions: GzipLineReader.Options = .init()) {
        self.maxDiagnostics = maxDiagnostics
        self.readerOptions = readerOptions
    }

    public func check(path: String, kind: Kind = .auto) -> StageFileReport {
        var report = StageFileReport(path: path, maxDiagnostics: maxDiagnostics)
        var resolvedKind = kind == .auto ? Self.kind(fromPath: path) : kind
        var seenIDs: [String: Int] = [:]
        let decoder = RecordDecoder()

        let reader: GzipLineReader
        do {
            reader = try GzipLineReader(path: path, options: readerOptions)
        } catch {
            report.markUnreadable(Diagnostic(path: path, line: nil, severity: .error, rule: "io", message: "\(error)"))
            return report
        }

        do {
            let summary = try reader.forEachLine(policy: .strict) { bytes, line in
                report.records += 1
                if bytes.isEmpty {
                    report.add(line: line, rule: "json", "empty line; expected one JSON object per line")
                    return
                }
                let value: JSONValue
                do {
                    value = try JSONParser.parse(bytes)
                } catch let error as JSONParseError {
                    report.add(line: line, rule: "json", "invalid JSON at column \(error.offset + 1): \(error.reason)")
                    return
                } catch {
                    report.add(line: line, rule: "json", "invalid JSON: \(error)")
                    return
                }
                if resolvedKind == .auto {
                    guard let detected = Self.kind(fromRecord: value) else {
                        report.add(line: line, rule: "kind",
                                   "cannot tell whether this is a questions or an episodes file; expected an object with 'output_schema' or 'traces'; pass '--kind'")
                        return
                    }
                    resolvedKind = detected
                }
                let problems: [(rule: String, message: String)]
                let id: String
                do {
                    switch resolvedKind {
                    case .questions:
                        let question = try decoder.decode(Question.self, from: value)
                        id = question.id
                        problems = RecordRules.check(question)
                    case .episodes, .auto:
                        let episode = try decoder.decode(Episode.self, from: value)
                        id = episode.id
                        problems = RecordRules.check(episode)
                    }
                } catch let error as RecordDecodingError {
                    report.add(line: line, rule: Self.hasForeignSchemaVersion(value, kind: resolvedKind) ? "version" : "schema", error.description)
                    return
                } catch {
                    report.add(line: line, rule: "schema", "\(error)")
                    return
                }
                for problem in problems { report.add(line: line, rule: problem.rule, problem.message) }
                if let first = seenIDs[id] {
                    report.add(line: line, rule: "duplicate", "id '\(id)' already appeared on line \(first)")
                } else {
                    seenIDs[id] = line
                }
                if problems.isEmpty { report.validRecords += 1 }
            }
            if summary.lines == 0 {
                report.add(line: nil, rule: "empty", "the file holds no records")
            }
        } catch let error as GzipError {
            if case .notGzip = error.kind, error.offset == 0 {
                report.markUnreadable(error.diagnostic)
            } else {
                report.add(error.diagnostic)
            }
        } catch {
            report.markUnreadable(Diagnostic(path: path, line: nil, severity: .error, rule: "io", message: "\(error)"))
        }
        report.kind = resolvedKind == .auto ? nil : resolvedKind
        return report
    }

    static func kind(fromPath path: String) -> Kind {
        let components = path.split(separator: "/")
        if components.contains("questions") { return .questions }
        if components.contains("episodes") || components.contains("validated") { return .episodes }
        return .auto
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

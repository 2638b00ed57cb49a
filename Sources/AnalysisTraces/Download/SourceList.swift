import Foundation

/// A source list: the entries `download` fetches, each with where it was written.
///
/// Two formats, told apart by the first non-blank character:
/// - **Lines**: one entry per line; blank lines and lines starting with `#` are ignored, and
///   ` #` starts a trailing comment (`owner/slug  # CC0-1.0, 2.3 MB`).
/// - **JSON**: a list of entry strings, `["owner/slug", "https://example.org/t.csv"]`.
///
/// Every entry is checked before anything is fetched: `load(path:)` reports every bad entry
/// (file and line) at once, and returns entries only when all of them parse.
public struct SourceList: Sendable {
    /// One parsed entry and its location (`path:line`).
    public struct Item: Sendable, Hashable {
        public var entry: SourceEntry
        /// `path:line` in the source list, or the entry itself when it came from the command line.
        public var location: String

        public init(entry: SourceEntry, location: String) {
            self.entry = entry
            self.location = location
        }
    }

    public var items: [Item]

    public init(items: [Item]) { self.items = items }

    /// Reads and parses a source list file. Throws every problem found, each as a `Diagnostic`.
    public static func load(path: String) throws(SourceListError) -> SourceList {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SourceListError(diagnostics: [Diagnostic(path: path, line: nil, severity: .error, rule: "source", message: "cannot read the source list")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw SourceListError(diagnostics: [Diagnostic(path: path, line: nil, severity: .error, rule: "source", message: "the source list is not UTF-8 text")])
        }
        return try parse(text, path: path)
    }

    /// Parses the text of a source list named `path` (for messages).
    public static func parse(_ text: String, path: String) throws(SourceListError) -> SourceList {
        let raw: [(line: Int, text: String)]
        if text.drop(while: { $0.isWhitespace }).first == "[" {
            raw = try jsonEntries(text, path: path)
        } else {
            raw = lineEntries(text)
        }
        var items: [Item] = []
        var problems: [Diagnostic] = []
        var seen: [SourceEntry: Int] = [:]
        for (line, entryText) in raw {
            do {
                let entry = try SourceEntry.parse(entryText)
                if let first = seen[entry] {
                    problems.append(Diagnostic(path: path, line: line, severity: .error, rule: "source",
                                               message: "'\(entryText)' is listed twice; first on line \(first)"))
                    continue
                }
                seen[entry] = line
                items.append(Item(entry: entry, location: "\(path):\(line)"))
            } catch {
                problems.append(Diagnostic(path: path, line: line, severity: .error, rule: "source",
                                           message: "'\(entryText)': \(error.message)"))
            }
        }
        guard problems.isEmpty else { throw SourceListError(diagnostics: problems) }
        return SourceList(items: items)
    }

    private static func lineEntries(_ text: String) -> [(line: Int, text: String)] {
        var entries: [(line: Int, text: String)] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = Substring(rawLine)
            if line.hasSuffix("\r") { line = line.dropLast() }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            var entry = trimmed
            if let comment = entry.range(of: " #") ?? entry.range(of: "\t#") {
                entry = String(entry[..<comment.lowerBound]).trimmingCharacters(in: .whitespaces)
            }
            entries.append((index + 1, entry))
        }
        return entries
    }

    /// The strings of a JSON list, each with the line its string starts on.
    private static func jsonEntries(_ text: String, path: String) throws(SourceListError) -> [(line: Int, text: String)] {
        let value: JSONValue
        do {
            value = try JSONParser.parse(text)
        } catch {
            throw SourceListError(diagnostics: [Diagnostic(path: path, line: nil, severity: .error, rule: "source", message: "not valid JSON: \(error)")])
        }
        guard case .array(let elements) = value else {
            throw SourceListError(diagnostics: [Diagnostic(path: path, line: nil, severity: .error, rule: "source", message: "expected a JSON list of entry strings")])
        }
        // Lines where each top-level element starts (the parser keeps no positions).
        var starts: [Int] = []
        var line = 1, depth = 0, inString = false, escaped = false, expectingValue = false
        for byte in text.utf8 {
            if byte == 0x0A { line += 1 }
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { continue }
            if depth == 1, expectingValue, byte != UInt8(ascii: "]") {
                starts.append(line)
                expectingValue = false
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth == 1 { expectingValue = true }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            case UInt8(ascii: ","): if depth == 1 { expectingValue = true }
            default: break
            }
        }
        var entries: [(line: Int, text: String)] = []
        var problems: [Diagnostic] = []
        for (index, element) in elements.enumerated() {
            let elementLine = index < starts.count ? starts[index] : nil
            guard case .string(let entry) = element else {
                problems.append(Diagnostic(path: path, line: elementLine, severity: .error, rule: "source",
                                           message: "element \(index + 1): expected an entry string, found \(element.typeName)"))
                continue
            }
            entries.append((elementLine ?? 1, entry))
        }
        guard problems.isEmpty else { throw SourceListError(diagnostics: problems) }
        return entries
    }
}

/// Every problem found in a source list; `description` prints one diagnostic per line.
public struct SourceListError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

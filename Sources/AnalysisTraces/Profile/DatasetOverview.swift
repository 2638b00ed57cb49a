import Foundation

/// A short text description of a table for a teacher's system prompt: its shape, one line per
/// column (dtype, role, missing share and a summary) and the first rows as pandas prints them.
///
/// Bounded whatever the table: at most ``limit`` UTF-8 bytes (4 KB by default). Column lines are
/// listed in table order until the budget runs out, then one line counts the rest by role; the
/// first rows are cut to a fixed width and a fixed number of lines. The same profile and head
/// always give the same text.
public struct DatasetOverview: Sendable, Equatable {
    /// Default bound of ``text``, in UTF-8 bytes.
    public static let defaultLimit = 4096
    /// The longest a column line, or a line of the first rows, may be (in characters).
    static let lineWidth = 160
    /// At most this share of the budget goes to the first rows.
    static let headShare = 0.3
    /// The cell that prints the first rows (at most 10 columns, values cut to 20 characters).
    public static let headCellCode = """
        submit(df.head(5).to_string(max_cols=10, max_colwidth=20))
        """

    /// The overview.
    public var text: String
    /// The bound the text was built for.
    public var limit: Int

    /// Builds the overview of the table `worker` holds: resets the worker, gets `df.head()` as
    /// text from one cell, and renders it with `profile`.
    ///
    /// - Throws: ``TableProfilerError`` when the cell fails or submits something other than a
    ///   string; `SandboxError` or `CancellationError` from the worker.
    public static func make(on worker: SandboxWorker, profile: TableProfile, limit: Int = defaultLimit) async throws -> DatasetOverview {
        try await worker.reset()
        let result = try await worker.run(headCellCode)
        let value = try TableProfiler.submittedValue(result, cell: "head")
        guard case .string(let head) = value else {
            throw TableProfilerError.unexpectedValue(cell: "head", expected: "a string", found: value.typeName)
        }
        return render(profile: profile, head: head, limit: limit)
    }

    /// Renders the overview from a profile and the text of `df.head()`; pure and deterministic.
    public static func render(profile: TableProfile, head: String, limit: Int = defaultLimit) -> DatasetOverview {
        let budget = max(limit, 256)
        let header = "Table: \(profile.rows) rows, \(profile.columns.count) columns.\n"
            + "Columns (name: dtype, role, missing; summary):\n"
        let headTitle = "First rows (df.head()):\n"
        let headBlock = clippedHead(head, maxBytes: Int(Double(budget) * headShare) - headTitle.utf8.count)
        let columnBudget = budget - header.utf8.count - headTitle.utf8.count - headBlock.utf8.count

        var lines: [String] = []
        var used = 0
        for (position, column) in profile.columns.enumerated() {
            let line = columnLine(column) + "\n"
            let rest = profile.columns[(position + 1)...]
            let reserve = rest.isEmpty ? 0 : remainderLine(Array(rest)).utf8.count
            if used + line.utf8.count + reserve > columnBudget {
                let remainder = remainderLine(Array(profile.columns[position...]))
                lines.append(remainder)
                used += remainder.utf8.count
                break
            }
            lines.append(line)
            used += line.utf8.count
        }
        var text = header + lines.joined() + headTitle + headBlock
        if text.utf8.count > budget { text = clip(text, maxBytes: budget) }
        return DatasetOverview(text: text, limit: budget)
    }

    // MARK: - Lines

    /// `- name: dtype, role, 1.2% missing; summary`, at most ``lineWidth`` characters.
    static func columnLine(_ column: ColumnProfile) -> String {
        let name = clip(column.name, maxBytes: 48)
        let line = "- \(name): \(column.dtype), \(column.role.rawValue), \(percent(column.missingShare)) missing; \(summary(column))"
        return clip(line, maxBytes: lineWidth)
    }

    /// The one-line summary of a column: its range and mean, its frequent values, or its dates.
    static func summary(_ column: ColumnProfile) -> String {
        if column.unique == 0 { return "no values" }
        switch column.role {
        case .date:
            if let range = column.dateRange { return "\(range.min) to \(range.max)" }
        case .category, .binaryCategory, .calendar, .constant:
            if let top = column.topValues, !top.isEmpty {
                let shown = top.prefix(4).map { "\(quoted($0.value, maxBytes: 24)) (\($0.count))" }
                let more = column.unique > shown.count ? ", ..." : ""
                return "\(column.unique) values: " + shown.joined(separator: ", ") + more
            }
        case .text:
            if let first = column.topValues?.first {
                return "\(column.unique) distinct, e.g. \(quoted(first.value, maxBytes: 40))"
            }
        case .identifier, .measure, .label, .coordinate, .derived:
            break
        }
        if let numeric = column.numeric {
            let range = "\(number(numeric.min)) to \(number(numeric.max))"
            return column.role == .identifier || column.role == .label
                ? "\(column.unique) distinct, \(range)"
                : "\(range), mean \(number(numeric.mean)), sd \(number(numeric.std))"
        }
        return "\(column.unique) distinct"
    }

    /// `... 150 more columns: 120 measure, 30 category` (roles in ``ColumnRole`` order).
    static func remainderLine(_ columns: [ColumnProfile]) -> String {
        let counts = ColumnRole.allCases.compactMap { role -> String? in
            let count = columns.filter { $0.role == role }.count
            return count == 0 ? nil : "\(count) \(role.rawValue)"
        }
        return "... \(columns.count) more column\(columns.count == 1 ? "" : "s"): \(counts.joined(separator: ", "))\n"
    }

    /// The first rows, each line cut to ``lineWidth``, whole lines only, within `maxBytes`.
    static func clippedHead(_ head: String, maxBytes: Int) -> String {
        var text = ""
        var lines = head.split(separator: "\n", omittingEmptySubsequences: false)
        while let last = lines.last, last.allSatisfy(\.isWhitespace) { lines.removeLast() }
        for (index, line) in lines.enumerated() {
            let clipped = clip(String(line), maxBytes: lineWidth) + "\n"
            if text.utf8.count + clipped.utf8.count > maxBytes {
                let note = "... (\(lines.count - index) more lines)\n"
                if text.utf8.count + note.utf8.count <= maxBytes { text += note }
                break
            }
            text += clipped
        }
        return text
    }

    // MARK: - Formatting

    /// `text` cut to at most `maxBytes` UTF-8 bytes on a character boundary, ending in `...`
    /// when cut.
    static func clip(_ text: String, maxBytes: Int) -> String {
        if text.utf8.count <= maxBytes { return text }
        var kept = ""
        var used = 0
        let room = max(0, maxBytes - 3)
        for character in text {
            let size = character.utf8.count
            if used + size > room { break }
            kept.append(character)
            used += size
        }
        return kept + "..."
    }

    static func quoted(_ text: String, maxBytes: Int) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
        return "\"" + clip(flat, maxBytes: maxBytes) + "\""
    }

    /// Four significant digits (`43.92`, `3750`, `1.235e+06`).
    static func number(_ value: Double) -> String {
        String(format: "%.4g", value)
    }

    /// `0%`, `<0.1%`, `12.3%`, `100%`.
    static func percent(_ share: Double) -> String {
        if share <= 0 { return "0%" }
        if share >= 1 { return "100%" }
        let value = share * 100
        if value < 0.05 { return "<0.1%" }
        let text = String(format: "%.1f", value)
        return (text.hasSuffix(".0") ? String(text.dropLast(2)) : text) + "%"
    }
}

/// The code a trace has run so far, as whitespace-normalised lines: what hooks are grounded in.
///
/// A hook is grounded when its `code_line`, whitespace-normalised, equals a line of code that
/// ran in this trace (this cell included). Normalising a line trims it and turns every run of
/// white space into one space, so indentation and spacing never decide. Comment lines and blank
/// lines are not code and ground nothing. A `code_line` of several lines is grounded when its
/// non-blank lines, normalised, equal consecutive code lines of one cell. Cells that failed to
/// parse (error kind `syntax`) ran no line and are not added.
public struct ExecutedCode: Sendable {
    /// The normalised code lines of each cell, in order.
    private var cells: [[String]] = []
    private var lines: Set<String> = []

    public init() {}

    /// Adds a cell's code.
    public mutating func add(_ code: String) {
        let cell = Self.codeLines(code)
        cells.append(cell)
        lines.formUnion(cell)
    }

    /// Whether `codeLine` is grounded in the code added so far.
    public func grounds(_ codeLine: String) -> Bool {
        let wanted = Self.codeLines(codeLine)
        guard let first = wanted.first else { return false }
        if wanted.count == 1 { return lines.contains(first) }
        for cell in cells where cell.count >= wanted.count {
            for start in 0...(cell.count - wanted.count) where cell[start] == first {
                if Array(cell[start..<(start + wanted.count)]) == wanted { return true }
            }
        }
        return false
    }

    /// Trimmed, with each run of white space made one space.
    public static func normalize<S: StringProtocol>(_ line: S) -> String {
        line.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// The normalised lines of `code` that are code: not blank, not a comment.
    static func codeLines(_ code: String) -> [String] {
        code.split(whereSeparator: \.isNewline).compactMap { line in
            let normalized = normalize(line)
            return normalized.isEmpty || normalized.hasPrefix("#") ? nil : normalized
        }
    }
}

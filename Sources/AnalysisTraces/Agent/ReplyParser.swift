import Foundation

/// Reads a teacher's reply in the turn format: reasoning, then exactly one fenced ```python
/// block, then nothing that matters.
///
/// Fences are recognised by lines, as Markdown does: an opening fence is a line starting (after
/// at most three spaces) with three or more backticks followed by an info string; it closes at
/// the next line holding only backticks, at least as many. So a backtick string inside the code
/// (`print("```")`) does not end the block. Rules:
///
/// - exactly one fenced block in the whole reply, and its info string's first word is `python`,
///   `py` or `python3` (any case); any other fenced block, a bare one included, is an error,
///   because an extra block is usually invented output;
/// - the block is closed (a reply cut off mid-block is not run);
/// - the code, with its common indentation removed and blank lines at both ends dropped, is not
///   empty.
///
/// The reasoning is the text before the block, trimmed; text after the block is kept in the
/// conversation but belongs to no turn.
public enum ReplyParser {
    /// What a reply holds.
    public enum Parsed: Sendable, Equatable {
        /// A usable reply: the reasoning before the block and the code to run.
        case step(reasoning: String, code: String)
        /// A reply that cannot be run.
        case malformed(Problem)
    }

    /// Why a reply cannot be run.
    public enum Problem: Sendable, Equatable {
        case noCodeBlock
        case severalCodeBlocks(count: Int)
        case emptyCode
        case unterminatedBlock
        case notPython(label: String)
    }

    public static let pythonLabels: Set<String> = ["python", "py", "python3"]

    public static func parse(_ content: String) -> Parsed {
        // "\r\n" is one Character in Swift, so split on every kind of line break.
        let lines = content.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        var blocks: [(label: String, body: ArraySlice<Substring>, start: Int)] = []
        var index = 0
        var unterminated = false
        while index < lines.count {
            guard let fence = openingFence(lines[index]) else {
                index += 1
                continue
            }
            var end = index + 1
            while end < lines.count && !isClosingFence(lines[end], length: fence.length) { end += 1 }
            if end == lines.count {
                unterminated = true
                blocks.append((fence.label, lines[(index + 1)...], index))
                break
            }
            blocks.append((fence.label, lines[(index + 1)..<end], index))
            index = end + 1
        }
        guard !blocks.isEmpty else { return .malformed(.noCodeBlock) }
        guard blocks.count == 1, let block = blocks.first else {
            return .malformed(.severalCodeBlocks(count: blocks.count))
        }
        let word = block.label.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "{" }).first.map(String.init) ?? ""
        guard pythonLabels.contains(word.lowercased()) else { return .malformed(.notPython(label: word)) }
        if unterminated { return .malformed(.unterminatedBlock) }
        let code = dedented(Array(block.body))
        guard !code.isEmpty else { return .malformed(.emptyCode) }
        let reasoning = lines[..<block.start].joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        return .step(reasoning: reasoning, code: code)
    }

    /// A CommonMark backtick fence opening `line`: its length and info string. Shared with
    /// `ProposalParser`.
    static func openingFence(_ line: Substring) -> (length: Int, label: String)? {
        let indent = line.prefix(while: { $0 == " " })
        guard indent.count <= 3 else { return nil }
        let rest = line.dropFirst(indent.count)
        let ticks = rest.prefix(while: { $0 == "`" })
        guard ticks.count >= 3 else { return nil }
        let label = rest.dropFirst(ticks.count).trimmingCharacters(in: .whitespaces)
        // CommonMark: the info string of a backtick fence may not contain a backtick.
        guard !label.contains("`") else { return nil }
        return (ticks.count, label)
    }

    static func isClosingFence(_ line: Substring, length: Int) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        return trimmed.count >= length && trimmed.allSatisfy { $0 == "`" }
    }

    /// The lines joined, with the indentation common to the non-blank lines removed and blank
    /// lines at both ends dropped.
    static func dedented(_ lines: [Substring]) -> String {
        var lines = lines
        while let first = lines.first, first.allSatisfy(\.isWhitespace) { lines.removeFirst() }
        while let last = lines.last, last.allSatisfy(\.isWhitespace) { lines.removeLast() }
        let indents = lines.filter { !$0.allSatisfy(\.isWhitespace) }.map { $0.prefix(while: { $0 == " " || $0 == "\t" }) }
        guard var common = indents.first else { return "" }
        for indent in indents.dropFirst() {
            while !indent.hasPrefix(common) { common = common.dropLast() }
        }
        let width = common.count
        return lines.map { line in
            line.allSatisfy(\.isWhitespace) ? "" : String(line.dropFirst(width))
        }.joined(separator: "\n")
    }
}

extension ReplyParser.Problem: CustomStringConvertible {
    public var description: String {
        switch self {
        case .noCodeBlock: "no ```python code block"
        case .severalCodeBlocks(let count): "\(count) fenced blocks instead of one"
        case .emptyCode: "an empty code block"
        case .unterminatedBlock: "a code block that is never closed"
        case .notPython(let label): label.isEmpty ? "a code block without the python label" : "a code block marked '\(label)' instead of python"
        }
    }
}

import Foundation

/// Reads the model's reply to the request for questions: a JSON array of proposal objects.
///
/// Two forms are accepted, and nothing else:
/// - the whole reply (trimmed) is the JSON array, or
/// - the reply holds exactly one fenced block labelled `json` (any case; fences are recognised by
///   lines as ``ReplyParser`` does) and that block is the array; prose before and after the
///   block is allowed and ignored.
///
/// The JSON is parsed strictly with ``JSONParser`` (no comments, no trailing commas, no single
/// quotes). The array must not be empty. Each element is checked later, one by one
/// (``QuestionProposal/init(json:)``), so one bad proposal does not lose the others.
public enum ProposalParser {
    /// Why a reply holds no usable array.
    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        /// Neither a bare array nor a ```json block.
        case noJSON
        /// More than one fenced block, so which one is meant is a guess.
        case severalBlocks(count: Int)
        /// One fenced block, labelled something other than `json`.
        case notJSONBlock(label: String)
        /// The ```json block is never closed.
        case unterminatedBlock
        /// The text is not strict JSON (``JSONParseError``'s description).
        case invalidJSON(String)
        /// Valid JSON, but not an array (its type name).
        case notAnArray(found: String)
        case emptyArray

        public var description: String {
            switch self {
            case .noJSON: "no JSON array: expected the array alone or in one ```json block"
            case .severalBlocks(let count): "\(count) fenced blocks instead of one ```json block"
            case .notJSONBlock(let label): label.isEmpty ? "a fenced block without the json label" : "a fenced block marked '\(label)' instead of json"
            case .unterminatedBlock: "a ```json block that is never closed"
            case .invalidJSON(let detail): "the JSON does not parse, \(detail)"
            case .notAnArray(let found): "the JSON is \(found == "array" ? "an" : "a") \(found), not an array of question objects"
            case .emptyArray: "the array is empty"
            }
        }
    }

    /// The array's elements, or why there are none.
    public static func parse(_ content: String) -> Result<[JSONValue], Problem> {
        let trimmed = content.trimmingCharacters(in: .whitespacesAndNewlines)
        let text: String
        if trimmed.hasPrefix("[") {
            text = trimmed
        } else {
            switch jsonBlock(in: content) {
            case .success(let body): text = body
            case .failure(let problem): return .failure(problem)
            }
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(text)
        } catch {
            return .failure(.invalidJSON(error.description))
        }
        guard case .array(let elements) = value else { return .failure(.notAnArray(found: value.typeName)) }
        guard !elements.isEmpty else { return .failure(.emptyArray) }
        return .success(elements)
    }

    /// The body of the one fenced block, when it is labelled json.
    static func jsonBlock(in content: String) -> Result<String, Problem> {
        let lines = content.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        var blocks: [(label: String, body: ArraySlice<Substring>, closed: Bool)] = []
        var index = 0
        while index < lines.count {
            guard let fence = ReplyParser.openingFence(lines[index]) else {
                index += 1
                continue
            }
            var end = index + 1
            while end < lines.count && !ReplyParser.isClosingFence(lines[end], length: fence.length) { end += 1 }
            if end == lines.count {
                blocks.append((fence.label, lines[(index + 1)...], false))
                break
            }
            blocks.append((fence.label, lines[(index + 1)..<end], true))
            index = end + 1
        }
        guard let block = blocks.first else { return .failure(.noJSON) }
        guard blocks.count == 1 else { return .failure(.severalBlocks(count: blocks.count)) }
        let word = block.label.split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init) ?? ""
        guard word.lowercased() == "json" else { return .failure(.notJSONBlock(label: word)) }
        guard block.closed else { return .failure(.unterminatedBlock) }
        return .success(block.body.joined(separator: "\n"))
    }
}

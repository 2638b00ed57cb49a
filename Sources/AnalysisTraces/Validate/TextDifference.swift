/// Where two texts first differ, told briefly for a diagnostic: the character offset and a short
/// excerpt of each text from a little before that point.
enum TextDifference {
    /// Characters of context shown before the first difference.
    static let context = 20
    /// The longest excerpt shown of either text.
    static let excerpt = 60

    /// `they differ at character 42: expected "...", found "..."`, or a note that one text is a
    /// prefix of the other.
    static func describe(expected: String, found: String) -> String {
        let a = Array(expected)
        let b = Array(found)
        var offset = 0
        while offset < a.count && offset < b.count && a[offset] == b[offset] { offset += 1 }
        if offset == a.count && offset == b.count { return "the texts are equal" }
        let start = max(0, offset - context)
        func snippet(_ characters: [Character]) -> String {
            guard start < characters.count else { return "the end of the text" }
            let end = min(characters.count, start + excerpt)
            let text = (start > 0 ? "..." : "") + String(characters[start..<end]) + (end < characters.count ? "..." : "")
            return AnswerMatcher.describe(.string(text))
        }
        return "they differ at character \(offset + 1): expected \(snippet(a)), found \(snippet(b))"
    }
}

import Foundation

/// The one normalisation that question texts, hints and column names are compared in.
///
/// ``normalized(_:)`` applies, in order: Unicode NFKC (compatibility composition, so `ﬁ`, full-width
/// letters and `²` read as `fi`, ASCII letters and `2`), case folding (locale-independent), then
/// every run of characters that are not letters or digits (whitespace, punctuation, symbols,
/// underscores) becomes one space, and the ends are trimmed. So `"What's the mean  of
/// body_mass_g?"` and `"what s the MEAN of body mass g"` are the same text. ``tokens(_:)`` is the
/// normalised text split on its spaces.
public enum TextComparison {
    /// `text` in the comparison form described above.
    public static func normalized(_ text: String) -> String {
        tokens(text).joined(separator: " ")
    }

    /// The words of the normalised text, in order.
    public static func tokens(_ text: String) -> [String] {
        let folded = text.precomposedStringWithCompatibilityMapping
            .folding(options: [.caseInsensitive], locale: nil)
        var tokens: [String] = []
        var current = String.UnicodeScalarView()
        for scalar in folded.unicodeScalars {
            if isWordScalar(scalar) {
                current.append(scalar)
            } else if !current.isEmpty {
                tokens.append(String(current))
                current = String.UnicodeScalarView()
            }
        }
        if !current.isEmpty { tokens.append(String(current)) }
        return tokens
    }

    /// Whether `phrase` occurs in `text` as a run of whole consecutive tokens (an empty phrase
    /// never does).
    public static func contains(_ text: [String], phrase: [String]) -> Bool {
        guard !phrase.isEmpty, phrase.count <= text.count else { return false }
        for start in 0...(text.count - phrase.count) where text[start] == phrase[0] {
            if text[start..<(start + phrase.count)].elementsEqual(phrase) { return true }
        }
        return false
    }

    /// Letters, marks (accents that NFKC leaves combining) and digits are word characters.
    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        let properties = scalar.properties
        if properties.isAlphabetic { return true }
        switch properties.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber, .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return false
        }
    }
}

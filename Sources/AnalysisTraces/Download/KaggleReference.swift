/// A Kaggle dataset as a source list names it: `owner/slug`, optionally pinned to a version
/// (`owner/slug@3`, or the official client's `owner/slug/3`) and narrowed to one file
/// (`owner/slug:train.csv`, `owner/slug@3:data/train.csv`).
///
/// Owner and slug are letters, digits, `-` and `_` (Kaggle's slugs never contain a dot, which
/// is how `data/table.csv` is told apart from a ref: see `SourceEntry.parse(_:)`).
public struct KaggleReference: Sendable, Hashable, CustomStringConvertible {
    public var owner: String
    public var slug: String
    /// The dataset version number; nil means the current version.
    public var version: Int?
    /// The file inside the dataset (its path as Kaggle lists it); nil means the whole dataset.
    public var file: String?

    public init(owner: String, slug: String, version: Int? = nil, file: String? = nil) {
        self.owner = owner
        self.slug = slug
        self.version = version
        self.file = file
    }

    /// `owner/slug`, the ref Kaggle's API and web pages use.
    public var ref: String { "\(owner)/\(slug)" }

    /// The entry as it would be written in a source list.
    public var description: String {
        ref + (version.map { "@\($0)" } ?? "") + (file.map { ":\($0)" } ?? "")
    }

    /// Parses `owner/slug[@version | /version][:file]`; nil when `text` does not have that shape.
    public static func parse(_ text: String) -> KaggleReference? {
        var rest = Substring(text)
        var file: String?
        if let colon = rest.firstIndex(of: ":") {
            let name = rest[rest.index(after: colon)...]
            guard !name.isEmpty, !name.hasPrefix("/") else { return nil }
            file = String(name)
            rest = rest[..<colon]
        }
        var version: Int?
        if let at = rest.firstIndex(of: "@") {
            guard let number = Int(rest[rest.index(after: at)...]), number > 0 else { return nil }
            version = number
            rest = rest[..<at]
        }
        var parts = rest.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count == 3, version == nil, let number = Int(parts[2]), number > 0 {
            version = number
            parts.removeLast()
        }
        guard parts.count == 2, parts.allSatisfy(isSlug) else { return nil }
        return KaggleReference(owner: String(parts[0]), slug: String(parts[1]), version: version, file: file)
    }

    private static func isSlug(_ part: Substring) -> Bool {
        guard let first = part.first, first.isASCII, first.isLetter || first.isNumber else { return false }
        return part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }
}

import Foundation

/// The id of the dataset an entry produces: the folder name under `data/datasets/` and the stem
/// of every per-dataset file, so it must be stable (the same entry always gives the same id,
/// whatever the content) and filesystem-safe.
///
/// Rules:
/// - Kaggle `owner/slug` → `owner__slug`; with a file, `owner__slug__<file stem>` (so two files
///   of one dataset get two ids). The version is not part of the id: a newer version of the
///   same dataset replaces the old one (with `--force`).
/// - URL → the last path component without its extensions (`.csv`, `.tsv`, `.txt`, `.zip`,
///   `.gz`), e.g. `https://example.org/data/Sales%202024.csv.gz` → `sales_2024`; the host when
///   the path has no usable name.
/// - Local path → the file name without its extensions.
/// - Every id is lower-case; characters other than `a-z`, `0-9`, `_` and `-` become `_`,
///   repeated `_` collapse (except the `__` separators above), at most 96 characters.
public enum DatasetIdentifier {
    public static func make(for entry: SourceEntry) -> String {
        switch entry {
        case .kaggle(let reference):
            var parts = [sanitize(reference.owner), sanitize(reference.slug)]
            if let file = reference.file { parts.append(sanitize(stem(of: file))) }
            return clamp(parts.filter { !$0.isEmpty }.joined(separator: "__"))
        case .url(let text):
            let url = URL(string: text)
            let name = sanitize(stem(of: url.map { $0.lastPathComponent } ?? ""))
            if !name.isEmpty, name != "_" { return clamp(name) }
            return clamp(sanitize(url?.host ?? "download"))
        case .local(let path):
            let name = sanitize(stem(of: (path as NSString).lastPathComponent))
            return clamp(name.isEmpty ? "local" : name)
        }
    }

    /// The file name without the extensions a table can carry (`a.csv.gz` → `a`).
    static func stem(of name: String) -> String {
        var stem = (name.removingPercentEncoding ?? name)
        stem = (stem as NSString).lastPathComponent
        let known: Set<String> = ["csv", "tsv", "txt", "zip", "gz", "gzip", "dat", "data"]
        while true {
            let ext = (stem as NSString).pathExtension.lowercased()
            guard !ext.isEmpty, known.contains(ext) else { break }
            stem = (stem as NSString).deletingPathExtension
        }
        return stem
    }

    static func sanitize(_ text: String) -> String {
        var result = ""
        var lastWasUnderscore = false
        for scalar in text.lowercased().unicodeScalars {
            if allowed(scalar) && scalar != "_" {
                result.unicodeScalars.append(scalar)
                lastWasUnderscore = false
            } else if !lastWasUnderscore {
                result.append("_")
                lastWasUnderscore = true
            }
        }
        return result.trimmingCharacters(in: CharacterSet(charactersIn: "_-"))
    }

    private static func allowed(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "_" || scalar == "-"
    }

    private static func clamp(_ id: String) -> String {
        let clamped = String(id.prefix(96)).trimmingCharacters(in: CharacterSet(charactersIn: "_-"))
        return clamped.isEmpty ? "dataset" : clamped
    }
}

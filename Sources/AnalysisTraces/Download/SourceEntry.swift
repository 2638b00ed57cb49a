import Foundation

/// One thing to download: a Kaggle dataset, a URL or a local file.
///
/// The syntax of an entry (`parse(_:)`), tried in this order:
/// - `https://host/path/table.csv` — a URL of a CSV, TSV, zip or gzip file. Plain `http://` is
///   accepted only for loopback hosts (`127.0.0.1`, `localhost`, `[::1]`), which tests use.
/// - `file:///abs/path`, or a path that starts with `/`, `./`, `../` or `~/` — a local file.
/// - `owner/slug`, `owner/slug@3`, `owner/slug/3`, `owner/slug:train.csv` — a Kaggle dataset
///   (see `KaggleReference`).
/// - anything else with a file extension (`tables/sales.csv`) — a local file relative to the
///   current directory.
public enum SourceEntry: Sendable, Hashable, CustomStringConvertible {
    case kaggle(KaggleReference)
    case url(String)
    case local(String)

    public var description: String {
        switch self {
        case .kaggle(let reference): reference.description
        case .url(let url): url
        case .local(let path): path
        }
    }

    /// Parses one entry; the error message says which forms are accepted.
    public static func parse(_ text: String) throws(DownloadError) -> SourceEntry {
        let entry = text.trimmingCharacters(in: .whitespaces)
        guard !entry.isEmpty else { throw DownloadError(.invalidSource, source: text, "empty entry") }
        let lower = entry.lowercased()
        if lower.hasPrefix("https://") || lower.hasPrefix("http://") {
            guard let url = URL(string: entry), let host = url.host, !host.isEmpty else {
                throw DownloadError(.invalidSource, source: entry, "not a valid URL")
            }
            if lower.hasPrefix("http://"), !["127.0.0.1", "localhost", "::1", "[::1]"].contains(host.lowercased()) {
                throw DownloadError(.invalidSource, source: entry, "plain 'http://' is accepted only for loopback hosts; use 'https://'")
            }
            return .url(entry)
        }
        if lower.hasPrefix("file://") {
            let path = String(entry.dropFirst("file://".count))
            guard path.hasPrefix("/") else {
                throw DownloadError(.invalidSource, source: entry, "a 'file://' URL needs an absolute path ('file:///data/table.csv')")
            }
            return .local(path)
        }
        if entry.contains("://") {
            throw DownloadError(.invalidSource, source: entry, "unsupported scheme; expected 'https://', a Kaggle ref 'owner/slug' or a local path")
        }
        if entry.hasPrefix("/") || entry.hasPrefix("./") || entry.hasPrefix("../") || entry.hasPrefix("~/") {
            return .local(entry.hasPrefix("~/") ? NSHomeDirectory() + entry.dropFirst(1) : entry)
        }
        if let reference = KaggleReference.parse(entry) { return .kaggle(reference) }
        if !(entry as NSString).pathExtension.isEmpty { return .local(entry) }
        throw DownloadError(
            .invalidSource, source: entry,
            "expected a Kaggle ref ('owner/slug', 'owner/slug@3', 'owner/slug:file.csv'), an 'https://' URL or a local path ('./table.csv', '/data/table.csv')")
    }
}

import Foundation

/// Removes absolute host paths from text that goes into training data.
///
/// Tracebacks name library files by their absolute path (`/work/main/.venv/lib/python3.11/
/// site-packages/pandas/core/frame.py`), and an unsafe-mode sandbox shows the table's host path.
/// A model trained on those learns the machine's layout, and the data would leak it. A path is a
/// run of characters that starts at one of ``roots`` (at the start of the text or after a
/// character that cannot be part of a path) and ends at white space, a quote, a bracket, a comma,
/// a semicolon, a colon or a pipe. It is rewritten, in this order of preference:
///
/// - `…/site-packages/<rest>` and `…/dist-packages/<rest>` → `site-packages/<rest>`
///   (`dist-packages/<rest>`);
/// - `…/lib/python3.N/<rest>` (the standard library) → `python3.N/<rest>`;
/// - anything else → its last component (`/tmp/x/out.csv` → `out.csv`).
///
/// The sandbox's own paths (`/data/data.csv`, `/sandbox/...`) are not host paths and stay.
public struct HostPathScrubber: Sendable {
    /// Directories whose paths are rewritten.
    public static let defaultRoots = [
        "/work", "/tmp", "/root", "/home", "/Users", "/private", "/var", "/opt", "/usr", "/srv", "/mnt", "/scratch",
    ]

    public let roots: [String]

    public init(roots: [String] = HostPathScrubber.defaultRoots) {
        self.roots = roots
    }

    /// `text` with every host path rewritten.
    public func scrub(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "/")) else { return text }
        let bytes = Array(text.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        var changed = false
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "/"), index == 0 || !Self.isPathByte(bytes[index - 1]), startsWithRoot(bytes, at: index) {
                var end = index
                while end < bytes.count && !Self.isTerminator(bytes[end]) { end += 1 }
                let path = String(decoding: bytes[index..<end], as: UTF8.self)
                output.append(contentsOf: Self.rewrite(path).utf8)
                index = end
                changed = true
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        return changed ? String(decoding: output, as: UTF8.self) : text
    }

    private func startsWithRoot(_ bytes: [UInt8], at index: Int) -> Bool {
        for root in roots {
            let rootBytes = Array(root.utf8)
            guard index + rootBytes.count <= bytes.count, Array(bytes[index..<(index + rootBytes.count)]) == rootBytes else { continue }
            let next = index + rootBytes.count
            if next == bytes.count || bytes[next] == UInt8(ascii: "/") || Self.isTerminator(bytes[next]) { return true }
        }
        return false
    }

    static func rewrite(_ path: String) -> String {
        for marker in ["/site-packages/", "/dist-packages/"] {
            if let range = path.range(of: marker, options: .backwards) {
                return String(marker.dropFirst()) + path[range.upperBound...]
            }
        }
        if let range = path.range(of: "/lib/python3.") {
            let rest = path[range.upperBound...]
            if let slash = rest.firstIndex(of: "/"), rest[..<slash].allSatisfy(\.isNumber) {
                return "python3." + rest
            }
        }
        let trimmed = path.hasSuffix("/") ? String(path.dropLast()) : path
        return trimmed.split(separator: "/").last.map(String.init) ?? ""
    }

    /// Bytes that can appear inside a path (so a root after one of them is not a path's start).
    static func isPathByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "~"), UInt8(ascii: "/"):
            true
        default:
            false
        }
    }

    static func isTerminator(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"),
            UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "`"), UInt8(ascii: ","), UInt8(ascii: ";"),
            UInt8(ascii: ":"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["), UInt8(ascii: "]"),
            UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "|"):
            true
        default:
            false
        }
    }
}

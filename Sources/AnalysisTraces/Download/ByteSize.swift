import Foundation

/// Sizes as people write them: `1048576`, `500KB`, `50MB`, `2GB` (powers of 1000; `KiB`,
/// `MiB`, `GiB` are powers of 1024), and back (`60 KB`).
public enum ByteSize {
    public static func parse(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let digits = trimmed.prefix(while: { $0.isNumber || $0 == "." })
        guard let number = Double(digits), number >= 0 else { return nil }
        let unit = trimmed.dropFirst(digits.count).trimmingCharacters(in: .whitespaces).lowercased()
        let factors: [String: Double] = [
            "": 1, "b": 1, "kb": 1e3, "k": 1e3, "mb": 1e6, "m": 1e6, "gb": 1e9, "g": 1e9,
            "kib": 1024, "mib": 1_048_576, "gib": 1_073_741_824,
        ]
        guard let factor = factors[unit] else { return nil }
        return Int((number * factor).rounded())
    }

    /// `850 B`, `60 KB`, `2.3 MB`, `1.2 GB` (powers of 1000, as Kaggle shows sizes).
    public static func format(_ bytes: Int) -> String {
        let units: [(Double, String)] = [(1e9, "GB"), (1e6, "MB"), (1e3, "KB")]
        for (factor, unit) in units where Double(bytes) >= factor {
            let value = Double(bytes) / factor
            return value >= 10 ? "\(Int(value.rounded())) \(unit)" : String(format: "%.1f %@", value, unit)
        }
        return "\(bytes) B"
    }
}

extension KaggleDatasetSummary {
    /// `owner/slug  # Title — 60 KB, CC0-1.0, 905 votes, usability 0.88`: a source list line.
    public var sourceListLine: String {
        var facts: [String] = []
        if let totalBytes { facts.append(ByteSize.format(totalBytes)) }
        facts.append(licenseName.isEmpty ? "licence unknown" : licenseName)
        if let voteCount { facts.append("\(voteCount) votes") }
        if let usabilityRating { facts.append(String(format: "usability %.2f", usabilityRating)) }
        let title = title.replacingOccurrences(of: "\n", with: " ")
        return "\(ref)  # \(title.isEmpty ? "" : title + " — ")\(facts.joined(separator: ", "))"
    }
}

import Foundation

/// How the inferential templates pick columns from a profile: always in table order, never an
/// identifier or free-text column as a target, and only columns with enough data for the test.
enum InferentialColumns {
    /// A grouping column with every group and its size (from the profile's top values).
    struct Grouping {
        var column: ColumnProfile
        /// Most frequent first, ties by the profile's order.
        var groups: [ValueCount]
    }

    /// Measures with at least `minimum` values that are not all equal and are not calendar
    /// fields (``ColumnProfile/isCalendarField``), in table order.
    static func measures(_ profile: TableProfile, minimum: Int = 8) -> [ColumnProfile] {
        profile.columns.filter { column in
            guard column.role == .measure, let numeric = column.numeric, !column.isCalendarField else { return false }
            return profile.rows - column.missing >= minimum && numeric.std > 0 && column.unique >= 3
        }
    }

    /// Category and binary-category columns whose groups the profile lists completely, with
    /// `groupCount` groups of at least `minimumSize` rows each, in table order.
    static func groupings(_ profile: TableProfile, groupCount: ClosedRange<Int>, minimumSize: Int) -> [Grouping] {
        profile.columns.compactMap { column in
            guard column.role == .category || column.role == .binaryCategory,
                  let top = column.topValues, top.count == column.unique, groupCount.contains(top.count),
                  top.allSatisfy({ $0.count >= minimumSize }) else { return nil }
            return Grouping(column: column, groups: top)
        }
    }

    /// Two groups to compare, with the column they come from: the two values of each binary
    /// category first, then the two most common values of each other category (whose second and
    /// third value must not tie, so that "the two most common" is unambiguous). Labels are sorted.
    static func twoGroupChoices(_ profile: TableProfile, minimumSize: Int = 5) -> [(column: ColumnProfile, labels: [JSONValue], wholeColumn: Bool)] {
        var binary: [(ColumnProfile, [JSONValue], Bool)] = []
        var largest: [(ColumnProfile, [JSONValue], Bool)] = []
        for column in profile.columns where column.role == .category || column.role == .binaryCategory {
            guard let top = column.topValues, top.count >= 2, top[0].count >= minimumSize, top[1].count >= minimumSize else { continue }
            if top.count > 2, top[1].count == top[2].count { continue }
            if column.unique > 2, top.count < 3 { continue }
            let labels = sortedLabels([top[0].value, top[1].value], dtype: column.dtype)
            if column.unique == 2 {
                binary.append((column, labels, true))
            } else {
                largest.append((column, labels, false))
            }
        }
        return (binary + largest).map { (column: $0.0, labels: $0.1, wholeColumn: $0.2) }
    }

    /// Labels typed like the column, sorted by value (numbers numerically, text by code points).
    static func sortedLabels(_ texts: [String], dtype: String) -> [JSONValue] {
        let labels = texts.map { InferentialText.label($0, dtype: dtype) }
        return labels.sorted { lhs, rhs in
            switch (lhs, rhs) {
            case (.int(let a), .int(let b)): a < b
            case (.double(let a), .double(let b)): a < b
            case (.bool(let a), .bool(let b)): !a && b
            default: InferentialText.prose(lhs).unicodeScalars.lexicographicallyPrecedes(InferentialText.prose(rhs).unicodeScalars)
            }
        }
    }

    /// Date columns whose values nearly all parse, with the format to parse them with.
    static func dates(_ profile: TableProfile) -> [(column: ColumnProfile, format: String, range: DateRange)] {
        profile.columns.compactMap { column in
            guard column.role == .date, let range = column.dateRange, range.parsedShare >= 0.99 else { return nil }
            let format = isPlainDate(range.min) && isPlainDate(range.max) ? "%Y-%m-%d" : "ISO8601"
            return (column, format, range)
        }
    }

    /// The calendar year of an ISO date text (`2012-01-31...` gives 2012).
    static func year(_ iso: String) -> Int? {
        Int(iso.prefix(4))
    }

    static func isPlainDate(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return false }
        return bytes.enumerated().allSatisfy { index, byte in index == 4 || index == 7 || (byte >= 48 && byte <= 57) }
    }

    /// Decimals that keep about four significant figures of a quantity whose size is about
    /// `scale`, between `minimum` and 8.
    static func decimals(forScale scale: Double, minimum: Int = 4) -> Int {
        guard scale.isFinite, scale > 0 else { return minimum }
        let needed = 3 - Int(floor(log10(scale)))
        return max(minimum, min(8, needed))
    }
}

extension InferentialColumns {
    /// Parameter sets of the two-group templates: every group choice times every measure, as
    /// `{"measure", "group_column", "groups", "alpha"}` (``QuestionSelection`` draws among them).
    static func twoGroupParameterSets(_ profile: TableProfile) -> [JSONValue] {
        var sets: [JSONValue] = []
        for choice in twoGroupChoices(profile) {
            for measure in measures(profile) {
                sets.append(.object([
                    ("measure", .string(measure.name)),
                    ("group_column", .string(choice.column.name)),
                    ("groups", .array(choice.labels)),
                    ("alpha", .double(0.05)),
                ]))
            }
        }
        return sets
    }
}

extension InferentialColumns {
    /// The first date column spanning at least `minimumYears` calendar years after the first
    /// (0: any), with its parse format.
    static func dateColumn(_ profile: TableProfile, minimumYears: Int) -> (column: ColumnProfile, format: String)? {
        for candidate in dates(profile) {
            guard let first = year(candidate.range.min), let last = year(candidate.range.max) else { continue }
            if last - first >= minimumYears { return (candidate.column, candidate.format) }
        }
        return nil
    }
}

import Foundation

/// How the descriptive templates choose their columns and numbers from a profile. Every rule is
/// deterministic (table order, then fixed cut-offs), so the same profile always gives the same
/// questions.
enum DescriptiveColumns {
    /// At most this many measures (or pairs, or groupings) get a question from one template.
    static let maxChoices = 3
    /// A measure needs at least this many values for its statistics to mean anything.
    static let minValues = 5

    /// Measures usable as targets, in table order: role `measure`, a numeric summary with a
    /// positive spread, at least `minValues` present values, and not a calendar field
    /// (``ColumnProfile/isCalendarField``).
    /// Identifier, text and date columns never qualify.
    static func measures(_ profile: TableProfile) -> [ColumnProfile] {
        profile.columns.filter { column in
            guard column.role == .measure, let numeric = column.numeric else { return false }
            return numeric.std > 0 && profile.rows - column.missing >= minValues && !column.isCalendarField
        }
    }

    /// Columns to group by, in table order: role `category` or `binary_category`, 2 to 20
    /// distinct values, and a dtype whose labels read the same as text in Python and in the
    /// profile (text, boolean or integer: a float column of codes would print `2007.0`).
    static func groupings(_ profile: TableProfile) -> [ColumnProfile] {
        profile.columns.filter { column in
            guard column.role == .category || column.role == .binaryCategory else { return false }
            return (2...20).contains(column.unique) && !column.dtype.hasPrefix("float")
        }
    }

    /// Decimal places for statistics of a column, from the size of its typical values: 4 below 1,
    /// 3 below 100, else 2, so every answer keeps about four significant digits.
    static func decimals(for numeric: NumericSummary) -> Int {
        let size = max(abs(numeric.q1), abs(numeric.median), abs(numeric.q3))
        if size < 1 { return 4 }
        if size < 100 { return 3 }
        return 2
    }

    /// A threshold taken from a profile statistic, rounded to four decimals so that the question
    /// can state it exactly and the program uses exactly the stated number.
    static func threshold(_ value: Double) -> Double {
        let rounded = (value * 10_000).rounded() / 10_000
        return rounded == 0 ? 0 : rounded
    }

    /// Ordered pairs of distinct measures: (0,1), (0,2), (1,2), (0,3), ... in that order.
    static func pairs(_ measures: [ColumnProfile]) -> [(ColumnProfile, ColumnProfile)] {
        var pairs: [(ColumnProfile, ColumnProfile)] = []
        for second in measures.indices.dropFirst() {
            for first in 0..<second { pairs.append((measures[first], measures[second])) }
        }
        return pairs
    }
}

extension DescriptiveColumns {
    /// (grouping, measure) choices: the first grouping with the first two measures, then the
    /// second grouping with the first measure; at most `maxChoices`.
    static func groupedMeasures(_ profile: TableProfile, minGroups: Int = 2) -> [(group: ColumnProfile, measure: ColumnProfile)] {
        let groupings = groupings(profile).filter { $0.unique >= minGroups }
        let measures = measures(profile)
        var choices: [(group: ColumnProfile, measure: ColumnProfile)] = []
        if let first = groupings.first {
            choices += measures.prefix(2).map { (first, $0) }
        }
        if groupings.count >= 2, let measure = measures.first {
            choices.append((groupings[1], measure))
        }
        return Array(choices.prefix(maxChoices))
    }
}

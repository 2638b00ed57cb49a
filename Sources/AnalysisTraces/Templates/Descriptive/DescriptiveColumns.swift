import Foundation

/// How the descriptive templates choose their columns and numbers from a profile. Every rule is
/// deterministic (table order, then fixed cut-offs), so the same profile always gives the same
/// questions.
enum DescriptiveColumns {
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

    /// A round threshold near a measure's third quartile, as an analyst would state it: the third
    /// quartile rounded to a power of ten below the interquartile range (4750 with an IQR of 1200
    /// gives 5000; 48.5 with an IQR of 9.3 gives 49), taking finer steps (½, ⅕, ⅒, ... of it)
    /// until the value lies strictly between the minimum and the maximum and differs from the
    /// median. Nil when no such round value exists.
    static func roundThreshold(_ numeric: NumericSummary) -> Double? {
        let spread = numeric.q3 - numeric.q1 > 0 ? numeric.q3 - numeric.q1 : numeric.std
        guard spread > 0, spread.isFinite else { return nil }
        let power = pow(10, floor(log10(spread)))
        for divisor in [1.0, 2, 5, 10, 20, 50, 100] {
            let step = power / divisor
            let value = threshold((numeric.q3 / step).rounded(.toNearestOrAwayFromZero) * step)
            if value > numeric.min, value < numeric.max, value != threshold(numeric.median) { return value }
        }
        return nil
    }

    /// The text of a string parameter, or nil.
    static func text(_ value: JSONValue?) -> String? {
        if case .string(let text)? = value { return text }
        return nil
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
    /// Every (grouping, measure) choice, groupings in table order, then measures in table order
    /// (``QuestionSelection`` draws among them).
    static func groupedMeasures(_ profile: TableProfile, minGroups: Int = 2) -> [(group: ColumnProfile, measure: ColumnProfile)] {
        let groupings = groupings(profile).filter { $0.unique >= minGroups }
        let measures = measures(profile)
        return groupings.flatMap { group in measures.map { (group, $0) } }
    }

    /// Groupings fit for a ranking of groups: the profile lists every group, and each has at least
    /// `minGroupSize` rows, so a leader is never a group of two rows.
    static func rankableGroupedMeasures(_ profile: TableProfile, minGroups: Int = 2) -> [(group: ColumnProfile, measure: ColumnProfile)] {
        groupedMeasures(profile, minGroups: minGroups).filter { group, _ in
            guard let top = group.topValues, top.count == group.unique else { return false }
            return top.allSatisfy { $0.count >= minGroupSize }
        }
    }

    /// The fewest rows a group needs to take part in a ranking of groups.
    static let minGroupSize = 5
}

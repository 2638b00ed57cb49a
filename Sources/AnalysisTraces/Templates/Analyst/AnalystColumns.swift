import Foundation

/// How the analyst templates (row lookups, derived columns, per-unit series, cross-tab shares,
/// quantiles, rank and log-log relations) choose columns from a profile.
enum AnalystColumns {
    /// Label columns (the names of rows) with no missing value.
    static func labels(_ profile: TableProfile) -> [ColumnProfile] {
        profile.columns.filter { $0.role == .label && $0.missing == 0 }
    }

    /// Usable measures whose values are all strictly positive (ratios, growth, logarithms).
    static func positiveMeasures(_ profile: TableProfile) -> [ColumnProfile] {
        DescriptiveColumns.measures(profile).filter { ($0.numeric?.min ?? 0) > 0 }
    }

    /// Measures whose mean lies clearly above their median (a right skew: mean − median at
    /// least a tenth of the standard deviation).
    static func rightSkewed(_ profile: TableProfile) -> [ColumnProfile] {
        positiveMeasures(profile).filter { column in
            guard let numeric = column.numeric, numeric.std > 0 else { return false }
            return (numeric.mean - numeric.median) / numeric.std >= 0.1
        }
    }

    /// Grouping units observed once per period of a whole-number calendar column (firms by year).
    static func unitsByCalendar(_ profile: TableProfile) -> [(unit: ColumnProfile, period: ColumnProfile)] {
        profile.columns.compactMap { column in
            guard column.isGroupingUnit, let related = column.related, let period = profile[related],
                  period.role == .calendar, !column.dtype.hasPrefix("float") else { return nil }
            return (column, period)
        }
    }

    /// Date columns whose values are days (no time of day), with their parse format.
    static func dayDates(_ profile: TableProfile) -> [(column: ColumnProfile, format: String)] {
        InferentialColumns.dates(profile).filter { $0.format == "%Y-%m-%d" }.map { ($0.column, $0.format) }
    }

    /// Categories (text labels, 2 to 10 values, every value listed) to cross-tabulate.
    static func crossTabCategories(_ profile: TableProfile) -> [ColumnProfile] {
        DescriptiveColumns.groupings(profile).filter { column in
            guard let top = column.topValues, top.count == column.unique, column.unique <= 10 else { return false }
            return column.dtype == "str" || column.dtype == "object"
        }
    }
}

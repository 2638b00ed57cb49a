extension ColumnProfile {
    /// Names of calendar fields (compared lowercased, without surrounding spaces).
    static let calendarFieldNames: Set<String> = [
        "year", "yr", "quarter", "month", "week", "weekday", "day", "hour", "minute", "second",
    ]

    /// Whether the column is named like a calendar field: a numeric `year` or `month` is a point
    /// in time, not a quantity, so its mean, spread, skew or yearly rise makes a pointless
    /// question even when the profiler's numeric role is `measure`. Every template family asks
    /// this one rule.
    var isCalendarField: Bool {
        Self.calendarFieldNames.contains(name.lowercased().trimmingCharacters(in: .whitespaces))
    }
}

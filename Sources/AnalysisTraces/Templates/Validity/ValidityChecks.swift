/// The statistical validity checks templates run on the data before a question is emitted
/// (``TemplateInstance/precondition``): each is Python that calls `submit(None)` when the
/// question is valid and `submit("reason")` when it is not. One function per rule, shared by
/// every template the rule applies to.
enum ValidityChecks {
    /// The least expected count of every cell for Pearson's chi-square test.
    static let minExpectedCount = 5.0
    /// A series whose straight-line trend on time explains at least this share of its variance
    /// is trend-dominated: its "peak month" or "peak year" is where the trend ends, not a season.
    static let trendDominatedR2 = 0.5

    /// Chi-square needs every expected count (row total × column total / n) of at least 5.
    static func chiSquareExpectedCounts(rowColumn: String, columnColumn: String) -> String {
        """
        _pairs = df[\(Python.literal([rowColumn, columnColumn]))].dropna()
        _table = pd.crosstab(_pairs.iloc[:, 0], _pairs.iloc[:, 1])
        _expected = _table.sum(axis=1).to_numpy()[:, None] * _table.sum(axis=0).to_numpy()[None, :] / max(1, _table.to_numpy().sum())
        if _table.shape[0] < 2 or _table.shape[1] < 2:
            submit("the cross-tab has fewer than two rows or columns")
        elif float(_expected.min()) < \(minExpectedCount):
            submit(f"an expected count is {float(_expected.min()):.2f}, below \(Int(minExpectedCount)): chi-square is not valid on this cross-tab")
        else:
            submit(None)
        """
    }

    /// The calendar-year bookkeeping every period check shares: `_dates`, `_values` (the measure
    /// as floats), `_years`, and `_complete`: the years whose rows fall in as many different
    /// calendar months as the best-covered year (a partial first or last year drops out).
    static func completeYears(dateColumn: String, format: String, measure: String) -> String {
        """
        _dates = pd.to_datetime(\(Python.column(dateColumn)), format=\(InferentialText.dateFormat(format).python), errors="coerce")
        _values = \(Python.column(measure)).astype(float)
        _ok = _dates.notna() & _values.notna()
        _dates, _values = _dates[_ok], _values[_ok]
        _months_per_year = _dates.dt.month.groupby(_dates.dt.year).nunique()
        _complete = sorted(int(year) for year, months in _months_per_year.items() if months == _months_per_year.max())
        """
    }

    /// A seasonal or period question: at least `minimumYears` complete years; for months, every
    /// calendar month present in each complete year (not quarterly data); and the series not
    /// trend-dominated (R² of the measure on time below ``trendDominatedR2``).
    static func periodQuestion(dateColumn: String, format: String, measure: String, months: Bool, minimumYears: Int) -> String {
        completeYears(dateColumn: dateColumn, format: format, measure: measure) + """

            _time = (_dates - _dates.min()).dt.total_seconds()
            _r2 = float(np.corrcoef(_time, _values)[0, 1] ** 2) if len(_values) > 2 and _values.std() > 0 else 0.0
            if len(_complete) < \(minimumYears):
                submit(f"only {len(_complete)} complete calendar year(s); at least \(minimumYears) needed")
            elif \(months ? "True" : "False") and int(_months_per_year.max()) < 12:
                submit(f"the data has rows in only {int(_months_per_year.max())} calendar months a year; a calendar-month question needs all 12")
            elif _r2 >= \(trendDominatedR2):
                submit(f"the series is trend-dominated (R² of a straight line on time = {_r2:.2f}): its peak is where the trend ends, not a season")
            else:
                submit(None)
            """
    }

    /// A ranking of groups after a filter keeps at least two groups of `minimumSize` rows.
    static func filteredGroups(filterMeasure: String, measure: String, groupColumn: String, minimumSize: Int) -> String {
        """
        _kept = df[\(Python.column(filterMeasure)) > float(\(Python.column(filterMeasure)).median())].dropna(subset=\(Python.literal([measure, groupColumn])))
        _sizes = _kept.groupby(\(Python.literal(groupColumn))).size()
        if int((_sizes >= \(minimumSize)).sum()) < 2:
            submit("fewer than two groups keep \(minimumSize) rows after the filter")
        else:
            submit(None)
        """
    }
}

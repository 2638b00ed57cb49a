/// In which calendar month, or which year, is a measure highest on average? Dates parsed with
/// `pd.to_datetime` and a stated format.
public struct PeakPeriodMeanTemplate: QuestionTemplate {
    public let id = "peak_period_mean"
    public let version = "2"
    public let category = TemplateCategory.time

    public init() {}

    /// The first date column spanning more than one calendar year, with every measure by month
    /// and by year. The question is asked only on complete years, on data with all 12 months
    /// (for months) and on a series that is not trend-dominated
    /// (``ValidityChecks/periodQuestion(dateColumn:format:measure:months:minimumYears:)``).
    public func parameterSets(for profile: TableProfile) -> [JSONValue] {
        guard let date = InferentialColumns.dateColumn(profile, minimumYears: 1) else { return [] }
        let measures = InferentialColumns.measures(profile)
        let choices = measures.indices.flatMap { [($0, "month"), ($0, "year")] }
        return choices.map { index, period in
            .object([
                ("date_column", .string(date.column.name)),
                ("format", .string(date.format)),
                ("measure", .string(measures[index].name)),
                ("period", .string(period)),
            ])
        }
    }

    public func instantiate(_ parameters: JSONValue) throws -> TemplateInstance {
        let reader = try TemplateParameters(parameters, templateID: id, keys: ["date_column", "format", "measure", "period"])
        let parameters = reader.normalized
        let dateColumn = try reader.string("date_column")
        let format = try reader.choice("format", ["%Y-%m-%d", "ISO8601"])
        let measure = try reader.string("measure")
        let period = try reader.choice("period", ["month", "year"])
        let parse = InferentialText.dateFormat(format)
        let byMonth = period == "month"

        let which = byMonth
            ? "calendar month (1 = January to 12 = December, pooling the same month of every year)"
            : "calendar year"
        let question = """
            In which \(which) is the average \(InferentialText.column(measure)) highest? Read \
            \(InferentialText.column(dateColumn)) \(parse.prose); values that do not parse are left out, and \
            missing values of \(InferentialText.column(measure)) are ignored. Use only complete calendar years: a year counts when its rows fall in as many different \
            calendar months as the best-covered year of the table (a partial first or last year is left out). Report the \(period) as a number \
            and its average rounded to 3 decimal places; if several tie, give the earliest.
            """
        let steps = [
            ProgramStep(
                reasoning: "The dates are stored as text, so we parse them with the stated format; anything that does not parse becomes missing.",
                code: """
                    dates = pd.to_datetime(\(Python.column(dateColumn)), format=\(parse.python), errors="coerce")
                    \(Python.hooked("n_dates", "int(dates.notna().sum())"))
                    """),
            ProgramStep(
                reasoning: byMonth
                    ? "We keep the complete years (those with as many distinct months as the best-covered year) and label every row with its calendar month, pooling the years."
                    : "We keep the complete years (those with as many distinct months as the best-covered year) and label every row with its calendar year.",
                code: """
                    months_per_year = dates.dt.month.groupby(dates.dt.year).nunique()
                    \(Python.hooked("complete_years", "sorted(int(year) for year, months in months_per_year.items() if months == months_per_year.max())", dependsOn: ["n_dates"]))
                    in_complete = dates.dt.year.isin(complete_years)
                    periods = dates.dt.\(byMonth ? "month" : "year").where(in_complete).astype("Int64")
                    \(Python.hooked("n_periods", "int(periods.nunique())", dependsOn: ["complete_years"]))
                    """),
            ProgramStep(
                reasoning: "We average \(measure) within each \(period), ignoring missing values.",
                code: Python.hooked("period_means", "\(Python.column(measure)).astype(float).groupby(periods).mean().dropna()", dependsOn: ["n_periods"])),
            ProgramStep(
                reasoning: "The \(period) with the highest average answers the question; idxmax keeps the earliest of any tie.",
                code: """
                    \(Python.hooked("best_period", "int(period_means.idxmax())", dependsOn: ["period_means"]))
                    \(Python.hooked("best_mean", "float(period_means.max())", dependsOn: ["period_means"]))
                    answer = {"\(period)": best_period, "mean": round(best_mean, 3)}
                    submit(answer)
                    """),
        ]
        let alternatives = """
            submit([{"\(period)": int(label), "mean": round(best_mean, 3)} for label, value in period_means.items() if round(float(value), 3) == round(best_mean, 3)])
            """
        let schema: AnswerSchema = .object(fields: [
            .init(name: period, schema: .integer),
            .init(name: "mean", schema: .number(decimals: 3)),
        ])
        var instance = TemplateInstance(
            templateID: id, version: version, parameters: parameters, question: InferentialText.withKeys(question, schema),
            hint: "pd.to_datetime(..., format=...), then group \(measure) by dt.\(period) and take the mean.",
            difficulty: .medium,
            outputSchema: schema,
            steps: steps, alternatives: alternatives)
        instance.precondition = ValidityChecks.periodQuestion(
            dateColumn: dateColumn, format: format, measure: measure, months: byMonth, minimumYears: byMonth ? 2 : 3)
        return instance
    }
}

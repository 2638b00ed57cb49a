/// In which calendar month, or which year, is a measure highest on average? Dates parsed with
/// `pd.to_datetime` and a stated format.
public struct PeakPeriodMeanTemplate: QuestionTemplate {
    public let id = "peak_period_mean"
    public let version = "1"
    public let category = TemplateCategory.time

    public init() {}

    /// The first date column spanning more than one calendar year, with the first measure by
    /// month and by year, then the second measure by month.
    public func parameterSets(for profile: TableProfile) -> [JSONValue] {
        guard let date = InferentialColumns.dateColumn(profile, minimumYears: 1) else { return [] }
        let measures = InferentialColumns.measures(profile)
        let choices = [(0, "month"), (0, "year"), (1, "month")].filter { $0.0 < measures.count }
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
            missing values of \(InferentialText.column(measure)) are ignored. Report the \(period) as a number \
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
                    ? "We label every row with its calendar month, pooling the years."
                    : "We label every row with its calendar year.",
                code: """
                    periods = dates.dt.\(byMonth ? "month" : "year").astype("Int64")
                    \(Python.hooked("n_periods", "int(periods.nunique())", dependsOn: ["n_dates"]))
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
        return TemplateInstance(
            templateID: id, version: version, parameters: parameters, question: InferentialText.withKeys(question, schema),
            hint: "pd.to_datetime(..., format=...), then group \(measure) by dt.\(period) and take the mean.",
            difficulty: .medium,
            outputSchema: schema,
            steps: steps, alternatives: alternatives)
    }
}

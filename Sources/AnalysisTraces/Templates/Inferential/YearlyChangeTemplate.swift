/// Which year saw the largest rise in a measure's yearly average over the year before?
public struct YearlyChangeTemplate: QuestionTemplate {
    public let id = "largest_yearly_rise"
    public let version = "2"
    public let category = TemplateCategory.time

    public init() {}

    /// The first date column spanning at least three calendar years, with every measure.
    public func parameterSets(for profile: TableProfile) -> [JSONValue] {
        guard let date = InferentialColumns.dateColumn(profile, minimumYears: 2) else { return [] }
        return InferentialColumns.measures(profile).map { measure in
            .object([
                ("date_column", .string(date.column.name)),
                ("format", .string(date.format)),
                ("measure", .string(measure.name)),
            ])
        }
    }

    public func instantiate(_ parameters: JSONValue) throws -> TemplateInstance {
        let reader = try TemplateParameters(parameters, templateID: id, keys: ["date_column", "format", "measure"])
        let parameters = reader.normalized
        let dateColumn = try reader.string("date_column")
        let format = try reader.choice("format", ["%Y-%m-%d", "ISO8601"])
        let measure = try reader.string("measure")
        let parse = InferentialText.dateFormat(format)

        let question = """
            Which year saw the largest year-over-year rise in the average \(InferentialText.column(measure))? \
            Read \(InferentialText.column(dateColumn)) \(parse.prose) (values that do not parse are left out), \
            use only complete calendar years (a year counts when its rows fall in as many different calendar \
            months as the best-covered year of the table, so a partial first or last year is left out), \
            average \(InferentialText.column(measure)) over each such year's rows (ignoring missing values), \
            and take the change from each year to the next complete year. Report that later year and the change rounded to 3 decimal places (negative if the average \
            fell every year); if several tie, give the earliest.
            """
        let steps = [
            ProgramStep(
                reasoning: "The dates are stored as text, so we parse them with the stated format; anything that does not parse becomes missing.",
                code: """
                    dates = pd.to_datetime(\(Python.column(dateColumn)), format=\(parse.python), errors="coerce")
                    \(Python.hooked("n_dates", "int(dates.notna().sum())"))
                    """),
            ProgramStep(
                reasoning: "We keep the complete years (as many distinct months as the best-covered year) and average \(measure) within each of them.",
                code: """
                    months_per_year = dates.dt.month.groupby(dates.dt.year).nunique()
                    \(Python.hooked("complete_years", "sorted(int(year) for year, months in months_per_year.items() if months == months_per_year.max())", dependsOn: ["n_dates"]))
                    years = dates.dt.year.where(dates.dt.year.isin(complete_years)).astype("Int64")
                    \(Python.hooked("yearly_means", "\(Python.column(measure)).astype(float).groupby(years).mean().dropna()", dependsOn: ["n_dates"]))
                    """),
            ProgramStep(
                reasoning: "The year-over-year change is each year's average minus the average of the year before it in the table.",
                code: Python.hooked("changes", "yearly_means.diff().dropna()", dependsOn: ["yearly_means"])),
            ProgramStep(
                reasoning: "The largest change marks the year of the biggest rise; idxmax keeps the earliest of any tie.",
                code: """
                    \(Python.hooked("best_year", "int(changes.idxmax())", dependsOn: ["changes"]))
                    \(Python.hooked("best_change", "float(changes.max())", dependsOn: ["changes"]))
                    answer = {"year": best_year, "change": round(best_change, 3)}
                    submit(answer)
                    """),
        ]
        let alternatives = """
            submit([{"year": int(label), "change": round(best_change, 3)} for label, value in changes.items() if round(float(value), 3) == round(best_change, 3)])
            """
        let schema: AnswerSchema = .object(fields: [
            .init(name: "year", schema: .integer),
            .init(name: "change", schema: .number(decimals: 3)),
        ])
        var instance = TemplateInstance(
            templateID: id, version: version, parameters: parameters, question: InferentialText.withKeys(question, schema),
            hint: "Group by dt.year, take the mean, then diff() and idxmax().",
            difficulty: .hard,
            outputSchema: schema,
            steps: steps, alternatives: alternatives)
        instance.precondition = """
            \(ValidityChecks.completeYears(dateColumn: dateColumn, format: format, measure: measure))
            submit(None if len(_complete) >= 3 else f"only {len(_complete)} complete calendar year(s); a year-over-year change needs 3")
            """
        return instance
    }
}

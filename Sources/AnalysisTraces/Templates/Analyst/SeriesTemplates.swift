import Foundation

/// Per-entity time series: which unit (firm, city) grew fastest on average from one period to
/// the next, as a percentage.
public struct UnitGrowthTemplate: QuestionTemplate {
    public let id = "unit_average_growth"
    public let version = "1"
    public let category = TemplateCategory.time

    public init() {}

    /// Every grouping unit observed once per calendar period, with every strictly positive measure.
    public func parameterSets(for profile: TableProfile) -> [JSONValue] {
        AnalystColumns.unitsByCalendar(profile).flatMap { unit, period in
            AnalystColumns.positiveMeasures(profile).map { measure -> JSONValue in
                .object([("unit_column", .string(unit.name)), ("period_column", .string(period.name)), ("measure", .string(measure.name))])
            }
        }
    }

    public func instantiate(_ parameters: JSONValue) throws -> TemplateInstance {
        let reader = try TemplateParameters(parameters, templateID: id, keys: ["unit_column", "period_column", "measure"])
        let unit = try reader.string("unit_column")
        let period = try reader.string("period_column")
        let measure = try reader.string("measure")
        guard Set([unit, period, measure]).count == 3 else {
            throw TemplateError(templateID: id, message: "parameters 'unit_column', 'period_column' and 'measure' must name three different columns")
        }
        let (u, p, m) = (QuestionText.column(unit), QuestionText.column(period), QuestionText.column(measure))
        let question = """
            Which \(u) grew fastest on average? For each \(u), order its rows by \(p) and compute the \
            percentage change of \(m) from each \(p) to the next one present (100 × (new − old) / old; rows \
            with \(m) missing are left out), then average those changes. Report the \(u) with the highest \
            average change, written as in the table, and that average in percent rounded to 2 decimal \
            places; if several tie, give the one that comes first in alphabetical order.
            """
        let schema: AnswerSchema = .object(fields: [.init(name: "unit", schema: .string), .init(name: "average_change_percent", schema: .number(decimals: 2))])
        let steps = [
            ProgramStep(
                reasoning: "We keep the rows with a unit, a period and a value, ordered by unit and period.",
                code: """
                    rows = df.dropna(subset=[\(Python.literal(unit)), \(Python.literal(period)), \(Python.literal(measure))]).sort_values([\(Python.literal(unit)), \(Python.literal(period))], kind="stable")
                    \(Python.hooked("n_rows", "len(rows)"))
                    """),
            ProgramStep(
                reasoning: "Within each unit, the percentage change from one period to the next.",
                code: """
                    changes = rows.groupby(\(Python.literal(unit)))[\(Python.literal(measure))].pct_change() * 100
                    \(Python.hooked("average_change", "changes.groupby(rows[\(Python.literal(unit))]).mean().dropna()", dependsOn: ["n_rows"]))
                    """),
            ProgramStep(
                reasoning: "The unit with the highest average change; ties go to the first label in alphabetical order.",
                code: """
                    rounded = {str(name): round(float(value), 2) for name, value in average_change.items()}
                    best = max(rounded.values())
                    \(Python.hooked("leaders", "sorted(name for name, value in rounded.items() if value == best)", dependsOn: ["average_change"]))
                    answer = {"unit": leaders[0], "average_change_percent": best}
                    submit(answer)
                    """),
        ]
        return TemplateInstance(
            templateID: id, version: version, parameters: reader.normalized, question: InferentialText.withKeys(question, schema),
            hint: "sort by unit and period, groupby(unit).pct_change(), then the mean per unit.", difficulty: .hard,
            outputSchema: schema, steps: steps,
            alternatives: "submit([{\"unit\": name, \"average_change_percent\": best} for name in leaders])")
    }
}

/// An hour-of-day or weekday profile: on which day of the week a measure is highest on average.
public struct WeekdayProfileTemplate: QuestionTemplate {
    public let id = "weekday_profile"
    public let version = "2"
    public let category = TemplateCategory.time

    public init() {}

    /// Every measure with the first day-date column (the check keeps daily data only).
    public func parameterSets(for profile: TableProfile) -> [JSONValue] {
        guard let date = AnalystColumns.dayDates(profile).first else { return [] }
        return InferentialColumns.measures(profile).map { measure in
            .object([("date_column", .string(date.column.name)), ("format", .string(date.format)), ("measure", .string(measure.name))])
        }
    }

    static let days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    public func instantiate(_ parameters: JSONValue) throws -> TemplateInstance {
        let reader = try TemplateParameters(parameters, templateID: id, keys: ["date_column", "format", "measure"])
        let dateColumn = try reader.string("date_column")
        let format = try reader.choice("format", ["%Y-%m-%d", "ISO8601"])
        let measure = try reader.string("measure")
        let parse = InferentialText.dateFormat(format)
        let (d, m) = (QuestionText.column(dateColumn), QuestionText.column(measure))
        let question = """
            On which day of the week is \(m) highest on average, and how far above the average over all \
            days is it? Read \(d) \(parse.prose) (values that do not parse are left out), leave out rows \
            where \(m) is missing, and average \(m) per weekday. Give the weekday's English name (Monday to \
            Sunday), its average and its average minus the overall average, both rounded to 3 decimal \
            places; if several tie, give the earliest in the week.
            """
        let schema: AnswerSchema = .object(fields: [
            .init(name: "weekday", schema: .string), .init(name: "mean", schema: .number(decimals: 3)),
            .init(name: "difference", schema: .number(decimals: 3)),
        ])
        let steps = [
            ProgramStep(
                reasoning: "We parse the dates and keep the rows with a date and a value.",
                code: """
                    dates = pd.to_datetime(\(Python.column(dateColumn)), format=\(parse.python), errors="coerce")
                    values = \(Python.column(measure)).astype(float)
                    ok = dates.notna() & values.notna()
                    \(Python.hooked("n_rows", "int(ok.sum())"))
                    """),
            ProgramStep(
                reasoning: "We average the values per weekday (0 = Monday) and compare with the overall mean.",
                code: """
                    \(Python.hooked("weekday_means", "values[ok].groupby(dates[ok].dt.dayofweek).mean()", dependsOn: ["n_rows"]))
                    \(Python.hooked("overall", "float(values[ok].mean())", dependsOn: ["n_rows"]))
                    """),
            ProgramStep(
                reasoning: "The weekday with the highest average; idxmax keeps the earliest in the week among ties.",
                code: """
                    names = \(Python.literal(Self.days))
                    \(Python.hooked("best", "int(weekday_means.idxmax())", dependsOn: ["weekday_means"]))
                    answer = {"weekday": names[best], "mean": round(float(weekday_means[best]), 3), "difference": round(float(weekday_means[best]) - overall, 3)}
                    submit(answer)
                    """),
        ]
        var instance = TemplateInstance(
            templateID: id, version: version, parameters: reader.normalized, question: InferentialText.withKeys(question, schema),
            hint: "dt.dayofweek (0 = Monday), groupby, mean, idxmax.", difficulty: .medium, outputSchema: schema, steps: steps,
            alternatives: """
                submit([{"weekday": names[int(day)], "mean": round(float(value), 3), "difference": round(float(value) - overall, 3)} for day, value in weekday_means.items() if round(float(value), 3) == answer["mean"]])
                """)
        instance.precondition = """
            _dates = pd.to_datetime(\(Python.column(dateColumn)), format=\(parse.python), errors="coerce").dropna()
            _per_day = _dates.dt.dayofweek.value_counts()
            _gaps = _dates.sort_values().diff().dt.days.dropna()
            if len(_per_day) < 7 or int(_per_day.min()) < 4:
                submit("not every weekday has at least 4 rows")
            elif float(_gaps.median()) > 1:
                submit("the data is not daily (median gap of more than one day): a weekday profile would compare sampling days")
            else:
                submit(None)
            """
        return instance
    }
}

/// Percent change of a measure's yearly average from the first to the last complete year.
public struct PeriodPercentChangeTemplate: QuestionTemplate {
    public let id = "percent_change_between_years"
    public let version = "1"
    public let category = TemplateCategory.time

    public init() {}

    /// Every measure with the first date column spanning at least three calendar years.
    public func parameterSets(for profile: TableProfile) -> [JSONValue] {
        guard let date = InferentialColumns.dateColumn(profile, minimumYears: 2) else { return [] }
        return InferentialColumns.measures(profile).map { measure in
            .object([("date_column", .string(date.column.name)), ("format", .string(date.format)), ("measure", .string(measure.name))])
        }
    }

    public func instantiate(_ parameters: JSONValue) throws -> TemplateInstance {
        let reader = try TemplateParameters(parameters, templateID: id, keys: ["date_column", "format", "measure"])
        let dateColumn = try reader.string("date_column")
        let format = try reader.choice("format", ["%Y-%m-%d", "ISO8601"])
        let measure = try reader.string("measure")
        let parse = InferentialText.dateFormat(format)
        let (d, m) = (QuestionText.column(dateColumn), QuestionText.column(measure))
        let question = """
            By what percentage did the yearly average of \(m) change from the first to the last complete \
            calendar year? Read \(d) \(parse.prose) (values that do not parse are left out); a year is \
            complete when its rows fall in as many different calendar months as the best-covered year of the \
            table. Average \(m) over each complete year (ignoring missing values) and report the first and \
            last complete year and 100 × (last average − first average) / first average, rounded to 2 \
            decimal places.
            """
        let schema: AnswerSchema = .object(fields: [
            .init(name: "first_year", schema: .integer), .init(name: "last_year", schema: .integer),
            .init(name: "percent_change", schema: .number(decimals: 2)),
        ])
        let steps = [
            ProgramStep(
                reasoning: "We parse the dates and find the complete years: those with as many distinct months as the best-covered year.",
                code: """
                    dates = pd.to_datetime(\(Python.column(dateColumn)), format=\(parse.python), errors="coerce")
                    months_per_year = dates.dt.month.groupby(dates.dt.year).nunique()
                    \(Python.hooked("complete_years", "sorted(int(year) for year, months in months_per_year.items() if months == months_per_year.max())"))
                    """),
            ProgramStep(
                reasoning: "We average \(measure) within each complete year.",
                code: """
                    years = dates.dt.year.where(dates.dt.year.isin(complete_years)).astype("Int64")
                    \(Python.hooked("yearly_means", "\(Python.column(measure)).astype(float).groupby(years).mean().dropna()", dependsOn: ["complete_years"]))
                    """),
            ProgramStep(
                reasoning: "The percent change compares the last complete year with the first.",
                code: """
                    first_year, last_year = int(yearly_means.index.min()), int(yearly_means.index.max())
                    \(Python.hooked("percent_change", "100 * (float(yearly_means[last_year]) - float(yearly_means[first_year])) / float(yearly_means[first_year])", dependsOn: ["yearly_means"]))
                    answer = {"first_year": first_year, "last_year": last_year, "percent_change": round(percent_change, 2)}
                    submit(answer)
                    """),
        ]
        var instance = TemplateInstance(
            templateID: id, version: version, parameters: reader.normalized, question: InferentialText.withKeys(question, schema),
            hint: "Group by dt.year over the complete years, then compare the last mean with the first.", difficulty: .medium,
            outputSchema: schema, steps: steps, alternatives: nil)
        instance.precondition = """
            \(ValidityChecks.completeYears(dateColumn: dateColumn, format: format, measure: measure))
            _means = _values.groupby(_dates.dt.year).mean()
            if len(_complete) < 2:
                submit("fewer than two complete calendar years")
            elif float(_means[_complete[0]]) <= 0:
                submit("the first year's average is not positive, so a percentage change means nothing")
            else:
                submit(None)
            """
        return instance
    }
}

/// Conditional shares from a cross-tab: among the rows with one category value, the share that
/// has a value of another category.
public struct ConditionalShareTemplate: QuestionTemplate {
    public let id = "conditional_share"
    public let version = "1"
    public let category = TemplateCategory.grouping

    public init() {}

    /// For each ordered pair of text categories: the most common value of the first as the
    /// condition, each of the two most common values of the second as the outcome.
    public func parameterSets(for profile: TableProfile) -> [JSONValue] {
        let categories = AnalystColumns.crossTabCategories(profile)
        var sets: [JSONValue] = []
        for given in categories {
            for target in categories where target.name != given.name {
                guard let condition = given.topValues?.first?.value else { continue }
                for outcome in (target.topValues ?? []).prefix(2) {
                    sets.append(.object([
                        ("given_column", .string(given.name)), ("given_value", .string(condition)),
                        ("target_column", .string(target.name)), ("target_value", .string(outcome.value)),
                    ]))
                }
            }
        }
        return sets
    }

    public func instantiate(_ parameters: JSONValue) throws -> TemplateInstance {
        let reader = try TemplateParameters(parameters, templateID: id, keys: ["given_column", "given_value", "target_column", "target_value"])
        let given = try reader.string("given_column")
        let condition = try reader.string("given_value")
        let target = try reader.string("target_column")
        let outcome = try reader.string("target_value")
        try reader.requireDistinct(given, target, keys: ("given_column", "target_column"))
        let (g, t) = (QuestionText.column(given), QuestionText.column(target))
        let question = """
            Among the rows whose \(g) is "\(condition)" and whose \(t) is present, what percentage have \
            \(t) equal to "\(outcome)"? Give the number of such rows, the number among them with \
            "\(outcome)", and the percentage rounded to 2 decimal places.
            """
        let schema: AnswerSchema = .object(fields: [
            .init(name: "rows", schema: .integer), .init(name: "matching", schema: .integer),
            .init(name: "percent", schema: .number(decimals: 2)),
        ])
        let steps = [
            ProgramStep(
                reasoning: "We cross-tabulate the two columns over the rows where both are present.",
                code: """
                    pairs = df[[\(Python.literal(given)), \(Python.literal(target))]].dropna().astype(str)
                    \(Python.hooked("table", "pd.crosstab(pairs[\(Python.literal(given))], pairs[\(Python.literal(target))])"))
                    """),
            ProgramStep(
                reasoning: "The share is the cell count divided by its row total, as a percentage.",
                code: """
                    row = table.loc[\(Python.literal(condition))]
                    \(Python.hooked("row_total", "int(row.sum())", dependsOn: ["table"]))
                    \(Python.hooked("matching", "int(row.get(\(Python.literal(outcome)), 0))", dependsOn: ["table"]))
                    answer = {"rows": row_total, "matching": matching, "percent": round(100 * matching / row_total, 2)}
                    submit(answer)
                    """),
        ]
        return TemplateInstance(
            templateID: id, version: version, parameters: reader.normalized, question: InferentialText.withKeys(question, schema),
            hint: "pd.crosstab, then one cell divided by its row total.", difficulty: .easy, outputSchema: schema,
            steps: steps, alternatives: nil)
    }
}

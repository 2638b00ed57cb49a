import Foundation

/// A derived per-row column: one measure per unit of another (invest per unit of capital), its
/// median and mean.
public struct RatioTemplate: QuestionTemplate {
    public let id = "ratio_per_unit"
    public let version = "1"
    public let category = TemplateCategory.descriptive

    public init() {}

    /// Each strictly positive measure over the next one (table order, wrapping around).
    public func parameterSets(for profile: TableProfile) -> [JSONValue] {
        let measures = AnalystColumns.positiveMeasures(profile)
        guard measures.count >= 2 else { return [] }
        return measures.indices.compactMap { index in
            let numerator = measures[index], denominator = measures[(index + 1) % measures.count]
            guard let top = numerator.numeric, let bottom = denominator.numeric else { return nil }
            let decimals = InferentialColumns.decimals(forScale: top.median / bottom.median, minimum: 2)
            return .object([("numerator", .string(numerator.name)), ("denominator", .string(denominator.name)), ("decimals", .int(Int64(decimals)))])
        }
    }

    public func instantiate(_ parameters: JSONValue) throws -> TemplateInstance {
        let reader = try TemplateParameters(parameters, templateID: id, keys: ["numerator", "denominator", "decimals"])
        let numerator = try reader.string("numerator")
        let denominator = try reader.string("denominator")
        let decimals = try reader.integer("decimals", in: 0...10)
        try reader.requireDistinct(numerator, denominator, keys: ("numerator", "denominator"))
        let (a, b) = (QuestionText.column(numerator), QuestionText.column(denominator))
        let question = """
            Express \(a) per unit of \(b): for every row where both are present and \(b) is not 0, divide \
            \(a) by \(b). What are the median and the mean of that ratio, and over how many rows? Round \
            the median and the mean to \(QuestionText.decimals(decimals)).
            """
        let schema: AnswerSchema = .object(fields: [
            .init(name: "median", schema: .number(decimals: decimals)), .init(name: "mean", schema: .number(decimals: decimals)),
            .init(name: "count", schema: .integer),
        ])
        let steps = [
            ProgramStep(
                reasoning: "We keep the rows where both columns are present and the denominator is not zero.",
                code: """
                    pairs = df[[\(Python.literal(numerator)), \(Python.literal(denominator))]].dropna().astype(float)
                    pairs = pairs[pairs[\(Python.literal(denominator))] != 0]
                    \(Python.hooked("n_rows", "len(pairs)"))
                    """),
            ProgramStep(
                reasoning: "The ratio is computed row by row, then summarised by its median and mean.",
                code: """
                    \(Python.hooked("ratio", "pairs[\(Python.literal(numerator))] / pairs[\(Python.literal(denominator))]", dependsOn: ["n_rows"]))
                    answer = {"median": round(float(ratio.median()), \(decimals)), "mean": round(float(ratio.mean()), \(decimals)), "count": n_rows}
                    submit(answer)
                    """),
        ]
        return TemplateInstance(
            templateID: id, version: version, parameters: reader.normalized, question: InferentialText.withKeys(question, schema),
            hint: "A new column numerator / denominator on the complete rows.", difficulty: .easy, outputSchema: schema,
            steps: steps, alternatives: nil)
    }
}

/// An upper or lower percentile of a measure and how many rows lie beyond it.
public struct PercentileTemplate: QuestionTemplate {
    public let id = "percentile_value"
    public let version = "1"
    public let category = TemplateCategory.descriptive

    public init() {}

    /// Every measure, at the 90th percentile, then at the 10th.
    public func parameterSets(for profile: TableProfile) -> [JSONValue] {
        [90, 10].flatMap { percentile in
            DescriptiveColumns.measures(profile).filter { profile.rows - $0.missing >= 20 }.compactMap { column in
                column.numeric.map { numeric -> JSONValue in
                    .object([("column", .string(column.name)), ("percentile", .int(Int64(percentile))), ("decimals", .int(Int64(DescriptiveColumns.decimals(for: numeric))))])
                }
            }
        }
    }

    public func instantiate(_ parameters: JSONValue) throws -> TemplateInstance {
        let reader = try TemplateParameters(parameters, templateID: id, keys: ["column", "percentile", "decimals"])
        let column = try reader.string("column")
        let percentile = try reader.integer("percentile", in: 1...99)
        let decimals = try reader.integer("decimals", in: 0...8)
        let name = QuestionText.column(column)
        let upper = percentile >= 50
        let question = """
            What is the \(percentile)th percentile of \(name), and how many values lie strictly \
            \(upper ? "above" : "below") it? Leave out missing values and take the percentile by linear \
            interpolation between the sorted values (the p-th quantile sits at position p × (n − 1), \
            counting from 0). Round the percentile to \(QuestionText.decimals(decimals)).
            """
        let schema: AnswerSchema = .object(fields: [.init(name: "percentile", schema: .number(decimals: decimals)), .init(name: "count", schema: .integer)])
        let steps = [
            ProgramStep(
                reasoning: "We take the non-missing values of \(column) and their \(percentile)th percentile with linear interpolation.",
                code: """
                    values = \(Python.column(column)).dropna().astype(float)
                    \(Python.hooked("cut", "float(values.quantile(\(Double(percentile) / 100)))"))
                    """),
            ProgramStep(
                reasoning: "Then we count the values strictly \(upper ? "above" : "below") that percentile.",
                code: """
                    \(Python.hooked("beyond", "int((values \(upper ? ">" : "<") cut).sum())", dependsOn: ["cut"]))
                    answer = {"percentile": round(cut, \(decimals)), "count": beyond}
                    submit(answer)
                    """),
        ]
        return TemplateInstance(
            templateID: id, version: version, parameters: reader.normalized, question: InferentialText.withKeys(question, schema),
            hint: nil, difficulty: .easy, outputSchema: schema, steps: steps, alternatives: nil)
    }
}

/// Spearman's rank correlation of two measures, for data where a few large values would
/// dominate Pearson's.
public struct RankCorrelationTemplate: QuestionTemplate {
    public let id = "rank_correlation"
    public let version = "1"
    public let category = TemplateCategory.correlation

    public init() {}

    /// Pairs of measures of which at least one is right-skewed.
    public func parameterSets(for profile: TableProfile) -> [JSONValue] {
        let skewed = Set(AnalystColumns.rightSkewed(profile).map(\.name))
        return DescriptiveColumns.pairs(DescriptiveColumns.measures(profile)).compactMap { first, second in
            guard skewed.contains(first.name) || skewed.contains(second.name) else { return nil }
            return .object([("first_column", .string(first.name)), ("second_column", .string(second.name))])
        }
    }

    public func instantiate(_ parameters: JSONValue) throws -> TemplateInstance {
        let reader = try TemplateParameters(parameters, templateID: id, keys: ["first_column", "second_column"])
        let first = try reader.string("first_column")
        let second = try reader.string("second_column")
        try reader.requireDistinct(first, second, keys: ("first_column", "second_column"))
        let question = """
            How strongly do \(QuestionText.column(first)) and \(QuestionText.column(second)) move together \
            in rank, whatever the shape of the relation? Compute Spearman's rank correlation (average ranks \
            for ties) over the rows where both are present, rounded to 4 decimal places, and give the number \
            of rows it uses.
            """
        let schema: AnswerSchema = .object(fields: [.init(name: "rho", schema: .number(decimals: 4)), .init(name: "count", schema: .integer)])
        let steps = [
            ProgramStep(
                reasoning: "We keep the rows where both columns are present.",
                code: """
                    pairs = df[[\(Python.literal(first)), \(Python.literal(second))]].dropna().astype(float)
                    \(Python.hooked("n_rows", "len(pairs)"))
                    """),
            ProgramStep(
                reasoning: "Spearman's rho is the Pearson correlation of the ranks (ties get their average rank).",
                code: """
                    \(Python.hooked("rho", "float(pairs.rank().corr().iloc[0, 1])", dependsOn: ["n_rows"]))
                    answer = {"rho": round(rho, 4), "count": n_rows}
                    submit(answer)
                    """),
        ]
        return TemplateInstance(
            templateID: id, version: version, parameters: reader.normalized, question: InferentialText.withKeys(question, schema),
            hint: "DataFrame.corr(method=\"spearman\") on the complete rows.", difficulty: .medium, outputSchema: schema,
            steps: steps, alternatives: nil)
    }
}

/// A power-law fit for skewed positive data: the least-squares line of log y on log x, whose
/// slope is the elasticity (the % change in y per 1% change in x).
public struct LogLogFitTemplate: QuestionTemplate {
    public let id = "log_log_fit"
    public let version = "1"
    public let category = TemplateCategory.regression

    public init() {}

    /// Pairs of strictly positive measures of which at least one is right-skewed.
    public func parameterSets(for profile: TableProfile) -> [JSONValue] {
        let positive = AnalystColumns.positiveMeasures(profile)
        let skewed = Set(AnalystColumns.rightSkewed(profile).map(\.name))
        return DescriptiveColumns.pairs(positive).compactMap { predictor, response in
            guard skewed.contains(predictor.name) || skewed.contains(response.name) else { return nil }
            return .object([("response", .string(response.name)), ("predictor", .string(predictor.name))])
        }
    }

    public func instantiate(_ parameters: JSONValue) throws -> TemplateInstance {
        let reader = try TemplateParameters(parameters, templateID: id, keys: ["response", "predictor"])
        let response = try reader.string("response")
        let predictor = try reader.string("predictor")
        try reader.requireDistinct(response, predictor, keys: ("response", "predictor"))
        let (y, x) = (QuestionText.column(response), QuestionText.column(predictor))
        let question = """
            How does \(y) scale with \(x) as a power law? Fit an ordinary least-squares line of the natural \
            logarithm of \(y) on the natural logarithm of \(x) (with an intercept) over the rows where both \
            are present and positive. Report the slope (the elasticity: the percentage change in \(y) for a \
            1% change in \(x)), the intercept and the R² of the fit, each rounded to 4 decimal places.
            """
        let schema: AnswerSchema = .object(fields: [
            .init(name: "slope", schema: .number(decimals: 4)), .init(name: "intercept", schema: .number(decimals: 4)),
            .init(name: "r_squared", schema: .number(decimals: 4)),
        ])
        let steps = [
            ProgramStep(
                reasoning: "We keep the rows where both are present and positive, and take natural logarithms.",
                code: """
                    pairs = df[[\(Python.literal(predictor)), \(Python.literal(response))]].dropna().astype(float)
                    pairs = np.log(pairs[(pairs > 0).all(axis=1)])
                    \(Python.hooked("n_rows", "len(pairs)"))
                    """),
            ProgramStep(
                reasoning: "A straight line on the log scale is a power law; its slope is the elasticity.",
                code: """
                    fit = stats.linregress(pairs[\(Python.literal(predictor))], pairs[\(Python.literal(response))])
                    \(Python.hooked("slope", "float(fit.slope)", dependsOn: ["n_rows"]))
                    \(Python.hooked("r_squared", "float(fit.rvalue) ** 2", dependsOn: ["n_rows"]))
                    answer = {"slope": round(slope, 4), "intercept": round(float(fit.intercept), 4), "r_squared": round(r_squared, 4)}
                    submit(answer)
                    """),
        ]
        return TemplateInstance(
            templateID: id, version: version, parameters: reader.normalized, question: InferentialText.withKeys(question, schema),
            hint: "np.log of both columns, then scipy.stats.linregress.", difficulty: .medium, outputSchema: schema,
            steps: steps, alternatives: nil)
    }
}

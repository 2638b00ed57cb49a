/// How many values of a measure lie more than three standard deviations from its mean, and the
/// largest distance in standard deviations.
public struct ZScoreOutliersTemplate: QuestionTemplate {
    public let id = "z_score_outliers"
    public let version = "1"
    public let category = TemplateCategory.outliers

    public init() {}

    /// The first three measures in table order, a cut-off of 3 and 3 decimals.
    public func parameterSets(for profile: TableProfile) -> [JSONValue] {
        DescriptiveColumns.measures(profile).map {
            Self.parameters(column: $0.name, cutoff: 3, decimals: 3)
        }
    }

    /// The largest |z| follows from the profile's minimum, maximum, mean and sd: a question whose
    /// count is 0 is not asked.
    public func screen(_ parameters: JSONValue, profile: TableProfile) -> String? {
        guard let column = DescriptiveColumns.text(parameters["column"]), let numeric = profile[column]?.numeric, numeric.std > 0,
              let cutoff = parameters["cutoff"].flatMap(DegenerateAnswer.number) else { return nil }
        let largest = max(numeric.max - numeric.mean, numeric.mean - numeric.min) / numeric.std
        return largest <= cutoff ? "no value of '\(column)' is more than \(QuestionText.number(cutoff)) sd from the mean (largest |z| \(String(format: "%.2f", largest)))" : nil
    }

    static func parameters(column: String, cutoff: Double, decimals: Int) -> JSONValue {
        .object([("column", .string(column)), ("cutoff", .double(cutoff)), ("decimals", .int(Int64(decimals)))])
    }

    public func instantiate(_ parameters: JSONValue) throws -> TemplateInstance {
        let reader = try TemplateParameters(parameters, templateID: id, keys: ["column", "cutoff", "decimals"])
        let column = try reader.string("column")
        let cutoff = try reader.number("cutoff")
        let decimals = try reader.integer("decimals", in: 0...8)
        guard cutoff > 0 else {
            throw TemplateError(templateID: id, message: "parameter 'cutoff' must be positive; found \(cutoff)")
        }
        let values = Python.column(column)
        let name = QuestionText.column(column)
        let limit = QuestionText.number(cutoff)
        let question = """
            Standardise \(name) by subtracting its mean and dividing by its sample standard deviation (with \
            n − 1 in the denominator), leaving out missing values. How many values end up more than \(limit) \
            in absolute value (strictly), and what is the largest absolute standardised value? Round the \
            largest to \(QuestionText.decimals(decimals)). Answer with an object with the keys "count" and \
            "largest".
            """
        let steps = [
            ProgramStep(
                reasoning: "We need the mean and the sample standard deviation (ddof = 1) of \(name), skipping missing values.",
                code: [
                    Python.hooked("column_mean", "float(\(values).mean())", description: "mean of \(column)"),
                    Python.hooked("column_std", "float(\(values).std(ddof=1))", description: "sample standard deviation of \(column)"),
                    "print(column_mean, column_std)",
                ].joined(separator: "\n")),
            ProgramStep(
                reasoning: "With them we standardise every value and look at the absolute scores; missing values stay missing and are never counted.",
                code: [
                    "abs_scores = ((\(values) - column_mean) / column_std).abs()",
                    Python.hooked("beyond_count", "int((abs_scores > \(limit)).sum())", description: "values more than \(limit) standard deviations from the mean", dependsOn: ["column_mean", "column_std"]),
                    Python.hooked("largest_score", "float(abs_scores.max())", description: "largest absolute standardised value", dependsOn: ["column_mean", "column_std"]),
                    "print(beyond_count, largest_score)",
                ].joined(separator: "\n")),
            ProgramStep(
                reasoning: "We round the largest score to \(QuestionText.decimals(decimals)) and submit it with the count.",
                code: """
                    answer = {"count": beyond_count, "largest": round(largest_score, \(decimals))}
                    print(answer)
                    submit(answer)
                    """),
        ]
        return TemplateInstance(
            templateID: id, version: version, parameters: Self.parameters(column: column, cutoff: cutoff, decimals: decimals),
            question: question, hint: nil, difficulty: .medium,
            outputSchema: .object(fields: [.init(name: "count", schema: .integer), .init(name: "largest", schema: .number(decimals: decimals))]),
            steps: steps, alternatives: nil)
    }
}

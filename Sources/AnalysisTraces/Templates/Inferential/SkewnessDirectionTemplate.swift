/// Which way is a measure skewed? The bias-adjusted sample skewness and its sign.
public struct SkewnessDirectionTemplate: QuestionTemplate {
    public let id = "skewness_direction"
    public let version = "1"
    public let category = TemplateCategory.distribution

    public init() {}

    /// The first three measures in table order.
    public func parameterSets(for profile: TableProfile) -> [JSONValue] {
        InferentialColumns.measures(profile).prefix(3).map { .object([("measure", .string($0.name))]) }
    }

    public func instantiate(_ parameters: JSONValue) throws -> TemplateInstance {
        let reader = try TemplateParameters(parameters, templateID: id, keys: ["measure"])
        let parameters = reader.normalized
        let measure = try reader.string("measure")
        let name = InferentialText.column(measure)

        let question = """
            Is the distribution of \(name) skewed, and in which direction? Over its non-missing values, \
            compute the bias-adjusted sample skewness (the adjusted Fisher–Pearson coefficient, which is \
            what pandas' skew gives) rounded to 3 decimal places, and call the direction "right" when the \
            rounded skewness is positive, "left" when it is negative and "none" when it rounds to zero.
            """
        let steps = [
            ProgramStep(
                reasoning: "We keep the non-missing values of \(measure) and note how many there are and where their centre lies.",
                code: """
                    values = \(Python.column(measure)).dropna().astype(float)
                    \(Python.hooked("n_values", "int(values.size)"))
                    \(Python.hooked("mean", "float(values.mean())"))
                    \(Python.hooked("median", "float(values.median())"))
                    """),
            ProgramStep(
                reasoning: "The adjusted skewness measures the asymmetry of the values around their mean, corrected for sample size.",
                code: Python.hooked("skewness", "round(float(values.skew()), 3)", dependsOn: ["n_values", "mean"])),
            ProgramStep(
                reasoning: "A positive skewness means a longer tail to the right (the mean is pulled above the median); a negative one, to the left.",
                code: """
                    \(Python.hooked("direction", "\"right\" if skewness > 0 else (\"left\" if skewness < 0 else \"none\")", dependsOn: ["skewness"]))
                    answer = {"skewness": skewness, "direction": direction}
                    submit(answer)
                    """),
        ]
        let schema: AnswerSchema = .object(fields: [
            .init(name: "skewness", schema: .number(decimals: 3)),
            .init(name: "direction", schema: .string),
        ])
        return TemplateInstance(
            templateID: id, version: version, parameters: parameters, question: InferentialText.withKeys(question, schema),
            hint: "pandas Series.skew() on the non-missing values.",
            difficulty: .easy,
            outputSchema: schema,
            steps: steps, alternatives: nil)
    }
}

/// Which way is a measure skewed? The bias-adjusted sample skewness and its sign.
public struct SkewnessDirectionTemplate: QuestionTemplate {
    public let id = "skewness_direction"
    public let version = "2"
    public let category = TemplateCategory.distribution

    public init() {}

    /// Every measure in table order.
    public func parameterSets(for profile: TableProfile) -> [JSONValue] {
        InferentialColumns.measures(profile).map { .object([("measure", .string($0.name))]) }
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
            rounded skewness is above 0.5, "left" when it is below −0.5, and "none" (roughly symmetric) when \
            it lies from −0.5 to 0.5.
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
                reasoning: "A skewness above 0.5 means a clearly longer tail to the right (the mean pulled above the median), below -0.5 to the left; in between we call the distribution roughly symmetric.",
                code: """
                    \(Python.hooked("direction", "\"right\" if skewness > 0.5 else (\"left\" if skewness < -0.5 else \"none\")", dependsOn: ["skewness"]))
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
            steps: steps,
            // A skewness at the edge of the band may round either way for a slightly different computation.
            alternatives: """
                _edge = abs(abs(skewness) - 0.5) <= 0.001
                submit([answer] + ([{"skewness": skewness, "direction": other} for other in ("right" if skewness > 0 else "left", "none") if other != direction] if _edge else []))
                """)
    }
}

/// Is a measure normally distributed? Shapiro–Wilk on every non-missing value at a stated alpha.
public struct NormalityTestTemplate: QuestionTemplate {
    public let id = "normality_test"
    public let version = "1"
    public let category = TemplateCategory.distribution

    public init() {}

    /// Shapiro–Wilk is meant for 3 to 5000 values; every measure in table order.
    public func parameterSets(for profile: TableProfile) -> [JSONValue] {
        InferentialColumns.measures(profile)
            .filter { profile.rows - $0.missing <= 5000 }
            .map { .object([("measure", .string($0.name)), ("alpha", .double(0.05))]) }
    }

    public func instantiate(_ parameters: JSONValue) throws -> TemplateInstance {
        let reader = try TemplateParameters(parameters, templateID: id, keys: ["measure", "alpha"])
        let parameters = reader.normalized
        let measure = try reader.string("measure")
        let alpha = try reader.number("alpha", in: 0.0001...0.5)
        let alphaText = InferentialText.pythonFloat(alpha)
        let name = InferentialText.column(measure)

        let question = """
            Could the values of \(name) have come from a normal distribution? Run a Shapiro–Wilk test on \
            all of its non-missing values (no sampling) at alpha = \(alphaText). Give the test statistic \
            rounded to 4 decimal places and the p-value rounded to 4 decimal places, and say whether the values are \
            consistent with normality, meaning the unrounded p-value is at least \(alphaText).
            """
        let steps = [
            ProgramStep(
                reasoning: "We set the significance level and keep only the non-missing values of \(measure), as numbers.",
                code: """
                    alpha = \(alphaText)
                    values = \(Python.column(measure)).dropna().astype(float)
                    \(Python.hooked("n_values", "int(values.size)"))
                    """),
            ProgramStep(
                reasoning: "The Shapiro–Wilk test compares the sorted values with normal order statistics; we record its W statistic and p-value.",
                code: """
                    result = stats.shapiro(values)
                    \(Python.hooked("statistic", "float(result.statistic)", dependsOn: ["n_values"]))
                    \(Python.hooked("p_value", "float(result.pvalue)", dependsOn: ["n_values"]))
                    """),
            ProgramStep(
                reasoning: "Normality is rejected only when the p-value falls below alpha; otherwise the values are consistent with a normal distribution.",
                code: """
                    \(Python.hooked("normal", "bool(p_value >= alpha)", dependsOn: ["p_value"]))
                    answer = {"statistic": round(statistic, 4), "p_value": round(p_value, 4), "normal": normal}
                    submit(answer)
                    """),
        ]
        let alternatives = """
            readings = [answer]
            if abs(p_value - alpha) <= 0.0001:
                readings.append({**answer, "normal": not normal})
            submit(readings)
            """
        let schema: AnswerSchema = .object(fields: [
            .init(name: "statistic", schema: .number(decimals: 4)),
            .init(name: "p_value", schema: .number(decimals: 4)),
            .init(name: "normal", schema: .boolean),
        ])
        return TemplateInstance(
            templateID: id, version: version, parameters: parameters, question: InferentialText.withKeys(question, schema),
            hint: "scipy.stats.shapiro on the non-missing values; compare the p-value with alpha.",
            difficulty: .medium,
            outputSchema: schema,
            steps: steps, alternatives: alternatives)
    }
}

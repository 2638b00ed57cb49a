/// Does a measure's mean differ between two groups? Welch's two-sided t-test at a stated alpha.
public struct WelchTestTemplate: QuestionTemplate {
    public let id = "two_group_mean_test"
    public let version = "1"
    public let category = TemplateCategory.twoGroups

    public init() {}

    /// The two values of a binary category (or the two most common values of another category),
    /// times every measure.
    public func parameterSets(for profile: TableProfile) -> [JSONValue] {
        InferentialColumns.twoGroupParameterSets(profile)
    }

    public func instantiate(_ parameters: JSONValue) throws -> TemplateInstance {
        let reader = try TemplateParameters(parameters, templateID: id, keys: ["measure", "group_column", "groups", "alpha"])
        let parameters = reader.normalized
        let measure = try reader.string("measure")
        let groupColumn = try reader.string("group_column")
        let groups = try reader.labels("groups", count: 2)
        let alpha = try reader.number("alpha", in: 0.0001...0.5)
        let alphaText = InferentialText.pythonFloat(alpha)
        let (first, second) = (groups[0], groups[1])
        let firstText = InferentialText.prose(first), secondText = InferentialText.prose(second)

        let question = """
            Does the average \(InferentialText.column(measure)) differ between rows whose \
            \(InferentialText.column(groupColumn)) is \(firstText) and rows whose \
            \(InferentialText.column(groupColumn)) is \(secondText)? Use only rows where both columns are \
            present and run Welch's two-sided t-test (unequal variances) at alpha = \(alphaText). Report the \
            difference in means (\(firstText) minus \(secondText)) rounded to 3 decimal places, the t statistic \
            with the same order rounded to 3 decimal places, and the p-value; \(InferentialText.significanceRule(alpha: alpha)).
            """
        let column = Python.column(groupColumn, of: "data")
        let steps = [
            ProgramStep(
                reasoning: "We keep the rows of the two groups that have both the group label and a value of \(measure).",
                code: """
                    alpha = \(alphaText)
                    data = df.loc[\(Python.column(groupColumn)).isin([\(InferentialText.python(first)), \(InferentialText.python(second))]), \(Python.literal([groupColumn, measure]))].dropna()
                    \(Python.hooked("n_rows", "len(data)"))
                    """),
            ProgramStep(
                reasoning: "We split the values by group and look at each group's size and mean.",
                code: """
                    first = data.loc[\(column) == \(InferentialText.python(first)), \(Python.literal(measure))].astype(float)
                    second = data.loc[\(column) == \(InferentialText.python(second)), \(Python.literal(measure))].astype(float)
                    \(Python.hooked("group_sizes", "[int(first.size), int(second.size)]", dependsOn: ["n_rows"]))
                    \(Python.hooked("first_mean", "float(first.mean())", dependsOn: ["group_sizes"]))
                    \(Python.hooked("second_mean", "float(second.mean())", dependsOn: ["group_sizes"]))
                    \(Python.hooked("mean_difference", "first_mean - second_mean", dependsOn: ["first_mean", "second_mean"]))
                    """),
            ProgramStep(
                reasoning: "Welch's t-test does not assume equal variances; we run it two-sided with the first group first, so the sign of t matches the difference.",
                code: """
                    result = stats.ttest_ind(first, second, equal_var=False, alternative="two-sided")
                    \(Python.hooked("statistic", "float(result.statistic)", dependsOn: ["group_sizes"]))
                    \(Python.hooked("p_value", "float(result.pvalue)", dependsOn: ["group_sizes"]))
                    """),
            ProgramStep(
                reasoning: "The difference is significant when the p-value is below alpha; we round as the question asks.",
                code: """
                    \(Python.hooked("significant", "bool(p_value < alpha)", dependsOn: ["p_value"]))
                    answer = {"mean_difference": round(mean_difference, 3), "statistic": round(statistic, 3), "p_value": round(p_value, 4), "significant": significant}
                    submit(answer)
                    """),
        ]
        let schema: AnswerSchema = .object(fields: [
            .init(name: "mean_difference", schema: .number(decimals: 3)),
            .init(name: "statistic", schema: .number(decimals: 3)),
            .init(name: "p_value", schema: .number(decimals: 4)),
            .init(name: "significant", schema: .boolean),
        ])
        return TemplateInstance(
            templateID: id, version: version, parameters: parameters, question: InferentialText.withKeys(question, schema),
            hint: "scipy.stats.ttest_ind(first, second, equal_var=False) on the two groups' non-missing values.",
            difficulty: .medium,
            outputSchema: schema,
            steps: steps, alternatives: InferentialText.fragileSignificance())
    }
}

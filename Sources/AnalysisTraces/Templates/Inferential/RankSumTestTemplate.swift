/// Do two groups' values of a measure differ in location? The Mann–Whitney U test, two-sided,
/// normal approximation with continuity and tie correction.
public struct RankSumTestTemplate: QuestionTemplate {
    public let id = "two_group_rank_test"
    public let version = "2"
    public let category = TemplateCategory.twoGroups

    public init() {}

    /// The same group and measure choices as the two-group mean test; at most three sets.
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
            Without assuming normality, do the values of \(InferentialText.column(measure)) tend to differ \
            between rows whose \(InferentialText.column(groupColumn)) is \(firstText) and rows whose \
            \(InferentialText.column(groupColumn)) is \(secondText)? Using rows where both columns are \
            present, run a two-sided Mann–Whitney U test with the normal approximation (tie correction and \
            continuity correction) at alpha = \(alphaText). Report U for the \(firstText) group (the number of \
            (\(firstText), \(secondText)) pairs in which the \(firstText) value is larger, ties counting one \
            half) rounded to 1 decimal place, the p-value, and the effect size as the rank-biserial \
            correlation 2U / (n₁ × n₂) − 1 (n₁ and n₂ the two groups' sizes; positive when \(firstText) values \
            tend to be larger) rounded to 4 decimal places; \(InferentialText.significanceRule(alpha: alpha)).
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
                reasoning: "We split the values by group; the test compares ranks, so we also look at each group's median.",
                code: """
                    first = data.loc[\(column) == \(InferentialText.python(first)), \(Python.literal(measure))].astype(float)
                    second = data.loc[\(column) == \(InferentialText.python(second)), \(Python.literal(measure))].astype(float)
                    \(Python.hooked("group_sizes", "[int(first.size), int(second.size)]", dependsOn: ["n_rows"]))
                    \(Python.hooked("first_median", "float(first.median())", dependsOn: ["group_sizes"]))
                    \(Python.hooked("second_median", "float(second.median())", dependsOn: ["group_sizes"]))
                    """),
            ProgramStep(
                reasoning: "The Mann–Whitney U test, two-sided, with the normal approximation and continuity correction; U is counted for the first group.",
                code: """
                    result = stats.mannwhitneyu(first, second, alternative="two-sided", method="asymptotic", use_continuity=True)
                    \(Python.hooked("statistic", "float(result.statistic)", dependsOn: ["group_sizes"]))
                    \(Python.hooked("p_value", "float(result.pvalue)", dependsOn: ["group_sizes"]))
                    """),
            ProgramStep(
                reasoning: "The groups differ significantly when the p-value is below alpha; we round as the question asks.",
                code: """
                    \(Python.hooked("significant", "bool(p_value < alpha)", dependsOn: ["p_value"]))
                    \(Python.hooked("rank_biserial", "2 * statistic / (first.size * second.size) - 1", dependsOn: ["statistic", "group_sizes"]))
                    answer = {"statistic": round(statistic, 1), "p_value": round(p_value, 4), "significant": significant, "rank_biserial": round(rank_biserial, 4)}
                    submit(answer)
                    """),
        ]
        let schema: AnswerSchema = .object(fields: [
            .init(name: "statistic", schema: .number(decimals: 1)),
            .init(name: "p_value", schema: .number(decimals: 4)),
            .init(name: "significant", schema: .boolean),
            .init(name: "rank_biserial", schema: .number(decimals: 4)),
        ])
        return TemplateInstance(
            templateID: id, version: version, parameters: parameters, question: InferentialText.withKeys(question, schema),
            hint: "scipy.stats.mannwhitneyu(first, second, alternative='two-sided', method='asymptotic').",
            difficulty: .hard,
            outputSchema: schema,
            steps: steps, alternatives: InferentialText.fragileSignificance())
    }
}

/// Do a measure's means differ across all groups of a category? One-way ANOVA at a stated alpha.
public struct OneWayAnovaTemplate: QuestionTemplate {
    public let id = "multi_group_mean_test"
    public let version = "2"
    public let category = TemplateCategory.multiGroup

    public init() {}

    /// Categories with 3 to 10 groups of at least 5 rows, times every measure.
    public func parameterSets(for profile: TableProfile) -> [JSONValue] {
        var sets: [JSONValue] = []
        for grouping in InferentialColumns.groupings(profile, groupCount: 3...10, minimumSize: 5) {
            for measure in InferentialColumns.measures(profile) {
                sets.append(.object([
                    ("measure", .string(measure.name)),
                    ("group_column", .string(grouping.column.name)),
                    ("alpha", .double(0.05)),
                ]))
            }
        }
        return sets
    }

    public func instantiate(_ parameters: JSONValue) throws -> TemplateInstance {
        let reader = try TemplateParameters(parameters, templateID: id, keys: ["measure", "group_column", "alpha"])
        let parameters = reader.normalized
        let measure = try reader.string("measure")
        let groupColumn = try reader.string("group_column")
        let alpha = try reader.number("alpha", in: 0.0001...0.5)
        let alphaText = InferentialText.pythonFloat(alpha)

        let question = """
            Does the average \(InferentialText.column(measure)) differ across the groups of \
            \(InferentialText.column(groupColumn))? Using rows where both columns are present and every \
            group that appears, run a one-way analysis of variance at alpha = \(alphaText). Report the F \
            statistic rounded to 3 decimal places, the number of groups compared, the p-value, and the \
            effect size eta squared (the between-group sum of squares divided by the total sum of squares) \
            rounded to 4 decimal places; \
            \(InferentialText.significanceRule(alpha: alpha)).
            """
        let steps = [
            ProgramStep(
                reasoning: "We keep the rows that have both a group label and a value of \(measure).",
                code: """
                    alpha = \(alphaText)
                    data = df[\(Python.literal([groupColumn, measure]))].dropna()
                    \(Python.hooked("n_rows", "len(data)"))
                    """),
            ProgramStep(
                reasoning: "We look at each group's mean to see how far apart they are before testing.",
                code: Python.hooked("group_means", "data.groupby(\(Python.literal(groupColumn)))[\(Python.literal(measure))].mean()", dependsOn: ["n_rows"])),
            ProgramStep(
                reasoning: "We collect the values of each group as a separate sample.",
                code: """
                    samples = [values.astype(float) for _, values in data.groupby(\(Python.literal(groupColumn)))[\(Python.literal(measure))]]
                    \(Python.hooked("n_groups", "len(samples)", dependsOn: ["n_rows"]))
                    """),
            ProgramStep(
                reasoning: "One-way ANOVA compares the spread between group means with the spread within groups.",
                code: """
                    result = stats.f_oneway(*samples)
                    \(Python.hooked("statistic", "float(result.statistic)", dependsOn: ["n_groups"]))
                    \(Python.hooked("p_value", "float(result.pvalue)", dependsOn: ["n_groups"]))
                    """),
            ProgramStep(
                reasoning: "The means differ significantly when the p-value is below alpha; we round as the question asks.",
                code: """
                    \(Python.hooked("significant", "bool(p_value < alpha)", dependsOn: ["p_value"]))
                    values = data[\(Python.literal(measure))].astype(float)
                    between = sum(len(sample) * (float(sample.mean()) - float(values.mean())) ** 2 for sample in samples)
                    \(Python.hooked("eta_squared", "between / float(((values - values.mean()) ** 2).sum())", dependsOn: ["n_groups"]))
                    answer = {"statistic": round(statistic, 3), "groups": n_groups, "p_value": round(p_value, 4), "significant": significant, "eta_squared": round(eta_squared, 4)}
                    submit(answer)
                    """),
        ]
        let schema: AnswerSchema = .object(fields: [
            .init(name: "statistic", schema: .number(decimals: 3)),
            .init(name: "groups", schema: .integer),
            .init(name: "p_value", schema: .number(decimals: 4)),
            .init(name: "significant", schema: .boolean),
            .init(name: "eta_squared", schema: .number(decimals: 4)),
        ])
        return TemplateInstance(
            templateID: id, version: version, parameters: parameters, question: InferentialText.withKeys(question, schema),
            hint: "scipy.stats.f_oneway with one sample per group; eta squared = SS_between / SS_total.",
            difficulty: .hard,
            outputSchema: schema,
            steps: steps, alternatives: InferentialText.fragileSignificance())
    }
}

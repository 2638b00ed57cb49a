/// An eight-step chain: drop missing values, keep groups with enough rows, compute each group's
/// coefficient of variation, rank, and compare the most variable group with the kept rows overall.
public struct GroupVariabilityTemplate: QuestionTemplate {
    public let id = "chain_group_variability"
    public let version = "1"
    public let category = TemplateCategory.chain

    public init() {}

    /// Every strictly positive measure (a coefficient of variation needs a positive mean) grouped
    /// by each category with 2 to 10 groups of at least 5 rows.
    public func parameterSets(for profile: TableProfile) -> [JSONValue] {
        let measures = InferentialColumns.measures(profile, minimum: 20).filter { ($0.numeric?.min ?? 0) > 0 }
        return InferentialColumns.groupings(profile, groupCount: 2...10, minimumSize: 5).flatMap { grouping in
            measures.map { measure -> JSONValue in
                .object([("measure", .string(measure.name)), ("group_column", .string(grouping.column.name))])
            }
        }
    }

    public func instantiate(_ parameters: JSONValue) throws -> TemplateInstance {
        let reader = try TemplateParameters(parameters, templateID: id, keys: ["measure", "group_column"])
        let parameters = reader.normalized
        let measure = try reader.string("measure")
        let groupColumn = try reader.string("group_column")
        guard measure != groupColumn else {
            throw TemplateError(templateID: id, message: "parameters 'measure' and 'group_column' must differ; found '\(measure)' twice")
        }
        let (m, g) = (InferentialText.column(measure), InferentialText.column(groupColumn))

        let question = """
            Which \(g) group's \(m) varies most relative to its own average? Leave out rows missing either \
            column and groups with fewer than 3 remaining rows, then compute each group's coefficient of \
            variation (sample standard deviation with ddof = 1, divided by the group's mean). If groups tie, \
            take the one whose label sorts first. Report that group's label as text, its coefficient of \
            variation, the coefficient of variation of \(m) over all kept rows (rounded to 4 decimal places each), \
            and the group's value divided by the overall one, rounded to 3 decimal places.
            """
        let column = Python.literal(measure), group = Python.literal(groupColumn)
        let steps = [
            ProgramStep(
                reasoning: "We keep the rows that have both a group label and a value of \(measure).",
                code: """
                    data = df[\(Python.literal([groupColumn, measure]))].dropna()
                    \(Python.hooked("n_rows", "len(data)"))
                    """),
            ProgramStep(
                reasoning: "A standard deviation needs a few values, so groups with fewer than 3 rows are left out.",
                code: """
                    sizes = data.groupby(\(group)).size()
                    \(Python.hooked("kept_groups", "[str(label) for label in sizes[sizes >= 3].index]", dependsOn: ["n_rows"]))
                    data = data[data[\(group)].isin(sizes[sizes >= 3].index)]
                    \(Python.hooked("n_kept", "len(data)", dependsOn: ["kept_groups"]))
                    """),
            ProgramStep(
                reasoning: "Each group's mean of \(measure) is the scale we compare its spread with.",
                code: Python.hooked("group_means", "data.groupby(\(group))[\(column)].mean()", dependsOn: ["n_kept"])),
            ProgramStep(
                reasoning: "Each group's sample standard deviation (ddof = 1) measures its spread.",
                code: Python.hooked("group_stds", "data.groupby(\(group))[\(column)].std(ddof=1)", dependsOn: ["n_kept"])),
            ProgramStep(
                reasoning: "Dividing the spread by the mean gives the coefficient of variation, comparable across groups of different size.",
                code: Python.hooked("group_cvs", "group_stds / group_means", dependsOn: ["group_means", "group_stds"])),
            ProgramStep(
                reasoning: "Ranking from most to least variable; the stable sort keeps label order among ties, so the first label wins a tie.",
                code: """
                    ranked = group_cvs.sort_values(ascending=False, kind="stable")
                    \(Python.hooked("top_group", "str(ranked.index[0])", dependsOn: ["group_cvs"]))
                    \(Python.hooked("top_cv", "float(ranked.iloc[0])", dependsOn: ["group_cvs"]))
                    """),
            ProgramStep(
                reasoning: "The reference is the coefficient of variation of all kept rows together.",
                code: Python.hooked("overall_cv", "float(data[\(column)].std(ddof=1) / data[\(column)].mean())", dependsOn: ["n_kept"])),
            ProgramStep(
                reasoning: "The ratio says how many times more variable the leading group is than the table overall.",
                code: """
                    \(Python.hooked("ratio", "top_cv / overall_cv", dependsOn: ["top_cv", "overall_cv"]))
                    answer = {"group": top_group, "group_cv": round(top_cv, 4), "overall_cv": round(overall_cv, 4), "ratio": round(ratio, 3)}
                    submit(answer)
                    """),
        ]
        let alternatives = """
            submit([{**answer, "group": str(label), "group_cv": round(float(value), 4), "ratio": round(float(value) / overall_cv, 3)} for label, value in ranked.items() if round(float(value), 4) == round(top_cv, 4)])
            """
        let schema: AnswerSchema = .object(fields: [
            .init(name: "group", schema: .string),
            .init(name: "group_cv", schema: .number(decimals: 4)),
            .init(name: "overall_cv", schema: .number(decimals: 4)),
            .init(name: "ratio", schema: .number(decimals: 3)),
        ])
        return TemplateInstance(
            templateID: id, version: version, parameters: parameters, question: InferentialText.withKeys(question, schema),
            hint: "groupby std(ddof=1) / mean, keeping groups with at least 3 rows.",
            difficulty: .veryHard,
            outputSchema: schema,
            steps: steps, alternatives: alternatives)
    }
}

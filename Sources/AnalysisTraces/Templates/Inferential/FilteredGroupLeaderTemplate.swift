/// A seven-step chain: filter on one measure, drop missing values, average another measure per
/// group, rank the groups, and compare the leading group with the filtered rows overall.
public struct FilteredGroupLeaderTemplate: QuestionTemplate {
    public let id = "chain_filtered_group_leader"
    public let version = "2"
    public let category = TemplateCategory.chain

    /// Groups with fewer kept rows take no part in the ranking.
    static let minGroupSize = 5

    public init() {}

    /// Each measure filtered on the next one, grouped by each category with 2 to 10 groups of at
    /// least 10 rows (about half of them pass the filter, so each group keeps about 5).
    public func parameterSets(for profile: TableProfile) -> [JSONValue] {
        let measures = InferentialColumns.measures(profile, minimum: 20)
        guard measures.count >= 2 else { return [] }
        // Each measure filtered by the next one (the last by the first), for every grouping.
        return InferentialColumns.groupings(profile, groupCount: 2...10, minimumSize: 10).flatMap { grouping in
            measures.indices.map { index -> JSONValue in
                .object([
                    ("filter_measure", .string(measures[(index + 1) % measures.count].name)),
                    ("measure", .string(measures[index].name)),
                    ("group_column", .string(grouping.column.name)),
                ])
            }
        }
    }

    public func instantiate(_ parameters: JSONValue) throws -> TemplateInstance {
        let reader = try TemplateParameters(parameters, templateID: id, keys: ["filter_measure", "measure", "group_column"])
        let parameters = reader.normalized
        let filterMeasure = try reader.string("filter_measure")
        let measure = try reader.string("measure")
        let groupColumn = try reader.string("group_column")
        guard Set([filterMeasure, measure, groupColumn]).count == 3 else {
            throw TemplateError(templateID: id, message: "parameters 'filter_measure', 'measure' and 'group_column' must name three different columns")
        }
        let (f, m, g) = (InferentialText.column(filterMeasure), InferentialText.column(measure), InferentialText.column(groupColumn))

        let question = """
            Among the rows whose \(f) is above its median (the median of all its non-missing values; rows \
            exactly at the median or missing it are dropped), and leaving out rows missing \(m) or \(g), which \
            \(g) group has the highest average \(m)? Only groups with at least \(Self.minGroupSize) kept rows take \
            part. If groups tie, take the one whose label sorts first. \
            Report that group's label as text, its average, the average \(m) of all the kept rows, and the \
            group's average minus that overall average, each number rounded to 3 decimal places.
            """
        let steps = [
            ProgramStep(
                reasoning: "First we find the median of \(filterMeasure) over all its non-missing values; it is the cut-off for the filter.",
                code: Python.hooked("threshold", "float(\(Python.column(filterMeasure)).median())")),
            ProgramStep(
                reasoning: "We keep only the rows strictly above the median; missing values compare as false and drop out.",
                code: """
                    filtered = df[\(Python.column(filterMeasure)) > threshold]
                    \(Python.hooked("n_filtered", "len(filtered)", dependsOn: ["threshold"]))
                    """),
            ProgramStep(
                reasoning: "Rows missing \(measure) or the group label cannot take part, so we drop them.",
                code: """
                    kept = filtered.dropna(subset=\(Python.literal([measure, groupColumn])))
                    \(Python.hooked("n_kept", "len(kept)", dependsOn: ["n_filtered"]))
                    """),
            ProgramStep(
                reasoning: "We average \(measure) within each group of \(groupColumn), keeping only groups with at least \(Self.minGroupSize) rows so that a leader is not a handful of rows.",
                code: """
                    \(Python.hooked("group_sizes", "kept.groupby(\(Python.literal(groupColumn)))[\(Python.literal(measure))].size()", dependsOn: ["n_kept"]))
                    \(Python.hooked("group_means", "kept.groupby(\(Python.literal(groupColumn)))[\(Python.literal(measure))].mean()[group_sizes >= \(Self.minGroupSize)]", dependsOn: ["group_sizes"]))
                    """),
            ProgramStep(
                reasoning: "Ranking the groups from the highest average down; the stable sort keeps label order among ties, so the first label wins a tie.",
                code: """
                    ranked = group_means.sort_values(ascending=False, kind="stable")
                    \(Python.hooked("ranking", "[str(label) for label in ranked.index]", dependsOn: ["group_means"]))
                    \(Python.hooked("top_group", "ranking[0]", dependsOn: ["ranking"]))
                    \(Python.hooked("top_mean", "float(ranked.iloc[0])", dependsOn: ["ranking"]))
                    """),
            ProgramStep(
                reasoning: "The comparison point is the average of \(measure) over every kept row, whatever its group.",
                code: Python.hooked("overall_mean", "float(kept[\(Python.literal(measure))].mean())", dependsOn: ["n_kept"])),
            ProgramStep(
                reasoning: "The leading group's advantage is its average minus the overall average; we round as asked.",
                code: """
                    \(Python.hooked("difference", "top_mean - overall_mean", dependsOn: ["top_mean", "overall_mean"]))
                    answer = {"group": top_group, "group_mean": round(top_mean, 3), "overall_mean": round(overall_mean, 3), "difference": round(difference, 3)}
                    submit(answer)
                    """),
        ]
        let alternatives = """
            submit([{**answer, "group": str(label), "group_mean": round(float(value), 3), "difference": round(float(value) - overall_mean, 3)} for label, value in ranked.items() if round(float(value), 3) == round(top_mean, 3)])
            """
        let schema: AnswerSchema = .object(fields: [
            .init(name: "group", schema: .string),
            .init(name: "group_mean", schema: .number(decimals: 3)),
            .init(name: "overall_mean", schema: .number(decimals: 3)),
            .init(name: "difference", schema: .number(decimals: 3)),
        ])
        var instance = TemplateInstance(
            templateID: id, version: version, parameters: parameters, question: InferentialText.withKeys(question, schema),
            hint: "Filter with > median, dropna on the two columns, groupby mean, sort descending.",
            difficulty: .veryHard,
            outputSchema: schema,
            steps: steps, alternatives: alternatives)
        instance.precondition = ValidityChecks.filteredGroups(
            filterMeasure: filterMeasure, measure: measure, groupColumn: groupColumn, minimumSize: Self.minGroupSize)
        return instance
    }
}

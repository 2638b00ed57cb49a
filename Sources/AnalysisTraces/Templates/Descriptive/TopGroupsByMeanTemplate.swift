/// The k values of a category with the highest mean of a measure, in order, with their means.
public struct TopGroupsByMeanTemplate: QuestionTemplate {
    public let id = "top_groups_by_mean"
    public let version = "1"
    public let category = TemplateCategory.ranking

    public init() {}

    /// Groupings with at least three values of at least ``DescriptiveColumns/minGroupSize`` rows
    /// each; k is 3, or one less than the number of groups.
    public func parameterSets(for profile: TableProfile) -> [JSONValue] {
        DescriptiveColumns.rankableGroupedMeasures(profile, minGroups: 3).compactMap { group, measure in
            measure.numeric.map {
                Self.parameters(group: group.name, column: measure.name, k: min(3, group.unique - 1), decimals: DescriptiveColumns.decimals(for: $0))
            }
        }
    }

    static func parameters(group: String, column: String, k: Int, decimals: Int) -> JSONValue {
        .object([("group_column", .string(group)), ("column", .string(column)), ("k", .int(Int64(k))), ("decimals", .int(Int64(decimals)))])
    }

    public func instantiate(_ parameters: JSONValue) throws -> TemplateInstance {
        let reader = try TemplateParameters(parameters, templateID: id, keys: ["group_column", "column", "k", "decimals"])
        let group = try reader.string("group_column")
        let column = try reader.string("column")
        let k = try reader.integer("k", in: 1...10)
        let decimals = try reader.integer("decimals", in: 0...8)
        try reader.requireDistinct(group, column, keys: ("group_column", "column"))
        let grouped = "df.groupby(\(Python.literal(group)))[\(Python.literal(column))]"
        let question = """
            Which \(k) values of \(QuestionText.column(group)) have the highest average \(QuestionText.column(column)), \
            from highest to lowest? Leave out rows where either column is missing. Rank the averages \
            rounded to \(QuestionText.decimals(decimals)), and break ties by the group label in alphabetical \
            order. Answer with an object with the keys "groups" (the \(k) labels as text, in rank order) \
            and "means" (their averages rounded to \(QuestionText.decimals(decimals)), in the same order).
            """
        let steps = [
            ProgramStep(
                reasoning: "We average \(column) within each value of \(group), dropping rows with a missing group or value.",
                code: Python.hooked("group_means", "\(grouped).mean().dropna()", description: "mean of \(column) per \(group)") + "\nprint(group_means)"),
            ProgramStep(
                reasoning: "The ranking uses the averages rounded to \(QuestionText.decimals(decimals)), sorted from highest to lowest with ties broken alphabetically.",
                code: [
                    Python.hooked("scores", "{str(label): round(float(value), \(decimals)) for label, value in group_means.items()}", description: "rounded mean per \(group)", dependsOn: ["group_means"]),
                    Python.hooked("ranking", "sorted(scores.items(), key=lambda item: (-item[1], item[0]))", description: "groups from highest to lowest rounded mean", dependsOn: ["scores"]),
                    "print(ranking)",
                ].joined(separator: "\n")),
            ProgramStep(
                reasoning: "We keep the first \(k) groups of the ranking with their averages and submit them.",
                code: [
                    Python.hooked("top_labels", "[label for label, value in ranking[:\(k)]]", description: "the \(k) groups with the highest mean", dependsOn: ["ranking"]),
                    Python.hooked("top_scores", "[value for label, value in ranking[:\(k)]]", description: "their rounded means", dependsOn: ["ranking"]),
                    "answer = {\"groups\": top_labels, \"means\": top_scores}",
                    "print(answer)",
                    "submit(answer)",
                ].joined(separator: "\n")),
        ]
        return TemplateInstance(
            templateID: id, version: version, parameters: Self.parameters(group: group, column: column, k: k, decimals: decimals),
            question: question, hint: nil, difficulty: .medium,
            outputSchema: .object(fields: [
                .init(name: "groups", schema: .list(items: .string, ordered: true)),
                .init(name: "means", schema: .list(items: .number(decimals: decimals), ordered: true)),
            ]),
            steps: steps,
            alternatives: RankingTies.alternatives(k: k, labelsKey: "groups", scoresKey: "means"))
    }
}

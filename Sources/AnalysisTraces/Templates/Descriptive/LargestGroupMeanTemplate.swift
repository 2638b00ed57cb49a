/// Which value of a category has the largest mean of a measure, and that mean.
public struct LargestGroupMeanTemplate: QuestionTemplate {
    public let id = "group_with_largest_mean"
    public let version = "1"
    public let category = TemplateCategory.grouping

    public init() {}

    public func parameterSets(for profile: TableProfile) -> [JSONValue] {
        DescriptiveColumns.rankableGroupedMeasures(profile).compactMap { group, measure in
            measure.numeric.map { Self.parameters(group: group.name, column: measure.name, decimals: DescriptiveColumns.decimals(for: $0)) }
        }
    }

    static func parameters(group: String, column: String, decimals: Int) -> JSONValue {
        .object([("group_column", .string(group)), ("column", .string(column)), ("decimals", .int(Int64(decimals)))])
    }

    public func instantiate(_ parameters: JSONValue) throws -> TemplateInstance {
        let reader = try TemplateParameters(parameters, templateID: id, keys: ["group_column", "column", "decimals"])
        let group = try reader.string("group_column")
        let column = try reader.string("column")
        let decimals = try reader.integer("decimals", in: 0...8)
        try reader.requireDistinct(group, column, keys: ("group_column", "column"))
        let grouped = "df.groupby(\(Python.literal(group)))[\(Python.literal(column))]"
        let question = """
            Which value of \(QuestionText.column(group)) has the highest average \(QuestionText.column(column)), \
            and what is that average? Leave out rows where either column is missing, and compare the \
            averages rounded to \(QuestionText.decimals(decimals)); if several groups tie, give the one whose \
            label comes first in alphabetical order. Give the group as text and its average rounded to \
            \(QuestionText.decimals(decimals)). \(QuestionText.keys(["group", "mean"]))
            """
        let steps = [
            ProgramStep(
                reasoning: "We average \(column) within each value of \(group); rows with a missing group or value drop out.",
                code: Python.hooked("group_means", "\(grouped).mean().dropna()", description: "mean of \(column) per \(group)") + "\nprint(group_means)"),
            ProgramStep(
                reasoning: "The question compares the averages rounded to \(QuestionText.decimals(decimals)), so we round them and take the highest.",
                code: [
                    Python.hooked("rounded_means", "{str(label): round(float(value), \(decimals)) for label, value in group_means.items()}", description: "rounded mean per \(group)", dependsOn: ["group_means"]),
                    Python.hooked("best_mean", "max(rounded_means.values())", description: "highest rounded mean", dependsOn: ["rounded_means"]),
                    "print(rounded_means, best_mean)",
                ].joined(separator: "\n")),
            ProgramStep(
                reasoning: "Several groups could share that rounded mean; the question breaks ties alphabetically, so we take the first tied label in sorted order and submit it.",
                code: Python.hooked("tied_groups", "sorted(label for label, value in rounded_means.items() if value == best_mean)", description: "groups with the highest rounded mean", dependsOn: ["rounded_means", "best_mean"]) + """

                    answer = {"group": tied_groups[0], "mean": best_mean}
                    print(answer)
                    submit(answer)
                    """),
        ]
        return TemplateInstance(
            templateID: id, version: version, parameters: Self.parameters(group: group, column: column, decimals: decimals),
            question: question, hint: nil, difficulty: .medium,
            outputSchema: .object(fields: [.init(name: "group", schema: .string), .init(name: "mean", schema: .number(decimals: decimals))]),
            steps: steps,
            alternatives: "submit([{\"group\": label, \"mean\": best_mean} for label in tied_groups])")
    }
}

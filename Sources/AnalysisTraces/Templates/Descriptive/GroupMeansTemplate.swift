/// The mean of a measure for every value of a category, as a mapping.
public struct GroupMeansTemplate: QuestionTemplate {
    public let id = "group_means"
    public let version = "1"
    public let category = TemplateCategory.grouping

    public init() {}

    public func parameterSets(for profile: TableProfile) -> [JSONValue] {
        DescriptiveColumns.groupedMeasures(profile).compactMap { group, measure in
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
            What is the average \(QuestionText.column(column)) for each value of \(QuestionText.column(group))? \
            Leave out rows where either column is missing, and leave out any group with no value of \
            \(QuestionText.column(column)). Round each average to \(QuestionText.decimals(decimals)). Answer \
            with an object that maps each value of \(QuestionText.column(group)), written as text, to its average.
            """
        let steps = [
            ProgramStep(
                reasoning: "We first see which groups \(group) has and how many present values of \(column) each one holds; groupby drops rows whose group is missing.",
                code: Python.hooked("group_sizes", "\(grouped).count()", description: "present values of \(column) per \(group)") + "\nprint(group_sizes)"),
            ProgramStep(
                reasoning: "Then we average \(column) within each group, skipping missing values, and drop any group whose average is undefined.",
                code: Python.hooked("group_means", "\(grouped).mean().dropna()", description: "mean of \(column) per \(group)", dependsOn: ["group_sizes"]) + "\nprint(group_means)"),
            ProgramStep(
                reasoning: "Finally we write the group labels as text, round each average to \(QuestionText.decimals(decimals)) and submit the mapping.",
                code: """
                    answer = {str(label): round(float(value), \(decimals)) for label, value in group_means.items()}
                    print(answer)
                    submit(answer)
                    """),
        ]
        return TemplateInstance(
            templateID: id, version: version, parameters: Self.parameters(group: group, column: column, decimals: decimals),
            question: question, hint: nil, difficulty: .easy,
            outputSchema: .mapping(values: .number(decimals: decimals)),
            steps: steps, alternatives: nil)
    }
}

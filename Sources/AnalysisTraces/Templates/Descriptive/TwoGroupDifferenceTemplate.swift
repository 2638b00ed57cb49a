/// The difference between the means of a measure in the two values of a binary category.
public struct TwoGroupDifferenceTemplate: QuestionTemplate {
    public let id = "difference_between_two_groups"
    public let version = "1"
    public let category = TemplateCategory.grouping

    public init() {}

    /// The first binary category (its two values in alphabetical order) with every measure.
    public func parameterSets(for profile: TableProfile) -> [JSONValue] {
        guard let group = DescriptiveColumns.groupings(profile).first(where: { $0.role == .binaryCategory && $0.unique == 2 }),
              let labels = group.topValues?.map(\.value).sorted(), labels.count == 2
        else { return [] }
        return DescriptiveColumns.measures(profile).compactMap { measure in
            measure.numeric.map {
                Self.parameters(group: group.name, first: labels[0], second: labels[1], column: measure.name, decimals: DescriptiveColumns.decimals(for: $0))
            }
        }
    }

    static func parameters(group: String, first: String, second: String, column: String, decimals: Int) -> JSONValue {
        .object([
            ("group_column", .string(group)), ("first_group", .string(first)), ("second_group", .string(second)),
            ("column", .string(column)), ("decimals", .int(Int64(decimals))),
        ])
    }

    public func instantiate(_ parameters: JSONValue) throws -> TemplateInstance {
        let reader = try TemplateParameters(parameters, templateID: id, keys: ["group_column", "first_group", "second_group", "column", "decimals"])
        let group = try reader.string("group_column")
        let first = try reader.string("first_group")
        let second = try reader.string("second_group")
        let column = try reader.string("column")
        let decimals = try reader.integer("decimals", in: 0...8)
        try reader.requireDistinct(group, column, keys: ("group_column", "column"))
        guard first != second else {
            throw TemplateError(templateID: id, message: "parameters 'first_group' and 'second_group' must differ; both are '\(first)'")
        }
        let labels = "\(Python.column(group)).astype(str)"
        let question = """
            How much larger is the average \(QuestionText.column(column)) in rows where \(QuestionText.column(group)) \
            is "\(first)" than in rows where it is "\(second)"? Ignore missing values of \(QuestionText.column(column)), \
            compute the difference ("\(first)" minus "\(second)", negative if smaller) from the unrounded \
            averages, and round all three numbers to \(QuestionText.decimals(decimals)). Answer with an object \
            with the keys "first_mean" (the average for "\(first)"), "second_mean" (the average for "\(second)") \
            and "difference".
            """
        let steps = [
            ProgramStep(
                reasoning: "We average \(column) separately in the two groups of \(group), comparing the labels as text.",
                code: [
                    Python.hooked("first_mean", "float(df.loc[\(labels) == \(Python.literal(first)), \(Python.literal(column))].mean())", description: "mean of \(column) where \(group) is \(first)"),
                    Python.hooked("second_mean", "float(df.loc[\(labels) == \(Python.literal(second)), \(Python.literal(column))].mean())", description: "mean of \(column) where \(group) is \(second)"),
                    "print(first_mean, second_mean)",
                ].joined(separator: "\n")),
            ProgramStep(
                reasoning: "The difference is taken from the unrounded averages, \(first) minus \(second).",
                code: Python.hooked("mean_difference", "first_mean - second_mean", description: "difference of the two means", dependsOn: ["first_mean", "second_mean"]) + "\nprint(mean_difference)"),
            ProgramStep(
                reasoning: "We round the three numbers to \(QuestionText.decimals(decimals)) and submit them.",
                code: """
                    answer = {"first_mean": round(first_mean, \(decimals)), "second_mean": round(second_mean, \(decimals)), "difference": round(mean_difference, \(decimals))}
                    print(answer)
                    submit(answer)
                    """),
        ]
        return TemplateInstance(
            templateID: id, version: version,
            parameters: Self.parameters(group: group, first: first, second: second, column: column, decimals: decimals),
            question: question, hint: nil, difficulty: .easy,
            outputSchema: .object(fields: ["first_mean", "second_mean", "difference"].map { .init(name: $0, schema: .number(decimals: decimals)) }),
            steps: steps, alternatives: nil)
    }
}

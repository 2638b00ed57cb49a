/// Mean, median and sample standard deviation of one measure.
public struct CenterSpreadTemplate: QuestionTemplate {
    public let id = "center_and_spread"
    public let version = "1"
    public let category = TemplateCategory.descriptive

    public init() {}

    /// Every usable measure, in table order (``QuestionSelection`` draws among them).
    public func parameterSets(for profile: TableProfile) -> [JSONValue] {
        DescriptiveColumns.measures(profile).compactMap { column in
            column.numeric.map { Self.parameters(column: column.name, decimals: DescriptiveColumns.decimals(for: $0)) }
        }
    }

    static func parameters(column: String, decimals: Int) -> JSONValue {
        .object([("column", .string(column)), ("decimals", .int(Int64(decimals)))])
    }

    public func instantiate(_ parameters: JSONValue) throws -> TemplateInstance {
        let reader = try TemplateParameters(parameters, templateID: id, keys: ["column", "decimals"])
        let column = try reader.string("column")
        let decimals = try reader.integer("decimals", in: 0...8)
        let values = Python.column(column)
        let name = QuestionText.column(column)
        let question = """
            What are the mean, the median and the standard deviation of \(name)? Leave out missing \
            values, take the sample standard deviation (divide by n − 1), and round each number to \
            \(QuestionText.decimals(decimals)). \(QuestionText.keys(["mean", "median", "std"]))
            """
        let steps = [
            ProgramStep(
                reasoning: "First we check how many values of \(name) are present, since missing values are left out of every statistic.",
                code: Python.hooked("present_count", "int(\(values).notna().sum())", description: "values of \(column) that are present") + """

                    print("present values:", present_count, "of", len(df))
                    """),
            ProgramStep(
                reasoning: "Now we compute the mean, the median and the sample standard deviation (ddof = 1) over the present values.",
                code: [
                    Python.hooked("mean_value", "float(\(values).mean())", description: "mean of \(column)", dependsOn: ["present_count"]),
                    Python.hooked("median_value", "float(\(values).median())", description: "median of \(column)", dependsOn: ["present_count"]),
                    Python.hooked("std_value", "float(\(values).std(ddof=1))", description: "sample standard deviation of \(column)", dependsOn: ["present_count"]),
                    "print(mean_value, median_value, std_value)",
                ].joined(separator: "\n")),
            ProgramStep(
                reasoning: "Finally we round the three statistics to \(QuestionText.decimals(decimals)) and submit them.",
                code: """
                    answer = {"mean": round(mean_value, \(decimals)), "median": round(median_value, \(decimals)), "std": round(std_value, \(decimals))}
                    print(answer)
                    submit(answer)
                    """),
        ]
        return TemplateInstance(
            templateID: id, version: version, parameters: Self.parameters(column: column, decimals: decimals),
            question: question, hint: nil, difficulty: .easy,
            outputSchema: .object(fields: ["mean", "median", "std"].map { .init(name: $0, schema: .number(decimals: decimals)) }),
            steps: steps, alternatives: nil)
    }
}

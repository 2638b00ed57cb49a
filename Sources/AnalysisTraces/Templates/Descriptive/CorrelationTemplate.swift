/// The Pearson correlation between two measures over the rows where both are present.
public struct CorrelationTemplate: QuestionTemplate {
    public let id = "correlation_between"
    public let version = "1"
    public let category = TemplateCategory.correlation
    static let decimals = 4

    public init() {}

    /// Every pair of measures: (1st, 2nd), (1st, 3rd), (2nd, 3rd), (1st, 4th), ...
    public func parameterSets(for profile: TableProfile) -> [JSONValue] {
        DescriptiveColumns.pairs(DescriptiveColumns.measures(profile)).map {
            Self.parameters(first: $0.0.name, second: $0.1.name, decimals: Self.decimals)
        }
    }

    static func parameters(first: String, second: String, decimals: Int) -> JSONValue {
        .object([("first_column", .string(first)), ("second_column", .string(second)), ("decimals", .int(Int64(decimals)))])
    }

    public func instantiate(_ parameters: JSONValue) throws -> TemplateInstance {
        let reader = try TemplateParameters(parameters, templateID: id, keys: ["first_column", "second_column", "decimals"])
        let first = try reader.string("first_column")
        let second = try reader.string("second_column")
        let decimals = try reader.integer("decimals", in: 0...8)
        try reader.requireDistinct(first, second, keys: ("first_column", "second_column"))
        let question = """
            How strongly are \(QuestionText.column(first)) and \(QuestionText.column(second)) linearly related? \
            Give the Pearson correlation coefficient between them, computed over the rows where both are \
            present and rounded to \(QuestionText.decimals(decimals)), and the number of rows it uses. \
            \(QuestionText.keys(["correlation", "count"]))
            """
        let pair = "df[\(Python.literal([first, second]))]"
        let steps = [
            ProgramStep(
                reasoning: "The coefficient uses only rows where both columns are present, so we count those first.",
                code: Python.hooked("paired_count", "int(\(pair).notna().all(axis=1).sum())", description: "rows with both \(first) and \(second) present") + "\nprint(paired_count)"),
            ProgramStep(
                reasoning: "Series.corr computes the Pearson coefficient on exactly those pairwise-complete rows.",
                code: Python.hooked("correlation", "float(\(Python.column(first)).corr(\(Python.column(second))))", description: "Pearson correlation of \(first) and \(second)", dependsOn: ["paired_count"]) + "\nprint(correlation)"),
            ProgramStep(
                reasoning: "We round the coefficient to \(QuestionText.decimals(decimals)) and submit it with the row count.",
                code: """
                    answer = {"correlation": round(correlation, \(decimals)), "count": paired_count}
                    print(answer)
                    submit(answer)
                    """),
        ]
        return TemplateInstance(
            templateID: id, version: version, parameters: Self.parameters(first: first, second: second, decimals: decimals),
            question: question, hint: nil, difficulty: .easy,
            outputSchema: .object(fields: [.init(name: "correlation", schema: .number(decimals: decimals)), .init(name: "count", schema: .integer)]),
            steps: steps, alternatives: nil)
    }
}

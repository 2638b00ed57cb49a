/// Minimum, quartiles, median and maximum of one measure, as an object.
public struct FiveNumberSummaryTemplate: QuestionTemplate {
    public let id = "five_number_summary"
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
        let keys = ["min", "q1", "median", "q3", "max"]
        let question = """
            Give the five-number summary of \(name): its smallest value, first quartile, median, third \
            quartile and largest value. Leave out missing values, and compute each quartile by linear \
            interpolation between the sorted values (the p-th quantile sits at position p × (n − 1), \
            counting from 0). Round every number to \(QuestionText.decimals(decimals)). \
            \(QuestionText.keys(keys))
            """
        let steps = [
            ProgramStep(
                reasoning: "We start with the extremes of \(name), skipping missing values.",
                code: [
                    Python.hooked("smallest", "float(\(values).min())", description: "smallest value of \(column)"),
                    Python.hooked("largest", "float(\(values).max())", description: "largest value of \(column)"),
                    "print(smallest, largest)",
                ].joined(separator: "\n")),
            ProgramStep(
                reasoning: "Next come the three quartiles; pandas interpolates linearly between the sorted values, which is the rule the question states.",
                code: [
                    Python.hooked("quartiles", "\(values).quantile([0.25, 0.5, 0.75])", description: "first quartile, median and third quartile of \(column)"),
                    "print(quartiles)",
                ].joined(separator: "\n")),
            ProgramStep(
                reasoning: "Then we put the five numbers together, rounded to \(QuestionText.decimals(decimals)), and submit them.",
                code: """
                    answer = {"min": round(smallest, \(decimals)), "q1": round(float(quartiles.loc[0.25]), \(decimals)), "median": round(float(quartiles.loc[0.5]), \(decimals)), "q3": round(float(quartiles.loc[0.75]), \(decimals)), "max": round(largest, \(decimals))}
                    print(answer)
                    submit(answer)
                    """),
        ]
        return TemplateInstance(
            templateID: id, version: version, parameters: Self.parameters(column: column, decimals: decimals),
            question: question, hint: nil, difficulty: .easy,
            outputSchema: .object(fields: keys.map { .init(name: $0, schema: .number(decimals: decimals)) }),
            steps: steps, alternatives: nil)
    }
}

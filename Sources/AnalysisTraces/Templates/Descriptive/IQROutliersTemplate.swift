/// The 1.5 × IQR fences of a measure and how many values fall outside them.
public struct IQROutliersTemplate: QuestionTemplate {
    public let id = "iqr_outliers"
    public let version = "1"
    public let category = TemplateCategory.outliers

    public init() {}

    /// Every usable measure, in table order (``QuestionSelection`` draws among them).
    public func parameterSets(for profile: TableProfile) -> [JSONValue] {
        DescriptiveColumns.measures(profile).compactMap { column in
            column.numeric.map { Self.parameters(column: column.name, decimals: DescriptiveColumns.decimals(for: $0)) }
        }
    }

    /// The profile's quartiles are pandas' own, so it shows whether any value lies outside the
    /// fences: a question whose count is 0 is not asked.
    public func screen(_ parameters: JSONValue, profile: TableProfile) -> String? {
        guard let column = DescriptiveColumns.text(parameters["column"]), let numeric = profile[column]?.numeric else { return nil }
        let iqr = numeric.q3 - numeric.q1
        if numeric.min >= numeric.q1 - 1.5 * iqr && numeric.max <= numeric.q3 + 1.5 * iqr {
            return "no value of '\(column)' lies outside the 1.5 × IQR fences (the count would be 0)"
        }
        return nil
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
            How many values of \(name) are outliers by the 1.5 × IQR rule? Leave out missing values; take \
            the first and third quartiles Q1 and Q3 by linear interpolation between the sorted values (the \
            p-th quantile sits at position p × (n − 1), counting from 0); an outlier lies strictly below \
            Q1 − 1.5 × (Q3 − Q1) or strictly above Q3 + 1.5 × (Q3 − Q1). Also give the two fences, rounded \
            to \(QuestionText.decimals(decimals)). Answer with an object with the keys "lower" (the lower \
            fence), "upper" (the upper fence) and "count".
            """
        let steps = [
            ProgramStep(
                reasoning: "We take the first and third quartiles of \(name) with linear interpolation, skipping missing values.",
                code: [
                    Python.hooked("q1", "float(\(values).quantile(0.25))", description: "first quartile of \(column)"),
                    Python.hooked("q3", "float(\(values).quantile(0.75))", description: "third quartile of \(column)"),
                    "print(q1, q3)",
                ].joined(separator: "\n")),
            ProgramStep(
                reasoning: "The fences sit 1.5 interquartile ranges beyond the quartiles.",
                code: [
                    Python.hooked("iqr", "q3 - q1", description: "interquartile range", dependsOn: ["q1", "q3"]),
                    Python.hooked("lower_fence", "q1 - 1.5 * iqr", description: "lower fence", dependsOn: ["q1", "iqr"]),
                    Python.hooked("upper_fence", "q3 + 1.5 * iqr", description: "upper fence", dependsOn: ["q3", "iqr"]),
                    "print(iqr, lower_fence, upper_fence)",
                ].joined(separator: "\n")),
            ProgramStep(
                reasoning: "Now we count the values strictly outside the fences; missing values compare as false and are not counted.",
                code: Python.hooked("outlier_count", "int(((\(values) < lower_fence) | (\(values) > upper_fence)).sum())", description: "values outside the fences", dependsOn: ["lower_fence", "upper_fence"]) + "\nprint(outlier_count)"),
            ProgramStep(
                reasoning: "We round the fences to \(QuestionText.decimals(decimals)) and submit them with the count.",
                code: """
                    answer = {"lower": round(lower_fence, \(decimals)), "upper": round(upper_fence, \(decimals)), "count": outlier_count}
                    print(answer)
                    submit(answer)
                    """),
        ]
        return TemplateInstance(
            templateID: id, version: version, parameters: Self.parameters(column: column, decimals: decimals),
            question: question, hint: nil, difficulty: .medium,
            outputSchema: .object(fields: [
                .init(name: "lower", schema: .number(decimals: decimals)),
                .init(name: "upper", schema: .number(decimals: decimals)),
                .init(name: "count", schema: .integer),
            ]),
            steps: steps, alternatives: nil)
    }
}

/// How many rows have a measure above a round threshold near its third quartile
/// (``DescriptiveColumns/roundThreshold(_:)``), and their share of all rows.
public struct ThresholdCountTemplate: QuestionTemplate {
    public let id = "count_above_threshold"
    public let version = "1"
    public let category = TemplateCategory.filtering
    static let shareDecimals = 4

    public init() {}

    /// Every measure with a round threshold near its third quartile.
    public func parameterSets(for profile: TableProfile) -> [JSONValue] {
        DescriptiveColumns.measures(profile).compactMap { column in
            column.numeric.flatMap(DescriptiveColumns.roundThreshold).map { Self.parameters(column: column.name, threshold: $0) }
        }
    }

    static func parameters(column: String, threshold: Double) -> JSONValue {
        .object([("column", .string(column)), ("threshold", .double(threshold))])
    }

    public func instantiate(_ parameters: JSONValue) throws -> TemplateInstance {
        let reader = try TemplateParameters(parameters, templateID: id, keys: ["column", "threshold"])
        let column = try reader.string("column")
        let threshold = try reader.number("threshold")
        let values = Python.column(column)
        let name = QuestionText.column(column)
        let limit = QuestionText.number(threshold)
        let decimals = Self.shareDecimals
        let question = """
            How many rows have a value of \(name) strictly greater than \(limit), and what share of all \
            rows in the table is that? Rows where \(name) is missing do not count as above \(limit) but \
            do count in the total. Give the share as a fraction between 0 and 1 rounded to \
            \(QuestionText.decimals(decimals)). \(QuestionText.keys(["count", "share"]))
            """
        let steps = [
            ProgramStep(
                reasoning: "The share is taken over every row of the table, so we first count all rows, missing values included.",
                code: Python.hooked("total_rows", "len(df)", description: "rows in the table") + "\nprint(total_rows)"),
            ProgramStep(
                reasoning: "Now we count the rows whose \(name) is strictly above \(limit); a missing value compares as false, so it is not counted.",
                code: Python.hooked("above_count", "int((\(values) > \(limit)).sum())", description: "rows with \(column) above \(limit)") + "\nprint(above_count)"),
            ProgramStep(
                reasoning: "Finally we divide by the total, round the share to \(QuestionText.decimals(decimals)) and submit both numbers.",
                code: Python.hooked("above_share", "above_count / total_rows", description: "share of rows above \(limit)", dependsOn: ["above_count", "total_rows"]) + """

                    answer = {"count": above_count, "share": round(above_share, \(decimals))}
                    print(answer)
                    submit(answer)
                    """),
        ]
        return TemplateInstance(
            templateID: id, version: version, parameters: Self.parameters(column: column, threshold: threshold),
            question: question, hint: nil, difficulty: .easy,
            outputSchema: .object(fields: [.init(name: "count", schema: .integer), .init(name: "share", schema: .number(decimals: decimals))]),
            steps: steps, alternatives: nil)
    }
}

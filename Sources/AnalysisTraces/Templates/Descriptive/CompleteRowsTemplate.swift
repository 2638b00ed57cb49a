/// How many rows have no missing value, and their share of all rows.
public struct CompleteRowsTemplate: QuestionTemplate {
    public let id = "complete_rows"
    public let version = "1"
    public let category = TemplateCategory.missingData
    static let decimals = 4

    public init() {}

    /// Applies (with no parameters) when some column has a missing value.
    public func parameterSets(for profile: TableProfile) -> [JSONValue] {
        profile.columns.contains { $0.missing > 0 } ? [.object([])] : []
    }

    public func instantiate(_ parameters: JSONValue) throws -> TemplateInstance {
        _ = try TemplateParameters(parameters, templateID: id, keys: [])
        let decimals = Self.decimals
        let question = """
            How many rows of the table are complete, with no missing value in any column, and what share \
            of all rows are they? Consider every column. Give the share as a fraction between 0 and 1 \
            rounded to \(QuestionText.decimals(decimals)). \(QuestionText.keys(["count", "share"]))
            """
        let steps = [
            ProgramStep(
                reasoning: "We need the number of rows for the share, so we count them first.",
                code: Python.hooked("total_rows", "len(df)", description: "rows in the table") + "\nprint(total_rows)"),
            ProgramStep(
                reasoning: "A row is complete when every one of its cells is present; we count those rows.",
                code: Python.hooked("complete_count", "int(df.notna().all(axis=1).sum())", description: "rows with no missing value") + "\nprint(complete_count)"),
            ProgramStep(
                reasoning: "We divide by the number of rows, round the share to \(QuestionText.decimals(decimals)) and submit both numbers.",
                code: Python.hooked("complete_share", "complete_count / total_rows", description: "share of complete rows", dependsOn: ["complete_count", "total_rows"]) + """

                    answer = {"count": complete_count, "share": round(complete_share, \(decimals))}
                    print(answer)
                    submit(answer)
                    """),
        ]
        return TemplateInstance(
            templateID: id, version: version, parameters: .object([]),
            question: question, hint: nil, difficulty: .easy,
            outputSchema: .object(fields: [.init(name: "count", schema: .integer), .init(name: "share", schema: .number(decimals: decimals))]),
            steps: steps, alternatives: nil)
    }
}

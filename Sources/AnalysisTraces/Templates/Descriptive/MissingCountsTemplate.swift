/// Which columns have missing values, and how many each has.
public struct MissingCountsTemplate: QuestionTemplate {
    public let id = "missing_values_by_column"
    public let version = "1"
    public let category = TemplateCategory.missingData

    public init() {}

    /// Applies (with no parameters) when some column has a missing value.
    public func parameterSets(for profile: TableProfile) -> [JSONValue] {
        profile.columns.contains { $0.missing > 0 } ? [.object([])] : []
    }

    public func instantiate(_ parameters: JSONValue) throws -> TemplateInstance {
        _ = try TemplateParameters(parameters, templateID: id, keys: [])
        let question = """
            Which columns of the table have at least one missing value, and how many missing values does \
            each of them have? Look at every column, and count the cells that are missing in the table as \
            loaded. Answer with an object that maps the name of each column with missing values to its \
            number of missing values (columns with none are left out).
            """
        let steps = [
            ProgramStep(
                reasoning: "We count the missing cells of every column at once.",
                code: Python.hooked("missing_per_column", "df.isna().sum()", description: "missing cells per column") + "\nprint(missing_per_column)"),
            ProgramStep(
                reasoning: "We keep only the columns with at least one missing cell, as plain integers, and submit them.",
                code: Python.hooked("columns_with_missing", "{str(name): int(count) for name, count in missing_per_column.items() if count > 0}", description: "columns with missing values and their counts", dependsOn: ["missing_per_column"]) + """

                    print(columns_with_missing)
                    submit(columns_with_missing)
                    """),
        ]
        return TemplateInstance(
            templateID: id, version: version, parameters: .object([]),
            question: question, hint: nil, difficulty: .easy,
            outputSchema: .mapping(values: .integer),
            steps: steps, alternatives: nil)
    }
}

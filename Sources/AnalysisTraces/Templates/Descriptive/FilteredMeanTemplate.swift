/// The mean of one measure over the rows where another measure is above a round threshold near
/// its third quartile (``DescriptiveColumns/roundThreshold(_:)``).
public struct FilteredMeanTemplate: QuestionTemplate {
    public let id = "mean_where_above"
    public let version = "1"
    public let category = TemplateCategory.filtering

    public init() {}

    /// Each measure averaged where the next one (table order, wrapping around) is above its
    /// round threshold, then the reverse.
    public func parameterSets(for profile: TableProfile) -> [JSONValue] {
        let measures = DescriptiveColumns.measures(profile)
        guard measures.count >= 2 else { return [] }
        let next = measures.indices.map { (measures[($0 + 1) % measures.count], measures[$0]) }
        let choices = measures.count == 2 ? next : next + next.map { ($0.1, $0.0) }
        return choices.compactMap { filter, target in
            guard let filterNumeric = filter.numeric, let targetNumeric = target.numeric,
                  let threshold = DescriptiveColumns.roundThreshold(filterNumeric) else { return nil }
            return Self.parameters(
                filter: filter.name, threshold: threshold,
                column: target.name, decimals: DescriptiveColumns.decimals(for: targetNumeric))
        }
    }

    static func parameters(filter: String, threshold: Double, column: String, decimals: Int) -> JSONValue {
        .object([
            ("filter_column", .string(filter)), ("threshold", .double(threshold)),
            ("column", .string(column)), ("decimals", .int(Int64(decimals))),
        ])
    }

    public func instantiate(_ parameters: JSONValue) throws -> TemplateInstance {
        let reader = try TemplateParameters(parameters, templateID: id, keys: ["filter_column", "threshold", "column", "decimals"])
        let filter = try reader.string("filter_column")
        let threshold = try reader.number("threshold")
        let column = try reader.string("column")
        let decimals = try reader.integer("decimals", in: 0...8)
        try reader.requireDistinct(filter, column, keys: ("filter_column", "column"))
        let limit = QuestionText.number(threshold)
        let condition = "\(Python.column(filter)) > \(limit)"
        let question = """
            Consider only the rows where \(QuestionText.column(filter)) is strictly greater than \(limit) \
            (rows where it is missing are left out). How many such rows are there, and what is the mean \
            of \(QuestionText.column(column)) over them, ignoring missing values of \
            \(QuestionText.column(column))? Round the mean to \(QuestionText.decimals(decimals)). \
            \(QuestionText.keys(["count", "mean"]))
            """
        let steps = [
            ProgramStep(
                reasoning: "We first count the rows that pass the filter \(filter) > \(limit); missing values of \(filter) compare as false and drop out.",
                code: Python.hooked("selected_count", "int((\(condition)).sum())", description: "rows with \(filter) above \(limit)") + "\nprint(selected_count)"),
            ProgramStep(
                reasoning: "Among those rows we average \(column); pandas skips its missing values, which is what the question asks.",
                code: [
                    Python.hooked("present_in_selection", "int(df.loc[\(condition), \(Python.literal(column))].notna().sum())", description: "values of \(column) present in the selected rows", dependsOn: ["selected_count"]),
                    Python.hooked("selected_mean", "float(df.loc[\(condition), \(Python.literal(column))].mean())", description: "mean of \(column) over the selected rows", dependsOn: ["selected_count"]),
                    "print(present_in_selection, selected_mean)",
                ].joined(separator: "\n")),
            ProgramStep(
                reasoning: "We round the mean to \(QuestionText.decimals(decimals)) and submit it with the row count.",
                code: """
                    answer = {"count": selected_count, "mean": round(selected_mean, \(decimals))}
                    print(answer)
                    submit(answer)
                    """),
        ]
        return TemplateInstance(
            templateID: id, version: version,
            parameters: Self.parameters(filter: filter, threshold: threshold, column: column, decimals: decimals),
            question: question, hint: nil, difficulty: .medium,
            outputSchema: .object(fields: [.init(name: "count", schema: .integer), .init(name: "mean", schema: .number(decimals: decimals))]),
            steps: steps, alternatives: nil)
    }
}

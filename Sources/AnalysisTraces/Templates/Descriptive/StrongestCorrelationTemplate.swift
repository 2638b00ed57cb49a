/// Among a stated set of measures, the pair with the strongest Pearson correlation (either sign).
public struct StrongestCorrelationTemplate: QuestionTemplate {
    public let id = "strongest_correlated_pair"
    public let version = "1"
    public let category = TemplateCategory.correlation
    static let decimals = 4
    /// At most this many measures (the first ones in table order) are compared.
    static let maxColumns = 8

    public init() {}

    /// Applies with three or more measures: the first `maxColumns` of them, in table order.
    public func parameterSets(for profile: TableProfile) -> [JSONValue] {
        let measures = DescriptiveColumns.measures(profile).prefix(Self.maxColumns).map(\.name)
        guard measures.count >= 3 else { return [] }
        return [Self.parameters(columns: measures, decimals: Self.decimals)]
    }

    static func parameters(columns: [String], decimals: Int) -> JSONValue {
        .object([("columns", .array(columns.map { .string($0) })), ("decimals", .int(Int64(decimals)))])
    }

    public func instantiate(_ parameters: JSONValue) throws -> TemplateInstance {
        let reader = try TemplateParameters(parameters, templateID: id, keys: ["columns", "decimals"])
        let columns = try reader.strings("columns", count: 3...20)
        let decimals = try reader.integer("decimals", in: 0...8)
        let question = """
            Among the columns \(QuestionText.list(columns.map(QuestionText.column))), which two have the \
            strongest linear relationship, positive or negative? Measure it by the Pearson correlation, \
            computed for each pair over the rows where both columns are present, and compare absolute values \
            rounded to \(QuestionText.decimals(decimals)); if pairs tie, take the pair that comes first when \
            pairs are listed in the column order above. Answer with an object with the keys "columns" (the \
            two column names, in any order) and "correlation" (their signed coefficient rounded to \
            \(QuestionText.decimals(decimals))).
            """
        let steps = [
            ProgramStep(
                reasoning: "We compute the correlation matrix of the listed columns; pandas uses pairwise-complete rows for every pair.",
                code: Python.hooked("correlations", "df[\(Python.literal(columns))].corr()", description: "pairwise Pearson correlations") + "\nprint(correlations.round(\(decimals)))"),
            ProgramStep(
                reasoning: "Each pair appears twice in the matrix and the diagonal is trivial, so we list every pair once, in column order.",
                code: [
                    "names = list(correlations.columns)",
                    Python.hooked("pair_values", "{(a, b): float(correlations.loc[a, b]) for i, a in enumerate(names) for b in names[i + 1:]}", description: "correlation of every pair, listed once", dependsOn: ["correlations"]),
                    "print(len(pair_values))",
                ].joined(separator: "\n")),
            ProgramStep(
                reasoning: "We compare the absolute coefficients rounded to \(QuestionText.decimals(decimals)); max keeps the first pair among equals, which is the stated tie rule.",
                code: [
                    Python.hooked("strengths", "{pair: round(abs(value), \(decimals)) for pair, value in pair_values.items()}", description: "rounded absolute correlation of every pair", dependsOn: ["pair_values"]),
                    Python.hooked("strongest_pair", "max(strengths, key=strengths.get)", description: "pair with the strongest correlation", dependsOn: ["strengths"]),
                    "print(strongest_pair, pair_values[strongest_pair])",
                ].joined(separator: "\n")),
            ProgramStep(
                reasoning: "We submit the pair and its signed coefficient, rounded to \(QuestionText.decimals(decimals)).",
                code: """
                    answer = {"columns": list(strongest_pair), "correlation": round(pair_values[strongest_pair], \(decimals))}
                    print(answer)
                    submit(answer)
                    """),
        ]
        return TemplateInstance(
            templateID: id, version: version, parameters: Self.parameters(columns: columns, decimals: decimals),
            question: question, hint: nil, difficulty: .medium,
            outputSchema: .object(fields: [
                .init(name: "columns", schema: .list(items: .string, ordered: false)),
                .init(name: "correlation", schema: .number(decimals: decimals)),
            ]),
            steps: steps,
            alternatives: """
                submit([{"columns": list(pair), "correlation": round(pair_values[pair], \(decimals))} for pair, strength in strengths.items() if strength == strengths[strongest_pair]])
                """)
    }
}

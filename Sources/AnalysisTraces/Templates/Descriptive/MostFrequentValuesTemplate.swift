/// The k most frequent values of a category, in order, with their counts.
public struct MostFrequentValuesTemplate: QuestionTemplate {
    public let id = "most_frequent_values"
    public let version = "1"
    public let category = TemplateCategory.ranking

    public init() {}

    /// The first two groupings with at least three values whose top k is a well-defined set: k is
    /// the largest of 3, 2, 1 (and below the number of values) where the k-th count in the
    /// profile's top values is larger than the next one. A table whose values all occur equally
    /// often gets no question (every choice would be a tie).
    public func parameterSets(for profile: TableProfile) -> [JSONValue] {
        DescriptiveColumns.groupings(profile).filter { $0.unique >= 3 }.compactMap { column -> JSONValue? in
            guard let counts = column.topValues?.map(\.count), counts.count == min(column.unique, 10) else { return nil }
            let k = stride(from: min(3, column.unique - 1), through: 1, by: -1).first { $0 < counts.count && counts[$0 - 1] > counts[$0] }
            return k.map { Self.parameters(column: column.name, k: $0) }
        }.prefix(2).map { $0 }
    }

    static func parameters(column: String, k: Int) -> JSONValue {
        .object([("column", .string(column)), ("k", .int(Int64(k)))])
    }

    public func instantiate(_ parameters: JSONValue) throws -> TemplateInstance {
        let reader = try TemplateParameters(parameters, templateID: id, keys: ["column", "k"])
        let column = try reader.string("column")
        let k = try reader.integer("k", in: 1...10)
        let question = """
            Which \(k) values of \(QuestionText.column(column)) occur most often, from most to least frequent, \
            and in how many rows does each occur? Missing values are not a value. Break ties in the count \
            by the value written as text, in alphabetical order. Answer with an object with the keys \
            "values" (the \(k) values as text, in order) and "counts" (their row counts, in the same order).
            """
        let steps = [
            ProgramStep(
                reasoning: "We count the rows for every value of \(column); value_counts leaves missing values out.",
                code: Python.hooked("value_counts", "\(Python.column(column)).value_counts()", description: "rows per value of \(column)") + "\nprint(value_counts)"),
            ProgramStep(
                reasoning: "value_counts does not promise an order among equal counts, so we sort explicitly: by count descending, then by the value's text.",
                code: [
                    Python.hooked("scores", "{str(label): int(count) for label, count in value_counts.items()}", description: "row count per value as text", dependsOn: ["value_counts"]),
                    Python.hooked("ranking", "sorted(scores.items(), key=lambda item: (-item[1], item[0]))", description: "values from most to least frequent", dependsOn: ["scores"]),
                    "print(ranking)",
                ].joined(separator: "\n")),
            ProgramStep(
                reasoning: "We keep the first \(k) values of the ranking with their counts and submit them.",
                code: [
                    Python.hooked("top_labels", "[label for label, count in ranking[:\(k)]]", description: "the \(k) most frequent values", dependsOn: ["ranking"]),
                    Python.hooked("top_scores", "[count for label, count in ranking[:\(k)]]", description: "their row counts", dependsOn: ["ranking"]),
                    "answer = {\"values\": top_labels, \"counts\": top_scores}",
                    "print(answer)",
                    "submit(answer)",
                ].joined(separator: "\n")),
        ]
        return TemplateInstance(
            templateID: id, version: version, parameters: Self.parameters(column: column, k: k),
            question: question, hint: nil, difficulty: .easy,
            outputSchema: .object(fields: [
                .init(name: "values", schema: .list(items: .string, ordered: true)),
                .init(name: "counts", schema: .list(items: .integer, ordered: true)),
            ]),
            steps: steps,
            alternatives: RankingTies.alternatives(k: k, labelsKey: "values", scoresKey: "counts"))
    }
}

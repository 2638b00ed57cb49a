/// Are two categories associated? Pearson's chi-square test of independence on their
/// contingency table, without continuity correction, at a stated alpha.
public struct IndependenceTestTemplate: QuestionTemplate {
    public let id = "category_association_test"
    public let version = "2"
    public let category = TemplateCategory.multiGroup

    public init() {}

    /// Every pair of categories (2 to 10 groups each, every group at least 5 rows) in table order;
    /// the question is asked only when every expected count is at least 5
    /// (``ValidityChecks/chiSquareExpectedCounts(rowColumn:columnColumn:)``).
    public func parameterSets(for profile: TableProfile) -> [JSONValue] {
        let groupings = InferentialColumns.groupings(profile, groupCount: 2...10, minimumSize: 5)
        var sets: [JSONValue] = []
        for (index, rows) in groupings.enumerated() {
            for columns in groupings.dropFirst(index + 1) {
                sets.append(.object([
                    ("row_column", .string(rows.column.name)),
                    ("column_column", .string(columns.column.name)),
                    ("alpha", .double(0.05)),
                ]))
            }
        }
        return sets
    }

    public func instantiate(_ parameters: JSONValue) throws -> TemplateInstance {
        let reader = try TemplateParameters(parameters, templateID: id, keys: ["row_column", "column_column", "alpha"])
        let parameters = reader.normalized
        let rowColumn = try reader.string("row_column")
        let columnColumn = try reader.string("column_column")
        guard rowColumn != columnColumn else {
            throw TemplateError(templateID: id, message: "parameters 'row_column' and 'column_column' must differ; found '\(rowColumn)' twice")
        }
        let alpha = try reader.number("alpha", in: 0.0001...0.5)
        let alphaText = InferentialText.pythonFloat(alpha)

        let question = """
            Is \(InferentialText.column(rowColumn)) associated with \(InferentialText.column(columnColumn))? \
            Count the rows where both are present in a table with one cell for every pair of values that \
            occurs (no merging of sparse cells), and run Pearson's chi-square test of independence on it \
            without any continuity correction, at alpha = \(alphaText). Report the chi-square statistic \
            rounded to 3 decimal places, the degrees of freedom, the p-value, and the strength of the \
            association as Cramér's V (the square root of the statistic divided by n × (the smaller of the \
            numbers of rows and columns of the table − 1)) rounded to 4 decimal places; \
            \(InferentialText.significanceRule(alpha: alpha)).
            """
        let steps = [
            ProgramStep(
                reasoning: "We keep the rows where both categories are present.",
                code: """
                    alpha = \(alphaText)
                    pairs = df[\(Python.literal([rowColumn, columnColumn]))].dropna()
                    \(Python.hooked("n_rows", "len(pairs)"))
                    """),
            ProgramStep(
                reasoning: "The contingency table counts the rows for every combination of the two categories.",
                code: Python.hooked("table", "pd.crosstab(\(Python.column(rowColumn, of: "pairs")), \(Python.column(columnColumn, of: "pairs")))", dependsOn: ["n_rows"])),
            ProgramStep(
                reasoning: "Pearson's chi-square test compares the observed counts with those expected under independence; we switch the continuity correction off as asked.",
                code: """
                    result = stats.chi2_contingency(table, correction=False)
                    \(Python.hooked("statistic", "float(result.statistic)", dependsOn: ["table"]))
                    \(Python.hooked("dof", "int(result.dof)", dependsOn: ["table"]))
                    \(Python.hooked("p_value", "float(result.pvalue)", dependsOn: ["statistic", "dof"]))
                    """),
            ProgramStep(
                reasoning: "The association is significant when the p-value is below alpha; we round as the question asks.",
                code: """
                    \(Python.hooked("significant", "bool(p_value < alpha)", dependsOn: ["p_value"]))
                    \(Python.hooked("cramers_v", "float(np.sqrt(statistic / (n_rows * (min(table.shape) - 1))))", dependsOn: ["statistic", "table"]))
                    answer = {"statistic": round(statistic, 3), "degrees_of_freedom": dof, "p_value": round(p_value, 4), "significant": significant, "cramers_v": round(cramers_v, 4)}
                    submit(answer)
                    """),
        ]
        let schema: AnswerSchema = .object(fields: [
            .init(name: "statistic", schema: .number(decimals: 3)),
            .init(name: "degrees_of_freedom", schema: .integer),
            .init(name: "p_value", schema: .number(decimals: 4)),
            .init(name: "significant", schema: .boolean),
            .init(name: "cramers_v", schema: .number(decimals: 4)),
        ])
        var instance = TemplateInstance(
            templateID: id, version: version, parameters: parameters, question: InferentialText.withKeys(question, schema),
            hint: "pd.crosstab, then scipy.stats.chi2_contingency(table, correction=False); V = sqrt(chi2 / (n (min(r, c) - 1))).",
            difficulty: .hard,
            outputSchema: schema,
            steps: steps, alternatives: InferentialText.fragileSignificance())
        instance.precondition = ValidityChecks.chiSquareExpectedCounts(rowColumn: rowColumn, columnColumn: columnColumn)
        return instance
    }
}

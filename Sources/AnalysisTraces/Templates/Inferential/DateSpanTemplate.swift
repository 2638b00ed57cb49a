/// How long a period does a table cover? The earliest and latest date and the days between them.
public struct DateSpanTemplate: QuestionTemplate {
    public let id = "date_span"
    public let version = "1"
    public let category = TemplateCategory.time

    public init() {}

    /// Every date column (at most two), in table order.
    public func parameterSets(for profile: TableProfile) -> [JSONValue] {
        InferentialColumns.dates(profile).prefix(2).map { date in
            .object([("date_column", .string(date.column.name)), ("format", .string(date.format))])
        }
    }

    public func instantiate(_ parameters: JSONValue) throws -> TemplateInstance {
        let reader = try TemplateParameters(parameters, templateID: id, keys: ["date_column", "format"])
        let parameters = reader.normalized
        let dateColumn = try reader.string("date_column")
        let format = try reader.choice("format", ["%Y-%m-%d", "ISO8601"])
        let parse = InferentialText.dateFormat(format)

        let question = """
            What period does \(InferentialText.column(dateColumn)) cover? Read it \(parse.prose); values that \
            do not parse are left out. Report the earliest and the latest date as YYYY-MM-DD text, and the \
            number of whole days from the earliest to the latest (the latest minus the earliest, so two \
            consecutive days are 1 day apart).
            """
        let steps = [
            ProgramStep(
                reasoning: "The dates are stored as text, so we parse them with the stated format; anything that does not parse becomes missing.",
                code: """
                    dates = pd.to_datetime(\(Python.column(dateColumn)), format=\(parse.python), errors="coerce").dropna()
                    \(Python.hooked("n_dates", "int(dates.size)"))
                    """),
            ProgramStep(
                reasoning: "The earliest and latest dates bound the period the table covers.",
                code: """
                    \(Python.hooked("first", "dates.min()", dependsOn: ["n_dates"]))
                    \(Python.hooked("last", "dates.max()", dependsOn: ["n_dates"]))
                    """),
            ProgramStep(
                reasoning: "Subtracting the earliest from the latest date gives the span; we count its whole days.",
                code: """
                    \(Python.hooked("days", "int((last - first).days)", dependsOn: ["first", "last"]))
                    answer = {"first": first.strftime("%Y-%m-%d"), "last": last.strftime("%Y-%m-%d"), "days": days}
                    submit(answer)
                    """),
        ]
        let schema: AnswerSchema = .object(fields: [
            .init(name: "first", schema: .string),
            .init(name: "last", schema: .string),
            .init(name: "days", schema: .integer),
        ])
        return TemplateInstance(
            templateID: id, version: version, parameters: parameters, question: InferentialText.withKeys(question, schema),
            hint: "pd.to_datetime with the format, then max() - min() and .days.",
            difficulty: .easy,
            outputSchema: schema,
            steps: steps, alternatives: nil)
    }
}

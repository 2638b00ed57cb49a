/// Which row, named by its label, has the highest (or lowest) value of a measure: "which state
/// has the highest poverty rate?". Answers with the label.
public struct LabelExtremeTemplate: QuestionTemplate {
    public let id = "label_with_extreme_value"
    public let version = "1"
    public let category = TemplateCategory.ranking

    public init() {}

    /// Every label column with every measure, highest first, then lowest.
    public func parameterSets(for profile: TableProfile) -> [JSONValue] {
        AnalystColumns.labels(profile).flatMap { label in
            ["highest", "lowest"].flatMap { extreme in
                DescriptiveColumns.measures(profile).compactMap { measure in
                    measure.numeric.map { numeric -> JSONValue in
                        .object([
                            ("label_column", .string(label.name)), ("measure", .string(measure.name)),
                            ("extreme", .string(extreme)), ("decimals", .int(Int64(DescriptiveColumns.decimals(for: numeric)))),
                        ])
                    }
                }
            }
        }
    }

    public func instantiate(_ parameters: JSONValue) throws -> TemplateInstance {
        let reader = try TemplateParameters(parameters, templateID: id, keys: ["label_column", "measure", "extreme", "decimals"])
        let label = try reader.string("label_column")
        let measure = try reader.string("measure")
        let extreme = try reader.choice("extreme", ["highest", "lowest"])
        let decimals = try reader.integer("decimals", in: 0...8)
        try reader.requireDistinct(label, measure, keys: ("label_column", "measure"))
        let (l, m) = (QuestionText.column(label), QuestionText.column(measure))
        let pick = extreme == "highest" ? "idxmax" : "idxmin"
        let question = """
            Which \(l) has the \(extreme) \(m)? Leave out rows where \(m) is missing. Give the \(l) \
            exactly as written in the table and its \(m) rounded to \(QuestionText.decimals(decimals)); \
            if several rows share the \(extreme) value, give the one whose \(l) comes first in \
            alphabetical order.
            """
        let schema: AnswerSchema = .object(fields: [.init(name: "label", schema: .string), .init(name: "value", schema: .number(decimals: decimals))])
        let steps = [
            ProgramStep(
                reasoning: "We keep the rows with a value of \(measure), indexed by their \(label).",
                code: """
                    values = df.dropna(subset=[\(Python.literal(measure))]).set_index(\(Python.literal(label)))[\(Python.literal(measure))].astype(float)
                    \(Python.hooked("n_rows", "int(values.size)"))
                    """),
            ProgramStep(
                reasoning: "The \(extreme) value, and every row that has it; ties go to the first label in alphabetical order.",
                code: """
                    \(Python.hooked("extreme_value", "float(values.\(extreme == "highest" ? "max" : "min")())", dependsOn: ["n_rows"]))
                    \(Python.hooked("tied_labels", "sorted(str(name) for name, value in values.items() if value == extreme_value)", dependsOn: ["extreme_value"]))
                    print(values.\(pick)(), tied_labels)
                    answer = {"label": tied_labels[0], "value": round(extreme_value, \(decimals))}
                    submit(answer)
                    """),
        ]
        return TemplateInstance(
            templateID: id, version: version, parameters: reader.normalized, question: InferentialText.withKeys(question, schema),
            hint: "Series.\(pick)() on the measure indexed by the label column.", difficulty: .easy, outputSchema: schema,
            steps: steps, alternatives: "submit([{\"label\": name, \"value\": round(extreme_value, \(decimals))} for name in tied_labels])")
    }
}

/// The k rows with the highest value of a measure, named by their labels, with an explicit tie rule.
public struct TopLabelsTemplate: QuestionTemplate {
    public let id = "top_labels_by_value"
    public let version = "1"
    public let category = TemplateCategory.ranking

    public init() {}

    /// Every label column with every measure; k is 5 (3 for fewer than 20 rows).
    public func parameterSets(for profile: TableProfile) -> [JSONValue] {
        AnalystColumns.labels(profile).flatMap { label in
            DescriptiveColumns.measures(profile).compactMap { measure in
                measure.numeric.map { numeric -> JSONValue in
                    .object([
                        ("label_column", .string(label.name)), ("measure", .string(measure.name)),
                        ("k", .int(profile.rows >= 20 ? 5 : 3)), ("decimals", .int(Int64(DescriptiveColumns.decimals(for: numeric)))),
                    ])
                }
            }
        }
    }

    public func instantiate(_ parameters: JSONValue) throws -> TemplateInstance {
        let reader = try TemplateParameters(parameters, templateID: id, keys: ["label_column", "measure", "k", "decimals"])
        let label = try reader.string("label_column")
        let measure = try reader.string("measure")
        let k = try reader.integer("k", in: 1...10)
        let decimals = try reader.integer("decimals", in: 0...8)
        try reader.requireDistinct(label, measure, keys: ("label_column", "measure"))
        let (l, m) = (QuestionText.column(label), QuestionText.column(measure))
        let question = """
            Which \(k) values of \(l) have the highest \(m), from highest to lowest? Leave out rows where \
            \(m) is missing; rows with equal \(m) are ordered by \(l) in alphabetical order. Answer with an \
            object with the keys "labels" (the \(k) values of \(l) as written in the table, in order) and \
            "values" (their \(m), rounded to \(QuestionText.decimals(decimals)), in the same order).
            """
        let schema: AnswerSchema = .object(fields: [
            .init(name: "labels", schema: .list(items: .string, ordered: true)),
            .init(name: "values", schema: .list(items: .number(decimals: decimals), ordered: true)),
        ])
        let steps = [
            ProgramStep(
                reasoning: "We keep the rows with a value of \(measure) and sort them from highest to lowest, breaking ties by \(label).",
                code: """
                    rows = df.dropna(subset=[\(Python.literal(measure))])[[\(Python.literal(label)), \(Python.literal(measure))]]
                    rows = rows.assign(_label=rows[\(Python.literal(label))].astype(str)).sort_values([\(Python.literal(measure)), "_label"], ascending=[False, True], kind="stable")
                    \(Python.hooked("n_rows", "len(rows)"))
                    """),
            ProgramStep(
                reasoning: "The first \(k) rows of that order answer the question.",
                code: """
                    \(Python.hooked("top_labels", "rows[\"_label\"].head(\(k)).tolist()", dependsOn: ["n_rows"]))
                    \(Python.hooked("top_values", "[round(float(v), \(decimals)) for v in rows[\(Python.literal(measure))].head(\(k))]", dependsOn: ["n_rows"]))
                    answer = {"labels": top_labels, "values": top_values}
                    submit(answer)
                    """),
        ]
        return TemplateInstance(
            templateID: id, version: version, parameters: reader.normalized, question: question,
            hint: "sort_values by the measure (descending) and the label (ascending), then head(k).", difficulty: .medium,
            outputSchema: schema, steps: steps, alternatives: nil)
    }
}

/// How do several measures together predict another? Ordinary least squares with an intercept,
/// fitted with statsmodels on the complete rows.
public struct MultipleRegressionTemplate: QuestionTemplate {
    public let id = "multiple_linear_fit"
    public let version = "1"
    public let category = TemplateCategory.regression

    public init() {}

    /// Each measure on the next two or three (table order, wrapping around). Coefficient decimals keep about four significant figures of the
    /// smallest coefficient scale std(y)/std(x).
    public func parameterSets(for profile: TableProfile) -> [JSONValue] {
        // statsmodels names the added constant column "const"; a column of that name would clash.
        let measures = InferentialColumns.measures(profile, minimum: 20).filter { $0.name != "const" }
        guard measures.count >= 3 else { return [] }
        var sets: [JSONValue] = []
        // Each measure on the next three (wrapping around the list).
        for start in measures.indices {
            let response = measures[start]
            let predictors = (1...min(3, measures.count - 1)).map { measures[(start + $0) % measures.count] }
            guard let y = response.numeric else { continue }
            let scales = predictors.compactMap { predictor in predictor.numeric.map { y.std / $0.std } }
            let decimals = scales.map { InferentialColumns.decimals(forScale: $0) }.max() ?? 4
            sets.append(.object([
                ("response", .string(response.name)),
                ("predictors", .array(predictors.map { .string($0.name) })),
                ("decimals", .int(Int64(decimals))),
            ]))
        }
        return sets
    }

    public func instantiate(_ parameters: JSONValue) throws -> TemplateInstance {
        let reader = try TemplateParameters(parameters, templateID: id, keys: ["response", "predictors", "decimals"])
        let parameters = reader.normalized
        let response = try reader.string("response")
        let predictors = try reader.strings("predictors", count: 2...5)
        guard !predictors.contains(response), !predictors.contains("const"), Set(predictors).count == predictors.count else {
            throw TemplateError(templateID: id, message: "parameter 'predictors' must be distinct columns other than the response '\(response)' and 'const'")
        }
        let decimals = try reader.integer("decimals", in: 1...10)
        let names = InferentialText.list(predictors.map(InferentialText.column))

        let question = """
            Model \(InferentialText.column(response)) as a linear function of \(names) together. Fit \
            ordinary least squares with an intercept term (a constant column added to the predictors) on \
            the rows where all \(predictors.count + 1) columns are present. Report the intercept, the \
            predictors' coefficients as an object keyed by column name, each rounded to \
            \(InferentialText.decimals(decimals)), and the R² of the fit rounded to 4 decimal places.
            """
        let steps = [
            ProgramStep(
                reasoning: "We keep the rows where the response and every predictor are present.",
                code: """
                    data = df[\(Python.literal([response] + predictors))].dropna().astype(float)
                    \(Python.hooked("n_rows", "len(data)"))
                    """),
            ProgramStep(
                reasoning: "We build the design matrix from the predictors and add a constant column so the model has an intercept.",
                code: """
                    design = sm.add_constant(data[\(Python.literal(predictors))], has_constant="add")
                    \(Python.hooked("design_columns", "list(design.columns)", dependsOn: ["n_rows"]))
                    """),
            ProgramStep(
                reasoning: "Ordinary least squares gives one coefficient per column of the design matrix.",
                code: """
                    model = sm.OLS(\(Python.column(response, of: "data")), design).fit()
                    \(Python.hooked("coefficients", "model.params", dependsOn: ["design_columns"]))
                    """),
            ProgramStep(
                reasoning: "R² is the share of the response's variance the fitted model explains; we report it with the intercept and the predictors' coefficients, rounded as asked.",
                code: """
                    \(Python.hooked("r_squared", "float(model.rsquared)", dependsOn: ["coefficients"]))
                    answer = {"intercept": round(float(coefficients["const"]), \(decimals)), "coefficients": {name: round(float(coefficients[name]), \(decimals)) for name in \(Python.literal(predictors))}, "r_squared": round(r_squared, 4)}
                    submit(answer)
                    """),
        ]
        let schema: AnswerSchema = .object(fields: [
            .init(name: "intercept", schema: .number(decimals: decimals)),
            .init(name: "coefficients", schema: .mapping(values: .number(decimals: decimals))),
            .init(name: "r_squared", schema: .number(decimals: 4)),
        ])
        return TemplateInstance(
            templateID: id, version: version, parameters: parameters, question: InferentialText.withKeys(question, schema),
            hint: "statsmodels: sm.OLS(y, sm.add_constant(X)).fit() on the complete rows.",
            difficulty: .hard,
            outputSchema: schema,
            steps: steps, alternatives: nil)
    }
}

/// How does one measure change with another? The least-squares line of one measure on another,
/// its slope, intercept and R².
public struct SimpleRegressionTemplate: QuestionTemplate {
    public let id = "simple_linear_fit"
    public let version = "1"
    public let category = TemplateCategory.regression

    public init() {}

    /// Every pair of measures: the later one (table order) on the earlier.
    /// The slope's decimals keep about four significant figures of a slope of size std(y)/std(x).
    public func parameterSets(for profile: TableProfile) -> [JSONValue] {
        let measures = InferentialColumns.measures(profile, minimum: 10)
        guard measures.count >= 2 else { return [] }
        let pairs = measures.indices.dropFirst().flatMap { second in (0..<second).map { (second, $0) } }
        return pairs.compactMap { responseIndex, predictorIndex in
            let response = measures[responseIndex], predictor = measures[predictorIndex]
            guard let y = response.numeric, let x = predictor.numeric else { return nil }
            return .object([
                ("response", .string(response.name)),
                ("predictor", .string(predictor.name)),
                ("slope_decimals", .int(Int64(InferentialColumns.decimals(forScale: y.std / x.std)))),
            ])
        }
    }

    public func instantiate(_ parameters: JSONValue) throws -> TemplateInstance {
        let reader = try TemplateParameters(parameters, templateID: id, keys: ["response", "predictor", "slope_decimals"])
        let parameters = reader.normalized
        let response = try reader.string("response")
        let predictor = try reader.string("predictor")
        guard response != predictor else {
            throw TemplateError(templateID: id, message: "parameters 'response' and 'predictor' must differ; found '\(response)' twice")
        }
        let decimals = try reader.integer("slope_decimals", in: 1...10)

        let question = """
            How does \(InferentialText.column(response)) change with \(InferentialText.column(predictor))? \
            Fit an ordinary least-squares line of \(InferentialText.column(response)) on \
            \(InferentialText.column(predictor)) (with an intercept) using the rows where both are present. \
            Report the slope rounded to \(InferentialText.decimals(decimals)), the intercept rounded to 4 decimal \
            places and the R² of the fit rounded to 4 decimal places.
            """
        let steps = [
            ProgramStep(
                reasoning: "We keep the rows where both \(response) and \(predictor) are present.",
                code: """
                    pairs = df[\(Python.literal([predictor, response]))].dropna().astype(float)
                    \(Python.hooked("n_rows", "len(pairs)"))
                    """),
            ProgramStep(
                reasoning: "The correlation tells us how strong the linear relation is before fitting.",
                code: Python.hooked("correlation", "float(\(Python.column(predictor, of: "pairs")).corr(\(Python.column(response, of: "pairs"))))", dependsOn: ["n_rows"])),
            ProgramStep(
                reasoning: "The least-squares line minimises the squared vertical distances; we fit it with the intercept included.",
                code: """
                    fit = stats.linregress(\(Python.column(predictor, of: "pairs")), \(Python.column(response, of: "pairs")))
                    \(Python.hooked("slope", "float(fit.slope)", dependsOn: ["n_rows"]))
                    \(Python.hooked("intercept", "float(fit.intercept)", dependsOn: ["n_rows"]))
                    """),
            ProgramStep(
                reasoning: "For a line with an intercept, R² is the squared correlation: the share of the variance the line explains.",
                code: """
                    \(Python.hooked("r_squared", "float(fit.rvalue) ** 2", dependsOn: ["correlation"]))
                    answer = {"slope": round(slope, \(decimals)), "intercept": round(intercept, 4), "r_squared": round(r_squared, 4)}
                    submit(answer)
                    """),
        ]
        let schema: AnswerSchema = .object(fields: [
            .init(name: "slope", schema: .number(decimals: decimals)),
            .init(name: "intercept", schema: .number(decimals: 4)),
            .init(name: "r_squared", schema: .number(decimals: 4)),
        ])
        return TemplateInstance(
            templateID: id, version: version, parameters: parameters, question: InferentialText.withKeys(question, schema),
            hint: "scipy.stats.linregress(x, y) on the complete pairs; R² is rvalue squared.",
            difficulty: .medium,
            outputSchema: schema,
            steps: steps, alternatives: nil)
    }
}

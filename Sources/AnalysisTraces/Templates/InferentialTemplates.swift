/// Distribution tests, two-group and multi-group tests, regression, dates and multi-step chains.
public enum InferentialTemplates {
    public static let all: [any QuestionTemplate] = []
}

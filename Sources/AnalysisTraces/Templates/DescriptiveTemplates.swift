/// Descriptive statistics, filtering, grouping and ranking, missing data, outliers and correlation.
public enum DescriptiveTemplates {
    public static let all: [any QuestionTemplate] = []
}

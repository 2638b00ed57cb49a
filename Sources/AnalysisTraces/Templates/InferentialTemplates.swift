/// Distribution tests, two-group and multi-group tests, regression, dates and multi-step chains.
public enum InferentialTemplates {
    public static let all: [any QuestionTemplate] = [
        NormalityTestTemplate(),
        SkewnessDirectionTemplate(),
        WelchTestTemplate(),
        RankSumTestTemplate(),
        OneWayAnovaTemplate(),
        IndependenceTestTemplate(),
        SimpleRegressionTemplate(),
        MultipleRegressionTemplate(),
        PeakPeriodMeanTemplate(),
        DateSpanTemplate(),
        YearlyChangeTemplate(),
        FilteredGroupLeaderTemplate(),
        GroupVariabilityTemplate(),
    ]
}

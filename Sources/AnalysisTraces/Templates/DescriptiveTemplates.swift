/// Descriptive statistics, filtering, grouping and ranking, missing data, outliers and correlation.
/// One type per template, in Templates/Descriptive/.
public enum DescriptiveTemplates {
    public static let all: [any QuestionTemplate] = [
        CenterSpreadTemplate(),
        FiveNumberSummaryTemplate(),
        ThresholdCountTemplate(),
        FilteredMeanTemplate(),
        GroupMeansTemplate(),
        LargestGroupMeanTemplate(),
        TwoGroupDifferenceTemplate(),
        TopGroupsByMeanTemplate(),
        MostFrequentValuesTemplate(),
        MissingCountsTemplate(),
        CompleteRowsTemplate(),
        IQROutliersTemplate(),
        ZScoreOutliersTemplate(),
        CorrelationTemplate(),
        StrongestCorrelationTemplate(),
    ]
}

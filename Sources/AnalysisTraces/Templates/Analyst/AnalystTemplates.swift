/// Questions analysts ask that the first families did not: row lookups answered with a label,
/// derived per-unit columns, per-entity and calendar series, cross-tab shares, percentiles, rank
/// correlation and log-log fits. One type per template, in Templates/Analyst/.
public enum AnalystTemplates {
    public static let all: [any QuestionTemplate] = [
        LabelExtremeTemplate(),
        TopLabelsTemplate(),
        RatioTemplate(),
        PercentileTemplate(),
        RankCorrelationTemplate(),
        LogLogFitTemplate(),
        UnitGrowthTemplate(),
        WeekdayProfileTemplate(),
        PeriodPercentChangeTemplate(),
        ConditionalShareTemplate(),
    ]
}

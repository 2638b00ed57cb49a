/// The catalogue of mistakes flawed and self-correcting traces make (see <doc:Negatives>).
///
/// Each entry is plausible wherever its rewrite finds something to change in a step; whether it
/// is a mistake *on this table* is decided by running it (``NegativeTraceMaker``): a rewrite that
/// changes no hooked value, or leaves the answer accepted, is skipped with the reason counted.
public enum MistakeCatalog {
    /// Lines that assign (`name = ...`), the only ones most rewrites touch.
    static func isAssignment(_ line: String) -> Bool {
        guard let equals = line.range(of: " = ") else { return false }
        let target = line[..<equals.lowerBound]
        return !target.isEmpty && target.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }

    public static let all: [Mistake] = [
        Mistake(
            id: "population_std",
            summary: "Takes the population standard deviation (divide by n) where the question asks for the sample one (divide by n − 1).",
            correction: "The question asks for the sample standard deviation, which divides by n − 1 (ddof=1), not by n.",
            reasoningEdits: [("sample standard deviation (ddof = 1)", "standard deviation"), ("sample standard deviation", "standard deviation")],
            rewrite: Mistake.replacing("std(ddof=1)", with: "std(ddof=0)")),
        Mistake(
            id: "mean_for_median",
            summary: "Takes the mean where the question asks for the median.",
            correction: "The question asks for the median here, not the mean.",
            rewrite: Mistake.replacing(".median()", with: ".mean()", when: isAssignment)),
        Mistake(
            id: "median_for_mean",
            summary: "Takes the median where the question asks for the mean.",
            correction: "The question asks for the mean here, not the median.",
            rewrite: Mistake.matching(#"\.mean\(\)"#, with: ".median()", when: { isAssignment($0) && !$0.contains("median") })),
        Mistake(
            id: "round_before_aggregating",
            summary: "Rounds the values to whole numbers before averaging them instead of rounding only the result.",
            correction: "Only the final statistic is to be rounded; the values must be averaged at full precision.",
            rewrite: { line in
                guard isAssignment(line) else { return nil }
                if line.contains("].mean()") && !line.contains("groupby") {
                    return line.replacingOccurrences(of: "].mean()", with: "].round().mean()")
                }
                if line.contains(".astype(float).groupby(") {
                    return line.replacingOccurrences(of: ".astype(float).groupby(", with: ".astype(float).round().groupby(")
                }
                return nil
            }),
        Mistake(
            id: "inclusive_threshold",
            summary: "Uses ≥ where the question says strictly above (or ≤ for strictly below), so values exactly at the threshold are counted.",
            correction: "The question says strictly beyond the threshold, so values equal to it must not count.",
            rewrite: Mistake.matching(#"([\w\])]) ([<>]) "#, with: "$1 $2= ", when: isAssignment)),
        Mistake(
            id: "strict_threshold",
            summary: "Uses > where the question says at least (or < for at most), so values exactly at the threshold are left out.",
            correction: "The threshold is inclusive, so values equal to it must count.",
            rewrite: Mistake.matching(#" ([<>])= "#, with: " $1 ", when: isAssignment)),
        Mistake(
            id: "one_sided_test",
            summary: "Runs a one-sided test where the question asks for a two-sided one.",
            correction: "The question asks for a two-sided test.",
            reasoningEdits: [("two-sided ", ""), ("two-sided", "")],
            rewrite: Mistake.replacing(#"alternative="two-sided""#, with: #"alternative="greater""#)),
        Mistake(
            id: "pooled_variance_t_test",
            summary: "Runs Student's t-test with pooled variances where the question asks for Welch's test.",
            correction: "The question asks for Welch's test, which does not assume equal variances (equal_var=False).",
            reasoningEdits: [("Welch's ", ""), ("Welch ", ""), (" with unequal variances", "")],
            rewrite: Mistake.replacing("equal_var=False", with: "equal_var=True")),
        Mistake(
            id: "count_includes_missing",
            summary: "Counts every row, missing values included, where the question counts only the values that are present.",
            correction: "Missing values must be left out of the count.",
            rewrite: { line in
                guard isAssignment(line) else { return nil }
                if line.contains(".notna().all(axis=1).sum()") {
                    return line.replacingOccurrences(of: ".notna().all(axis=1).sum()", with: ".shape[0]")
                }
                if line.contains(".notna().sum()") {
                    return line.replacingOccurrences(of: ".notna().sum()", with: ".size")
                }
                return nil
            }),
        Mistake(
            id: "any_for_all",
            summary: "Keeps rows where any of the values is present where the question needs all of them present.",
            correction: "A row counts only when every one of its values is present.",
            rewrite: Mistake.replacing(".notna().all(axis=1)", with: ".notna().any(axis=1)", when: isAssignment)),
        Mistake(
            id: "missing_not_dropped",
            summary: "Forgets to drop the rows with missing values before counting and testing, although the question says to leave them out.",
            correction: "The rows with missing values must be dropped first, as the question says.",
            reasoningEdits: [("keep only the non-missing values of", "take the values of"), ("non-missing ", ""), (", skipping missing values", "")],
            rewrite: Mistake.matching(#"\.dropna\((subset=[^)]*)?\)"#, with: "", when: { line in
                isAssignment(line) && !line.contains(".mean()") && !line.contains(".diff()") && !line.hasPrefix("dates = ")
            })),
        Mistake(
            id: "spearman_for_pearson",
            summary: "Computes Spearman's rank correlation where the question asks for Pearson's correlation.",
            correction: "The question asks for Pearson's correlation of the values, not a rank correlation.",
            reasoningEdits: [("Pearson correlation", "correlation"), ("Pearson ", "")],
            rewrite: { line in
                guard isAssignment(line) else { return nil }
                if line.contains(".corr()") { return line.replacingOccurrences(of: ".corr()", with: #".corr(method="spearman")"#) }
                return Mistake.matching(#"\.corr\(([^()]*\[[^()]*\])\)"#, with: #".corr($1, method="spearman")"#)(line)
            }),
        Mistake(
            id: "quartile_convention",
            version: "2",
            summary: "Takes quartiles with the exclusive (n + 1) convention of Excel's QUARTILE.EXC and SPSS instead of the linear interpolation the question states.",
            correction: "The question defines quartiles by linear interpolation: the p-th quantile sits at position p × (n − 1).",
            rewrite: { line in
                guard isAssignment(line) else { return nil }
                if let list = Mistake.matching(#"(df\[[^\]]*\])\.quantile\(\[([^\]]*)\]\)"#,
                                               with: #"pd.Series(np.quantile($1.dropna(), [$2], method="weibull"), index=[$2])"#)(line) {
                    return list
                }
                return Mistake.matching(#"(df\[[^\]]*\])\.quantile\(([^()\[\]]*)\)"#, with: #"np.quantile($1.dropna(), $2, method="weibull")"#)(line)
            }),
        Mistake(
            id: "filter_forgotten",
            summary: "Forgets the filter the question asks for and computes over every row.",
            correction: "Only the rows the question selects may be used.",
            rewrite: { line in
                guard isAssignment(line) else { return nil }
                if line.hasPrefix("filtered = df[") { return "filtered = df" }
                return Mistake.matching(#"df\.loc\[[^\n]*?, ("[^"]*")\]"#, with: "df[$1]")(line)
            }),
        Mistake(
            id: "unsorted_top_k",
            summary: "Takes the first k entries without sorting them by the score first.",
            correction: "The entries have to be sorted by their score before the top ones are taken.",
            rewrite: { line in
                if line.contains(#".sort_values(ascending=False, kind="stable")"#) {
                    return line.replacingOccurrences(of: #".sort_values(ascending=False, kind="stable")"#, with: "")
                }
                if line.contains("sorted(scores.items(), key=lambda item: (-item[1], item[0]))") {
                    return line.replacingOccurrences(of: "sorted(scores.items(), key=lambda item: (-item[1], item[0]))", with: "list(scores.items())")
                }
                return nil
            }),
        Mistake(
            id: "signed_correlation_strength",
            summary: "Ranks correlations by their signed value instead of their strength (absolute value).",
            correction: "The strength of a correlation is its absolute value.",
            reasoningEdits: [("absolute ", "")],
            rewrite: Mistake.replacing("round(abs(value), ", with: "round(value, ", when: isAssignment)),
        Mistake(
            id: "biased_skewness",
            summary: "Computes the biased (uncorrected) skewness where the question asks for the bias-adjusted one.",
            correction: "The question asks for the bias-adjusted skewness, which pandas' skew gives.",
            reasoningEdits: [("adjusted skewness", "skewness"), (", corrected for sample size", "")],
            rewrite: Mistake.replacing("float(values.skew())", with: "float(stats.skew(values))", when: isAssignment)),
        Mistake(
            id: "r_for_r_squared",
            summary: "Reports the correlation coefficient r where the question asks for R².",
            correction: "R² is the square of the correlation coefficient.",
            rewrite: Mistake.replacing("float(fit.rvalue) ** 2", with: "float(fit.rvalue)", when: isAssignment)),
        Mistake(
            id: "continuity_correction",
            summary: "Applies Yates' continuity correction to the chi-squared test where the question asks for none.",
            correction: "The question asks for the test without continuity correction.",
            rewrite: Mistake.replacing("correction=False", with: "correction=True")),
        Mistake(
            id: "rank_test_for_anova",
            summary: "Runs the Kruskal–Wallis rank test where the question asks for a one-way ANOVA.",
            correction: "The question asks for a one-way ANOVA on the values, not a rank test.",
            rewrite: Mistake.replacing("stats.f_oneway(", with: "stats.kruskal(")),
        Mistake(
            id: "off_by_one_period",
            version: "2",
            summary: "Takes each period's change to the next period instead of from the previous one, so every change is labelled one period early.",
            correction: "A change belongs to the later period of the pair: this period's value minus the previous one's.",
            reasoningEdits: [("minus the average of the year before it", "compared with the year after it")],
            rewrite: Mistake.matching(#"(\w+)\.diff\(\)"#, with: "($1.shift(-1) - $1)", when: isAssignment)),
        Mistake(
            id: "reversed_test_decision",
            summary: "Reads a test's decision backwards, rejecting the null hypothesis when the p-value is at least α.",
            correction: "The null hypothesis is rejected when the p-value is below α, and kept otherwise.",
            reasoning: "We turn the p-value into the decision at level alpha and submit the rounded results.",
            rewrite: { line in
                guard isAssignment(line) else { return nil }
                if line.contains("bool(p_value < alpha)") { return line.replacingOccurrences(of: "bool(p_value < alpha)", with: "bool(p_value >= alpha)") }
                if line.contains("bool(p_value >= alpha)") { return line.replacingOccurrences(of: "bool(p_value >= alpha)", with: "bool(p_value < alpha)") }
                return nil
            }),
        Mistake(
            id: "adjusted_r_squared",
            summary: "Reports the adjusted R² where the question asks for R².",
            correction: "The question asks for the plain R², not the adjusted one.",
            rewrite: Mistake.replacing("model.rsquared)", with: "model.rsquared_adj)", when: isAssignment)),
        Mistake(
            id: "wrong_normality_test",
            summary: "Runs D'Agostino and Pearson's normality test where the question asks for Shapiro–Wilk.",
            correction: "The question asks for the Shapiro–Wilk test.",
            reasoningEdits: [("Shapiro–Wilk ", ""), ("Shapiro-Wilk ", "")],
            rewrite: Mistake.replacing("stats.shapiro(", with: "stats.normaltest(", when: isAssignment)),
        Mistake(
            id: "ascending_ranking",
            summary: "Sorts ascending where the question asks for the largest first, so the ranking starts from the bottom.",
            correction: "The ranking must start from the largest value.",
            rewrite: { line in
                if line.contains("key=lambda item: (-item[1], item[0]))") {
                    return line.replacingOccurrences(of: "key=lambda item: (-item[1], item[0]))", with: "key=lambda item: (item[1], item[0]))")
                }
                if line.contains("sort_values(ascending=False") {
                    return line.replacingOccurrences(of: "sort_values(ascending=False", with: "sort_values(ascending=True")
                }
                return nil
            }),
        Mistake(
            id: "inclusive_day_count",
            summary: "Counts the days of a span inclusively (one more) where the question asks for the difference between the dates.",
            correction: "The span is the difference between the two dates, without counting both ends.",
            rewrite: Mistake.replacing("int((last - first).days)", with: "int((last - first).days) + 1", when: isAssignment)),
    ]

    /// The mistake with id `id`.
    public static func mistake(id: String) -> Mistake? {
        all.first { $0.id == id }
    }
}

import Foundation
import Testing
@testable import AnalysisTraces

/// The seeded, weighted draw of questions: spread over the columns, capped, and free of
/// questions derivable from one another. No sandbox: the draw needs only the profile.
@Suite struct QuestionSelectionTests {
    /// A wine-like table: 13 measures in table order, then one three-valued category.
    static let wide: TableProfile = {
        var columns: [ColumnProfile] = []
        for index in 0..<13 {
            let base = Double(index)
            columns.append(HandProfiles.measure("m\(index)", median: 10 + base, q1: 5 + base, q3: 20 + base, std: 4))
        }
        var cultivar = HandProfiles.category("cultivar", labels: ["a", "b", "c"])
        cultivar.topValues = [ValueCount(value: "a", count: 60), ValueCount(value: "b", count: 60), ValueCount(value: "c", count: 58)]
        columns.append(cultivar)
        return TableProfile(rows: 178, columns: columns)
    }()

    static func uses(_ instances: [TemplateInstance], profile: TableProfile) -> [[String]] {
        let names = Set(profile.columns.map(\.name))
        return instances.map { QuestionSelection.columns(in: $0.parameters, names: names) }
    }

    @Test(arguments: [UInt64(0), 1, 7, 42])
    func atFortyQuestionsEveryMeasureAppearsBeforeAnyAppearsAFourthTime(seed: UInt64) {
        let selection = QuestionSelection.select(from: Self.wide, seed: seed, limit: 40)
        #expect(selection.selected.count == 40)
        let measures = QuestionSelection.usableMeasures(Self.wide)
        #expect(measures.count == 13)
        var counts: [String: Int] = [:]
        for columns in Self.uses(selection.selected, profile: Self.wide) {
            for column in columns where measures.contains(column) {
                counts[column, default: 0] += 1
                if counts[column] == 4 {
                    let missing = measures.filter { counts[$0] == nil }
                    #expect(missing.isEmpty, "\(column) appears a fourth time before \(missing) appear at all")
                }
            }
        }
        #expect(measures.allSatisfy { counts[$0] != nil }, "unused: \(measures.filter { counts[$0] == nil })")
    }

    @Test func theLastMeasuresOfTheTableAreUsedAsOftenAsTheFirst() {
        // Column order used to decide: the first columns got ~20 questions, the last none.
        let selection = QuestionSelection.select(from: Self.wide, seed: 0, limit: 40)
        var counts: [String: Int] = [:]
        for columns in Self.uses(selection.selected, profile: Self.wide) { for column in columns { counts[column, default: 0] += 1 } }
        let first = (0..<3).map { counts["m\($0)", default: 0] }.reduce(0, +)
        let last = (10..<13).map { counts["m\($0)", default: 0] }.reduce(0, +)
        #expect(abs(first - last) <= 6, "first three measures \(first) uses, last three \(last)")
    }

    @Test func aMeasureAppearsAtMostOncePerTemplate() {
        let selection = QuestionSelection.select(from: Self.wide, seed: 3, limit: 60)
        let measures = Set(QuestionSelection.usableMeasures(Self.wide))
        var pairs = Set<String>()
        for (instance, columns) in zip(selection.selected, Self.uses(selection.selected, profile: Self.wide)) {
            for column in columns where measures.contains(column) {
                #expect(pairs.insert("\(instance.templateID) \(column)").inserted, "\(instance.templateID) uses \(column) twice")
            }
        }
    }

    @Test(arguments: [UInt64(0), 5])
    func noQuestionIsDerivableFromAnother(seed: UInt64) {
        for profile in [Self.wide, HandProfiles.rich, HandProfiles.numericOnly] {
            let selected = QuestionSelection.select(from: profile, seed: seed, limit: 200).selected
            for (index, first) in selected.enumerated() {
                for second in selected[(index + 1)...] {
                    #expect(!DerivableQuestions.derivable(first, second), "\(first.templateID) \(CanonicalJSON.string(first.parameters)) and \(second.templateID) \(CanonicalJSON.string(second.parameters))")
                }
            }
        }
    }

    @Test func derivableQuestionsAreDroppedWithTheQuestionTheyCanBeReadOff() {
        let selection = QuestionSelection.select(from: Self.wide, seed: 0, limit: 200)
        let derivable = selection.dropped.filter { $0.rule == .derivable }
        #expect(!derivable.isEmpty)
        #expect(derivable.allSatisfy { $0.reason.hasPrefix("can be read off ") })
    }

    @Test func theRelationCoversTheKnownCases() throws {
        func instance(_ id: String, _ members: [(String, JSONValue)]) throws -> TemplateInstance {
            let template = try #require(TemplateCatalog.template(id: id))
            return try template.instantiate(.object(members))
        }
        let means = try instance("group_means", [("group_column", .string("g")), ("column", .string("x")), ("decimals", .int(2))])
        let leader = try instance("group_with_largest_mean", [("group_column", .string("g")), ("column", .string("x")), ("decimals", .int(2))])
        let otherLeader = try instance("group_with_largest_mean", [("group_column", .string("g")), ("column", .string("y")), ("decimals", .int(2))])
        #expect(DerivableQuestions.derivable(means, leader))
        #expect(!DerivableQuestions.derivable(means, otherLeader))
        let correlation = try instance("correlation_between", [("first_column", .string("x")), ("second_column", .string("y")), ("decimals", .int(4))])
        let fit = try instance("simple_linear_fit", [("response", .string("y")), ("predictor", .string("x")), ("slope_decimals", .int(4))])
        #expect(DerivableQuestions.derivable(correlation, fit), "R² of the line is the squared correlation of the same pair")
        let summary = try instance("center_and_spread", [("column", .string("x")), ("decimals", .int(2))])
        let fiveNumbers = try instance("five_number_summary", [("column", .string("x")), ("decimals", .int(2))])
        #expect(DerivableQuestions.derivable(summary, fiveNumbers))
    }

    @Test func theDrawIsDeterministicForASeedAndDiffersAcrossSeeds() {
        let first = QuestionSelection.select(from: Self.wide, seed: 9, limit: 40).selected
        #expect(first == QuestionSelection.select(from: Self.wide, seed: 9, limit: 40).selected)
        #expect(first != QuestionSelection.select(from: Self.wide, seed: 10, limit: 40).selected)
    }

    @Test func excludedCandidatesAreNeverDrawnAndKeepTheirReason() {
        let all = QuestionSelection.select(from: Self.wide, seed: 0, limit: 10)
        let victim = all.selected[0]
        let label = "\(victim.templateID) \(CanonicalJSON.string(victim.parameters))"
        let drop = QuestionSelection.Drop(label: label, rule: .degenerate, reason: "the answer is degenerate (zero)")
        let again = QuestionSelection.select(from: Self.wide, seed: 0, limit: 10, excluded: [label: drop])
        #expect(!again.selected.contains(victim))
        #expect(again.dropped.contains(drop))
    }

    @Test func outlierQuestionsWhoseCountTheProfileShowsIsZeroAreScreenedOut() {
        // No value beyond the fences: min 5 >= q1 - 1.5 IQR, max 25 <= q3 + 1.5 IQR.
        let tight = ColumnProfile(
            name: "t", dtype: "float64", role: .measure, missing: 0, missingShare: 0, unique: 50,
            numeric: NumericSummary(min: 5, max: 25, mean: 15, std: 5, median: 15, q1: 10, q3: 20, integerValued: false),
            topValues: nil, dateRange: nil)
        let profile = TableProfile(rows: 50, columns: [tight])
        let parameters = JSONValue.object([("column", .string("t")), ("decimals", .int(3))])
        #expect(IQROutliersTemplate().screen(parameters, profile: profile)?.contains("1.5 × IQR") == true)
        #expect(ZScoreOutliersTemplate().screen(.object([("column", .string("t")), ("cutoff", .double(3)), ("decimals", .int(3))]), profile: profile) != nil)
        var wide = tight
        wide.numeric?.max = 60
        #expect(IQROutliersTemplate().screen(parameters, profile: TableProfile(rows: 50, columns: [wide])) == nil)
    }

    @Test func thresholdsAreRoundValuesNearTheThirdQuartileNotTheMedian() {
        func numeric(min: Double, q1: Double, median: Double, q3: Double, max: Double) -> NumericSummary {
            NumericSummary(min: min, max: max, mean: median, std: (q3 - q1) / 1.35, median: median, q1: q1, q3: q3, integerValued: false)
        }
        #expect(DescriptiveColumns.roundThreshold(numeric(min: 2700, q1: 3550, median: 4050, q3: 4750, max: 6300)) == 5000)
        #expect(DescriptiveColumns.roundThreshold(numeric(min: 32.1, q1: 39.2, median: 44.45, q3: 48.5, max: 59.6)) == 49)
        #expect(DescriptiveColumns.roundThreshold(numeric(min: 0.1, q1: 0.3, median: 1.3, q3: 1.8, max: 2.5)) == 2)
        // A round value at the maximum takes a finer step (10, 5, then 2) until it lies inside the range.
        #expect(DescriptiveColumns.roundThreshold(numeric(min: 0, q1: 10, median: 20, q3: 48, max: 50)) == 48)
    }

    @Test func degenerateAnswersAreRecognised() {
        #expect(DegenerateAnswer.kind(.int(0)) == DegenerateAnswer.zero)
        #expect(DegenerateAnswer.kind(.object([("lower", .double(1.5)), ("upper", .double(9)), ("count", .int(0))])) == DegenerateAnswer.zero)
        #expect(DegenerateAnswer.kind(.object([("statistic", .double(80)), ("p_value", .double(0)), ("significant", .bool(true))])) == DegenerateAnswer.tinyPValue)
        #expect(DegenerateAnswer.kind(.object([("statistic", .double(80)), ("p_value", .double(0)), ("eta_squared", .double(0.6))])) == nil)
        #expect(DegenerateAnswer.kind(.object([("count", .int(3)), ("share", .double(0.25))])) == nil)
    }

    @Test func theQualityReportCountsUnusedColumnsWithTheirRoleReason() {
        var profile = Self.wide
        profile.columns.append(ColumnProfile(
            name: "year", dtype: "int64", role: .calendar, missing: 0, missingShare: 0, unique: 20, numeric: nil,
            topValues: nil, dateRange: nil, reason: "calendar field: named 'year' with values of that calendar unit"))
        let selection = QuestionSelection.select(from: profile, seed: 0, limit: 40)
        let report = QuestionQualityReport(
            profile: profile, written: selection.selected.map { ($0, JSONValue.int(1)) }, dropped: selection.dropped)
        #expect(report.questions == 40)
        #expect(report.unusedColumns.map(\.name) == ["year"])
        #expect(report.unusedColumns.first?.reason.contains("calendar field") == true)
        #expect(report.counters["dropped.derivable"] == selection.dropped.filter { $0.rule == .derivable }.count)
        #expect(report.perTemplate.values.reduce(0, +) == 40)
        #expect(report.line.contains("degenerate"))
    }
}

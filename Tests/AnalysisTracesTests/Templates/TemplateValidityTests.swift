import Foundation
import Testing
@testable import AnalysisTraces
import TestSupport

/// The statistical validity rules, each on a small purpose-made table run in the real sandbox:
/// the question is rejected (or its program leaves the invalid part out) exactly when the rule
/// says so. Without the rule, each rejected question below would be emitted with a misleading
/// ground truth.
@Suite(.serialized, .requiresSandbox, .timeLimit(.minutes(10)))
struct TemplateValidityTests {
    static func run(_ instance: TemplateInstance, csv: String) async throws -> TemplateRun {
        try await ProfileTestSandbox.withWorker(csv: csv) { worker in try await TemplateExecution.run(instance, on: worker) }
    }

    static func csv(_ header: String, _ rows: [String]) -> String { ([header] + rows).joined(separator: "\n") + "\n" }

    /// Monthly rows from January of `from` to December of `to`, with `value(yearIndex, month)`.
    static func monthly(from: Int, to: Int, value: (Int, Int) -> Double) -> [String] {
        (from...to).flatMap { year in
            (1...12).map { month in String(format: "%04d-%02d-15,%.3f", year, month, value(year - from, month)) }
        }
    }

    static func period(_ period: String) throws -> TemplateInstance {
        try PeakPeriodMeanTemplate().instantiate(.object([
            ("date_column", .string("day")), ("format", .string("%Y-%m-%d")), ("measure", .string("level")), ("period", .string(period)),
        ]))
    }

    @Test func chiSquareIsNotAskedOnASparseCrossTab() async throws {
        let instance = try IndependenceTestTemplate().instantiate(.object([
            ("row_column", .string("a")), ("column_column", .string("b")), ("alpha", .double(0.05)),
        ]))
        // 30 rows: b = "rare" in only 2 rows, so its expected counts are below 5.
        let sparse = Self.csv("a,b", (0..<30).map { "\(["x", "y", "z"][$0 % 3]),\($0 < 2 ? "rare" : ["p", "q"][$0 % 2])" })
        let rejected = try await Self.run(instance, csv: sparse)
        #expect(rejected.answer == nil)
        #expect(rejected.rejection?.contains("expected count") == true, "\(rejected.rejection ?? "no rejection")")
        // 60 rows over 2 x 2 cells: every expected count is 15.
        let dense = Self.csv("a,b", (0..<60).map { "\(["x", "y"][$0 % 2]),\(["p", "q"][($0 / 2) % 2])" })
        let accepted = try await Self.run(instance, csv: dense)
        #expect(accepted.rejection == nil)
        #expect(accepted.answer?["cramers_v"] != nil)
    }

    @Test func peakMonthIsNotAskedOfATrendDominatedSeries() async throws {
        // A steady rise of 12 per year with a seasonal wave of 1: the "peak month" is December.
        let trending = Self.csv("day,level", Self.monthly(from: 2001, to: 2006) { year, month in Double(year * 12 + month) + sin(Double(month)) })
        let run = try await Self.run(try Self.period("month"), csv: trending)
        #expect(run.rejection?.contains("trend-dominated") == true, "\(run.rejection ?? "no rejection")")
        // The same wave without the trend is a fair seasonal question.
        let seasonal = Self.csv("day,level", Self.monthly(from: 2001, to: 2006) { year, month in 10 + 5 * sin(Double(month) / 12 * 2 * .pi) + Double(year % 2) * 0.1 })
        let accepted = try await Self.run(try Self.period("month"), csv: seasonal)
        #expect(accepted.rejection == nil)
        #expect(accepted.answer?["month"] == .int(3))
    }

    @Test func peakMonthIsNotAskedOfQuarterlyData() async throws {
        let quarterly = Self.csv("day,level", (2001...2008).flatMap { year in
            [1, 4, 7, 10].map { month in String(format: "%04d-%02d-01,%.2f", year, month, 10 + Double(month % 5)) }
        })
        let run = try await Self.run(try Self.period("month"), csv: quarterly)
        #expect(run.rejection?.contains("all 12") == true, "\(run.rejection ?? "no rejection")")
    }

    @Test func yearlyChangeLeavesOutAPartialLastYear() async throws {
        // 2001-2004 complete and flat-ish, then January 2005 alone with a huge value: without the
        // complete-year rule the answer would be 2005.
        var rows = Self.monthly(from: 2001, to: 2004) { year, month in 10 + Double(year) * (year == 2 ? 3 : 1) + Double(month % 3) * 0.1 }
        rows.append("2005-01-15,500.000")
        let instance = try YearlyChangeTemplate().instantiate(.object([
            ("date_column", .string("day")), ("format", .string("%Y-%m-%d")), ("measure", .string("level")),
        ]))
        let run = try await Self.run(instance, csv: Self.csv("day,level", rows))
        #expect(run.rejection == nil)
        #expect(run.answer?["year"] == .int(2003), "\(run.answer.map(CanonicalJSON.string) ?? "nil")")
        #expect(instance.question.contains("partial first or last year is left out"))
    }

    @Test func peakYearLeavesOutAPartialFirstYear() async throws {
        // Seasonal data from 2001 to 2004, plus December 2000 alone with the highest value.
        var rows = ["2000-12-15,90.000"]
        rows += Self.monthly(from: 2001, to: 2004) { year, month in 10 + 5 * sin(Double(month) / 12 * 2 * .pi) + Double([0, 2, 1, 0][year]) }
        let run = try await Self.run(try Self.period("year"), csv: Self.csv("day,level", rows))
        #expect(run.rejection == nil)
        #expect(run.answer?["year"] == .int(2002), "\(run.answer.map(CanonicalJSON.string) ?? "nil")")
    }

    @Test func aGroupLeaderIsNeverAGroupOfAFewRows() async throws {
        // "tiny" has 2 rows with the largest values; the other groups have 20 rows each.
        var rows: [String] = []
        for i in 0..<40 { rows.append("\(["big", "mid"][i % 2]),\(Double(i % 10) + (i % 2 == 0 ? 5 : 0)),\(Double(i))") }
        rows += ["tiny,100,50", "tiny,101,51"]
        let instance = try FilteredGroupLeaderTemplate().instantiate(.object([
            ("filter_measure", .string("f")), ("measure", .string("m")), ("group_column", .string("g")),
        ]))
        let run = try await Self.run(instance, csv: Self.csv("g,m,f", rows))
        #expect(run.rejection == nil, "\(run.rejection ?? "")")
        #expect(run.answer?["group"] == .string("big"), "\(run.answer.map(CanonicalJSON.string) ?? "nil")")
        #expect(instance.question.contains("at least 5 kept rows"))
    }
}

import Foundation
import Testing
@testable import AnalysisTraces
import TestSupport

/// A 24-row table whose columns are the tricky cases of the role rules.
enum TrickyTable {
    static let rows = 24
    static let greek = [
        "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu",
        "nu", "xi", "omicron", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega",
    ]
    static let header = [
        "id", "Unnamed: 0", "seq", "name", "value", "year", "flag", "answer", "day", "mostly_dates",
        "half_dates", "sentence", "empty", "constant", "na_num", "customer_id", "price_id", "score",
    ]
    /// `na_num`'s cycle: NA tokens between numbers.
    static let naNumbers = ["NA", "3.5", "N/A", "7.25", "1.125", "9.5"]

    /// `value`: continuous and all distinct.
    static func value(_ i: Int) -> Double { 1.5 + Double(i) * 0.37 + Double(i % 5) * 0.013 }

    static var csv: String {
        var lines = [header.joined(separator: ",")]
        for i in 0..<rows {
            let fields: [String] = [
                String(100 + i * 3),                                 // id: unique, not sequential
                String(i),                                           // Unnamed: 0
                String(5 + i),                                       // seq: 5, 6, 7, ...
                "Person \(greek[i].capitalized)",                    // name: all distinct, two words
                String(format: "%.3f", value(i)),                    // value: continuous float
                String(2007 + i % 3),                                // year: three values
                String(i % 2),                                       // flag: 0/1
                ["yes", "no", "NA", ""][i % 4],                      // answer: yes/no with missing
                String(format: "2020-01-%02d", i + 1),               // day: ISO dates
                i == 5 ? "garbage" : String(format: "2020-02-%02d", i + 1),   // 23 of 24 dates
                i % 2 == 1 ? String(format: "2020-02-%02d", i + 1) : "junk\(i)", // half dates
                "The \(greek[i]) sat quietly beside the old river bank number \(i)", // text
                "",                                                  // empty: all missing
                "same",                                              // constant
                naNumbers[i % naNumbers.count],                      // numbers with NA tokens
                String(7 + i % 4),                                   // customer_id: repeated codes
                String(format: "%.2f", 10.0 + Double(i * 7 % rows) * 1.37), // price_id: continuous
                String(format: "%.1f", Double(i % 3) + 0.5),         // score: three non-whole values
            ]
            lines.append(fields.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static let shared = Task<TableProfile, any Error> { try await ProfileTestSandbox.profile(csv: csv) }

    /// The table profiled once in the real sandbox.
    static func profile() async throws -> TableProfile { try await shared.value }
}

@Suite(.requiresSandbox, .timeLimit(.minutes(10)))
struct TableProfilerRoleTests {
    @Test(arguments: [
        ("id", ColumnRole.identifier),
        ("Unnamed: 0", .identifier),
        ("seq", .identifier),
        ("name", .label),
        ("value", .measure),
        ("year", .calendar),
        ("flag", .binaryCategory),
        ("answer", .binaryCategory),
        ("day", .date),
        ("mostly_dates", .date),
        ("sentence", .text),
        ("empty", .text),
        ("constant", .constant),
        ("na_num", .measure),
        ("customer_id", .identifier),
        ("price_id", .measure),
        ("score", .measure),
    ])
    func assignsTheExpectedRoleToATrickyColumn(column: String, role: ColumnRole) async throws {
        let profile = try await TrickyTable.profile()
        let found = try #require(profile[column], "no column \(column) in the profile")
        #expect(found.role == role, "\(column): expected \(role.rawValue), found \(found.role.rawValue)")
        #expect(!found.reason.isEmpty, "\(column): the role has no recorded reason")
    }

    @Test func listsEveryColumnInTableOrderWithTheLoadersDtypes() async throws {
        let profile = try await TrickyTable.profile()
        #expect(profile.rows == TrickyTable.rows)
        #expect(profile.columns.map(\.name) == TrickyTable.header)
        #expect(profile["id"]?.dtype == "int64")
        #expect(profile["value"]?.dtype == "float64")
        #expect(profile["name"]?.dtype == "str")
        #expect(profile["empty"]?.dtype == "float64")
    }

    @Test func aContinuousAllDistinctFloatIsAMeasureWithASummary() async throws {
        let column = try #require(try await TrickyTable.profile()["value"])
        #expect(column.unique == TrickyTable.rows)
        let numeric = try #require(column.numeric)
        let values = (0..<TrickyTable.rows).map { (TrickyTable.value($0) * 1000).rounded() / 1000 }
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count - 1)
        #expect(abs(numeric.mean - mean) < 1e-9)
        #expect(abs(numeric.std - variance.squareRoot()) < 1e-9)
        #expect(numeric.min == values.min())
        #expect(numeric.max == values.max())
        #expect(!numeric.integerValued)
        #expect(column.topValues == nil)
        #expect(column.dateRange == nil)
    }

    @Test func datesWithAFewGarbageValuesKeepTheirRangeAndShare() async throws {
        let profile = try await TrickyTable.profile()
        let day = try #require(profile["day"]?.dateRange)
        #expect(day == DateRange(min: "2020-01-01", max: "2020-01-24", parsedShare: 1.0))
        let mostly = try #require(profile["mostly_dates"]?.dateRange)
        #expect(mostly.min == "2020-02-01")
        #expect(mostly.max == "2020-02-24")
        #expect(abs(mostly.parsedShare - 23.0 / 24.0) < 1e-12)
    }

    @Test func halfParsableDatesAreNotADate() async throws {
        let column = try #require(try await TrickyTable.profile()["half_dates"])
        #expect(column.role != .date)
        #expect(column.dateRange == nil)
    }

    @Test func aYesNoColumnWithMissingValuesIsBinaryWithCountsAndMissingShare() async throws {
        let column = try #require(try await TrickyTable.profile()["answer"])
        #expect(column.missing == 12)
        #expect(column.missingShare == 0.5)
        #expect(column.unique == 2)
        // Six of each: the tie is broken by the value's text.
        #expect(column.topValues == [ValueCount(value: "no", count: 6), ValueCount(value: "yes", count: 6)])
    }

    @Test func integerCodesListTheirValuesAsWholeNumbers() async throws {
        let profile = try await TrickyTable.profile()
        #expect(profile["year"]?.topValues == [
            ValueCount(value: "2007", count: 8), ValueCount(value: "2008", count: 8), ValueCount(value: "2009", count: 8),
        ])
        #expect(profile["flag"]?.topValues == [ValueCount(value: "0", count: 12), ValueCount(value: "1", count: 12)])
        #expect(profile["year"]?.numeric?.integerValued == true)
    }

    @Test func anAllMissingColumnHasNoSummaryAndCountsEveryRowMissing() async throws {
        let column = try #require(try await TrickyTable.profile()["empty"])
        #expect(column.missing == TrickyTable.rows)
        #expect(column.missingShare == 1.0)
        #expect(column.unique == 0)
        #expect(column.numeric == nil)
        #expect(column.dateRange == nil)
        #expect(column.topValues == [])
    }

    @Test func aConstantColumnIsConstantWithOneValue() async throws {
        let column = try #require(try await TrickyTable.profile()["constant"])
        #expect(column.unique == 1)
        #expect(column.topValues == [ValueCount(value: "same", count: TrickyTable.rows)])
    }

    @Test func naTokensInANumericColumnAreMissingAndLeftOutOfTheSummary() async throws {
        let column = try #require(try await TrickyTable.profile()["na_num"])
        #expect(column.dtype == "float64")
        #expect(column.missing == 8)
        #expect(column.unique == 4)
        let numeric = try #require(column.numeric)
        let present = (0..<TrickyTable.rows).compactMap { Double(TrickyTable.naNumbers[$0 % TrickyTable.naNumbers.count]) }
        #expect(present.count == 16)
        #expect(abs(numeric.mean - present.reduce(0, +) / Double(present.count)) < 1e-12)
        #expect(numeric.min == 1.125)
        #expect(numeric.max == 9.5)
        // Sorted values: four each of 1.125, 3.5, 7.25, 9.5; linear quantiles.
        #expect(numeric.median == (3.5 + 7.25) / 2)
        #expect(abs(numeric.q1 - (1.125 + 0.75 * (3.5 - 1.125))) < 1e-12)
        #expect(abs(numeric.q3 - (7.25 + 0.25 * (9.5 - 7.25))) < 1e-12)
    }

    @Test func freeTextListsItsMostFrequentValuesByText() async throws {
        let column = try #require(try await TrickyTable.profile()["sentence"])
        let top = try #require(column.topValues)
        #expect(top.count == 10)
        #expect(top.allSatisfy { $0.count == 1 })
        #expect(top.map(\.value) == top.map(\.value).sorted())
    }
}

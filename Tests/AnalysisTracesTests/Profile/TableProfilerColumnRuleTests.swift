import Foundation
import Testing
@testable import AnalysisTraces
import TestSupport

/// One small table per rule that keeps a column from being a measure; without the rule each
/// column below would be profiled as a `measure` (shown in the test names' tables).
@Suite(.requiresSandbox, .timeLimit(.minutes(10)))
struct TableProfilerColumnRuleTests {
    /// `n` rows of `columns`, each a function of the row index.
    static func csv(rows: Int, _ columns: [(String, (Int) -> String)]) -> String {
        var lines = [columns.map(\.0).joined(separator: ",")]
        for i in 0..<rows { lines.append(columns.map { $0.1(i) }.joined(separator: ",")) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A noisy but deterministic continuous value.
    static func noise(_ i: Int, _ salt: Int = 0) -> Double { Double((i * 7919 + salt * 104_729) % 1000) / 37.0 + 0.5 }

    @Test func distinctWholeNumbersInShuffledOrderAreAKeyNotAMeasure() async throws {
        // 30 distinct numbers 5000, 5003, ... in a shuffled order: not a row number, but a key.
        let profile = try await ProfileTestSandbox.profile(csv: Self.csv(rows: 30, [
            ("order_no", { String(5000 + 3 * ($0 * 11 % 30)) }),
            ("amount", { String(format: "%.2f", Self.noise($0)) }),
            ("population", { String(100_000 + $0 * $0 * 9_173 + $0 * 17) }),
        ]))
        let key = try #require(profile["order_no"])
        #expect(key.role == .identifier)
        #expect(key.reason.hasPrefix("key:"), "\(key.reason)")
        #expect(profile["population"]?.role == .measure, "distinct whole numbers spread unevenly are a quantity")
    }

    @Test func aColumnNamedLikeACodeIsAnIdentifier() async throws {
        let profile = try await ProfileTestSandbox.profile(csv: Self.csv(rows: 30, [
            ("zip_code", { String(10_000 + ($0 * 7_777) % 89_999) }),
            ("amount", { String(format: "%.2f", Self.noise($0)) }),
        ]))
        #expect(profile["zip_code"]?.role == .identifier)
        #expect(profile["zip_code"]?.reason.hasPrefix("code:") == true)
    }

    @Test func calendarFieldsAreNotMeasures() async throws {
        let profile = try await ProfileTestSandbox.profile(csv: Self.csv(rows: 60, [
            ("birth_year", { String(1950 + $0) }),
            ("month", { String($0 % 12 + 1) }),
            ("amount", { String(format: "%.2f", Self.noise($0)) }),
        ]))
        #expect(profile["birth_year"]?.role == .calendar)
        #expect(profile["month"]?.role == .calendar)
        #expect(profile["amount"]?.role == .measure)
    }

    @Test func coordinatesOfARegularGridAreNotMeasures() async throws {
        // Every combination of 5 x-values and 6 y-values once, plus a value measured at each point.
        let profile = try await ProfileTestSandbox.profile(csv: Self.csv(rows: 30, [
            ("x", { String(format: "%.1f", 0.5 + Double($0 / 6) * 0.25) }),
            ("y", { String(format: "%.1f", 10.5 + Double($0 % 6) * 2.5) }),
            ("reading", { String(format: "%.3f", Self.noise($0)) }),
        ]))
        let x = try #require(profile["x"]), y = try #require(profile["y"])
        #expect(x.role == .coordinate && x.related == "y", "\(x.role): \(x.reason)")
        #expect(y.role == .coordinate && y.related == "x", "\(y.role): \(y.reason)")
        #expect(profile["reading"]?.role == .measure)
    }

    @Test func aColumnThatIsAnAffineFunctionOfAnotherIsDerived() async throws {
        // hours_left = 24 - hours_used: a regression of one on the other is trivial.
        let profile = try await ProfileTestSandbox.profile(csv: Self.csv(rows: 30, [
            ("hours_used", { String(format: "%.2f", Self.noise($0) / 2) }),
            ("hours_left", { String(format: "%.4f", 24 - Self.noise($0) / 2) }),
            ("other", { String(format: "%.2f", Self.noise($0, 1)) }),
        ]))
        #expect(profile["hours_used"]?.role == .measure)
        let derived = try #require(profile["hours_left"])
        #expect(derived.role == .derived)
        #expect(derived.related == "hours_used")
        #expect(profile["other"]?.role == .measure)
    }

    @Test func aNearConstantNumericColumnIsConstant() async throws {
        // 58 zeros, one 2.5 and one 1.5: one value fills 97% of the rows.
        let profile = try await ProfileTestSandbox.profile(csv: Self.csv(rows: 60, [
            ("rarely_nonzero", { $0 == 7 ? "2.5" : ($0 == 9 ? "1.5" : "0.0") }),
            ("amount", { String(format: "%.2f", Self.noise($0)) }),
        ]))
        #expect(profile["rarely_nonzero"]?.role == .constant)
        #expect(profile["rarely_nonzero"]?.reason.hasPrefix("near-constant") == true)
    }

    @Test func distinctShortNamesAreLabelsAndShortCodesAreIdentifiers() async throws {
        let names = ["Ada", "Boston", "Cairo", "Delhi", "Essen", "Fargo", "Genoa", "Hanoi", "Izmir", "Jaipur"]
        let profile = try await ProfileTestSandbox.profile(csv: Self.csv(rows: 10, [
            ("city", { names[$0] }),
            ("sku", { "AB\($0 + 100)" }),
            ("amount", { String(format: "%.2f", Self.noise($0)) }),
        ]))
        #expect(profile["city"]?.role == .label)
        #expect(profile["sku"]?.role == .identifier)
    }

    @Test func aCategoryObservedOncePerPeriodIsAGroupingUnit() async throws {
        let profile = try await ProfileTestSandbox.profile(csv: Self.csv(rows: 24, [
            ("city", { ["Oslo", "Rome", "Lima"][$0 % 3] }),
            ("year", { String(2001 + $0 / 3) }),
            ("sales", { String(format: "%.2f", Self.noise($0)) }),
        ]))
        let city = try #require(profile["city"])
        #expect(city.role == .category)
        #expect(city.isGroupingUnit && city.related == "year", "\(city.reason)")
    }
}

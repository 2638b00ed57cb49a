import Foundation
import Testing
@testable import AnalysisTraces
import TestSupport

@Suite(.serialized, .requiresSandbox, .timeLimit(.minutes(10)))
struct BundledDatasetProfileTests {
    @Test(arguments: BundledDatasets.ids)
    func profileOfABundledDatasetDecodesAndMatchesItsRecord(id: String) async throws {
        let dataset = try BundledProfiles.dataset(id)
        let profile = try await BundledProfiles.shared.profile(id)
        #expect(profile.rows == dataset.rows)
        #expect(profile.columns.map(\.name) == dataset.columns)
        for column in profile.columns {
            #expect(column.missing >= 0 && column.missing <= profile.rows)
            #expect(abs(column.missingShare - Double(column.missing) / Double(profile.rows)) < 1e-12)
            #expect((column.topValues?.count ?? 0) <= 10)
            if column.role == .measure { #expect(column.numeric != nil, "\(id).\(column.name) is a measure without a summary") }
            if column.role == .date { #expect(column.dateRange != nil, "\(id).\(column.name) is a date without a range") }
        }
    }

    @Test(arguments: [
        ("penguins", "species", ColumnRole.category),
        ("penguins", "island", .category),
        ("penguins", "sex", .binaryCategory),
        ("penguins", "year", .calendar),
        ("penguins", "body_mass_g", .measure),
        ("iris", "species", .category),
        ("wine", "cultivar", .category),
        ("wine", "magnesium", .measure),
        ("mauna_loa_co2", "date", .date),
        ("mauna_loa_co2", "co2", .measure),
        ("us_macro_quarterly", "date", .date),
        ("us_macro_quarterly", "quarter", .calendar),
        ("us_macro_quarterly", "year", .calendar),
        ("grunfeld_investment", "year", .calendar),
        ("grunfeld_investment", "firm", .category),
        ("us_state_crime_2009", "state", .label),
        ("us_state_crime_2009", "murder", .measure),
        ("seattle_weather", "date", .date),
        ("seattle_weather", "weather", .category),
    ])
    func knownColumnHasItsExpectedRole(id: String, column: String, role: ColumnRole) async throws {
        let profile = try await BundledProfiles.shared.profile(id)
        let found = try #require(profile[column], "no column \(column) in \(id)")
        #expect(found.role == role, "\(id).\(column): expected \(role.rawValue), found \(found.role.rawValue)")
    }

    @Test func grunfeldFirmsAreAGroupingUnitObservedOncePerYear() async throws {
        let firm = try #require(try await BundledProfiles.shared.profile("grunfeld_investment")["firm"])
        #expect(firm.isGroupingUnit)
        #expect(firm.related == "year")
        let weather = try #require(try await BundledProfiles.shared.profile("seattle_weather")["weather"])
        #expect(!weather.isGroupingUnit, "a category of a plain daily series is not a unit: \(weather.reason)")
    }

    @Test func seattleWeatherDatesSpanFourYears() async throws {
        let range = try #require(try await BundledProfiles.shared.profile("seattle_weather")["date"]?.dateRange)
        #expect(range == DateRange(min: "2012-01-01", max: "2015-12-31", parsedShare: 1.0))
    }

    @Test func penguinsSexCountsExcludeMissingValues() async throws {
        let sex = try #require(try await BundledProfiles.shared.profile("penguins")["sex"])
        let counts = try #require(sex.topValues)
        #expect(counts.count == 2)
        #expect(counts.map(\.count).reduce(0, +) + sex.missing == 344)
        #expect(counts[0].count >= counts[1].count)
    }

    @Test func profilingTheSameTableTwiceGivesTheSameProfile() async throws {
        let dataset = try BundledProfiles.dataset("penguins")
        let csv = BundledDatasets.folder("penguins").appendingPathComponent("data.csv").path
        let (first, second) = try await ProfileTestSandbox.withWorker(csvPath: csv, loader: dataset.loader) { worker in
            _ = try await worker.run("df = df.head(3)")  // profiling resets the worker first
            let first = try await TableProfiler.profile(on: worker)
            let second = try await TableProfiler.profile(on: worker)
            return (first, second)
        }
        #expect(first == second)
        #expect(first.rows == 344)
        #expect(try await BundledProfiles.shared.profile("penguins") == first)
    }
}

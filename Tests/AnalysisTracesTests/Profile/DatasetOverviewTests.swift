import Foundation
import Testing
@testable import AnalysisTraces
import TestSupport

@Suite struct DatasetOverviewTests {
    /// 200 columns cycling through measures, categories, long text and dates; 30 rows.
    static var wideCSV: String {
        let columns = 200
        let names = (0..<columns).map { String(format: "a_rather_long_column_name_number_%03d", $0) }
        var lines = [names.joined(separator: ",")]
        for row in 0..<30 {
            let fields = (0..<columns).map { column -> String in
                switch column % 4 {
                case 0: String(format: "%.3f", Double(row) * 1.25 + Double(column) / 7)
                case 1: ["north", "south", "east"][(row + column) % 3]
                case 2: "a long free text value of row \(row) and column \(column) that keeps on going"
                default: String(format: "2021-03-%02d", row + 1)
                }
            }
            lines.append(fields.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func column(_ name: String, role: ColumnRole, numeric: NumericSummary? = nil, top: [ValueCount]? = nil) -> ColumnProfile {
        ColumnProfile(name: name, dtype: numeric == nil ? "str" : "float64", role: role, missing: 1, missingShare: 0.1,
                      unique: top?.count ?? 9, numeric: numeric, topValues: top, dateRange: nil)
    }

    @Test func rendersShapeColumnsAndHeadForASmallTable() {
        let numeric = NumericSummary(min: 1, max: 9.5, mean: 4.25, std: 2, median: 4, q1: 2, q3: 7, integerValued: false)
        let profile = TableProfile(rows: 10, columns: [
            Self.column("size", role: .measure, numeric: numeric),
            Self.column("colour", role: .category, top: [ValueCount(value: "red", count: 6), ValueCount(value: "blue", count: 3)]),
        ])
        let overview = DatasetOverview.render(profile: profile, head: "   size colour\n0   1.0    red\n")
        #expect(overview.text == """
            Table: 10 rows, 2 columns.
            Columns (name: dtype, role, missing; summary):
            - size: float64, measure, 10% missing; 1 to 9.5, mean 4.25, sd 2
            - colour: str, category, 10% missing; 2 values: "red" (6), "blue" (3)
            First rows (df.head()):
               size colour
            0   1.0    red

            """)
    }

    @Test func staysWithinItsLimitForHugeInputs() {
        let top = (0..<10).map { ValueCount(value: String(repeating: "é", count: 500) + "\($0)", count: 10 - $0) }
        let columns = (0..<500).map { Self.column(String(repeating: "n", count: 300) + "\($0)", role: .text, top: top) }
        let head = String(repeating: String(repeating: "x", count: 5000) + "\n", count: 50)
        for limit in [512, 1024, 4096] {
            let overview = DatasetOverview.render(profile: TableProfile(rows: 1, columns: columns), head: head, limit: limit)
            #expect(overview.text.utf8.count <= limit)
            #expect(overview.text.hasPrefix("Table: 1 rows, 500 columns."))
            #expect(overview.text.contains("more columns: "))
            #expect(overview.text.contains("First rows (df.head()):"))
        }
    }

    @Test(.requiresSandbox, .timeLimit(.minutes(10)))
    func wideTableOverviewIsBoundedAndDeterministic() async throws {
        let (first, second) = try await ProfileTestSandbox.withWorker(csv: Self.wideCSV) { worker in
            let profile = try await TableProfiler.profile(on: worker)
            let first = try await DatasetOverview.make(on: worker, profile: profile)
            let second = try await DatasetOverview.make(on: worker, profile: try await TableProfiler.profile(on: worker))
            return (first, second)
        }
        #expect(first == second)
        #expect(first.text.utf8.count <= DatasetOverview.defaultLimit)
        #expect(first.text.hasPrefix("Table: 30 rows, 200 columns."))
        #expect(first.text.contains("- a_rather_long_column_name_number_000: float64, measure, 0% missing; "))
        #expect(first.text.contains("- a_rather_long_column_name_number_001: str, category, 0% missing; 3 values: "))
        #expect(first.text.contains("- a_rather_long_column_name_number_003: str, date, 0% missing; 2021-03-01 to 2021-03-30"))
        #expect(first.text.contains(" more columns: "))
        #expect(first.text.contains("First rows (df.head()):\n"))
    }

    @Test(.requiresSandbox, .timeLimit(.minutes(10)))
    func penguinsOverviewListsEveryColumnAndTheFirstRows() async throws {
        let dataset = try BundledProfiles.dataset("penguins")
        let csv = BundledDatasets.folder("penguins").appendingPathComponent("data.csv").path
        let overview = try await ProfileTestSandbox.withWorker(csvPath: csv, loader: dataset.loader) { worker in
            try await DatasetOverview.make(on: worker, profile: try await TableProfiler.profile(on: worker))
        }
        #expect(overview.text.utf8.count <= DatasetOverview.defaultLimit)
        #expect(overview.text.hasPrefix("Table: 344 rows, 8 columns."))
        for name in dataset.columns { #expect(overview.text.contains("- \(name): "), "no line for \(name)") }
        #expect(!overview.text.contains("more column"))
        #expect(overview.text.contains("- sex: str, binary_category, 3.2% missing; 2 values: \"male\" (168), \"female\" (165)"))
        #expect(overview.text.contains("Adelie  Torgersen"))
    }
}

import Foundation
import Testing
@testable import AnalysisTraces
import TestSupport

/// Each descriptive template run in the real sandbox on a small fixture table, its answer checked
/// against the same statistic computed here in Swift from the fixture's values (never from the
/// template's Python).
@Suite(.serialized, .requiresSandbox, .timeLimit(.minutes(10)))
struct DescriptiveFixtureTests {
    typealias S = DescriptiveStatistics
    let table = DescriptiveFixture.main

    // MARK: Descriptive statistics

    @Test func centerAndSpreadMatchSwiftMeanMedianAndSampleDeviation() async throws {
        let run = try await table.run(CenterSpreadTemplate(), ["column": .string("x"), "decimals": .int(3)])
        let x = table.present("x")
        S.expectRounded(run.answer?["mean"], S.mean(x), decimals: 3)
        S.expectRounded(run.answer?["median"], S.quantile(x, 0.5), decimals: 3)
        S.expectRounded(run.answer?["std"], S.sampleStandardDeviation(x), decimals: 3)
        #expect(run.steps.count == 3)
    }

    @Test func fiveNumberSummaryMatchesLinearInterpolationQuartiles() async throws {
        let run = try await table.run(FiveNumberSummaryTemplate(), ["column": .string("y"), "decimals": .int(2)])
        let y = table.present("y")
        let expected: [(String, Double)] = [
            ("min", y.min() ?? .nan), ("q1", S.quantile(y, 0.25)), ("median", S.quantile(y, 0.5)),
            ("q3", S.quantile(y, 0.75)), ("max", y.max() ?? .nan),
        ]
        for (key, value) in expected { S.expectRounded(run.answer?[key], value, decimals: 2) }
    }

    // MARK: Filtering

    @Test func thresholdCountCountsStrictlyGreaterValuesOverAllRows() async throws {
        let threshold = S.quantile(table.present("x"), 0.5)
        let run = try await table.run(ThresholdCountTemplate(), ["column": .string("x"), "threshold": .double(threshold)])
        let count = table.numbers("x").filter { ($0 ?? -.infinity) > threshold }.count
        #expect(S.integer(run.answer?["count"]) == count)
        S.expectRounded(run.answer?["share"], Double(count) / Double(table.rows), decimals: 4)
        #expect(count > 0 && count < table.rows)
    }

    @Test func filteredMeanAveragesTheTargetOverRowsAboveTheThreshold() async throws {
        let threshold = 8.25
        let run = try await table.run(FilteredMeanTemplate(), [
            "filter_column": .string("x"), "threshold": .double(threshold), "column": .string("y"), "decimals": .int(3),
        ])
        let rows = table.rowIndices.filter { (table.numbers("x")[$0] ?? -.infinity) > threshold }
        let y = rows.compactMap { table.numbers("y")[$0] }
        #expect(S.integer(run.answer?["count"]) == rows.count)
        #expect(y.count < rows.count, "the fixture should have a missing y among the selected rows")
        S.expectRounded(run.answer?["mean"], S.mean(y), decimals: 3)
    }

    // MARK: Grouping

    @Test func groupMeansMapEveryGroupToItsMean() async throws {
        let run = try await table.run(GroupMeansTemplate(), ["group_column": .string("region"), "column": .string("x"), "decimals": .int(3)])
        let expected = table.groupMeans("region", "x")
        guard case .object(let members)? = run.answer else {
            Issue.record("expected an object; found \(String(describing: run.answer))")
            return
        }
        #expect(Set(members.map(\.key)) == Set(expected.keys))
        for (label, mean) in expected { S.expectRounded(run.answer?[label], mean, decimals: 3) }
    }

    @Test func largestGroupMeanNamesTheGroupWithTheHighestMean() async throws {
        let run = try await table.run(LargestGroupMeanTemplate(), ["group_column": .string("region"), "column": .string("y"), "decimals": .int(2)])
        let means = table.groupMeans("region", "y")
        let best = try #require(means.max { $0.value < $1.value })
        #expect(run.answer?["group"] == .string(best.key))
        S.expectRounded(run.answer?["mean"], best.value, decimals: 2)
        #expect(run.alternatives == [run.answer])
    }

    @Test func twoGroupDifferenceSubtractsTheSecondMeanFromTheFirst() async throws {
        let run = try await table.run(TwoGroupDifferenceTemplate(), [
            "group_column": .string("sex"), "first_group": .string("f"), "second_group": .string("m"),
            "column": .string("x"), "decimals": .int(3),
        ])
        let means = table.groupMeans("sex", "x")
        let f = try #require(means["f"]), m = try #require(means["m"])
        S.expectRounded(run.answer?["first_mean"], f, decimals: 3)
        S.expectRounded(run.answer?["second_mean"], m, decimals: 3)
        S.expectRounded(run.answer?["difference"], f - m, decimals: 3)
    }

    // MARK: Ranking

    @Test func topGroupsRankGroupsByMeanWithTheirMeans() async throws {
        let run = try await table.run(TopGroupsByMeanTemplate(), ["group_column": .string("region"), "column": .string("z"), "k": .int(3), "decimals": .int(3)])
        let ranked = table.groupMeans("region", "z").map { ($0.key, ($0.value * 1000).rounded() / 1000) }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
        #expect(run.answer?["groups"] == .array(ranked.prefix(3).map { .string($0.0) }))
        guard case .array(let means)? = run.answer?["means"] else {
            Issue.record("expected a list of means")
            return
        }
        for (value, expected) in zip(means, ranked.prefix(3)) { S.expectRounded(value, expected.1, decimals: 3) }
    }

    @Test func mostFrequentValuesBreakACountTieAlphabeticallyAndAcceptBothOrders() async throws {
        let run = try await table.run(MostFrequentValuesTemplate(), ["column": .string("region"), "k": .int(3)])
        var counts: [String: Int] = [:]
        for label in table.text("region").compactMap({ $0 }) { counts[label, default: 0] += 1 }
        let ranked = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        #expect(run.answer?["values"] == .array(ranked.prefix(3).map { .string($0.key) }))
        #expect(run.answer?["counts"] == .array(ranked.prefix(3).map { .int(Int64($0.value)) }))
        // east and south both occur 10 times: the other order is also accepted.
        #expect(counts["east"] == counts["south"])
        let swapped: JSONValue = .object([
            ("values", .array(["north", "south", "east"].map { .string($0) })),
            ("counts", .array([15, 10, 10].map { .int($0) })),
        ])
        #expect(run.alternatives.count == 2)
        #expect(run.alternatives.contains(swapped))
        #expect(run.acceptedAnswers.count == 2)
    }

    // MARK: Missing data

    @Test func missingCountsListOnlyColumnsWithMissingCells() async throws {
        let run = try await table.run(MissingCountsTemplate(), [:])
        var expected: [(String, JSONValue)] = []
        for column in table.columnNames {
            let missing = table.cells(column).filter { $0 == nil }.count
            if missing > 0 { expected.append((column, .int(Int64(missing)))) }
        }
        #expect(expected.count == 4)
        #expect(run.answer == .object(expected.map { (key: $0.0, value: $0.1) }))
    }

    @Test func completeRowsCountRowsWithoutAnyMissingCell() async throws {
        let run = try await table.run(CompleteRowsTemplate(), [:])
        let complete = table.rowIndices.filter { row in table.columnNames.allSatisfy { table.cells($0)[row] != nil } }.count
        #expect(S.integer(run.answer?["count"]) == complete)
        S.expectRounded(run.answer?["share"], Double(complete) / Double(table.rows), decimals: 4)
    }

    // MARK: Outliers

    @Test func iqrOutliersUseTheStatedFencesAndStrictComparisons() async throws {
        let run = try await table.run(IQROutliersTemplate(), ["column": .string("x"), "decimals": .int(3)])
        let x = table.present("x")
        let q1 = S.quantile(x, 0.25), q3 = S.quantile(x, 0.75)
        let lower = q1 - 1.5 * (q3 - q1), upper = q3 + 1.5 * (q3 - q1)
        let count = x.filter { $0 < lower || $0 > upper }.count
        S.expectRounded(run.answer?["lower"], lower, decimals: 3)
        S.expectRounded(run.answer?["upper"], upper, decimals: 3)
        #expect(S.integer(run.answer?["count"]) == count)
        #expect(count >= 1, "the fixture has an outlier in x")
    }

    @Test func zScoreOutliersStandardiseWithTheSampleDeviation() async throws {
        let run = try await table.run(ZScoreOutliersTemplate(), ["column": .string("x"), "cutoff": .double(3), "decimals": .int(3)])
        let x = table.present("x")
        let mean = S.mean(x), std = S.sampleStandardDeviation(x)
        let scores = x.map { abs($0 - mean) / std }
        #expect(S.integer(run.answer?["count"]) == scores.filter { $0 > 3 }.count)
        S.expectRounded(run.answer?["largest"], scores.max() ?? .nan, decimals: 3)
        #expect(scores.filter { $0 > 3 }.count == 1)
    }

    // MARK: Correlation

    @Test func correlationUsesPairwiseCompleteRows() async throws {
        let run = try await table.run(CorrelationTemplate(), ["first_column": .string("x"), "second_column": .string("y"), "decimals": .int(4)])
        let pairs = table.pairs("x", "y")
        #expect(S.integer(run.answer?["count"]) == pairs.count)
        S.expectRounded(run.answer?["correlation"], S.pearson(pairs), decimals: 4)
    }

    @Test func strongestPairIsTheLargestAbsoluteCorrelation() async throws {
        let columns = ["x", "y", "z"]
        let run = try await table.run(StrongestCorrelationTemplate(), ["columns": .array(columns.map { .string($0) }), "decimals": .int(4)])
        var best: (String, String, Double)?
        for (i, a) in columns.enumerated() {
            for b in columns[(i + 1)...] {
                let r = S.pearson(table.pairs(a, b))
                if best == nil || abs(r) > abs(best?.2 ?? 0) { best = (a, b, r) }
            }
        }
        let strongest = try #require(best)
        #expect(run.answer?["columns"] == .array([.string(strongest.0), .string(strongest.1)]))
        S.expectRounded(run.answer?["correlation"], strongest.2, decimals: 4)
    }

    // MARK: Ties

    @Test func tiedGroupMeansAcceptEveryTiedGroup() async throws {
        let run = try await DescriptiveFixture.ties.run(LargestGroupMeanTemplate(), ["group_column": .string("team"), "column": .string("score"), "decimals": .int(2)])
        #expect(run.answer == .object([("group", .string("alpha")), ("mean", .double(2.5))]))
        #expect(Set(run.acceptedAnswers) == [
            .object([("group", .string("alpha")), ("mean", .double(2.5))]),
            .object([("group", .string("beta")), ("mean", .double(2.5))]),
        ])
    }

    @Test func tiedRankingsAcceptEveryOrderOfTheTiedGroups() async throws {
        let run = try await DescriptiveFixture.ties.run(TopGroupsByMeanTemplate(), ["group_column": .string("team"), "column": .string("score"), "k": .int(2), "decimals": .int(2)])
        #expect(run.answer?["groups"] == .array([.string("alpha"), .string("beta")]))
        let orders = run.acceptedAnswers.compactMap { $0["groups"] }
        #expect(Set(orders) == [.array([.string("alpha"), .string("beta")]), .array([.string("beta"), .string("alpha")])])
    }

    @Test func tiedCountsAcceptEveryChoiceAtTheCutOff() async throws {
        let run = try await DescriptiveFixture.ties.run(MostFrequentValuesTemplate(), ["column": .string("team"), "k": .int(1)])
        #expect(run.answer?["values"] == .array([.string("alpha")]))
        #expect(Set(run.acceptedAnswers.compactMap { $0["values"] }) == Set(["alpha", "beta", "gamma"].map { JSONValue.array([.string($0)]) }))
    }

    @Test func tiedCorrelationsAcceptEveryTiedPair() async throws {
        let run = try await DescriptiveFixture.ties.run(StrongestCorrelationTemplate(), ["columns": .array(["u", "v", "w"].map { .string($0) }), "decimals": .int(4)])
        #expect(run.answer?["columns"] == .array([.string("u"), .string("v")]))
        #expect(run.acceptedAnswers.count == 3)
        let matcher = AnswerMatcher(schema: try StrongestCorrelationTemplate().instantiate(.object([
            ("columns", .array(["u", "v", "w"].map { .string($0) })), ("decimals", .int(4)),
        ])).outputSchema)
        let reversed: JSONValue = .object([("columns", .array([.string("w"), .string("v")])), ("correlation", .double(1.0))])
        #expect(run.acceptedAnswers.contains { matcher.matches(reversed, $0) })
    }
}

// MARK: - Fixture tables and Swift statistics

/// A small table kept as Swift values, written to a CSV for the sandbox.
struct DescriptiveFixture: Sendable {
    /// Column name → cells, in column order; nil is an empty (missing) cell.
    let columns: [(name: String, cells: [String?])]

    var columnNames: [String] { columns.map(\.name) }
    var rows: Int { columns.first?.cells.count ?? 0 }
    var rowIndices: Range<Int> { 0..<rows }

    func cells(_ name: String) -> [String?] { columns.first { $0.name == name }?.cells ?? [] }
    func text(_ name: String) -> [String?] { cells(name) }
    func numbers(_ name: String) -> [Double?] { cells(name).map { $0.flatMap(Double.init) } }
    func present(_ name: String) -> [Double] { numbers(name).compactMap { $0 } }

    /// (a, b) for the rows where both are present.
    func pairs(_ a: String, _ b: String) -> [(Double, Double)] {
        zip(numbers(a), numbers(b)).compactMap { x, y in
            guard let x, let y else { return nil }
            return (x, y)
        }
    }

    /// Mean of `measure` per label of `group`, leaving out rows where either is missing.
    func groupMeans(_ group: String, _ measure: String) -> [String: Double] {
        var sums: [String: [Double]] = [:]
        for (label, value) in zip(text(group), numbers(measure)) {
            guard let label, let value else { continue }
            sums[label, default: []].append(value)
        }
        return sums.mapValues(DescriptiveStatistics.mean)
    }

    var csv: String {
        var lines = [columnNames.joined(separator: ",")]
        for row in rowIndices { lines.append(columns.map { $0.cells[row] ?? "" }.joined(separator: ",")) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Instantiates `template` from `parameters`, runs it in a sandbox over this table, and
    /// requires it to succeed.
    func run(_ template: some QuestionTemplate, _ parameters: [String: JSONValue]) async throws -> TemplateRun {
        let ordered = parameters.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) }
        let instance = try template.instantiate(.object(ordered))
        let run = try await ProfileTestSandbox.withWorker(csv: csv) { worker in
            try await TemplateExecution.run(instance, on: worker)
        }
        #expect(run.failure == nil, "\(run.failure ?? "")")
        #expect(run.steps.count == instance.steps.count)
        #expect(!run.acceptedAnswers.isEmpty)
        return run
    }

    /// 40 rows: an identifier, a four-valued region (counts 15, 10, 10, 5: a tie between east and
    /// south), a binary sex with one missing cell, and three measures x, y, z with missing cells
    /// and one far outlier in x.
    static let main: DescriptiveFixture = {
        let n = 40
        let regions = ["north", "north", "south", "east", "west", "south", "north", "east"]
        var id: [String?] = [], region: [String?] = [], sex: [String?] = [], x: [String?] = [], y: [String?] = [], z: [String?] = []
        for i in 1...n {
            id.append(String(i))
            region.append(regions[(i - 1) % regions.count])
            sex.append(i == 5 ? nil : (i % 2 == 0 ? "f" : "m"))
            let xValue = Double(i % 7) * 1.5 + Double(i) * 0.25
            x.append(i == 3 ? nil : i == 37 ? "95.5" : "\(xValue)")
            let noise = Double((i * 13) % 11) - 5
            y.append(i == 10 || i == 38 ? nil : "\(2 * xValue + noise)")
            z.append(i == 21 ? nil : "\(Double((i * 29) % 17) * 0.7)")
        }
        return DescriptiveFixture(columns: [("id", id), ("region", region), ("sex", sex), ("x", x), ("y", y), ("z", z)])
    }()

    /// Six rows built for ties: alpha and beta share the highest mean score (2.5) and every team
    /// has two rows; v and w are exact multiples of u, so every pair correlates perfectly.
    static let ties = DescriptiveFixture(columns: [
        ("team", ["alpha", "beta", "gamma", "alpha", "beta", "gamma"]),
        ("score", ["1", "2", "0", "4", "3", "1"]),
        ("u", ["1", "2", "3", "4", "5", "6"]),
        ("v", ["2", "4", "6", "8", "10", "12"]),
        ("w", ["3", "6", "9", "12", "15", "18"]),
    ])
}

/// Plain Swift statistics for checking the templates' answers.
enum DescriptiveStatistics {
    static func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }

    static func sampleStandardDeviation(_ values: [Double]) -> Double {
        let m = mean(values)
        return (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)).squareRoot()
    }

    /// The p-th quantile by linear interpolation: position p × (n − 1) in the sorted values.
    static func quantile(_ values: [Double], _ p: Double) -> Double {
        let sorted = values.sorted()
        let position = p * Double(sorted.count - 1)
        let low = Int(position.rounded(.down))
        let high = min(low + 1, sorted.count - 1)
        return sorted[low] + (position - Double(low)) * (sorted[high] - sorted[low])
    }

    static func pearson(_ pairs: [(Double, Double)]) -> Double {
        let mx = mean(pairs.map(\.0)), my = mean(pairs.map(\.1))
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (x, y) in pairs {
            sxy += (x - mx) * (y - my)
            sxx += (x - mx) * (x - mx)
            syy += (y - my) * (y - my)
        }
        return sxy / (sxx * syy).squareRoot()
    }

    static func integer(_ value: JSONValue?) -> Int? {
        if case .int(let i)? = value { return Int(i) }
        return nil
    }

    /// The submitted number is `exact` rounded to `decimals` places (within half a unit in the
    /// last place, plus a sliver for binary floating point).
    static func expectRounded(_ value: JSONValue?, _ exact: Double, decimals: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        let found: Double? = switch value {
        case .double(let d)?: d
        case .int(let i)?: Double(i)
        default: nil
        }
        guard let found else {
            Issue.record("expected a number near \(exact); found \(String(describing: value))", sourceLocation: sourceLocation)
            return
        }
        let tolerance = 0.5 * pow(10, -Double(decimals)) + 1e-9 * max(1, abs(exact))
        #expect(abs(found - exact) <= tolerance, "\(found) is not \(exact) rounded to \(decimals) decimals", sourceLocation: sourceLocation)
    }
}

import Foundation
import Testing
@testable import AnalysisTraces
import TestSupport

/// Each inferential template run in the real sandbox on a small fixture, its ground truth checked
/// against an independent computation: Swift arithmetic, or for distribution tail probabilities
/// and the Shapiro–Wilk statistic a different Python formulation run as a plain subprocess
/// (scipy's distribution functions on values computed here, never pandas or the template code).
@Suite(.serialized, .requiresSandbox, .timeLimit(.minutes(10)))
struct InferentialTemplatesTests {
    typealias S = FixtureStatistics
    let groups = InferentialFixture.groups
    let dates = InferentialFixture.dates

    /// Non-missing values of `measure` for rows whose `column` is `label` (nil: every row), with
    /// the rows missing `column` left out when `column` is given.
    func values(_ measure: String, where column: String? = nil, is label: String? = nil, fixture: InferentialFixture? = nil) -> [Double] {
        let table = fixture ?? groups
        let numbers = table.numbers(measure)
        let labels = column.map { table.text($0) }
        return numbers.indices.compactMap { row in
            guard let value = numbers[row] else { return nil }
            if let labels {
                guard let found = labels[row] else { return nil }
                if let label, found != label { return nil }
            }
            return value
        }
    }

    @Test func normalityTestMatchesScipyOnPlainValues() async throws {
        let instance = try NormalityTestTemplate().instantiate(.object([("measure", .string("weight")), ("alpha", .double(0.05))]))
        let run = try await InferentialRunner.run(instance, on: groups)
        let reference = try await IndependentPython.numbers(
            "import scipy.stats as s; r = s.shapiro(\(IndependentPython.list(values("weight")))); print(r.statistic, r.pvalue)")
        try #require(reference.count == 2)
        InferentialRunner.expectRounded(run.answer, "statistic", reference[0], decimals: 4)
        InferentialRunner.expectRounded(run.answer, "p_value", reference[1], decimals: 4)
        #expect(run.answer?["normal"] == .bool(reference[1] >= 0.05))
    }

    @Test func skewnessIsTheAdjustedFisherPearsonCoefficient() async throws {
        let instance = try SkewnessDirectionTemplate().instantiate(.object([("measure", .string("weight"))]))
        let run = try await InferentialRunner.run(instance, on: groups)
        let x = values("weight")
        let n = Double(x.count), m = S.mean(x)
        let m2 = x.reduce(0) { $0 + pow($1 - m, 2) } / n
        let m3 = x.reduce(0) { $0 + pow($1 - m, 3) } / n
        let skew = (n * (n - 1)).squareRoot() / (n - 2) * m3 / pow(m2, 1.5)
        InferentialRunner.expectRounded(run.answer, "skewness", skew, decimals: 3)
        let rounded = (skew * 1000).rounded() / 1000
        #expect(run.answer?["direction"] == .string(rounded > 0 ? "right" : rounded < 0 ? "left" : "none"))
    }

    @Test func welchTestMatchesHandComputedStatisticAndTailProbability() async throws {
        let instance = try WelchTestTemplate().instantiate(.object([
            ("measure", .string("height")), ("group_column", .string("sex")),
            ("groups", .array([.string("f"), .string("m")])), ("alpha", .double(0.05)),
        ]))
        let run = try await InferentialRunner.run(instance, on: groups)
        let a = values("height", where: "sex", is: "f"), b = values("height", where: "sex", is: "m")
        let (va, vb) = (S.variance(a) / Double(a.count), S.variance(b) / Double(b.count))
        let t = (S.mean(a) - S.mean(b)) / (va + vb).squareRoot()
        let dof = pow(va + vb, 2) / (va * va / Double(a.count - 1) + vb * vb / Double(b.count - 1))
        let p = try #require(try await IndependentPython.numbers("import scipy.stats as s; print(2 * s.t.sf(abs(\(t)), \(dof)))").first)
        InferentialRunner.expectRounded(run.answer, "mean_difference", S.mean(a) - S.mean(b), decimals: 3)
        InferentialRunner.expectRounded(run.answer, "statistic", t, decimals: 3)
        InferentialRunner.expectRounded(run.answer, "p_value", p, decimals: 4)
        #expect(run.answer?["significant"] == .bool(p < 0.05))
        #expect(run.alternatives.count == (abs(p - 0.05) <= 0.0001 ? 2 : 1))
    }

    @Test func rankTestMatchesTheNormalApproximationWrittenOut() async throws {
        let instance = try RankSumTestTemplate().instantiate(.object([
            ("measure", .string("height")), ("group_column", .string("team")),
            ("groups", .array([.string("east"), .string("north")])), ("alpha", .double(0.05)),
        ]))
        let run = try await InferentialRunner.run(instance, on: groups)
        let a = values("height", where: "team", is: "east"), b = values("height", where: "team", is: "north")
        let ranks = S.midranks(a + b)
        let (n1, n2) = (Double(a.count), Double(b.count))
        let u = ranks.prefix(a.count).reduce(0, +) - n1 * (n1 + 1) / 2
        var tieCounts: [Double: Double] = [:]
        for value in a + b { tieCounts[value, default: 0] += 1 }
        let n = n1 + n2
        let tieTerm = tieCounts.values.reduce(0) { $0 + ($1 * $1 * $1 - $1) } / (n * (n - 1))
        let sigma = (n1 * n2 / 12 * ((n + 1) - tieTerm)).squareRoot()
        let z = (abs(u - n1 * n2 / 2) - 0.5) / sigma
        let p = min(1, erfc(z / 2.0.squareRoot()))
        InferentialRunner.expectRounded(run.answer, "statistic", u, decimals: 1)
        InferentialRunner.expectRounded(run.answer, "p_value", p, decimals: 4)
        #expect(run.answer?["significant"] == .bool(p < 0.05))
    }

    @Test func analysisOfVarianceMatchesHandComputedFAndTailProbability() async throws {
        let instance = try OneWayAnovaTemplate().instantiate(.object([
            ("measure", .string("height")), ("group_column", .string("team")), ("alpha", .double(0.05)),
        ]))
        let run = try await InferentialRunner.run(instance, on: groups)
        let samples = ["east", "north", "south"].map { values("height", where: "team", is: $0) }
        let all = samples.flatMap { $0 }
        let grand = S.mean(all)
        let between = samples.reduce(0) { $0 + Double($1.count) * pow(S.mean($1) - grand, 2) }
        let within = samples.reduce(0) { total, sample in total + sample.reduce(0) { $0 + pow($1 - S.mean(sample), 2) } }
        let (k, n) = (Double(samples.count), Double(all.count))
        let f = (between / (k - 1)) / (within / (n - k))
        let p = try #require(try await IndependentPython.numbers("import scipy.stats as s; print(s.f.sf(\(f), \(k - 1), \(n - k)))").first)
        InferentialRunner.expectRounded(run.answer, "statistic", f, decimals: 3)
        InferentialRunner.expectRounded(run.answer, "p_value", p, decimals: 4)
        #expect(run.answer?["groups"] == .int(3))
        #expect(run.answer?["significant"] == .bool(p < 0.05))
    }

    @Test func independenceTestMatchesHandCountedTable() async throws {
        // A third category that depends on the team, so the association is real.
        var fixture = groups
        let teams = fixture.text("team")
        var noise = FixtureNoise(seed: 3)
        fixture.names.append("shift")
        fixture.cells.append(teams.map { team in
            let draw = noise.next()
            return team == "north" ? (draw < 0.8 ? "day" : "night") : (draw < 0.4 ? "day" : "night")
        })
        let instance = try IndependenceTestTemplate().instantiate(.object([
            ("row_column", .string("team")), ("column_column", .string("shift")), ("alpha", .double(0.05)),
        ]))
        let run = try await InferentialRunner.run(instance, on: fixture)
        let shifts = fixture.text("shift")
        var counts: [String: [String: Double]] = [:]
        for (team, shift) in zip(teams, shifts) {
            guard let team, let shift else { continue }
            counts[team, default: [:]][shift, default: 0] += 1
        }
        let rows = counts.keys.sorted(), columns = Set(counts.values.flatMap(\.keys)).sorted()
        let total = counts.values.flatMap(\.values).reduce(0, +)
        var statistic = 0.0
        for row in rows {
            let rowTotal = columns.reduce(0) { $0 + (counts[row]?[$1] ?? 0) }
            for column in columns {
                let columnTotal = rows.reduce(0) { $0 + (counts[$1]?[column] ?? 0) }
                let expected = rowTotal * columnTotal / total
                statistic += pow((counts[row]?[column] ?? 0) - expected, 2) / expected
            }
        }
        let dof = (rows.count - 1) * (columns.count - 1)
        let p = try #require(try await IndependentPython.numbers("import scipy.stats as s; print(s.chi2.sf(\(statistic), \(dof)))").first)
        InferentialRunner.expectRounded(run.answer, "statistic", statistic, decimals: 3)
        #expect(run.answer?["degrees_of_freedom"] == .int(Int64(dof)))
        InferentialRunner.expectRounded(run.answer, "p_value", p, decimals: 4)
        #expect(run.answer?["significant"] == .bool(p < 0.05))
    }

    @Test func simpleFitMatchesClosedFormLeastSquares() async throws {
        let instance = try SimpleRegressionTemplate().instantiate(.object([
            ("response", .string("weight")), ("predictor", .string("height")), ("slope_decimals", .int(5)),
        ]))
        let run = try await InferentialRunner.run(instance, on: groups)
        let pairs = zip(groups.numbers("height"), groups.numbers("weight")).compactMap { x, y in x.flatMap { x in y.map { (x, $0) } } }
        let (mx, my) = (S.mean(pairs.map(\.0)), S.mean(pairs.map(\.1)))
        let sxy = pairs.reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
        let sxx = pairs.reduce(0) { $0 + pow($1.0 - mx, 2) }
        let syy = pairs.reduce(0) { $0 + pow($1.1 - my, 2) }
        let slope = sxy / sxx
        InferentialRunner.expectRounded(run.answer, "slope", slope, decimals: 5)
        InferentialRunner.expectRounded(run.answer, "intercept", my - slope * mx, decimals: 4)
        InferentialRunner.expectRounded(run.answer, "r_squared", sxy * sxy / (sxx * syy), decimals: 4)
        #expect(instance.outputSchema == .object(fields: [
            .init(name: "slope", schema: .number(decimals: 5)), .init(name: "intercept", schema: .number(decimals: 4)),
            .init(name: "r_squared", schema: .number(decimals: 4)),
        ]))
    }

    @Test func multipleFitMatchesNormalEquations() async throws {
        var fixture = groups
        var noise = FixtureNoise(seed: 5)
        fixture.names.append("reach")
        fixture.cells.append(fixture.numbers("height").map { h in String(format: "%.1f", (h ?? 160) * 0.4 + 20 * noise.next()) })
        let instance = try MultipleRegressionTemplate().instantiate(.object([
            ("response", .string("weight")), ("predictors", .array([.string("height"), .string("reach")])), ("decimals", .int(5)),
        ]))
        let run = try await InferentialRunner.run(instance, on: fixture)
        let columns = ["weight", "height", "reach"].map { fixture.numbers($0) }
        let rows = (0..<columns[0].count).compactMap { row -> [Double]? in
            let values = columns.compactMap { $0[row] }
            return values.count == 3 ? values : nil
        }
        let design = rows.map { [1, $0[1], $0[2]] }, y = rows.map { $0[0] }
        let xtx = (0..<3).map { i in (0..<3).map { j in design.reduce(0) { $0 + $1[i] * $1[j] } } }
        let xty = (0..<3).map { i in zip(design, y).reduce(0) { $0 + $1.0[i] * $1.1 } }
        let beta = S.solve(xtx, xty)
        let fitted = design.map { zip($0, beta).reduce(0) { $0 + $1.0 * $1.1 } }
        let sse = zip(y, fitted).reduce(0) { $0 + pow($1.0 - $1.1, 2) }
        let sst = y.reduce(0) { $0 + pow($1 - S.mean(y), 2) }
        InferentialRunner.expectRounded(run.answer, "intercept", beta[0], decimals: 5)
        InferentialRunner.expectRounded(run.answer?["coefficients"], "height", beta[1], decimals: 5)
        InferentialRunner.expectRounded(run.answer?["coefficients"], "reach", beta[2], decimals: 5)
        InferentialRunner.expectRounded(run.answer, "r_squared", 1 - sse / sst, decimals: 4)
    }

    /// Means of `level` per period (month or year of `day`), over parseable dates of complete
    /// years only: those with rows in as many distinct months as the best-covered year.
    func periodMeans(_ period: (FixtureCalendar.Day) -> Int, fixture: InferentialFixture? = nil) -> [Int: Double] {
        let table = fixture ?? dates
        var months: [Int: Set<Int>] = [:]
        for text in table.text("day") {
            guard let text, let date = FixtureCalendar.parse(text) else { continue }
            months[date.year, default: []].insert(date.month)
        }
        let most = months.values.map(\.count).max() ?? 0
        var sums: [Int: (Double, Double)] = [:]
        for (text, value) in zip(table.text("day"), table.numbers("level")) {
            guard let text, let date = FixtureCalendar.parse(text), let value, months[date.year]?.count == most else { continue }
            let (sum, count) = sums[period(date)] ?? (0, 0)
            sums[period(date)] = (sum + value, count + 1)
        }
        return sums.mapValues { $0.0 / $0.1 }
    }

    @Test(arguments: ["month", "year"])
    func peakPeriodIsTheHighestHandComputedMeanOverCompleteYears(period: String) async throws {
        var instance = try PeakPeriodMeanTemplate().instantiate(.object([
            ("date_column", .string("day")), ("format", .string("%Y-%m-%d")), ("measure", .string("level")), ("period", .string(period)),
        ]))
        instance.precondition = nil  // the fixture trends; the validity check is tested in TemplateValidityTests
        let run = try await InferentialRunner.run(instance, on: dates)
        let means = periodMeans { period == "month" ? $0.month : $0.year }
        let best = try #require(means.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) })
        #expect(run.answer?[period] == .int(Int64(best.key)))
        InferentialRunner.expectRounded(run.answer, "mean", best.value, decimals: 3)
        #expect(instance.question.contains("YYYY-MM-DD"))
    }

    @Test func peakPeriodAcceptsEveryMonthThatTies() async throws {
        let fixture = InferentialFixture(names: ["day", "level"], cells: [
            ["2020-01-05", "2020-01-20", "2020-02-03", "2020-02-18", "2020-03-01", "2021-03-09"],
            ["10", "20", "15", "15", "1", "3"],
        ])
        var instance = try PeakPeriodMeanTemplate().instantiate(.object([
            ("date_column", .string("day")), ("format", .string("%Y-%m-%d")), ("measure", .string("level")), ("period", .string("month")),
        ]))
        instance.precondition = nil
        let run = try await InferentialRunner.run(instance, on: fixture)
        #expect(run.answer == .object([("month", .int(1)), ("mean", .double(15))]))
        #expect(run.acceptedAnswers == [
            .object([("month", .int(1)), ("mean", .double(15))]), .object([("month", .int(2)), ("mean", .double(15))]),
        ])
    }

    @Test func dateSpanCountsDaysBetweenTheExtremes() async throws {
        let instance = try DateSpanTemplate().instantiate(.object([("date_column", .string("day")), ("format", .string("%Y-%m-%d"))]))
        let run = try await InferentialRunner.run(instance, on: dates)
        let parsed = dates.text("day").compactMap { $0.flatMap(FixtureCalendar.parse) }
        let ordinals = parsed.map(FixtureCalendar.ordinal)
        let first = try #require(parsed.min { FixtureCalendar.ordinal($0) < FixtureCalendar.ordinal($1) })
        let last = try #require(parsed.max { FixtureCalendar.ordinal($0) < FixtureCalendar.ordinal($1) })
        #expect(run.answer == .object([
            ("first", .string(FixtureCalendar.iso(first))), ("last", .string(FixtureCalendar.iso(last))),
            ("days", .int(Int64((ordinals.max() ?? 0) - (ordinals.min() ?? 0)))),
        ]))
    }

    @Test func largestYearlyRiseIsTheBiggestHandComputedChangeBetweenCompleteYears() async throws {
        let instance = try YearlyChangeTemplate().instantiate(.object([
            ("date_column", .string("day")), ("format", .string("%Y-%m-%d")), ("measure", .string("level")),
        ]))
        let run = try await InferentialRunner.run(instance, on: dates)
        let means = periodMeans { $0.year }
        let years = means.keys.sorted()
        let changes = zip(years.dropFirst(), years).map { (year: $0, change: (means[$0] ?? 0) - (means[$1] ?? 0)) }
        let best = try #require(changes.max { $0.change < $1.change || ($0.change == $1.change && $0.year > $1.year) })
        #expect(run.answer?["year"] == .int(Int64(best.year)))
        InferentialRunner.expectRounded(run.answer, "change", best.change, decimals: 3)
    }

    @Test func filteredGroupLeaderMatchesHandComputedChain() async throws {
        let instance = try FilteredGroupLeaderTemplate().instantiate(.object([
            ("filter_measure", .string("weight")), ("measure", .string("height")), ("group_column", .string("team")),
        ]))
        let run = try await InferentialRunner.run(instance, on: groups)
        let weights = groups.numbers("weight"), heights = groups.numbers("height"), teams = groups.text("team")
        let sorted = weights.compactMap { $0 }.sorted()
        let median = sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        var kept: [(team: String, height: Double)] = []
        for row in weights.indices {
            guard let w = weights[row], w > median, let h = heights[row], let t = teams[row] else { continue }
            kept.append((t, h))
        }
        let means = Dictionary(grouping: kept, by: \.team).mapValues { S.mean($0.map(\.height)) }
        let top = try #require(means.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) })
        let overall = S.mean(kept.map(\.height))
        #expect(run.answer?["group"] == .string(top.key))
        InferentialRunner.expectRounded(run.answer, "group_mean", top.value, decimals: 3)
        InferentialRunner.expectRounded(run.answer, "overall_mean", overall, decimals: 3)
        InferentialRunner.expectRounded(run.answer, "difference", top.value - overall, decimals: 3)
        #expect(instance.steps.count >= 5 && instance.steps.count <= 10)
    }

    @Test func groupVariabilityMatchesHandComputedChain() async throws {
        let instance = try GroupVariabilityTemplate().instantiate(.object([("measure", .string("weight")), ("group_column", .string("team"))]))
        let run = try await InferentialRunner.run(instance, on: groups)
        let rows = zip(groups.text("team"), groups.numbers("weight")).compactMap { t, w in t.flatMap { t in w.map { (t, $0) } } }
        let cvs = Dictionary(grouping: rows, by: \.0).mapValues { rows in
            let x = rows.map(\.1)
            return S.variance(x).squareRoot() / S.mean(x)
        }
        let all = rows.map(\.1)
        let overall = S.variance(all).squareRoot() / S.mean(all)
        let top = try #require(cvs.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) })
        #expect(run.answer?["group"] == .string(top.key))
        InferentialRunner.expectRounded(run.answer, "group_cv", top.value, decimals: 4)
        InferentialRunner.expectRounded(run.answer, "overall_cv", overall, decimals: 4)
        InferentialRunner.expectRounded(run.answer, "ratio", top.value / overall, decimals: 3)
        #expect(instance.steps.count >= 5 && instance.steps.count <= 10)
    }

    @Test func aPValueWithinRoundingDistanceOfAlphaAcceptsBothReadings() async throws {
        let cell = """
            alpha = 0.05
            p_value = 0.05004
            answer = {"p_value": 0.05, "significant": False}
            \(InferentialText.fragileSignificance())
            """
        let submitted = try await ProfileTestSandbox.withWorker(csv: "a\n1\n") { worker in
            try await worker.run(cell).events.compactMap { event -> JSONValue? in
                if case .submit(let value) = event { return value }
                return nil
            }
        }
        #expect(submitted == [.array([
            .object([("p_value", .double(0.05)), ("significant", .bool(false))]),
            .object([("p_value", .double(0.05)), ("significant", .bool(true))]),
        ])])
    }
}

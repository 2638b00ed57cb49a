import Foundation
import Testing
@testable import AnalysisTraces
import TestSupport

/// The analyst templates run in the real sandbox on small tables, each answer recomputed by
/// independent pandas code (written here, not the template's program) in a plain subprocess.
@Suite(.serialized, .requiresSandbox, .timeLimit(.minutes(10)))
struct AnalystTemplatesTests {
    static let cities = ["Aarhus", "Bergen", "Cork", "Dijon", "Espoo", "Faro", "Graz", "Haarlem", "Ipswich", "Jena",
                         "Kassel", "Lille", "Malmo", "Nancy", "Oulu", "Porto", "Quimper", "Reims", "Split", "Tartu"]

    /// 20 cities: a skewed population, an area, an income with a tie at the top.
    static let places: String = {
        var lines = ["city,population,area,income"]
        for (i, city) in cities.enumerated() {
            let population = 1000 * (1 + (i * 7) % 20) * (1 + (i * 7) % 20) + 37 * i
            let area = 10 + (i * 13) % 17 + i
            let income = i == 4 || i == 11 ? 99.5 : 40 + Double((i * 11) % 19) * 2.5
            lines.append("\(city),\(population),\(area),\(income)")
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    /// Three firms observed every year 2001-2008 (one value missing).
    static let panel: String = {
        var lines = ["firm,year,sales"]
        for (f, firm) in ["Acme", "Bolt", "Crux"].enumerated() {
            for year in 2001...2008 {
                let sales = (f == 1 && year == 2004) ? "" : String(format: "%.1f", 100 * pow(1.0 + 0.04 * Double(f + 1), Double(year - 2001)) + Double((year * 7 + f) % 5))
                lines.append("\(firm),\(year),\(sales)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    /// Daily rows from 2019-01-01 to 2021-12-31 plus 2022-01-01..02: a weekday effect and a rise.
    static let daily: String = {
        var lines = ["day,temp"]
        var date = DateComponents(calendar: Calendar(identifier: .gregorian), timeZone: TimeZone(identifier: "UTC"), year: 2019, month: 1, day: 1).date!
        for i in 0..<(365 * 3 + 2) {
            let parts = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: date)
            let weekday = ((parts.weekday ?? 1) + 5) % 7  // 0 = Monday
            let value = 10 + Double(weekday == 5 ? 3 : 0) + Double(i) * 0.002 + Double((i * 37) % 11) * 0.1
            lines.append(String(format: "%04d-%02d-%02d,%.3f", parts.year!, parts.month!, parts.day!, value))
            date = date.addingTimeInterval(86_400)
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    static let survey: String = {
        var lines = ["region,answer"]
        for i in 0..<60 { lines.append("\(["north", "north", "south"][i % 3]),\(["yes", "no", "no", "maybe"][(i * 5) % 4])") }
        return lines.joined(separator: "\n") + "\n"
    }()

    static func run(_ template: some QuestionTemplate, _ members: [(String, JSONValue)], csv: String) async throws -> JSONValue {
        let instance = try template.instantiate(.object(members))
        let run = try await ProfileTestSandbox.withWorker(csv: csv) { worker in try await TemplateExecution.run(instance, on: worker) }
        #expect(run.failure == nil && run.rejection == nil, "\(run.failure ?? run.rejection ?? "")")
        return try #require(run.answer)
    }

    /// Numbers printed by `code` run with the table loaded as `df` by plain pandas.
    static func pandas(_ csv: String, _ code: String) async throws -> [Double] {
        try await IndependentPython.numbers("import io, numpy as np, pandas as pd\ndf = pd.read_csv(io.StringIO(\(Python.literal(csv))))\n" + code)
    }

    static func number(_ answer: JSONValue, _ key: String) -> Double? { InferentialRunner.number(answer[key]) }

    @Test func labelLookupsAnswerWithTheLabel() async throws {
        let answer = try await Self.run(LabelExtremeTemplate(), [("label_column", .string("city")), ("measure", .string("income")), ("extreme", .string("highest")), ("decimals", .int(2))], csv: Self.places)
        // Espoo and Lille share the top income: the alphabetical first wins.
        #expect(answer["label"] == .string("Espoo"))
        let lowest = try await Self.run(LabelExtremeTemplate(), [("label_column", .string("city")), ("measure", .string("area")), ("extreme", .string("lowest")), ("decimals", .int(2))], csv: Self.places)
        let expected = try await Self.pandas(Self.places, "r = df.sort_values(['area', 'city']).iloc[0]; print(list(df['city']).index(r['city']), r['area'])")
        #expect(lowest["label"] == .string(Self.cities[Int(expected[0])]))
        #expect(Self.number(lowest, "value") == expected[1])
        let top = try await Self.run(TopLabelsTemplate(), [("label_column", .string("city")), ("measure", .string("population")), ("k", .int(5)), ("decimals", .int(0))], csv: Self.places)
        let order = try await Self.pandas(Self.places, "t = df.nlargest(5, 'population', keep='all'); print(*[list(df['city']).index(c) for c in t['city']])")
        #expect(top["labels"] == .array(order.map { .string(Self.cities[Int($0)]) }))
    }

    @Test func derivedRatiosPercentilesAndRankRelationsMatchPandas() async throws {
        let ratio = try await Self.run(RatioTemplate(), [("numerator", .string("population")), ("denominator", .string("area")), ("decimals", .int(3))], csv: Self.places)
        let r = try await Self.pandas(Self.places, "q = df['population'] / df['area']; print(q.median(), q.mean(), len(q))")
        InferentialRunner.expectRounded(ratio, "median", r[0], decimals: 3)
        InferentialRunner.expectRounded(ratio, "mean", r[1], decimals: 3)
        #expect(Self.number(ratio, "count") == r[2])

        let percentile = try await Self.run(PercentileTemplate(), [("column", .string("income")), ("percentile", .int(90)), ("decimals", .int(3))], csv: Self.places)
        let p = try await Self.pandas(Self.places, "v = np.percentile(df['income'], 90); print(v, (df['income'] > v).sum())")
        InferentialRunner.expectRounded(percentile, "percentile", p[0], decimals: 3)
        #expect(Self.number(percentile, "count") == p[1])

        let rank = try await Self.run(RankCorrelationTemplate(), [("first_column", .string("population")), ("second_column", .string("income"))], csv: Self.places)
        let rho = try await Self.pandas(Self.places, "from scipy.stats import spearmanr; print(spearmanr(df['population'], df['income']).statistic)")
        InferentialRunner.expectRounded(rank, "rho", rho[0], decimals: 4)

        let loglog = try await Self.run(LogLogFitTemplate(), [("response", .string("population")), ("predictor", .string("area"))], csv: Self.places)
        let fit = try await Self.pandas(Self.places, "b, a = np.polyfit(np.log(df['area']), np.log(df['population']), 1); c = np.corrcoef(np.log(df['area']), np.log(df['population']))[0, 1]; print(b, a, c * c)")
        InferentialRunner.expectRounded(loglog, "slope", fit[0], decimals: 4)
        InferentialRunner.expectRounded(loglog, "intercept", fit[1], decimals: 4)
        InferentialRunner.expectRounded(loglog, "r_squared", fit[2], decimals: 4)
    }

    @Test func perUnitGrowthMatchesPandas() async throws {
        let answer = try await Self.run(UnitGrowthTemplate(), [("unit_column", .string("firm")), ("period_column", .string("year")), ("measure", .string("sales"))], csv: Self.panel)
        let expected = try await Self.pandas(Self.panel, """
            best = None
            for i, (firm, rows) in enumerate(df.dropna().sort_values('year').groupby('firm')):
                s = rows['sales'].to_numpy()
                g = np.mean((s[1:] - s[:-1]) / s[:-1] * 100)
                if best is None or g > best[1]: best = (i, g)
            print(*best)
            """)
        #expect(answer["unit"] == .string(["Acme", "Bolt", "Crux"][Int(expected[0])]))
        InferentialRunner.expectRounded(answer, "average_change_percent", expected[1], decimals: 2)
    }

    @Test func calendarSeriesQuestionsMatchPandas() async throws {
        let weekday = try await Self.run(WeekdayProfileTemplate(), [("date_column", .string("day")), ("format", .string("%Y-%m-%d")), ("measure", .string("temp"))], csv: Self.daily)
        let w = try await Self.pandas(Self.daily, "d = pd.to_datetime(df['day']); m = df.groupby(d.dt.weekday)['temp'].mean(); print(m.idxmax(), m.max(), m.max() - df['temp'].mean())")
        #expect(weekday["weekday"] == .string(WeekdayProfileTemplate.days[Int(w[0])]))
        InferentialRunner.expectRounded(weekday, "mean", w[1], decimals: 3)
        InferentialRunner.expectRounded(weekday, "difference", w[2], decimals: 3)

        let change = try await Self.run(PeriodPercentChangeTemplate(), [("date_column", .string("day")), ("format", .string("%Y-%m-%d")), ("measure", .string("temp"))], csv: Self.daily)
        // 2022 has two days only: complete years are 2019 to 2021.
        let c = try await Self.pandas(Self.daily, "y = df.groupby(pd.to_datetime(df['day']).dt.year)['temp'].mean(); print(100 * (y[2021] - y[2019]) / y[2019])")
        #expect(change["first_year"] == .int(2019) && change["last_year"] == .int(2021))
        InferentialRunner.expectRounded(change, "percent_change", c[0], decimals: 2)
    }

    @Test func conditionalSharesMatchPandas() async throws {
        let answer = try await Self.run(ConditionalShareTemplate(), [("given_column", .string("region")), ("given_value", .string("north")), ("target_column", .string("answer")), ("target_value", .string("no"))], csv: Self.survey)
        let s = try await Self.pandas(Self.survey, "n = df[df['region'] == 'north']; print(len(n), (n['answer'] == 'no').sum(), 100 * (n['answer'] == 'no').mean())")
        #expect(Self.number(answer, "rows") == s[0] && Self.number(answer, "matching") == s[1])
        InferentialRunner.expectRounded(answer, "percent", s[2], decimals: 2)
    }

    @Test func aWeekdayProfileIsNotAskedOfDataThatIsNotDaily() async throws {
        // Every fourth day over a year: every weekday appears, but the data is not daily.
        var lines = ["day,temp"]
        let utc = TimeZone(identifier: "UTC")!
        var date = DateComponents(calendar: Calendar(identifier: .gregorian), timeZone: utc, year: 2020, month: 1, day: 6).date!
        for index in 0..<90 {
            let parts = Calendar(identifier: .gregorian).dateComponents(in: utc, from: date)
            lines.append(String(format: "%04d-%02d-%02d,%d", parts.year!, parts.month!, parts.day!, index % 9))
            date = date.addingTimeInterval(4 * 86_400)
        }
        let weekly = lines.joined(separator: "\n") + "\n"
        let instance = try WeekdayProfileTemplate().instantiate(.object([("date_column", .string("day")), ("format", .string("%Y-%m-%d")), ("measure", .string("temp"))]))
        let run = try await ProfileTestSandbox.withWorker(csv: weekly) { worker in try await TemplateExecution.run(instance, on: worker) }
        #expect(run.rejection != nil)
    }
}

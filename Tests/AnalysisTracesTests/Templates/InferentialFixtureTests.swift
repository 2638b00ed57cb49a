import Foundation
import Testing
@testable import AnalysisTraces
import TestSupport

/// Small deterministic tables for the inferential template tests, kept both as CSV text and as
/// Swift arrays so that the tests compute the expected answers independently of the templates.
struct InferentialFixture {
    var names: [String]
    /// One array per column, nil for a missing cell (written as an empty field).
    var cells: [[String?]]

    var csv: String {
        var lines = [names.joined(separator: ",")]
        for row in 0..<(cells.first?.count ?? 0) {
            lines.append(cells.map { $0[row] ?? "" }.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func text(_ name: String) -> [String?] {
        guard let index = names.firstIndex(of: name) else { return [] }
        return cells[index]
    }

    func numbers(_ name: String) -> [Double?] {
        text(name).map { $0.flatMap(Double.init) }
    }

    /// 48 rows: `id` (1...48), `team` (north, south, east in turn; one missing), `sex` (f, m in
    /// turn), `height` (depends on team and sex, two missing) and `weight` (follows height, one
    /// missing), all with one decimal.
    static let groups: InferentialFixture = {
        var noise = FixtureNoise(seed: 7)
        var id: [String?] = [], team: [String?] = [], sex: [String?] = [], height: [String?] = [], weight: [String?] = []
        let teams = ["north", "south", "east"]
        for row in 0..<48 {
            let teamIndex = row % 3
            let male = row % 2 == 1
            let h = 150 + Double(teamIndex) * 6 + (male ? 4 : 0) + 10 * noise.next() + (teamIndex == 2 ? 8 * noise.next() : 0)
            let w = 0.5 * h + 15 * noise.next() * noise.next()
            id.append(String(row + 1))
            team.append(row == 11 ? nil : teams[teamIndex])
            sex.append(male ? "m" : "f")
            height.append(row == 5 || row == 17 ? nil : String(format: "%.1f", h))
            weight.append(row == 30 ? nil : String(format: "%.1f", w))
        }
        return InferentialFixture(names: ["id", "team", "sex", "height", "weight"], cells: [id, team, sex, height, weight])
    }()

    /// 131 rows: `day` every 9 days from 2019-01-03 (one value that is not a date) and `level`
    /// (a trend, a seasonal wave and noise; one missing).
    static let dates: InferentialFixture = {
        var noise = FixtureNoise(seed: 11)
        var day: [String?] = [], level: [String?] = []
        for row in 0..<131 {
            let date = FixtureCalendar.adding(days: 9 * row, to: (2019, 1, 3))
            let month = Double(date.month)
            let value = 100 + 0.02 * Double(9 * row) + 5 * sin(month / 12 * 2 * .pi) + 3 * noise.next()
            day.append(row == 40 ? "unknown" : FixtureCalendar.iso(date))
            level.append(row == 77 ? nil : String(format: "%.2f", value))
        }
        return InferentialFixture(names: ["day", "level"], cells: [day, level])
    }()
}

/// A fixed linear congruential generator: uniform numbers in [0, 1), the same on every machine.
struct FixtureNoise {
    var state: UInt64

    init(seed: UInt64) { state = seed &* 6364136223846793005 &+ 1442695040888963407 }

    mutating func next() -> Double {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Double(state >> 11) / Double(1 << 53)
    }
}

/// Proleptic Gregorian date arithmetic written out, so the date tests do not lean on pandas.
enum FixtureCalendar {
    typealias Day = (year: Int, month: Int, day: Int)

    static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    static func daysIn(_ year: Int, _ month: Int) -> Int {
        [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    }

    /// Days since 0001-01-01.
    static func ordinal(_ date: Day) -> Int {
        var days = 0
        for year in 1..<date.year { days += isLeap(year) ? 366 : 365 }
        for month in 1..<date.month { days += daysIn(date.year, month) }
        return days + date.day - 1
    }

    static func adding(days: Int, to start: Day) -> Day {
        var (year, month, day) = start
        var left = days
        while left > 0 {
            let step = min(left, daysIn(year, month) - day + 1)
            left -= step
            day += step
            if day > daysIn(year, month) {
                day = 1
                month += 1
                if month > 12 { month = 1; year += 1 }
            }
        }
        return (year, month, day)
    }

    static func parse(_ text: String) -> Day? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, text.count == 10 else { return nil }
        return (parts[0], parts[1], parts[2])
    }

    static func iso(_ date: Day) -> String { String(format: "%04d-%02d-%02d", date.year, date.month, date.day) }
}

/// Independent arithmetic for the expected answers.
enum FixtureStatistics {
    static func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }

    static func variance(_ values: [Double]) -> Double {
        let m = mean(values)
        return values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)
    }

    /// Ranks 1...n with ties given their average rank.
    static func midranks(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count && values[order[end + 1]] == values[order[start]] { end += 1 }
            let rank = Double(start + end) / 2 + 1
            for position in start...end { ranks[order[position]] = rank }
            start = end + 1
        }
        return ranks
    }

    /// Solves `a x = b` by Gaussian elimination with partial pivoting.
    static func solve(_ a: [[Double]], _ b: [Double]) -> [Double] {
        var m = a, v = b
        let n = v.count
        for column in 0..<n {
            let pivot = (column..<n).max { abs(m[$0][column]) < abs(m[$1][column]) } ?? column
            m.swapAt(column, pivot)
            v.swapAt(column, pivot)
            for row in (column + 1)..<n {
                let factor = m[row][column] / m[column][column]
                for k in column..<n { m[row][k] -= factor * m[column][k] }
                v[row] -= factor * v[column]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for row in stride(from: n - 1, through: 0, by: -1) {
            var sum = v[row]
            for k in (row + 1)..<n { sum -= m[row][k] * x[k] }
            x[row] = sum / m[row][row]
        }
        return x
    }
}

/// Runs Python outside the sandbox (plain subprocess of the venv interpreter) for the few
/// reference values too costly to reimplement here: distribution tail probabilities and the
/// Shapiro–Wilk statistic. The code it runs never goes through pandas or the template.
enum IndependentPython {
    static func numbers(_ code: String) async throws -> [Double] {
        let outcome = try await ChildProcess.run(SandboxTestEnvironment.python, ["-I", "-c", code])
        try #require(outcome.status == 0, "independent python failed: \(code)\n\(outcome.stderr)")
        return outcome.stdout.split(whereSeparator: \.isWhitespace).compactMap { Double(String($0)) }
    }

    static func list(_ values: [Double]) -> String {
        "[" + values.map { "\($0)" }.joined(separator: ", ") + "]"
    }
}

/// Runs an instance on a fixture in a real sandbox and checks the generic properties of the run.
enum InferentialRunner {
    static func run(_ instance: TemplateInstance, on fixture: InferentialFixture) async throws -> TemplateRun {
        let run = try await ProfileTestSandbox.withWorker(csv: fixture.csv) { worker in
            try await TemplateExecution.run(instance, on: worker)
        }
        #expect(run.failure == nil, "\(run.failure ?? "")")
        for problem in InferentialChecks.problems(of: run, instance: instance) { Issue.record("\(problem)") }
        return run
    }

    static func number(_ value: JSONValue?) -> Double? {
        switch value {
        case .double(let d)?: d
        case .int(let i)?: Double(i)
        default: nil
        }
    }

    /// The answer's number at `key` equals `expected` rounded to `decimals`.
    static func expectRounded(
        _ answer: JSONValue?, _ key: String, _ expected: Double, decimals: Int, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard let found = number(answer?[key]) else {
            Issue.record("no number at '\(key)' in \(answer.map(CanonicalJSON.string) ?? "nil")", sourceLocation: sourceLocation)
            return
        }
        let tolerance = 0.5 * pow(10, Double(-decimals)) + 1e-9 * max(1, abs(expected))
        #expect(abs(found - expected) <= tolerance, "'\(key)': expected \(expected) to \(decimals) decimals, found \(found)", sourceLocation: sourceLocation)
    }
}

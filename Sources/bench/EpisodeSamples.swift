import AnalysisTraces

/// Deterministic, realistic episode records for the benchmark: a template question with its
/// schema and ground truth, a gold trace with its conversation, turns with
/// code, stdout, reasoning and hooks holding nested values; about 5–6 KB of JSON each.
struct EpisodeSamples {
    private var random: SplitMix64

    init(seed: UInt64) {
        random = SplitMix64(seed: seed)
    }

    mutating func episode(_ index: Int) -> Episode {
        let column = pick(["body_mass_g", "flipper_length_mm", "bill_depth_mm", "culmen_length_mm", "sepal_width"])
        let group = pick(["species", "island", "sex", "region", "category"])
        let mean = Double(random.next() % 500_000) / 100.0
        let answer = JSONValue.object([
            ("group", .string(pick(["Adelie", "Gentoo", "Chinstrap", "Torgersen", "Dream"]))),
            ("mean", .double(mean)),
            ("count", .int(Int64(random.next() % 400))),
        ])
        let answerValue = AnswerValue(value: answer, sha256: hex(64))
        let question = Question(
            id: "q_" + hex(20), datasetID: "penguins", datasetSHA256: hex(64), source: .template,
            question: "Which \(group) has the highest mean \(column)? Report the group, the mean (2 decimals) and its row count (\(index)).",
            hint: "Group by '\(group)', drop missing values of '\(column)' first, then sort the means in descending order.",
            difficulty: pick([.easy, .medium, .hard, .veryHard]), expectedSteps: 3,
            outputSchema: .object(fields: [
                .init(name: "group", schema: .string), .init(name: "mean", schema: .number(decimals: 2)),
                .init(name: "count", schema: .integer),
            ]),
            groundTruth: GroundTruth(value: answer, sha256: answerValue.sha256, accepted: [answerValue]),
            generator: QuestionGenerator(
                name: "group_mean_rank", version: "3",
                parameters: .object([("group", .string(group)), ("column", .string(column)), ("ascending", .bool(false))]),
                program: "g = df.dropna(subset=['\(column)']).groupby('\(group)')['\(column)']\nm = g.mean().sort_values(ascending=False)\nsubmit({'group': m.index[0], 'mean': round(float(m.iloc[0]), 2), 'count': int(g.count()[m.index[0]])})",
                exploration: nil))
        let traces = [trace(.gold, column: column, group: group, answer: answerValue)]
        return Episode(
            id: "e_" + hex(20), question: question, traces: traces,
            verification: Verification(
                method: .groundTruth, verified: true,
                votes: [VoteGroup(answer: answerValue, traces: [0], matchesGroundTruth: true)],
                agreement: 1.0, entropy: 0.0, reason: "the gold answer matches the ground truth within the requested rounding"),
            usage: Usage(calls: 4, promptTokens: 5210 + index % 97, completionTokens: 812, reasoningTokens: 0, costUSD: 0.0123),
            producer: Producer(
                teacher: "program", promptVersion: "p7",
                sandbox: ["python": "3.11.2", "pandas": "3.1.1", "numpy": "2.4.6"], tool: "0.1.0"))
    }

    private mutating func trace(_ role: Trace.Role, column: String, group: String, answer: AnswerValue) -> Trace {
        let code1 = "import pandas as pd\nsub = df.dropna(subset=['\(column)'])\nprint(sub.groupby('\(group)')['\(column)'].describe())\nhook('n_rows', len(sub), code_line=\"sub = df.dropna(subset=['\(column)'])\")"
        let code2 = "means = sub.groupby('\(group)')['\(column)'].mean().sort_values(ascending=False)\nprint(means.round(2).to_string())\nsubmit({'group': means.index[0], 'mean': round(float(means.iloc[0]), 2), 'count': int((sub['\(group)'] == means.index[0]).sum())})"
        var table = "         count         mean         std      min\n\(group)\n"
        for name in ["Adelie", "Chinstrap", "Gentoo"] {
            table += "\(name)\t\(random.next() % 200).0\t\(Double(random.next() % 900_000) / 100.0)\t\(Double(random.next() % 90_000) / 100.0)\t\(random.next() % 4000).0\n"
        }
        let reasoning1 = "First I drop rows where \(column) is missing and look at its distribution per \(group)."
        let reasoning2 = "Three plausible groups. Now the mean per group, sorted descending; submit the top one."
        let turns = [
            Turn(index: 0, message: 2, reasoning: reasoning1, code: code1,
                 execution: Execution(stdout: table, stdoutDropped: 0, stderr: "", stderrDropped: 0, result: nil, error: nil, timedOut: false, stateReset: false),
                 hooks: [hook("n_rows", .int(Int64(random.next() % 400))),
                         hook("per_group", .object([("Adelie", .array([.double(3700.66), .int(151)])), ("Gentoo", .array([.double(5076.02), .int(123)])), ("Chinstrap", .array([.double(3733.09), .int(68)]))]))],
                 submission: nil, correction: nil),
            Turn(index: 1, message: 4, reasoning: reasoning2, code: code2,
                 execution: Execution(stdout: "Gentoo       5076.02\nChinstrap    3733.09\nAdelie       3700.66\n", stdoutDropped: 0, stderr: "", stderrDropped: 0, result: nil, error: nil, timedOut: false, stateReset: false),
                 hooks: [hook("means", .array((0..<6).map { _ in .double(Double(random.next() % 1_000_000) / 1000.0) }))],
                 submission: answer, correction: nil),
        ]
        let messages = [
            Message(role: .system, content: "You are a careful data analyst with a pandas DataFrame `df`. Write Python in ```python blocks; record values with hook(...) and call submit(answer) once."),
            Message(role: .user, content: "Which \(group) has the highest mean \(column)? Output schema: {\"group\": string, \"mean\": number (2 decimals), \"count\": integer}." + (role == .gold ? " Hint: group by '\(group)'." : "")),
            Message(role: .assistant, content: reasoning1 + "\n```python\n" + code1 + "\n```", reasoning: "Plan: clean, describe, aggregate."),
            Message(role: .user, content: "Output:\n" + table),
            Message(role: .assistant, content: reasoning2 + "\n```python\n" + code2 + "\n```", reasoning: nil),
        ]
        return Trace(role: role, messages: messages, turns: turns, answer: answer, endReason: .submitted, error: nil,
                     usage: Usage(calls: 2, promptTokens: 2600, completionTokens: 406, reasoningTokens: 0, costUSD: 0.006))
    }

    private mutating func hook(_ name: String, _ value: JSONValue) -> Hook {
        Hook(name: name, codeLine: "\(name) = compute('\(name)')", value: value, valueSummarized: false,
             valueSHA256: hex(64), dependsOn: ["df"], description: "intermediate value \(name)", grounded: true)
    }

    private mutating func pick<T>(_ choices: [T]) -> T {
        choices[Int(random.next() % UInt64(choices.count))]
    }

    private mutating func hex(_ digits: Int) -> String {
        var text = ""
        while text.count < digits { text += String(random.next(), radix: 16) }
        return String(text.prefix(digits))
    }
}

/// A small, fast, seedable generator (Steele, Lea and Flood's SplitMix64).
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

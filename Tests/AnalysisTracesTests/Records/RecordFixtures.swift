import AnalysisTraces

/// Realistic instances of every record type, shared by the record tests.
enum RecordFixtures {
    static let groupMeans: JSONValue = .object([
        (key: "Adelie", value: .double(38.79)),
        (key: "Chinstrap", value: .double(48.83)),
        (key: "Gentoo", value: .int(47)),
    ])

    static var answer: AnswerValue { AnswerValue(value: groupMeans, sha256: CanonicalJSON.sha256(groupMeans)) }

    static let schemas: [AnswerSchema] = [
        .number(decimals: 2),
        .number(decimals: nil),
        .integer,
        .string,
        .boolean,
        .list(items: .string, ordered: false),
        .object(fields: [
            AnswerSchema.Field(name: "species", schema: .string),
            AnswerSchema.Field(name: "mean", schema: .number(decimals: 1)),
        ]),
        .mapping(values: .list(items: .integer, ordered: true)),
    ]

    static var question: Question {
        Question(
            id: "q-3f2a9c", datasetID: "penguins",
            datasetSHA256: String(repeating: "0123456789abcdef", count: 4), source: .template,
            question: "What is the mean bill length (mm) of each species, rounded to 2 decimals?",
            hint: nil, difficulty: .veryHard, expectedSteps: 3,
            outputSchema: .mapping(values: .number(decimals: 2)),
            groundTruth: GroundTruth(value: groupMeans, sha256: CanonicalJSON.sha256(groupMeans), accepted: [answer]),
            generator: QuestionGenerator(
                name: "group_mean", version: "2",
                parameters: .object([(key: "column", value: .string("bill_length_mm")), (key: "by", value: .string("species"))]),
                program: "df.groupby('species')['bill_length_mm'].mean().round(2)",
                exploration: [Message(role: .assistant, content: "Looking at the columns.", reasoning: "think: é → ✓")]))
    }

    static func hook(_ index: Int) -> Hook {
        Hook(
            name: "mean_by_species_\(index)", codeLine: "means = df.groupby(\"species\")[\"bill_length_mm\"].mean()",
            value: .object([
                (key: "rows", value: .array([.int(1), .double(2.5), .null, .bool(true), .string("a\tb\n\"c\"")])),
                (key: "nested", value: .object([(key: "nan", value: JSONWriter.taggedNonFinite(.nan)), (key: "deep", value: .array([.array([])]))])),
                (key: "big", value: .int(9_007_199_254_740_993)),
            ]),
            valueSummarized: index.isMultiple(of: 2), valueSHA256: String(repeating: "ab", count: 32),
            dependsOn: ["df"], description: index == 0 ? nil : "means per group", grounded: true)
    }

    static func trace(_ role: Trace.Role) -> Trace {
        let failed = Turn(
            index: 0, message: 2, reasoning: "Load the data.",
            code: "import pandas as pd\ndf = pd.read_csv('data.csv')\ndf['bil']",
            execution: Execution(
                stdout: "", stdoutDropped: 0, stderr: "Traceback...\nKeyError: 'bil'\n", stderrDropped: 120, result: nil,
                error: ExecutionError(kind: "KeyError", message: "'bil'", traceback: "KeyError: 'bil'"),
                timedOut: false, stateReset: false),
            hooks: [], submission: nil, correction: nil)
        let fixed = Turn(
            index: 1, message: 4, reasoning: "Fix the column name.",
            code: "means = df.groupby('species')['bill_length_mm'].mean()\nsubmit(means.round(2))",
            execution: Execution(
                stdout: "species\nAdelie 38.79\n", stdoutDropped: 0, stderr: "", stderrDropped: 0, result: "None",
                error: nil, timedOut: role == .consistency, stateReset: false),
            hooks: [hook(0), hook(1)], submission: answer,
            correction: Correction(fixesTurn: 0, errorKind: "KeyError"))
        return Trace(
            role: role,
            messages: [
                Message(role: .system, content: "You are a careful analyst."),
                Message(role: .user, content: "What is the mean bill length?"),
                Message(role: .assistant, content: "```python\ndf['bil']\n```", reasoning: "maybe 'bil'"),
                Message(role: .user, content: "KeyError: 'bil'"),
                Message(role: .assistant, content: "```python\nmeans = ...\n```", reasoning: nil),
            ],
            turns: [failed, fixed], answer: role == .gold ? answer : nil, endReason: role == .gold ? .submitted : .maxTurns,
            error: role == .gold ? nil : "ran out of turns",
            usage: Usage(calls: 2, promptTokens: 1200, completionTokens: 340, reasoningTokens: 80, costUSD: 0.0042))
    }

    static var episode: Episode {
        Episode(
            id: "ep-77d1", question: question, traces: [trace(.gold), trace(.consistency)],
            verification: Verification(
                method: .groundTruth, verified: true,
                votes: [VoteGroup(answer: answer, traces: [0], matchesGroundTruth: true)],
                agreement: 1, entropy: nil, reason: "the gold answer matches the ground truth"),
            usage: Usage(calls: 4, promptTokens: 2400, completionTokens: 680, reasoningTokens: 160, costUSD: nil),
            producer: Producer(teacher: "program", promptVersion: "v3", sandbox: ["python": "3.11.2", "pandas": "3.1.1", "numpy": "2.4.6"], tool: "0.1.0"))
    }

    static var dataset: Dataset {
        Dataset(
            id: "penguins", title: "Palmer penguins", description: "Size measurements of three penguin species.",
            source: DatasetSource(kind: .bundled, ref: "seaborn-data", version: nil, file: "penguins.csv"),
            license: DatasetLicense(spdx: "CC0-1.0", name: "CC0 1.0", url: nil),
            sha256: String(repeating: "f", count: 64), bytes: 13_478, rows: 344,
            columns: ["species", "island", "bill_length_mm"], fetchedAt: "2025-01-02T03:04:05Z", loader: LoaderSettings())
    }

    static var runLog: RunLog {
        RunLog(
            stage: "episode-gen", datasetID: nil, arguments: ["--teacher", "program"],
            startedAt: "2025-01-02T03:04:05Z", finishedAt: "2025-01-02T03:05:05Z", seconds: 60.25,
            counters: ["verified": 3, "failed": 1, "cache_hits": 0], failures: [:],
            items: [RunLogItem(id: "q-1", outcome: "verified", seconds: 1.5, breakdown: ["sandbox": 0.75, "model": 0.5])])
    }
}

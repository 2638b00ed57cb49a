import AnalysisTraces
import Foundation
import TestSupport
import Testing

/// Runs the built `convert` on hand-made validated episodes of four datasets, then loads every
/// format with Hugging Face `datasets` from the test-only environment (`make test-venv`).
@Suite(.timeLimit(.minutes(10))) struct ConvertCommandTests {
    static let datasets = ["alpha", "beta", "gamma", "delta"]
    static let hint = "Drop the rows where body_mass_g is missing first."

    /// The test environment's interpreter: `ANALYSIS_TRACES_TEST_PYTHON`, else `.venv-test` at
    /// the repository root when `make test-venv` finished building it.
    static var testPython: String? {
        if let python = ProcessInfo.processInfo.environment["ANALYSIS_TRACES_TEST_PYTHON"], !python.isEmpty { return python }
        let venv = SandboxTestEnvironment.repositoryRoot.appendingPathComponent(".venv-test")
        guard FileManager.default.fileExists(atPath: venv.appendingPathComponent(".installed").path) else { return nil }
        return venv.appendingPathComponent("bin/python").path
    }

    @Test func writesEveryFormatAndSplitWithADatasetCard() async throws {
        let directory = try TemporaryDirectory()
        try Self.writeInputs(in: directory)
        let outcome = try await ChildProcess.runProduct("convert", Self.arguments(directory, output: "train"))
        #expect(outcome.status == 0, "\(outcome.stderr)")
        for format in TrainingFormat.allCases {
            for split in ["train", "val", "test"] {
                #expect(FileManager.default.fileExists(atPath: directory.path("train/\(format.rawValue)/\(split).jsonl.gz")))
            }
        }
        let card = try String(contentsOfFile: directory.path("train/README.md"), encoding: .utf8)
        #expect(card.hasPrefix("---\n"))
        #expect(card.contains("- config_name: sft\n  default: true\n  data_files:\n  - split: train\n    path: sft/train.jsonl.gz"))
        #expect(card.contains("load_dataset(\"json\", data_files={"))
        // gamma has no dataset.json, delta's licence has no SPDX id: both are flagged.
        #expect(card.contains("| `gamma` | | | unknown | | ⚠ licence unknown"))
        #expect(card.contains("⚠ no SPDX identifier"))
        #expect(card.contains("2 of 4 tables have no known SPDX licence"))
        #expect(!card.contains(directory.url.path))
        #expect(FileManager.default.fileExists(atPath: directory.path("train.run.json")))
    }

    @Test func noDatasetIsInTwoSplits() async throws {
        let directory = try TemporaryDirectory()
        try Self.writeInputs(in: directory)
        let outcome = try await ChildProcess.runProduct("convert", Self.arguments(directory, output: "train", extra: ["--split", "0.5,0.25,0.25", "--seed", "3"]))
        #expect(outcome.status == 0, "\(outcome.stderr)")
        for format in TrainingFormat.allCases where format != .sftOpenAI {
            var owner: [String: String] = [:]
            var rows = 0
            for split in ["train", "val", "test"] {
                for row in try Self.rows(directory.path("train/\(format.rawValue)/\(split).jsonl.gz")) {
                    let dataset = row["dataset_id"].flatMap { if case .string(let id) = $0 { id } else { nil } } ?? "?"
                    #expect(owner[dataset, default: split] == split, "\(format.rawValue): \(dataset) in \(owner[dataset] ?? "") and \(split)")
                    owner[dataset] = split
                    rows += 1
                }
            }
            #expect(rows > 0)
            if format == .rl { #expect(Set(owner.values) == ["train", "val", "test"]) }
        }
    }

    @Test func sameInputsGiveByteIdenticalFilesAndARerunTouchesNothing() async throws {
        let directory = try TemporaryDirectory()
        try Self.writeInputs(in: directory)
        #expect(try await ChildProcess.runProduct("convert", Self.arguments(directory, output: "one")).status == 0)
        #expect(try await ChildProcess.runProduct("convert", Self.arguments(directory, output: "two")).status == 0)
        let files = TrainingFormat.allCases.flatMap { format in ["train", "val", "test"].map { "\(format.rawValue)/\($0).jsonl.gz" } } + ["README.md"]
        var modified: [String: Date] = [:]
        for file in files {
            let one = try Data(contentsOf: URL(fileURLWithPath: directory.path("one/\(file)")))
            let two = try Data(contentsOf: URL(fileURLWithPath: directory.path("two/\(file)")))
            #expect(one == two, "\(file) differs between two runs")
            modified[file] = try FileManager.default.attributesOfItem(atPath: directory.path("one/\(file)"))[.modificationDate] as? Date
        }
        try await Task.sleep(for: .seconds(1.1))  // past the coarsest file-time granularity
        let rerun = try await ChildProcess.runProduct("convert", Self.arguments(directory, output: "one").filter { $0 != "--quiet" })
        #expect(rerun.status == 0)
        #expect(rerun.stderr.contains("changed=0"))
        for file in files {
            let date = try FileManager.default.attributesOfItem(atPath: directory.path("one/\(file)"))[.modificationDate] as? Date
            #expect(date == modified[file], "\(file) was rewritten")
        }
    }

    @Test func badInvocationsExit64AndAMissingInputExits1() async throws {
        let directory = try TemporaryDirectory()
        try Self.writeInputs(in: directory)
        for extra in [["--split", "0.5,0.5"], ["--split", "0,0.5,0.5"], ["--formats", "sft,grpo"], ["--code-style", "inline"]] {
            let outcome = try await ChildProcess.runProduct("convert", Self.arguments(directory, output: "train", extra: extra))
            #expect(outcome.status == 64, "\(extra): \(outcome.stderr)")
        }
        let missing = try await ChildProcess.runProduct("convert", ["--input", directory.path("nowhere"), "--output", directory.path("train")])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("error: the input folder does not exist"))
    }

    @Test func helpNamesEveryFormat() async throws {
        let outcome = try await ChildProcess.runProduct("convert", ["--help"])
        #expect(outcome.status == 0)
        for format in TrainingFormat.allCases { #expect(outcome.stdout.contains("'\(format.rawValue)'")) }
    }

    @Test(.enabled(if: testPython != nil, "the test-only Python environment is absent: run 'make test-venv' (or set ANALYSIS_TRACES_TEST_PYTHON) to load the formats with Hugging Face datasets"),
          arguments: CodeStyle.allCases)
    func everyFormatLoadsWithHuggingFaceDatasetsWithTheExpectedColumnTypes(style: CodeStyle) async throws {
        let python = try #require(Self.testPython)
        let directory = try TemporaryDirectory()
        try Self.writeInputs(in: directory)
        let converted = try await ChildProcess.runProduct("convert", Self.arguments(directory, output: "train", extra: ["--code-style", style.rawValue]))
        #expect(converted.status == 0, "\(converted.stderr)")
        let script = SandboxTestEnvironment.repositoryRoot.appendingPathComponent("stages/convert/check_training_data.py").path
        let check = try await ChildProcess.run(python, [script, directory.path("train"), "--code-style", style.rawValue])
        #expect(check.status == 0, "\(check.stderr)")
        let report = try JSONParser.parse(check.stdout)
        for format in TrainingFormat.allCases {
            guard case .object(let rows)? = report[format.rawValue]?["rows"] else {
                Issue.record("\(format.rawValue) was not loaded")
                continue
            }
            #expect(!rows.isEmpty, "\(format.rawValue) has no rows")
        }
        #expect(report["prm"]?["features"]?["scores"] == .string("list<float64>"))
        #expect(report["prm"]?["features"]?["labels"] == .string("list<bool>"))
        #expect(report["rl"]?["features"]?["tolerance"] == .string("float64"))
    }

    // MARK: Inputs

    static func arguments(_ directory: borrowing TemporaryDirectory, output: String, extra: [String] = []) -> [String] {
        ["--input", directory.path("validated"), "--output", directory.path(output), "--datasets", directory.path("datasets"), "--quiet"] + extra
    }

    /// Validated episodes of four datasets (three each: ground truth with a wrong consistency
    /// trace, ground truth alone, and a verified triangulation) and dataset records for three.
    static func writeInputs(in directory: borrowing TemporaryDirectory) throws {
        try FileManager.default.createDirectory(atPath: directory.path("validated"), withIntermediateDirectories: true)
        for (position, id) in datasets.enumerated() {
            let episodes = (0..<3).map { episode(dataset: id, number: $0) }
            try JSONLinesWriter<Episode>.write(episodes, to: directory.path("validated/\(id).jsonl.gz"))
            guard id != "gamma" else { continue }
            let folder = directory.path("datasets/\(id)")
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let record = Dataset(
                id: id, title: "Table \(id)", description: "A table.", source: DatasetSource(kind: .local, ref: "\(id).csv", version: nil, file: nil),
                license: DatasetLicense(spdx: position == 3 ? nil : "CC0-1.0", name: position == 3 ? "see the source" : "CC0 1.0", url: nil),
                sha256: String(repeating: "0", count: 64), bytes: 10, rows: 2, columns: ["x"], fetchedAt: "2026-01-01T00:00:00Z", loader: LoaderSettings())
            try Data(try RecordEncoder().encode(record)).write(to: URL(fileURLWithPath: folder + "/dataset.json"))
        }
    }

    static func episode(dataset: String, number: Int) -> Episode {
        let truth = JSONValue.double(4201.25)
        let question = Question(
            id: "q_\(dataset)_\(number)", datasetID: dataset, datasetSHA256: String(repeating: "0", count: 64),
            source: number == 2 ? .llm : .template, question: "What is the mean body mass (g) in case \(number)? Round to 2 decimals.",
            hint: hint, difficulty: number == 0 ? .easy : .hard, expectedSteps: 2, outputSchema: .number(decimals: 2),
            groundTruth: number == 2 ? nil : GroundTruth(value: truth, sha256: CanonicalJSON.sha256(truth), accepted: [AnswerValue(truth)]),
            generator: QuestionGenerator(name: "fixture", version: "1", parameters: .object([]), program: nil, exploration: nil))
        var traces = [trace(.gold, question, mean: 4201.25)]
        if number != 1 {
            traces += [trace(.consistency, question, mean: 4201.25, failFirst: true), trace(.consistency, question, mean: 3999)]
        }
        let verification: Verification
        if number == 2 {
            let tally = VoteTally(traces: traces, matcher: AnswerMatcher(schema: question.outputSchema))
            verification = Verification(method: .triangulation, verified: true, votes: tally.groups, agreement: tally.agreement, entropy: tally.entropy, reason: "two of three agree")
        } else {
            verification = GroundTruthVerifier().verify(question: question, traces: traces)
        }
        return Episode(
            id: "e_\(dataset)_\(number)", question: question, traces: traces, verification: verification, usage: .zero,
            producer: Producer(teacher: "fixture", promptVersion: "teacher-v1", sandbox: [:], tool: "test"))
    }

    /// A trace laid out as the agent loop writes it: an optional failing cell (a traceback with a
    /// host path), a counting cell with a hook, and a cell that submits `mean`.
    static func trace(_ role: Trace.Role, _ question: Question, mean: Double, failFirst: Bool = false) -> Trace {
        var messages = [
            Message(role: .system, content: "You are a careful data analyst. The table is `df`."),
            Message(role: .user, content: TeacherPrompt.userMessage(question: question, role: role)),
        ]
        var cells: [(String, String, Execution, [Hook], AnswerValue?)] = []
        func execution(_ stdout: String, _ error: ExecutionError? = nil) -> Execution {
            Execution(stdout: stdout, stdoutDropped: 0, stderr: "", stderrDropped: 0, result: nil, error: error, timedOut: false, stateReset: false)
        }
        if failFirst {
            cells.append(("Look at the column.", "df['mass']", execution("", ExecutionError(
                kind: "KeyError", message: "'mass'",
                traceback: "  File \"/work/main/.venv/lib/python3.11/site-packages/pandas/core/frame.py\", line 4102, in __getitem__\nKeyError: 'mass'\n")), [], nil))
        }
        let count = JSONValue.int(mean == 4201.25 ? 342 : 344)
        cells.append(("Count the rows.", "n = int(df['body_mass_g'].notna().sum())\nprint(n)", execution("342\n"),
                      [Hook(name: "present_count", codeLine: "n = int(df['body_mass_g'].notna().sum())", value: count, valueSummarized: false,
                            valueSHA256: CanonicalJSON.sha256(count), dependsOn: [], description: nil, grounded: true)], nil))
        cells.append(("Average and submit.", "submit(round(df['body_mass_g'].mean(), 2))", execution(""), [], AnswerValue(.double(mean))))
        var turns: [Turn] = []
        for (index, cell) in cells.enumerated() {
            turns.append(Turn(index: index, message: messages.count, reasoning: cell.0, code: cell.1, execution: cell.2, hooks: cell.3, submission: cell.4, correction: nil))
            messages.append(Message(role: .assistant, content: cell.0 + "\n\n```python\n" + cell.1 + "\n```"))
            if index < cells.count - 1 {
                messages.append(Message(role: .user, content: AgentMessages.feedback(cell: index + 1, execution: cell.2, hooks: cell.3, notes: [])))
            }
        }
        return Trace(role: role, messages: messages, turns: turns, answer: AnswerValue(.double(mean)), endReason: .submitted, error: nil, usage: .zero)
    }

    // MARK: Reading

    static func rows(_ path: String) throws -> [JSONValue] {
        var rows: [JSONValue] = []
        try GzipLineReader(path: path).forEachLine(policy: .strict) { bytes, _ in rows.append(try JSONParser.parse(bytes)) }
        return rows
    }
}

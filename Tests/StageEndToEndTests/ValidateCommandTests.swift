import AnalysisTraces
import Foundation
import TestSupport
import Testing

/// `validate FILE` as a checker: every kind of broken input gives its diagnostic and exit status,
/// and nothing crashes.
@Suite(.timeLimit(.minutes(10))) struct ValidateCommandTests {
    /// A broken input: how to make it, and what `validate` must say about it.
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let status: Int32
        /// Text that must appear in stderr.
        let expected: [String]
        let make: @Sendable (String) throws -> Void
        var testDescription: String { name }
    }

    static func gzipLines(_ lines: [[UInt8]]) -> @Sendable (String) throws -> Void {
        { try RecordFixtures.writeGzipLines(lines, to: $0) }
    }

    static func broken(_ transform: @escaping @Sendable ([(key: String, value: JSONValue)]) -> [(key: String, value: JSONValue)]) -> @Sendable (String) throws -> Void {
        { path in try RecordFixtures.writeGzipLines([try RecordFixtures.questionLine(number: 1), transform(try RecordFixtures.questionObject(number: 2)).line], to: path) }
    }

    static let cases: [Case] = [
        Case(name: "missing file", status: 2, expected: ["error: [io]", "No such file"]) { _ in },
        Case(name: "binary garbage", status: 2, expected: ["error: [gzip] not a gzip file"]) { path in
            try Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7919 &+ 13) }).write(to: URL(fileURLWithPath: path))
        },
        Case(name: "plain JSON Lines that are not compressed", status: 2, expected: ["error: [gzip] not a gzip file"]) { path in
            try Data(try RecordFixtures.questionLine() + [10]).write(to: URL(fileURLWithPath: path))
        },
        Case(name: "truncated gzip member", status: 1, expected: ["error: [gzip]", "truncated"]) { path in
            try RecordFixtures.writeGzipLines((1...50).map { try RecordFixtures.questionLine(number: $0) }, to: path)
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            try data.prefix(data.count * 2 / 3).write(to: URL(fileURLWithPath: path))
        },
        Case(name: "corrupt deflate data", status: 1, expected: ["error: [gzip]"]) { path in
            try RecordFixtures.writeGzipLines((1...50).map { try RecordFixtures.questionLine(number: $0) }, to: path)
            var data = try Data(contentsOf: URL(fileURLWithPath: path))
            for i in stride(from: data.count / 2, to: data.count / 2 + 64, by: 1) { data[i] ^= 0x5a }
            try data.write(to: URL(fileURLWithPath: path))
        },
        Case(name: "empty gzip file", status: 1, expected: ["error: [empty]", "no records"], make: gzipLines([])),
        Case(name: "invalid JSON", status: 1, expected: [":2: error: [json] invalid JSON"], make: gzipLines([try! RecordFixtures.questionLine(), Array(#"{"schema_version": 1, "id": "#.utf8)])),
        Case(name: "empty line", status: 1, expected: [":2: error: [json] empty line"], make: gzipLines([try! RecordFixtures.questionLine(), []])),
        Case(name: "invalid UTF-8 in a string", status: 1, expected: [":1: error: [json]", "UTF-8"], make: gzipLines([Array(#"{"question": "caf"#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)])),
        Case(name: "nesting 100000 deep", status: 1, expected: [":1: error: [json]", "deep"], make: gzipLines([Array(repeating: UInt8(ascii: "["), count: 100_000)])),
        Case(name: "a 50 MB line", status: 1, expected: [":1: error: [json]"], make: gzipLines([Array(#"{"question": ""#.utf8) + Array(repeating: UInt8(ascii: "x"), count: 50_000_000)])),
        Case(name: "an array instead of an object", status: 1, expected: [":1: error: [kind]"], make: gzipLines([Array("[1, 2, 3]".utf8)])),
        Case(name: "unknown key", status: 1, expected: [":2: error: [schema] 'surprise': unknown key"], make: broken { $0 + [("surprise", .bool(true))] }),
        Case(name: "missing key", status: 1, expected: [":2: error: [schema]", "missing key 'hint'"], make: broken { $0.removing("hint") }),
        Case(name: "wrong type", status: 1, expected: [":2: error: [schema] 'expected_steps':", "string"], make: broken { $0.replacing("expected_steps", with: .string("3")) }),
        Case(name: "fractional integer", status: 1, expected: [":2: error: [schema] 'expected_steps':"], make: broken { $0.replacing("expected_steps", with: .double(1.5)) }),
        Case(name: "bad enum value", status: 1, expected: [":2: error: [schema] 'difficulty': must be one of 'easy', 'medium', 'hard', 'very_hard'; found 'EASY-ish'"], make: broken { $0.replacing("difficulty", with: .string("EASY-ish")) }),
        Case(name: "nested wrong type", status: 1, expected: [":2: error: [schema] 'ground_truth.accepted[0].sha256':"], make: broken { members in
            members.replacing("ground_truth", with: .object([("value", .int(1)), ("sha256", .string("x")), ("accepted", .array([.object([("value", .int(1)), ("sha256", .int(7))])]))]))
        }),
        Case(name: "foreign schema version", status: 1, expected: [":2: error: [version]", "version 1"], make: broken { $0.replacing("schema_version", with: .int(2)) }),
        Case(name: "id that does not match the content", status: 1, expected: [":2: error: [id]", "does not match"], make: broken { $0.replacing("question", with: .string("Something else entirely?")) }),
        Case(name: "ground truth hash mismatch", status: 1, expected: [":1: error: [hash] 'ground_truth.sha256'"]) { path in
            var question = RecordFixtures.question()
            question.groundTruth?.sha256 = String(repeating: "0", count: 64)
            try RecordFixtures.writeGzipLines([try RecordEncoder().encode(question)], to: path)
        },
        Case(name: "duplicate id", status: 1, expected: [":2: error: [duplicate]", "line 1"], make: gzipLines([try! RecordFixtures.questionLine(), try! RecordFixtures.questionLine()])),
    ]

    @Test(arguments: cases)
    func reportsBrokenInput(_ testCase: Case) async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("questions.jsonl.gz")
        try testCase.make(path)
        let outcome = try await ChildProcess.runProduct("validate", [path])
        #expect(outcome.status == testCase.status, "stderr: \(outcome.stderr.prefix(2000))")
        for text in testCase.expected {
            #expect(outcome.stderr.contains(text), "expected '\(text)' in: \(outcome.stderr.prefix(2000))")
        }
        #expect(outcome.stderr.contains("\(path): "), "a summary line names the file")
        #expect(outcome.stdout.isEmpty)
    }

    @Test func acceptsACleanFileWithExitZero() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("questions.jsonl.gz")
        try RecordFixtures.writeGzipLines((1...20).map { try RecordFixtures.questionLine(number: $0) }, to: path)
        let outcome = try await ChildProcess.runProduct("validate", [path])
        #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
        #expect(outcome.stderr.contains("20 records, 20 valid, 0 errors"))
    }

    @Test func capsPrintedDiagnosticsAndCountsTheRest() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("questions.jsonl.gz")
        try RecordFixtures.writeGzipLines(Array(repeating: Array("nope".utf8), count: 30), to: path)
        let outcome = try await ChildProcess.runProduct("validate", ["--max-diagnostics", "5", path])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.components(separatedBy: "error: [json]").count - 1 == 5)
        #expect(outcome.stderr.contains("30 errors (json 30); 25 not shown"))
    }

    @Test func rejectsANegativeDiagnosticLimitAsBadInvocation() async throws {
        let outcome = try await ChildProcess.runProduct("validate", ["--max-diagnostics", "-1", "x.jsonl.gz"])
        #expect(outcome.status == 64)
    }

    // MARK: Episodes: the semantic rules, checker mode and stage mode

    /// An episode broken in one rule's way, and the rule `validate` must name.
    struct EpisodeCase: CustomTestStringConvertible, Sendable {
        let rule: String
        let name: String
        let mutate: @Sendable (inout Episode) -> Void
        var testDescription: String { "[\(rule)] \(name)" }
    }

    static let episodeCases: [EpisodeCase] = [
        EpisodeCase(rule: "answer", name: "verified with a wrong gold answer") { episode in
            let wrong = AnswerValue(.int(7))
            episode.traces[0].answer = wrong
            episode.traces[0].turns[1].submission = wrong
        },
        EpisodeCase(rule: "verification", name: "a correct answer recorded as not verified") { $0.verification.verified = false },
        EpisodeCase(rule: "grounding", name: "a hook whose code line never ran") { $0.traces[0].turns[0].hooks[0].codeLine = "n = 3" },
        EpisodeCase(rule: "turns", name: "turn indices with a gap") { $0.traces[0].turns[1].index = 2 },
        EpisodeCase(rule: "turns", name: "a turn without code") { $0.traces[0].turns[1].code = "" },
        EpisodeCase(rule: "messages", name: "a turn pointing at the system prompt") { $0.traces[0].turns[0].message = 0 },
        EpisodeCase(rule: "feedback", name: "feedback that is not the recorded output") { $0.traces[0].messages[3].content += "\nforged" },
        EpisodeCase(rule: "hint-leak", name: "the hint in the question") { episode in
            episode.question.question += " Count the rows."
            episode.question.id = episode.question.contentAddress
            episode.id = episode.contentAddress
            episode.traces[0].messages[1].content = TeacherPrompt.userMessage(question: episode.question, role: .gold)
        },
        EpisodeCase(rule: "prompt", name: "a gold user message without the hint") { $0.traces[0].messages[1].content = $0.question.question },
        EpisodeCase(rule: "submission", name: "an answer no turn submitted") { $0.traces[0].turns[1].submission = nil },
        EpisodeCase(rule: "hash", name: "an answer hash that is not the value's") { $0.traces[0].answer?.sha256 = String(repeating: "0", count: 64) },
    ]

    @Test(arguments: episodeCases)
    func namesTheRuleAnEpisodeBreaksAndExitsOneAsAChecker(_ testCase: EpisodeCase) async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("episodes.jsonl.gz")
        var broken = HandMadeEpisode.make(number: 2)
        testCase.mutate(&broken)
        try HandMadeEpisode.write([HandMadeEpisode.make(number: 1), broken], to: path)
        let outcome = try await ChildProcess.runProduct("validate", [path])
        #expect(outcome.status == 1, "stderr: \(outcome.stderr.prefix(2000))")
        #expect(outcome.stderr.contains("\(path):2: error: [\(testCase.rule)]"), "stderr: \(outcome.stderr.prefix(2000))")
        #expect(!outcome.stderr.contains("\(path):1: error:"), "the intact episode passes: \(outcome.stderr.prefix(2000))")
    }

    @Test(arguments: episodeCases)
    func dropsAnEpisodeThatBreaksARuleAndExitsZeroAsAStage(_ testCase: EpisodeCase) async throws {
        let directory = try TemporaryDirectory()
        let input = directory.path("episodes.jsonl.gz")
        let output = directory.path("validated.jsonl.gz")
        var broken = HandMadeEpisode.make(number: 2)
        testCase.mutate(&broken)
        let intact = HandMadeEpisode.make(number: 1)
        try HandMadeEpisode.write([intact, broken], to: input)
        let outcome = try await ChildProcess.runProduct("validate", ["--input", input, "--output", output, "--quiet"])
        #expect(outcome.status == 0, "stderr: \(outcome.stderr.prefix(2000))")
        #expect(try JSONLinesReader<Episode>(path: output).readAll().map(\.id) == [intact.id])
        let report = try Self.report(directory.path("validated.report.json"))
        #expect(report.recordsDropped == 1)
        #expect(report.rules[testCase.rule, default: 0] >= 1, "\(report.rules)")
    }

    @Test func aCleanEpisodesFileExitsZeroAsAChecker() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("episodes.jsonl.gz")
        try HandMadeEpisode.write((1...3).map { HandMadeEpisode.make(number: $0) }, to: path)
        let outcome = try await ChildProcess.runProduct("validate", [path])
        #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
        #expect(outcome.stderr.contains("3 records, 3 valid, 0 errors"))
    }

    @Test func duplicateQuestionsAreReported() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("episodes.jsonl.gz")
        let first = HandMadeEpisode.make(number: 1)
        var second = first
        second.producer.teacher = "another-teacher"
        second.id = second.contentAddress
        try HandMadeEpisode.write([first, second], to: path)
        let outcome = try await ChildProcess.runProduct("validate", [path])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("\(path):2: error: [duplicate] question"), "stderr: \(outcome.stderr)")
    }

    @Test func stageModeWritesThePassingEpisodesAReportAndASummary() async throws {
        let directory = try TemporaryDirectory()
        let input = directory.path("episodes.jsonl.gz")
        let output = directory.path("validated.jsonl.gz")
        let reportPath = directory.path("custom.report.json")
        let episodes = (1...4).map { HandMadeEpisode.make(number: $0) }
        var unverified = HandMadeEpisode.make(number: 5)
        unverified.traces[0].answer = AnswerValue(.int(9))
        unverified.traces[0].turns[1].submission = unverified.traces[0].answer
        unverified.verification = GroundTruthVerifier().verify(question: unverified.question, traces: unverified.traces)
        var broken = HandMadeEpisode.make(number: 6)
        broken.traces[0].turns[1].index = 5
        try HandMadeEpisode.write([episodes[0], unverified, episodes[1], broken, episodes[2], episodes[3]], to: input)

        let outcome = try await ChildProcess.runProduct("validate", ["--input", input, "--output", output, "--report", reportPath])
        #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
        #expect(try JSONLinesReader<Episode>(path: output).readAll().map(\.id) == episodes.map(\.id))
        let report = try Self.report(reportPath)
        #expect(report.recordsRead == 6)
        #expect(report.recordsKept == 4)
        #expect(report.recordsFailingRules == 1)
        #expect(report.unverified == 1)
        #expect(report.rules == ["turns": 1])
        #expect(report.datasets["penguins"]?.read == 6)
        #expect(outcome.stderr.contains("\(input):4: error: [turns]"))
        #expect(outcome.stderr.contains("6 records read, 4 kept, 2 dropped (1 broke rules, 1 unverified)"), "stderr: \(outcome.stderr)")
        #expect(FileManager.default.fileExists(atPath: output + ".run.json"))

        let keeping = try await ChildProcess.runProduct("validate", ["--input", input, "--output", output, "--report", reportPath, "--keep-unverified"])
        #expect(keeping.status == 0)
        #expect(try JSONLinesReader<Episode>(path: output).readAll().map(\.id) == [episodes[0].id, unverified.id] + episodes[1...].map(\.id))
    }

    @Test func anUnchangedStageRunLeavesTheOutputsMtimeAlone() async throws {
        let directory = try TemporaryDirectory()
        let input = directory.path("episodes.jsonl.gz")
        let output = directory.path("validated.jsonl.gz")
        try HandMadeEpisode.write((1...3).map { HandMadeEpisode.make(number: $0) }, to: input)
        let first = try await ChildProcess.runProduct("validate", ["--input", input, "--output", output])
        #expect(first.status == 0, "stderr: \(first.stderr)")
        let old = Date(timeIntervalSince1970: 1_000_000_000)
        let report = directory.path("validated.report.json")
        for path in [output, report] { try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: path) }
        let second = try await ChildProcess.runProduct("validate", ["--input", input, "--output", output])
        #expect(second.status == 0, "stderr: \(second.stderr)")
        for path in [output, report] {
            #expect(try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date == old, "\(path) was rewritten")
        }
    }

    @Test(arguments: ["missing", "not gzip"])
    func stageModeExitsOneOnAnInputItCannotUseAndWritesNothing(_ damage: String) async throws {
        let directory = try TemporaryDirectory()
        let input = directory.path("episodes.jsonl.gz")
        let output = directory.path("validated.jsonl.gz")
        if damage == "not gzip" { try Data("{}\n".utf8).write(to: URL(fileURLWithPath: input)) }
        let outcome = try await ChildProcess.runProduct("validate", ["--input", input, "--output", output])
        #expect(outcome.status == 1, "stderr: \(outcome.stderr)")
        #expect(outcome.stderr.contains("\(input)"))
        #expect(!FileManager.default.fileExists(atPath: output))
        #expect(!FileManager.default.fileExists(atPath: directory.path("validated.report.json")))
    }

    @Test(arguments: [
        ["--input", "a.jsonl.gz"],
        ["--input", "a.jsonl.gz", "--output", "b.jsonl.gz", "c.jsonl.gz"],
        ["--keep-unverified", "a.jsonl.gz"],
        [],
    ])
    func mixedOrIncompleteModesAreBadInvocations(_ arguments: [String]) async throws {
        let outcome = try await ChildProcess.runProduct("validate", arguments)
        #expect(outcome.status == 64, "stderr: \(outcome.stderr)")
    }

    static func report(_ path: String) throws -> ValidationReport {
        try RecordDecoder().decode(ValidationReport.self, from: JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: path)))))
    }
}

/// A template episode built by hand through the record types and the library's own renderers
/// (the teacher prompt's user message, the loop's feedback, the ground truth verifier), as the
/// program teacher's episodes are: two turns, a hook in each, the answer submitted in the second.
enum HandMadeEpisode {
    static let hint = "Count the rows."

    static func make(number: Int) -> Episode {
        let generator = QuestionGenerator(name: "row_count", version: "1", parameters: .object([("n", .int(Int64(number)))]), program: nil, exploration: nil)
        let datasetSHA256 = String(repeating: "cd", count: 32)
        let text = "How many penguins are in the table?"
        let question = Question(
            id: ContentAddress.questionID(datasetSHA256: datasetSHA256, source: .template, question: text, hint: hint, generator: generator),
            datasetID: "penguins", datasetSHA256: datasetSHA256, source: .template, question: text, hint: hint,
            difficulty: .easy, expectedSteps: 2, outputSchema: .integer,
            groundTruth: GroundTruth(value: .int(344), sha256: CanonicalJSON.sha256(.int(344)), accepted: [AnswerValue(.int(344))]),
            generator: generator)
        let codes = [
            "n = len(df)\nhook(n, \"n = len(df)\", name=\"rows\")\nprint(n)",
            "answer = int(n)\nhook(answer, \"answer = int(n)\", name=\"answer\")\nsubmit(answer)",
        ]
        let hookLines = ["n = len(df)", "answer = int(n)"]
        var messages = [
            Message(role: .system, content: "You are a careful data analyst."),
            Message(role: .user, content: TeacherPrompt.userMessage(question: question, role: .gold)),
        ]
        var turns: [Turn] = []
        for (index, code) in codes.enumerated() {
            messages.append(Message(role: .assistant, content: "Step \(index + 1).\n\n```python\n\(code)\n```"))
            let execution = Execution(stdout: index == 0 ? "344\n" : "", stdoutDropped: 0, stderr: "", stderrDropped: 0, result: nil, error: nil, timedOut: false, stateReset: false)
            let hook = Hook(name: index == 0 ? "rows" : "answer", codeLine: hookLines[index], value: .int(344), valueSummarized: false,
                            valueSHA256: CanonicalJSON.sha256(.int(344)), dependsOn: [], description: nil, grounded: true)
            turns.append(Turn(index: index, message: messages.count - 1, reasoning: "Step \(index + 1).", code: code, execution: execution,
                              hooks: [hook], submission: index == 1 ? AnswerValue(.int(344)) : nil, correction: nil))
            if index == 0 {
                messages.append(Message(role: .user, content: AgentMessages.feedback(cell: 1, execution: execution, hooks: [hook], notes: [])))
            }
        }
        let trace = Trace(role: .gold, messages: messages, turns: turns, answer: AnswerValue(.int(344)), endReason: .submitted, error: nil, usage: .zero)
        let producer = Producer(teacher: "program", promptVersion: "program-v1+teacher-v1", sandbox: [:], tool: "test")
        return Episode(
            id: ContentAddress.episodeID(questionID: question.id, producer: producer), question: question, traces: [trace],
            verification: GroundTruthVerifier().verify(question: question, traces: [trace]), usage: .zero, producer: producer)
    }

    static func write(_ episodes: [Episode], to path: String) throws {
        try RecordFixtures.writeGzipLines(try episodes.map { try RecordEncoder().encode($0) }, to: path)
    }
}

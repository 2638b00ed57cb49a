import Foundation
import Logging
@testable import AnalysisTraces

/// Real episodes for the validation tests, made the way episode-gen makes them: the
/// ``AgentLoop`` runs a teacher's replies against an executor and records the trace (messages,
/// turns, capped output, feedback, hooks and their grounding), and the verifiers give the
/// verdict. The executor plays canned cell results instead of Python, so the tests need no
/// sandbox; everything the validator checks is produced by the library's own code.
enum ValidationFixtures {
    static let hint = "Drop the missing values before taking the mean."

    /// `number` tells questions apart (it is a generator parameter, so it changes the id).
    static func question(number: Int = 1, source: Question.Source = .template, hint: String? = ValidationFixtures.hint, groundTruth: JSONValue? = .double(5.9)) -> Question {
        let text = "What is the mean of the value column, rounded to 2 decimals?"
        let generator = QuestionGenerator(
            name: "column_mean", version: "1", parameters: .object([("column", .string("value")), ("n", .int(Int64(number)))]),
            program: nil, exploration: nil)
        let datasetSHA256 = String(repeating: "0", count: 64)
        return Question(
            id: ContentAddress.questionID(datasetSHA256: datasetSHA256, source: source, question: text, hint: hint, generator: generator),
            datasetID: "fixture", datasetSHA256: datasetSHA256, source: source, question: text, hint: hint,
            difficulty: .easy, expectedSteps: 2, outputSchema: .number(decimals: 2),
            groundTruth: groundTruth.map { GroundTruth(value: $0, sha256: CanonicalJSON.sha256($0), accepted: [AnswerValue($0)]) },
            generator: generator)
    }

    /// The cells of a trace that submits `answer`: a failing cell (KeyError), a cell whose long
    /// output the loop cuts (truncation marker) and which hooks a value, and a cell that hooks
    /// the mean and submits.
    static func cells(answer: Double) -> [(code: String, result: CellResult)] {
        let first = "df[\"valeu\"].mean()"
        let second = "values = df[\"value\"].dropna()\nhook(len(values), \"values = df[\\\"value\\\"].dropna()\", name=\"present\")\nprint(values.to_string())"
        let third = "mean = round(values.mean(), 2)\nhook(mean, \"mean = round(values.mean(), 2)\", name=\"mean\", depends_on=[\"present\"])\nprint(mean)\nsubmit(mean)"
        let traceback = "Traceback (most recent call last):\n  File \"<cell>\", line 1, in <module>\nKeyError: 'valeu'"
        let longOutput = (0..<40).map { "\($0)    \(Double($0) * 0.25)" }.joined(separator: "\n") + "\n"
        return [
            (first, CellResult(
                execution: Execution(stdout: "", stdoutDropped: 0, stderr: "", stderrDropped: 0, result: nil,
                                     error: ExecutionError(kind: "KeyError", message: "'valeu'", traceback: traceback),
                                     timedOut: false, stateReset: false),
                events: [], seconds: 0.01)),
            (second, CellResult(
                execution: Execution(stdout: longOutput, stdoutDropped: 0, stderr: "", stderrDropped: 0, result: nil, error: nil, timedOut: false, stateReset: false),
                events: [.hook(name: "present", codeLine: "values = df[\"value\"].dropna()", value: .int(5), dependsOn: [], description: nil)],
                seconds: 0.01)),
            (third, CellResult(
                execution: Execution(stdout: "\(answer)\n", stdoutDropped: 0, stderr: "", stderrDropped: 0, result: nil, error: nil, timedOut: false, stateReset: false),
                events: [
                    .hook(name: "mean", codeLine: "mean = round(values.mean(), 2)", value: .double(answer), dependsOn: ["present"], description: "the mean"),
                    .submit(.double(answer)),
                ],
                seconds: 0.01)),
        ]
    }

    /// One trace of `question` in `role` that submits `answer`, recorded by the agent loop.
    static func trace(_ question: Question, role: Trace.Role, answer: Double) async throws -> Trace {
        let cells = cells(answer: answer)
        let teacher = ReplayTeacher(replies: cells.map { "Next step.\n\n```python\n\($0.code)\n```" })
        let executor = CannedExecutor(results: Dictionary(cells.map { ($0.code, $0.result) }) { first, _ in first })
        let task = AgentTask(
            question: question, role: role, sample: 0, systemPrompt: "You are a careful data analyst.",
            userMessage: TeacherPrompt.userMessage(question: question, role: role))
        var configuration = AgentLoopConfiguration()
        configuration.maxShownBytes = 96
        return try await AgentLoop(configuration: configuration, logger: Logger(label: "validation-tests")).run(task, teacher: teacher, executor: executor)
    }

    static let producer = Producer(teacher: "replay", promptVersion: "replay-v1+teacher-v1", sandbox: ["python": "3.11"], tool: "test")

    /// A template episode verified against its ground truth, as episode-gen writes it.
    static func groundTruthEpisode(number: Int = 1, answer: Double = 5.9) async throws -> Episode {
        let question = question(number: number)
        let trace = try await trace(question, role: .gold, answer: answer)
        return episode(question, traces: [trace], verification: GroundTruthVerifier().verify(question: question, traces: [trace]))
    }

    /// An LLM-question episode verified by triangulation: a gold trace with the hint and one
    /// consistency trace per further answer; `verified` overrides the quorum's verdict.
    static func triangulationEpisode(number: Int = 1, answers: [Double], verified: Bool? = nil) async throws -> Episode {
        let question = question(number: number, source: .llm, groundTruth: nil)
        var traces: [Trace] = []
        for (index, answer) in answers.enumerated() {
            traces.append(try await trace(question, role: index == 0 ? .gold : .consistency, answer: answer))
        }
        let tally = VoteTally(traces: traces, matcher: AnswerMatcher(schema: question.outputSchema))
        let goldGroup = tally.groups.first(where: { $0.traces.contains(0) })
        let size = goldGroup?.traces.count ?? 0
        let quorum = size >= 2 && 2 * size > tally.submitted
        let verification = Verification(
            method: .triangulation, verified: verified ?? quorum, votes: tally.groups, agreement: tally.agreement,
            entropy: tally.entropy, reason: quorum ? "A quorum agrees with the gold answer." : "No quorum agrees with the gold answer.")
        return episode(question, traces: traces, verification: verification)
    }

    static func episode(_ question: Question, traces: [Trace], verification: Verification, producer: Producer = producer) -> Episode {
        Episode(
            id: ContentAddress.episodeID(questionID: question.id, producer: producer), question: question, traces: traces,
            verification: verification, usage: traces.map(\.usage).reduce(Usage.zero, +), producer: producer)
    }

    /// The rule names `validate` reports for one episode on its own, sorted and unique.
    static func brokenRules(_ episode: Episode) -> [String] {
        Array(Set((RecordRules.check(episode) + EpisodeRules.check(episode)).map(\.rule))).sorted()
    }

    static func messages(_ episode: Episode) -> [String] {
        (RecordRules.check(episode) + EpisodeRules.check(episode)).map { "[\($0.rule)] \($0.message)" }
    }

    static func writeEpisodes(_ episodes: [Episode], to path: String) throws {
        let writer = try GzipWriter(path: path, mode: .truncate)
        for episode in episodes { try writer.writeLine(try RecordEncoder().encode(episode)) }
        try writer.close()
    }
}

/// Replies with `replies[n]` to request `n`.
struct ReplayTeacher: Teacher {
    let name = "replay"
    let promptVersion = "replay-v1+teacher-v1"
    let replies: [String]

    struct Exhausted: Error {}

    func reply(to conversation: [Message], context: TeacherContext) async throws -> TeacherReply {
        guard context.replies < replies.count else { throw Exhausted() }
        return TeacherReply(content: replies[context.replies])
    }
}

/// Plays a canned result for each cell's code; an unknown cell prints nothing.
struct CannedExecutor: CellExecutor {
    let results: [String: CellResult]

    func reset() async throws {}

    func run(_ code: String, timeout: Duration?) async throws -> CellResult {
        results[code] ?? CellResult(
            execution: Execution(stdout: "", stdoutDropped: 0, stderr: "", stderrDropped: 0, result: nil, error: nil, timedOut: false, stateReset: false),
            events: [], seconds: 0)
    }
}

import AnalysisTraces

/// Episodes built by hand for the conversion tests: every trace's messages are laid out the way
/// the agent loop writes them (system, user with the hint for the gold trace, then each reply and
/// the feedback rendered by `AgentMessages`), so that the converter sees realistic conversations.
enum ConvertFixtures {
    static let hint = "Drop the rows where body_mass_g is missing before averaging."
    static let venvFrame = "/work/main/.venv/lib/python3.11/site-packages/pandas/core/frame.py"

    /// One reply of a trace.
    struct Step {
        var reasoning: String
        var code: String
        var stdout: String = ""
        var error: ExecutionError? = nil
        var hooks: [Hook] = []
        var submission: JSONValue? = nil
        /// A reply with no code block before this step, answered by the corrective message.
        var unusableBefore: String? = nil
    }

    static func hook(_ name: String, _ value: JSONValue, grounded: Bool = true) -> Hook {
        Hook(
            name: name, codeLine: "\(name) = compute()", value: value, valueSummarized: false,
            valueSHA256: CanonicalJSON.sha256(value), dependsOn: [], description: nil, grounded: grounded)
    }

    static func question(dataset: String, number: Int, hint: String? = ConvertFixtures.hint, groundTruth: Bool = true,
                         difficulty: Question.Difficulty = .medium) -> Question {
        let truth = JSONValue.double(4201.25)
        return Question(
            id: "q_\(dataset)_\(number)", datasetID: dataset, datasetSHA256: String(repeating: "0", count: 64),
            source: groundTruth ? .template : .llm,
            question: "What is the mean body mass (g) of question \(number)? Round to 2 decimal places.",
            hint: hint, difficulty: difficulty, expectedSteps: 2, outputSchema: .number(decimals: 2),
            groundTruth: groundTruth ? GroundTruth(value: truth, sha256: CanonicalJSON.sha256(truth), accepted: [AnswerValue(truth)]) : nil,
            generator: QuestionGenerator(name: "fixture", version: "1", parameters: .object([]), program: nil, exploration: nil))
    }

    /// A trace whose messages and turns agree, ending after its last step.
    static func trace(_ role: Trace.Role, question: Question, steps: [Step], endReason: Trace.EndReason = .submitted) -> Trace {
        var messages = [
            Message(role: .system, content: "You are a careful data analyst. The table is `df`."),
            Message(role: .user, content: TeacherPrompt.userMessage(question: question, role: role)),
        ]
        var turns: [Turn] = []
        var answer: AnswerValue?
        for (index, step) in steps.enumerated() {
            if let unusable = step.unusableBefore {
                messages.append(Message(role: .assistant, content: unusable))
                messages.append(Message(role: .user, content: AgentMessages.corrective(.noCodeBlock)))
            }
            let execution = Execution(
                stdout: step.stdout, stdoutDropped: 0, stderr: "", stderrDropped: 0, result: nil,
                error: step.error, timedOut: false, stateReset: false)
            let submission = step.error == nil ? step.submission.map { AnswerValue($0) } : nil
            if let submission { answer = submission }
            turns.append(Turn(
                index: index, message: messages.count, reasoning: step.reasoning, code: step.code,
                execution: execution, hooks: step.hooks, submission: submission, correction: nil))
            messages.append(Message(role: .assistant, content: step.reasoning + "\n\n```python\n" + step.code + "\n```"))
            if index < steps.count - 1 {
                messages.append(Message(role: .user, content: AgentMessages.feedback(cell: index + 1, execution: execution, hooks: step.hooks, notes: [])))
            }
        }
        return Trace(
            role: role, messages: messages, turns: turns, answer: answer, endReason: answer == nil ? .maxTurns : endReason,
            error: nil, usage: .zero)
    }

    /// Two steps: count the rows, then compute and submit the mean (`mean` hooked).
    static func solvingSteps(mean: Double, count: Int = 342, failFirst: Bool = false) -> [Step] {
        var steps: [Step] = []
        if failFirst {
            steps.append(Step(
                reasoning: "Look at the column.", code: "df['body_mass']",
                error: ExecutionError(
                    kind: "KeyError", message: "'body_mass'",
                    traceback: "Traceback (most recent call last):\n  File \"<cell>\", line 1, in <module>\n  File \"\(venvFrame)\", line 4102, in __getitem__\nKeyError: 'body_mass'\n")))
        }
        steps.append(Step(
            reasoning: "Count the rows with a body mass.", code: "n = int(df['body_mass_g'].notna().sum())\nprint(n)",
            stdout: "\(count)\n", hooks: [hook("present_count", .int(Int64(count)))]))
        steps.append(Step(
            reasoning: "Average and submit.", code: "m = round(df['body_mass_g'].mean(), 2)\nsubmit(m)",
            stdout: "", hooks: [hook("mean_mass", .double(mean))], submission: .double(mean)))
        return steps
    }

    /// A ground-truth episode verified on its gold trace; `consistency` adds traces without the hint.
    static func groundTruthEpisode(dataset: String, number: Int, consistency: [[Step]] = [], hint: String? = ConvertFixtures.hint,
                                   difficulty: Question.Difficulty = .medium) -> Episode {
        let question = question(dataset: dataset, number: number, hint: hint, difficulty: difficulty)
        let traces = [trace(.gold, question: question, steps: solvingSteps(mean: 4201.25))]
            + consistency.map { trace(.consistency, question: question, steps: $0) }
        return Episode(
            id: "e_\(dataset)_\(number)", question: question, traces: traces,
            verification: GroundTruthVerifier().verify(question: question, traces: traces),
            usage: .zero, producer: Producer(teacher: "program", promptVersion: "teacher-v1", sandbox: [:], tool: "test"))
    }

    /// A triangulation episode (no ground truth): gold and two agreeing consistency traces, one
    /// disagreeing; `verified` false makes an episode whose right answer is unknown.
    static func triangulationEpisode(dataset: String, number: Int, verified: Bool = true) -> Episode {
        let question = question(dataset: dataset, number: number, groundTruth: false, difficulty: .hard)
        let traces = [
            trace(.gold, question: question, steps: solvingSteps(mean: 4201.25)),
            trace(.consistency, question: question, steps: solvingSteps(mean: 4201.25, failFirst: true)),
            trace(.consistency, question: question, steps: solvingSteps(mean: 4201.25)),
            trace(.consistency, question: question, steps: solvingSteps(mean: 3999.5, count: 344)),
        ]
        let tally = VoteTally(traces: traces, matcher: AnswerMatcher(schema: question.outputSchema))
        return Episode(
            id: "e_\(dataset)_\(number)", question: question, traces: traces,
            verification: Verification(
                method: .triangulation, verified: verified, votes: tally.groups, agreement: tally.agreement,
                entropy: tally.entropy, reason: verified ? "three of four agree" : "no quorum"),
            usage: .zero, producer: Producer(teacher: "model", promptVersion: "teacher-v1", sandbox: [:], tool: "test"))
    }

    /// Ground truth with one right consistency trace (after a failed cell with a host path in its
    /// traceback, and an unusable reply) and one wrong one.
    static func mixedEpisode(dataset: String, number: Int) -> Episode {
        var wrong = solvingSteps(mean: 3999.5, count: 344)
        wrong[0].unusableBefore = "I think the mean is about 4000."
        return groundTruthEpisode(
            dataset: dataset, number: number,
            consistency: [solvingSteps(mean: 4201.25, failFirst: true), wrong])
    }

    /// Every row of `format` the builder makes from `episodes`, parsed back to JSON.
    static func rows(_ format: TrainingFormat, _ episodes: [Episode], codeStyle: CodeStyle = .toolCalls) throws -> [JSONValue] {
        let builder = TrainingRowBuilder(codeStyle: codeStyle)
        return try episodes.flatMap { episode in
            try (builder.rows(for: episode).rows[format] ?? []).map { try JSONParser.parse(JSONWriter.bytes($0, floatsWithFraction: true)) }
        }
    }
}

extension JSONValue {
    /// The member names of an object, in order.
    var keys: [String] {
        guard case .object(let members) = self else { return [] }
        return members.map(\.key)
    }

    var array: [JSONValue] {
        guard case .array(let items) = self else { return [] }
        return items
    }

    var string: String? {
        guard case .string(let text) = self else { return nil }
        return text
    }

    /// Every string anywhere in the value.
    var allStrings: [String] {
        switch self {
        case .string(let text): [text]
        case .array(let items): items.flatMap(\.allStrings)
        case .object(let members): members.flatMap { [$0.key] + $0.value.allStrings }
        default: []
        }
    }

    /// The JSON type found at every path of the value (`messages[].tool_calls[].id`), nulls left
    /// out: Arrow gives a path one type, so across rows each path must have one non-null type.
    func collectTypes(at path: String, into types: inout [String: Set<String>]) {
        switch self {
        case .null: return
        case .bool: types[path, default: []].insert("bool")
        case .int: types[path, default: []].insert("int")
        case .double: types[path, default: []].insert("float")
        case .string: types[path, default: []].insert("string")
        case .array(let items):
            types[path, default: []].insert("list")
            for item in items { item.collectTypes(at: path + "[]", into: &types) }
        case .object(let members):
            types[path, default: []].insert("object")
            for member in members { member.value.collectTypes(at: path + "." + member.key, into: &types) }
        }
    }
}

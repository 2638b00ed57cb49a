import AnalysisTraces
import Testing

/// The key sets TRL's `apply_chat_template` accepts (`trl/data_utils.py`), by trainer family.
enum TRLKeySets {
    static let supported: Set<String> = ["prompt", "chosen", "rejected", "completion", "messages", "label"]
    static let languageModeling: Set<String> = ["messages"]
    static let promptOnly: Set<String> = ["prompt"]
    static let preference: Set<String> = ["prompt", "chosen", "rejected"]
    static let unpaired: Set<String> = ["prompt", "completion", "label"]

    static func present(_ row: JSONValue) -> Set<String> { Set(row.keys).intersection(supported) }

    /// TRL's `is_conversational`: the first present key among these is a list whose first item
    /// is an object with a `role`.
    static func isConversational(_ row: JSONValue) -> Bool {
        for key in ["prompt", "chosen", "rejected", "completion", "messages"] {
            guard let value = row[key] else { continue }
            guard case .array(let items) = value, let first = items.first else { return false }
            return first["role"] != nil
        }
        return false
    }
}

@Suite struct TrainingRowBuilderTests {
    static let episodes = [
        ConvertFixtures.groundTruthEpisode(dataset: "alpha", number: 1),
        ConvertFixtures.mixedEpisode(dataset: "alpha", number: 2),
        ConvertFixtures.triangulationEpisode(dataset: "beta", number: 3),
        ConvertFixtures.triangulationEpisode(dataset: "beta", number: 4, verified: false),
    ]

    @Test func sftRowsAreConversationalMessagesWithPythonToolCallsAndTools() throws {
        let rows = try ConvertFixtures.rows(.sft, Self.episodes)
        // Correct traces: gold of 1; gold and first consistency of 2; gold and two consistency of 3.
        #expect(rows.count == 6)
        for row in rows {
            #expect(TRLKeySets.present(row) == TRLKeySets.languageModeling)
            #expect(TRLKeySets.isConversational(row))
            let messages = row["messages"]?.array ?? []
            #expect(messages.first?["role"]?.string == "system")
            #expect(messages.dropFirst().first?["role"]?.string == "user")
            var callIDs: [String] = []
            for message in messages {
                #expect(message.keys == ["role", "content", "tool_calls", "tool_call_id", "name"])
                switch message["role"]?.string {
                case "assistant":
                    let call = message["tool_calls"]?.array.first
                    #expect(call?["type"]?.string == "function")
                    #expect(call?["function"]?["name"]?.string == "python")
                    #expect(call?["function"]?["arguments"]?.keys == ["code"])
                    #expect(call?["function"]?["arguments"]?["code"]?.string?.isEmpty == false)
                    callIDs.append(call?["id"]?.string ?? "")
                case "tool":
                    #expect(message["tool_call_id"]?.string == callIDs.last)
                    #expect(message["name"]?.string == "python")
                default:
                    #expect(message["tool_calls"] == .null)
                }
            }
            #expect(messages.last?["role"]?.string == "assistant")
            #expect(row["tools"]?.array.first?["function"]?["name"]?.string == "python")
        }
    }

    @Test func fencedStyleWritesCodeInTheReplyAndFeedbackAsUserTurns() throws {
        let rows = try ConvertFixtures.rows(.sft, Self.episodes, codeStyle: .fenced)
        #expect(rows.count == 6)
        for row in rows {
            #expect(row["tools"] == nil)
            let messages = row["messages"]?.array ?? []
            #expect(messages.allSatisfy { $0.keys == ["role", "content"] })
            #expect(!messages.contains { $0["role"]?.string == "tool" })
            let replies = messages.filter { $0["role"]?.string == "assistant" }
            #expect(replies.allSatisfy { $0["content"]?.string?.contains("```python\n") == true })
            #expect(messages.dropFirst(2).enumerated().allSatisfy { $0.element["role"]?.string == ($0.offset.isMultiple(of: 2) ? "assistant" : "user") })
        }
    }

    @Test func openAIRowsFollowTheChatFineTuningRules() throws {
        let rows = try ConvertFixtures.rows(.sftOpenAI, Self.episodes)
        #expect(rows.count == 6)
        var weights: [Int64] = []
        for row in rows {
            #expect(row.keys == ["messages", "tools", "parallel_tool_calls"])
            var calls: Set<String> = []
            for message in row["messages"]?.array ?? [] {
                switch message["role"]?.string {
                case "system", "user":
                    #expect(message.keys == ["role", "content"])
                case "assistant":
                    guard case .int(let weight) = message["weight"] else {
                        Issue.record("assistant message without an integer weight")
                        continue
                    }
                    #expect(weight == 0 || weight == 1)
                    weights.append(weight)
                    for call in message["tool_calls"]?.array ?? [] {
                        let arguments = try #require(call["function"]?["arguments"]?.string)
                        #expect(try JSONParser.parse(arguments).keys == ["code"])
                        calls.insert(call["id"]?.string ?? "")
                    }
                case "tool":
                    #expect(message.keys == ["role", "tool_call_id", "content"])
                    #expect(calls.contains(message["tool_call_id"]?.string ?? "-"))
                default:
                    Issue.record("unexpected role \(String(describing: message["role"]))")
                }
            }
        }
        // Episode 2's first consistency trace and episode 3's first consistency trace failed a cell.
        #expect(weights.filter { $0 == 0 }.count == 2)
    }

    @Test func failedCellsGetWeightZeroAndUnusableRepliesAreKeptWithWeightZero() throws {
        var episode = ConvertFixtures.mixedEpisode(dataset: "alpha", number: 2)
        // Make the trace with the unusable reply right, so that it is SFT data.
        episode.traces[2] = ConvertFixtures.trace(.consistency, question: episode.question, steps: {
            var steps = ConvertFixtures.solvingSteps(mean: 4201.25, failFirst: true)
            steps[1].unusableBefore = "The mean is probably 4200."
            return steps
        }())
        let rows = try ConvertFixtures.rows(.sftOpenAI, [episode])
        let messages = rows.last?["messages"]?.array ?? []
        let assistant = messages.filter { $0["role"]?.string == "assistant" }
        #expect(assistant.map { $0["weight"] } == [.int(0), .int(0), .int(1), .int(1)])
        #expect(assistant[1]["tool_calls"] == nil)
        #expect(assistant[1]["content"]?.string == "The mean is probably 4200.")
        // The TRL conversation leaves the unusable reply and its correction out.
        let sft = try ConvertFixtures.rows(.sft, [episode]).last?["messages"]?.array ?? []
        #expect(!sft.contains { $0["content"]?.string == "The mean is probably 4200." })
        #expect(sft.filter { $0["role"]?.string == "assistant" }.count == 3)
    }

    @Test func interleavedRepliesPredictTheHookedValuesBeforeTheFeedback() throws {
        let rows = try ConvertFixtures.rows(.sftInterleaved, [ConvertFixtures.groundTruthEpisode(dataset: "alpha", number: 1)])
        let messages = try #require(rows.first?["messages"]?.array)
        #expect(messages.map { $0["role"]?.string ?? "" } == ["system", "user", "assistant", "user", "assistant"])
        let first = try #require(messages[2]["content"]?.string)
        #expect(first.hasSuffix("```\n\n<state>\n{\"present_count\":342}\n</state>"))
        #expect(messages[3]["content"]?.string?.hasPrefix("Cell 1 ran without errors.") == true)
        #expect(messages[4]["content"]?.string?.hasSuffix("<state>\n{\"mean_mass\":4201.25}\n</state>") == true)
    }

    @Test func prmRowsAreStepwiseWithBooleanLabelsAndScores() throws {
        let rows = try ConvertFixtures.rows(.prm, [ConvertFixtures.mixedEpisode(dataset: "alpha", number: 2)])
        #expect(rows.count == 3)
        for row in rows {
            #expect(row["prompt"]?.string != nil)
            let completions = row["completions"]?.array ?? []
            #expect(completions.allSatisfy { $0.string?.contains("```python\n") == true })
            #expect(row["labels"]?.array.count == completions.count)
            #expect(row["scores"]?.array.count == completions.count)
            #expect(row["labels"]?.array.allSatisfy { if case .bool = $0 { true } else { false } } == true)
            #expect(row["scores"]?.array.allSatisfy { if case .double = $0 { true } else { false } } == true)
        }
        // Gold: agrees with itself. Right consistency: the failed cell is bad. Wrong one: its count
        // disagrees with the gold's hook and its submission is wrong.
        #expect(rows[0]["labels"] == .array([.bool(true), .bool(true)]))
        #expect(rows[1]["labels"] == .array([.bool(false), .bool(true), .bool(true)]))
        #expect(rows[1]["scores"] == .array([.double(0), .double(1), .double(1)]))
        #expect(rows[2]["labels"] == .array([.bool(false), .bool(false)]))
        #expect(rows[2]["scores"] == .array([.double(0), .double(0)]))
        #expect(rows[2]["trace_correct"] == .bool(false))
    }

    @Test func stepScoreIsTheShareOfChecksThatPass() {
        let episode = ConvertFixtures.groundTruthEpisode(dataset: "alpha", number: 1)
        let labeler = StepLabeler(episode: episode, outcome: EpisodeOutcome(episode: episode))
        let turn = Turn(
            index: 0, message: 2, reasoning: "", code: "x",
            execution: Execution(stdout: "", stdoutDropped: 0, stderr: "", stderrDropped: 0, result: nil, error: nil, timedOut: false, stateReset: false),
            hooks: [ConvertFixtures.hook("present_count", .double(342.0000001)), ConvertFixtures.hook("mean_mass", .int(1)),
                    ConvertFixtures.hook("unknown_name", .int(5)), ConvertFixtures.hook("present_count", .int(1), grounded: false)],
            submission: AnswerValue(.double(4201.2501)), correction: nil)
        let label = labeler.label(turn, trace: 1)
        #expect(label.checks == 3)
        #expect(label.passed == 2)
        #expect(label.good == false)
        #expect(abs(label.score - 2.0 / 3.0) < 1e-12)
    }

    @Test func dpoPairsACorrectTraceWithADisagreeingTraceOfTheSameQuestion() throws {
        let rows = try ConvertFixtures.rows(.dpo, Self.episodes)
        // Episode 2: one wrong trace; episode 3: one disagreeing trace; episode 1 has none.
        #expect(rows.count == 2)
        for row in rows {
            #expect(TRLKeySets.present(row) == TRLKeySets.preference)
            #expect(TRLKeySets.isConversational(row))
            #expect(row["prompt"]?.array.last?["role"]?.string == "user")
            #expect(row["chosen"]?.array.first?["role"]?.string == "assistant")
            #expect(row["rejected"]?.array.first?["role"]?.string == "assistant")
            #expect(row["chosen_answer"]?.string == "4201.25")
            #expect(row["rejected_answer"]?.string == "3999.5")
        }
        // Consistency traces are chosen before the gold trace.
        #expect(rows[0]["chosen_trace_index"] == .int(1))
        #expect(rows[0]["rejected_trace_index"] == .int(2))
    }

    @Test func ktoAndOrmRowsAreUnpairedWithBooleanLabels() throws {
        let kto = try ConvertFixtures.rows(.kto, Self.episodes)
        let orm = try ConvertFixtures.rows(.orm, Self.episodes)
        #expect(kto.count == 8)
        #expect(orm.count == 8)
        for row in kto {
            #expect(TRLKeySets.present(row) == TRLKeySets.unpaired)
            #expect(TRLKeySets.isConversational(row))
        }
        for row in orm {
            #expect(TRLKeySets.present(row) == TRLKeySets.unpaired)
            #expect(row["prompt"]?.string != nil)
            #expect(row["completion"]?.string != nil)
        }
        #expect(kto.map { $0["label"] } == orm.map { $0["label"] })
        #expect(kto.filter { $0["label"] == .bool(false) }.count == 2)
    }

    @Test func rlRowsArePromptOnlyWithTheGroundTruthAndHowToCheckIt() throws {
        let rows = try ConvertFixtures.rows(.rl, Self.episodes)
        #expect(rows.count == 3)
        for row in rows {
            #expect(TRLKeySets.present(row) == TRLKeySets.promptOnly)
            #expect(TRLKeySets.isConversational(row))
            #expect(row["prompt"]?.array.map { $0["role"]?.string ?? "" } == ["system", "user"])
            #expect(try JSONParser.parse(#require(row["ground_truth"]?.string)) == .double(4201.25))
            #expect(try JSONParser.parse(#require(row["accepted_answers"]?.string)) == .array([.double(4201.25)]))
            #expect(try JSONParser.parse(#require(row["output_schema"]?.string))["decimals"] == .int(2))
            #expect(row["tolerance"] == .double(0.005))
        }
        #expect(rows.map { $0["dataset_id"]?.string ?? "" } == ["alpha", "alpha", "beta"])
    }

    @Test func anUnverifiedTriangulationFeedsNoFormat() {
        let output = TrainingRowBuilder().rows(for: ConvertFixtures.triangulationEpisode(dataset: "beta", number: 4, verified: false))
        #expect(!output.truthKnown)
        #expect(output.rows.isEmpty)
    }

    @Test(arguments: TrainingFormat.allCases, CodeStyle.allCases)
    func rowsHaveExactlyTheDocumentedColumns(format: TrainingFormat, style: CodeStyle) throws {
        let rows = try ConvertFixtures.rows(format, Self.episodes, codeStyle: style)
        #expect(!rows.isEmpty)
        let documented = format.columns(codeStyle: style).map(\.name)
        for row in rows { #expect(row.keys == documented) }
    }

    @Test(arguments: TrainingFormat.allCases, CodeStyle.allCases)
    func everyFieldKeepsOneTypeAcrossRows(format: TrainingFormat, style: CodeStyle) throws {
        var types: [String: Set<String>] = [:]
        for row in try ConvertFixtures.rows(format, Self.episodes, codeStyle: style) {
            row.collectTypes(at: "$", into: &types)
        }
        for (path, found) in types.sorted(by: { $0.key < $1.key }) {
            #expect(found.count == 1, "\(format.rawValue): \(path) has types \(found.sorted())")
        }
    }

    @Test(arguments: TrainingFormat.allCases)
    func noRowContainsTheHint(format: TrainingFormat) throws {
        let rows = try ConvertFixtures.rows(format, Self.episodes)
        #expect(!rows.isEmpty)
        for row in rows {
            #expect(!row.allStrings.contains { $0.contains(ConvertFixtures.hint) || $0.contains("Hint:") })
        }
    }

    @Test(arguments: TrainingFormat.allCases)
    func noRowContainsAnAbsoluteHostPath(format: TrainingFormat) throws {
        let rows = try ConvertFixtures.rows(format, Self.episodes)
        for row in rows {
            for text in row.allStrings {
                for forbidden in ["/work/", "/tmp/", "/root", "/home/", ".venv"] {
                    #expect(!text.contains(forbidden), "\(format.rawValue) row holds '\(forbidden)'")
                }
            }
        }
    }

    @Test func tracebacksKeepTheLibraryFileWithoutTheHostPrefix() throws {
        let rows = try ConvertFixtures.rows(.sft, [ConvertFixtures.mixedEpisode(dataset: "alpha", number: 2)])
        let texts = rows.flatMap(\.allStrings)
        #expect(texts.contains { $0.contains("File \"site-packages/pandas/core/frame.py\", line 4102") })
    }

    @Test func aTraceThatQuotesTheHintIsLeftOut() throws {
        var episode = ConvertFixtures.groundTruthEpisode(dataset: "alpha", number: 1)
        episode.traces[0].messages[2].content = "As the hint says: " + ConvertFixtures.hint
        let output = TrainingRowBuilder().rows(for: episode)
        #expect(output.excludedTraces == ["hint_quoted": 1])
        #expect(output.rows[.sft] == nil)
        // The question is still a prompt for RL only if some trace is usable; here none is.
        #expect(output.rows[.rl] == nil)
    }

    @Test func toleranceIsHalfAUnitInTheFinestRequestedPlace() {
        #expect(TrainingRowBuilder.tolerance(of: .number(decimals: 2)) == 0.005)
        #expect(TrainingRowBuilder.tolerance(of: .object(fields: [
            .init(name: "a", schema: .number(decimals: 1)), .init(name: "b", schema: .list(items: .number(decimals: 3), ordered: true)),
        ])) == 0.0005)
        #expect(TrainingRowBuilder.tolerance(of: .integer) == 0)
        #expect(TrainingRowBuilder.tolerance(of: .number(decimals: nil)) == 0)
    }
}

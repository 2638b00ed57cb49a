import Foundation
import Testing
@testable import AnalysisTraces
import TestSupport

@Suite(.requiresSandbox, .timeLimit(.minutes(10)))
struct AgentLoopTests {
    @Test func recordsEveryTurnAlignedWithTheConversationTheTeacherSaw() async throws {
        let teacher = ScriptedTeacher(cells: [
            "print(df.shape)",
            "mean_value = df[\"value\"].mean()\nhook(mean_value, 'mean_value = df[\"value\"].mean()', name=\"mean_value\")\nprint(mean_value)",
            "submit(round(mean_value, 2))",
        ])
        let trace = try await AgentFixtures.run(teacher)
        expectWellFormed(trace)
        #expect(trace.endReason == .submitted)
        #expect(trace.error == nil)
        #expect(trace.answer == AnswerValue(.double(5.9)))
        #expect(trace.turns.count == 3)
        #expect(trace.turns.map(\.message) == [2, 4, 6])
        #expect(trace.messages.count == 7, "the feedback after the accepted answer is never read, so it is not added")
        #expect(trace.turns[0].execution.stdout == "(6, 4)\n")
        #expect(trace.turns[0].reasoning == "Next step.")
        #expect(trace.turns[1].code == "mean_value = df[\"value\"].mean()\nhook(mean_value, 'mean_value = df[\"value\"].mean()', name=\"mean_value\")\nprint(mean_value)")
        #expect(trace.turns[1].hooks.map(\.name) == ["mean_value"])
        #expect(trace.turns[1].hooks.first?.grounded == true)
        #expect(trace.turns[2].submission == AnswerValue(.double(5.9)))
        #expect(trace.turns.allSatisfy { $0.correction == nil })
        #expect(trace.messages[3].content.contains("[stdout]\n(6, 4)"))
        // Verbatim replies, reasoning field included; usage summed over the calls.
        #expect(trace.messages[2].reasoning == "thinking 0")
        #expect(trace.usage.calls == 3)
        #expect(trace.usage.promptTokens == 30)
        // Each request carried exactly the conversation recorded up to that point.
        let sent = await teacher.log.conversations
        #expect(sent.count == 3)
        for (index, conversation) in sent.enumerated() {
            #expect(conversation == Array(trace.messages.prefix(2 + 2 * index)))
        }
    }

    @Test func resetsTheWorkerBeforeTheTrace() async throws {
        let trace = try await withTestWorker { _, worker in
            _ = try await worker.run("leftover = 1", timeout: nil)
            let teacher = ScriptedTeacher(cells: ["print(leftover)"])
            return try await AgentFixtures.loop { $0.maxTurns = 1 }.run(AgentFixtures.task(), teacher: teacher, executor: worker)
        }
        #expect(trace.turns.first?.execution.error?.kind == "NameError")
    }

    @Test func correctsMalformedRepliesWithoutCountingThemAsTurns() async throws {
        let teacher = ScriptedTeacher([
            .reply("I will compute the mean of the value column."),
            .reply("First:\n```python\nx = 1\n```\nthen\n```python\nsubmit(x)\n```"),
            .reply("Here it is.\n```python\n\n```"),
            .reply(ScriptedTeacher.text("submit(round(df['value'].mean(), 2))")),
        ])
        let trace = try await AgentFixtures.run(teacher) { $0.maxMalformedReplies = 3 }
        expectWellFormed(trace)
        #expect(trace.endReason == .submitted)
        #expect(trace.turns.count == 1)
        #expect(trace.turns[0].message == 8)
        #expect(trace.messages.count == 9)
        #expect(trace.messages[3].content.contains("no ```python code block"))
        #expect(trace.messages[5].content.contains("2 fenced blocks"))
        #expect(trace.messages[7].content.contains("is empty"))
        #expect(trace.messages[2].content == "I will compute the mean of the value column.", "a malformed reply is kept verbatim")
    }

    @Test func endsTheTraceWhenMalformedRepliesExceedTheBudget() async throws {
        let teacher = ScriptedTeacher([
            .reply("no code"), .reply("still no code"), .reply("```\nprint(1)\n```"),
            .reply(ScriptedTeacher.text("submit(1)")),
        ])
        let trace = try await AgentFixtures.run(teacher) { $0.maxMalformedReplies = 2 }
        expectWellFormed(trace)
        #expect(trace.endReason == .malformed)
        #expect(trace.turns.isEmpty)
        #expect(trace.answer == nil)
        #expect(trace.messages.count == 7, "two corrections, then the third malformed reply ends the trace")
        #expect(trace.messages.last?.role == .assistant)
        #expect(trace.error?.contains("3 replies could not be run") == true)
        #expect(await teacher.log.conversations.count == 3)
    }

    @Test func stopsAtTheTurnLimitAndWarnsBeforeTheLastTurn() async throws {
        let teacher = ScriptedTeacher(cells: ["a = 1", "b = 2", "c = 3", "d = 4", "submit(4)"])
        let trace = try await AgentFixtures.run(teacher) { $0.maxTurns = 3 }
        expectWellFormed(trace)
        #expect(trace.endReason == .maxTurns)
        #expect(trace.turns.count == 3)
        #expect(trace.answer == nil)
        #expect(trace.messages.last?.role == .assistant, "the last cell's feedback is never read")
        #expect(trace.messages[5].content.contains(AgentMessages.lastTurn))
        #expect(!trace.messages[3].content.contains(AgentMessages.lastTurn))
        #expect(await teacher.log.contexts.map(\.turnsLeft) == [3, 2, 1])
    }

    @Test func stopsWhenTheTimeBudgetRunsOut() async throws {
        let slow = ScriptedTeacher([
            .slow(.milliseconds(300), ScriptedTeacher.text("a = 1")),
            .slow(.milliseconds(300), ScriptedTeacher.text("submit(a)")),
        ])
        let trace = try await AgentFixtures.run(slow) { $0.timeBudget = .milliseconds(100) }
        expectWellFormed(trace)
        #expect(trace.endReason == .budget)
        #expect(trace.turns.count == 1, "a reply received before the budget check still runs")
        #expect(trace.error?.contains("time budget") == true)
        #expect(trace.messages.last?.role == .assistant)
    }

    @Test func checksHookGroundingAgainstExecutedLines() async throws {
        let code = """
            total  =   df["value"].sum()
            spread = (df["value"].max()
                      - df["value"].min())
            # a comment line
            hook(total, 'total = df["value"].sum()', name="total")
            hook(spread, 'spread = (df["value"].max()\\n - df["value"].min())', name="spread")
            hook(1, 'invented = 1', name="invented")
            hook(2, '# a comment line', name="comment")
            hook(3, 'earlier = 5')
            """
        let teacher = ScriptedTeacher(cells: ["earlier = 5", code, "hook(total, 'spread = (df[\"value\"].max()')\nsubmit(0)"])
        let trace = try await AgentFixtures.run(teacher)
        expectWellFormed(trace)
        let hooks = trace.turns[1].hooks
        #expect(hooks.map(\.name) == ["total", "spread", "invented", "comment", "hook_5"])
        #expect(hooks.map(\.grounded) == [true, true, false, false, true])
        #expect(hooks[0].value == .double(29.5))
        #expect(hooks[0].valueSHA256 == CanonicalJSON.sha256(hooks[0].value))
        #expect(trace.turns[2].hooks.first?.grounded == true, "one line of a multi-line statement is a line of code")
        let feedback = trace.messages[trace.turns[1].message + 1].content
        #expect(feedback.contains("Hook 'invented' does not count"))
        #expect(feedback.contains("Hook 'comment' does not count"))
        #expect(!feedback.contains("Hook 'total' does not count"))
    }

    @Test func asksForHooksWhenAnAnswerHasTooFewThenAccepts() async throws {
        let teacher = ScriptedTeacher(cells: [
            "submit(round(df['value'].mean(), 2))",
            "m = df['value'].mean()\nhook(m, \"m = df['value'].mean()\", name='m')\nsubmit(round(m, 2))",
            "n = df['value'].count()\nhook(n, \"n = df['value'].count()\", name='n')\nsubmit(round(m, 2))",
        ])
        let trace = try await AgentFixtures.run(teacher) {
            $0.minimumHooks = 2
            $0.maxHookReprompts = 3
        }
        expectWellFormed(trace)
        #expect(trace.endReason == .submitted)
        #expect(trace.turns.count == 3)
        #expect(trace.turns.allSatisfy { $0.submission != nil })
        #expect(trace.messages[3].content.contains("0 grounded hooks and at least 2 are expected"))
        #expect(trace.messages[5].content.contains("1 grounded hook and at least 2 are expected"))
        #expect(trace.answer == AnswerValue(.double(5.9)))
    }

    @Test func acceptsAnAnswerWithTooFewHooksOnceTheRepromptsAreSpent() async throws {
        let teacher = ScriptedTeacher(cells: ["submit(1)", "submit(2)", "submit(3)"])
        let trace = try await AgentFixtures.run(teacher) {
            $0.minimumHooks = 1
            $0.maxHookReprompts = 1
        }
        #expect(trace.endReason == .submitted)
        #expect(trace.turns.count == 2)
        #expect(trace.answer == AnswerValue(.int(2)))
    }

    @Test(arguments: [
        ("0", JSONValue.int(0)), ("0.0", .double(0)), ("''", .string("")), ("False", .bool(false)),
        ("[]", .array([])), ("{}", .object([])), ("None", .null),
    ])
    func keepsAFalsyAnswer(literal: String, expected: JSONValue) async throws {
        let teacher = ScriptedTeacher(cells: ["submit(1)\nsubmit(\(literal))"])
        let trace = try await AgentFixtures.run(teacher)
        #expect(trace.endReason == .submitted)
        #expect(trace.answer == AnswerValue(expected), "the last submit of the cell is the answer")
        #expect(trace.answer?.sha256 == CanonicalJSON.sha256(expected))
        #expect(trace.turns.first?.submission == AnswerValue(expected))
    }

    @Test func truncatesOutputShownToTheModelAndSaysHowMuchWasCut() async throws {
        let teacher = ScriptedTeacher(cells: ["print('x' * 1000)\nimport sys\nprint('warn' * 100, file=sys.stderr)", "submit(1)"])
        let trace = try await AgentFixtures.run(teacher) { $0.maxShownBytes = 100 }
        let execution = try #require(trace.turns.first?.execution)
        #expect(execution.stdout == String(repeating: "x", count: 100))
        #expect(execution.stdoutDropped == 901)
        #expect(execution.stderrDropped == 301)
        let feedback = trace.messages[3].content
        #expect(feedback.contains("[stdout]\n" + String(repeating: "x", count: 100) + "\n[... 901 more bytes of stdout not shown]"))
        #expect(feedback.contains("[... 301 more bytes of stderr not shown]"))
        #expect(!feedback.contains(String(repeating: "x", count: 101)))
    }

    @Test func recordsACrashWithItsStateResetAndTheCorrectionAfterIt() async throws {
        let teacher = ScriptedTeacher(cells: [
            "kept = 41",
            "import os\nos._exit(1)",
            "print(kept)",
            "kept = 42\nsubmit(kept)",
        ])
        let trace = try await AgentFixtures.run(teacher)
        expectWellFormed(trace)
        #expect(trace.endReason == .submitted)
        let crash = trace.turns[1].execution
        #expect(crash.stateReset)
        #expect(crash.error?.kind == "crashed")
        #expect(trace.messages[5].content.contains("state was reset"))
        #expect(trace.turns[2].correction == Correction(fixesTurn: 1, errorKind: "crashed"))
        #expect(trace.turns[2].execution.error?.kind == "NameError")
        #expect(trace.turns[3].correction == Correction(fixesTurn: 2, errorKind: "NameError"))
        #expect(trace.turns[1].correction == nil)
    }

    @Test func recordsATimedOutCellAndTheCorrectionAfterIt() async throws {
        let teacher = ScriptedTeacher(cells: ["while True:\n    pass", "submit(1)"])
        let trace = try await AgentFixtures.run(teacher) { $0.cellTimeout = .seconds(1) }
        #expect(trace.turns[0].execution.timedOut)
        #expect(trace.turns[0].execution.error?.kind == "timeout")
        #expect(trace.messages[3].content.hasPrefix("Cell 1 was stopped"))
        #expect(trace.turns[1].correction == Correction(fixesTurn: 0, errorKind: "timeout"))
    }

    @Test func doesNotAcceptAnAnswerFromACellThatFailed() async throws {
        let teacher = ScriptedTeacher(cells: ["submit(1)\nraise ValueError('late')", "submit(2)"])
        let trace = try await AgentFixtures.run(teacher)
        #expect(trace.turns[0].submission == AnswerValue(.int(1)))
        #expect(trace.messages[3].content.contains(AgentMessages.submitInFailedCell))
        #expect(trace.answer == AnswerValue(.int(2)))
        #expect(trace.endReason == .submitted)
    }

    @Test func keepsTheLastSubmissionWhenTheTraceEndsAnotherWay() async throws {
        let teacher = ScriptedTeacher(cells: ["submit(7)\nraise ValueError('late')"])
        let trace = try await AgentFixtures.run(teacher) { $0.maxTurns = 1 }
        #expect(trace.endReason == .maxTurns)
        #expect(trace.answer == AnswerValue(.int(7)))
    }

    @Test func endsWithAnErrorWhenTheTeacherFails() async throws {
        let teacher = ScriptedTeacher([.reply(ScriptedTeacher.text("a = 1")), .fail("endpoint unreachable")])
        let trace = try await AgentFixtures.run(teacher)
        expectWellFormed(trace)
        #expect(trace.endReason == .error)
        #expect(trace.error == "the teacher 'scripted' failed: endpoint unreachable")
        #expect(trace.turns.count == 1)
        #expect(trace.messages.last?.role == .user, "the feedback was sent before the teacher failed")
    }

    @Test func summarisesALargeHookValueButHashesTheWholeValue() async throws {
        let teacher = ScriptedTeacher(cells: ["numbers = list(range(2000))\nhook(numbers, 'numbers = list(range(2000))', name='numbers')\nsubmit(len(numbers))"])
        let trace = try await AgentFixtures.run(teacher)
        let hook = try #require(trace.turns.first?.hooks.first)
        let full = JSONValue.array((0..<2000).map { JSONValue.int(Int64($0)) })
        #expect(hook.valueSummarized)
        #expect(hook.valueSHA256 == CanonicalJSON.sha256(full))
        #expect(hook.value["kind"] == .string("array"))
        #expect(hook.value["length"] == .int(2000))
        #expect(CanonicalJSON.bytes(hook.value).count <= 4096)
    }

    @Test func givesTheHintToTheGoldTraceOnly() async throws {
        let question = AgentFixtures.question(hint: "Missing values are skipped.")
        #expect(TeacherPrompt.userMessage(question: question, role: .gold).hasSuffix("\n\nHint: Missing values are skipped."))
        #expect(TeacherPrompt.userMessage(question: question, role: .consistency) == question.question)
        let teacher = ScriptedTeacher(cells: ["submit(1)"])
        let trace = try await AgentFixtures.run(teacher, task: AgentFixtures.task(question, role: .consistency))
        #expect(trace.role == .consistency)
        #expect(trace.messages[1].content == question.question)
        #expect(await teacher.log.contexts.first?.role == .consistency)
    }
}

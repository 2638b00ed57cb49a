import Testing
@testable import AnalysisTraces

@Suite struct ShownOutputTests {
    static func execution(stdout: String = "", stdoutDropped: Int = 0, result: String? = nil, traceback: String? = nil) -> Execution {
        Execution(
            stdout: stdout, stdoutDropped: stdoutDropped, stderr: "", stderrDropped: 0, result: result,
            error: traceback.map { ExecutionError(kind: "ValueError", message: "bad", traceback: $0) },
            timedOut: false, stateReset: false)
    }

    @Test func leavesShortOutputAlone() {
        let execution = Self.execution(stdout: "hello\n", result: "42")
        #expect(ShownOutput.cap(execution, maxBytes: 100) == execution)
    }

    @Test func addsTheBytesItCutToWhatTheSandboxAlreadyDropped() {
        let shown = ShownOutput.cap(Self.execution(stdout: String(repeating: "a", count: 50), stdoutDropped: 1000), maxBytes: 20)
        #expect(shown.stdout == String(repeating: "a", count: 20))
        #expect(shown.stdoutDropped == 1030)
    }

    @Test func cutsAtALineBreakNearTheEnd() {
        let text = String(repeating: "0123456789\n", count: 10)
        let shown = ShownOutput.cap(Self.execution(stdout: text), maxBytes: 38)
        #expect(shown.stdout == String(repeating: "0123456789\n", count: 3))
        #expect(shown.stdoutDropped == text.utf8.count - 33)
    }

    @Test func neverSplitsACharacter() {
        let shown = ShownOutput.cap(Self.execution(stdout: String(repeating: "é", count: 10)), maxBytes: 5)
        #expect(shown.stdout == "éé")
        #expect(shown.stdoutDropped == 16)
    }

    @Test func keepsTheEndOfATracebackAndMarksTheRest() throws {
        let traceback = (1...50).map { "  frame \($0)" }.joined(separator: "\n") + "\nValueError: bad"
        let shown = ShownOutput.cap(Self.execution(traceback: traceback), maxBytes: 60)
        let kept = try #require(shown.error?.traceback)
        #expect(kept.hasPrefix("[... "))
        #expect(kept.contains("earlier bytes of the traceback not shown]"))
        #expect(kept.hasSuffix("ValueError: bad"))
        #expect(kept.utf8.count < 120)
    }

    @Test func marksATruncatedResult() {
        let shown = ShownOutput.cap(Self.execution(result: String(repeating: "r", count: 30)), maxBytes: 10)
        #expect(shown.result == String(repeating: "r", count: 10) + "\n[... 20 more bytes of the result not shown]")
    }

    @Test func feedbackShowsEachSectionAndTheResetNotice() {
        var execution = Self.execution(stdout: "out\n", result: "7")
        execution.stateReset = true
        let text = AgentMessages.feedback(cell: 2, execution: execution, hooks: [], notes: ["A note."])
        #expect(text == """
            Cell 2 ran without errors.

            The notebook had been restarted before this cell ran, so its state was reset: variables from earlier cells were gone and `df` was the original table again.

            [stdout]
            out

            [result]
            7

            A note.
            """)
        #expect(AgentMessages.feedback(cell: 1, execution: Self.execution(), hooks: [], notes: []) == "Cell 1 ran without errors and printed nothing.")
    }
}

@Suite struct HookValueSummaryTests {
    @Test func keepsASmallValue() {
        let value = JSONValue.array([.int(1), .int(2)])
        #expect(HookValueSummary.bounded(value, limitBytes: 100) == (value: value, summarized: false))
    }

    @Test func summarisesALargeTableWithItsShapeAndFirstRows() throws {
        let rows = (0..<500).map { JSONValue.array([.int(Int64($0)), .string("label \($0)")]) }
        let table = JSONValue.object([
            ("columns", .array([.string("n"), .string("label")])),
            ("index", .array((0..<500).map { .int(Int64($0)) })),
            ("data", .array(rows)),
        ])
        let (summary, summarized) = HookValueSummary.bounded(table, limitBytes: 1024)
        #expect(summarized)
        #expect(summary["kind"] == .string("table"))
        #expect(summary["rows"] == .int(500))
        #expect(summary["columns"] == .int(2))
        #expect(summary["column_names"] == .array([.string("n"), .string("label")]))
        guard case .array(let head)? = summary["head"], case .array(let labels)? = summary["index_head"] else {
            Issue.record("no head in \(summary)")
            return
        }
        #expect(!head.isEmpty)
        #expect(head.first == rows.first)
        #expect(labels.count == head.count)
        #expect(summary["canonical_bytes"] == .int(Int64(CanonicalJSON.bytes(table).count)))
        #expect(CanonicalJSON.bytes(summary).count <= 1024 + 200)
    }

    @Test func summarisesLongStringsAndObjects() {
        let (text, textSummarized) = HookValueSummary.bounded(.string(String(repeating: "ab", count: 1000)), limitBytes: 100)
        #expect(textSummarized)
        #expect(text["length"] == .int(2000))
        #expect(text["prefix"] == .string(String(repeating: "ab", count: 32)), "half the limit, at least 64 bytes")
        let members = (0..<300).map { (key: "k\($0)", value: JSONValue.double(Double($0) + 0.5)) }
        let (object, objectSummarized) = HookValueSummary.bounded(.object(members), limitBytes: 200)
        #expect(objectSummarized)
        #expect(object["kind"] == .string("object"))
        #expect(object["size"] == .int(300))
    }
}

/// The texts the loop writes into a conversation: the feedback after each cell and the
/// corrective messages after an unusable reply. They are part of the prompt version
/// (``TeacherPrompt/currentVersion``): change one, bump the version.
public enum AgentMessages {
    /// The user message after an unusable reply.
    public static func corrective(_ problem: ReplyParser.Problem) -> String {
        let what = switch problem {
        case .noCodeBlock:
            "Your reply has no ```python code block, so nothing was run."
        case .severalCodeBlocks(let count):
            "Your reply has \(count) fenced blocks, so nothing was run. Put all the code of this step in one ```python block, and do not write other fenced blocks (never the output: the notebook shows it to you)."
        case .emptyCode:
            "The ```python block in your reply is empty, so nothing was run."
        case .unterminatedBlock:
            "The ```python block in your reply is not closed by a line of three backticks, so nothing was run."
        case .notPython(let label):
            label.isEmpty
                ? "The code block in your reply has no language label, so nothing was run. Open it with ```python."
                : "The code block in your reply is marked '\(label)', so nothing was run. Only ```python blocks are run."
        }
        return what + " Reply with a few sentences of reasoning, then exactly one ```python block, then stop."
    }

    /// The user message after a cell: what it printed, its result or error, the hooks it
    /// recorded, then `notes` (answer not accepted, hooks wanted, last turn), each a paragraph.
    /// `execution` is the capped execution (``ShownOutput``); `cell` counts from 1.
    public static func feedback(cell: Int, execution: Execution, hooks: [Hook], notes: [String]) -> String {
        var paragraphs: [String] = []
        let hasOutput = !execution.stdout.isEmpty || execution.stdoutDropped > 0 || !execution.stderr.isEmpty
            || execution.stderrDropped > 0 || execution.result != nil
        if let error = execution.error {
            let summary = error.message.isEmpty ? error.kind : error.message
            switch error.kind {
            case "syntax": paragraphs.append("Cell \(cell) could not be parsed: \(summary)")
            case "timeout": paragraphs.append("Cell \(cell) was stopped: \(summary)")
            case "crashed": paragraphs.append("Cell \(cell) did not finish: \(summary)")
            default: paragraphs.append("Cell \(cell) failed with \(error.kind): \(summary)")
            }
        } else if execution.timedOut {
            paragraphs.append("Cell \(cell) was stopped: it ran past its time limit.")
        } else {
            paragraphs.append(hasOutput ? "Cell \(cell) ran without errors." : "Cell \(cell) ran without errors and printed nothing.")
        }
        if execution.stateReset {
            let lost = execution.error.map { ["timeout", "crashed"].contains($0.kind) } ?? false
            paragraphs.append(lost
                ? "The notebook was restarted, so its state was reset: every variable from earlier cells is gone and `df` is the original table again."
                : "The notebook had been restarted before this cell ran, so its state was reset: variables from earlier cells were gone and `df` was the original table again.")
        }
        func section(_ name: String, _ text: String, dropped: Int) {
            guard !text.isEmpty || dropped > 0 else { return }
            var body = text
            if dropped > 0 {
                if !body.isEmpty && !body.hasSuffix("\n") { body += "\n" }
                body += ShownOutput.marker(dropped, of: name)
            }
            paragraphs.append("[\(name)]\n" + (body.hasSuffix("\n") ? String(body.dropLast()) : body))
        }
        section("stdout", execution.stdout, dropped: execution.stdoutDropped)
        section("stderr", execution.stderr, dropped: execution.stderrDropped)
        if let result = execution.result { section("result", result, dropped: 0) }
        if let error = execution.error, !error.traceback.isEmpty {
            section("traceback", error.traceback, dropped: 0)
        }
        if !hooks.isEmpty {
            paragraphs.append("Hooks recorded: " + hooks.map(\.name).joined(separator: ", ") + ".")
            for hook in hooks where !hook.grounded {
                paragraphs.append("Hook '\(hook.name)' does not count: its code_line is not a line of code that has run. It must be copied exactly from your code; it was: \(hook.codeLine)")
            }
        }
        paragraphs += notes
        return paragraphs.joined(separator: "\n\n")
    }

    /// The note when `submit` was called in a cell that then failed.
    public static let submitInFailedCell =
        "submit() was called, but the cell failed, so the answer was not accepted. Fix the problem and call submit(answer) again."

    /// The note when an answer came with too few grounded hooks.
    public static func hooksWanted(grounded: Int, minimum: Int) -> String {
        "Your answer was received but not accepted yet: the solution has \(grounded) grounded \(grounded == 1 ? "hook" : "hooks") and at least \(minimum) are expected. "
            + "Record the intermediate results your answer is built from with hook(value, code_line, name=None, depends_on=(), description=None), "
            + "where code_line is copied exactly from a line of code you ran, then call submit(answer) again."
    }

    /// The note when the next cell is the last one the loop will run.
    public static let lastTurn = "You have one cell left: use it to call submit(answer) with your final answer."
}

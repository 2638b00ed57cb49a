@testable import AnalysisTraces
import AnalysisTracesCLI
import Testing

@Suite struct CommandDiagnosticsTests {
    @Test func libraryErrorsAreOneDiagnosticEach() {
        #expect(DownloadError(.notFound, source: "list.txt:3", "no such file").description == "list.txt:3: error: [not-found] no such file")
        #expect(LLMConfigurationError(setting: "LLM_TOP_P", problem: "must be in (0, 1]; found '2'").description
                == "error: 'LLM_TOP_P' must be in (0, 1]; found '2'")
        #expect(SandboxError.shutDown.description == "sandbox: error: the sandbox was shut down; expected a running sandbox")
        #expect(StageInputError(path: "q.jsonl.gz", line: 4, message: "bad").description == "q.jsonl.gz:4: error: [input] bad")
    }

    @Test func theCommandAddsTheOptionThatFixesTheProblem() {
        #expect(!SandboxError.noInterpreter.description.contains("--"))
        #expect(CommandDiagnostics.text(for: SandboxError.noInterpreter)
                == "sandbox: error: no Python environment found; expected '.venv/bin/python' here or above (run 'make setup'), or pass '--python'")
        let tooLarge = DownloadError(.tooLarge, source: "t.csv", "the file has 9 bytes; the limit is 4")
        #expect(CommandDiagnostics.text(for: tooLarge) == "t.csv: error: [too-large] the file has 9 bytes; the limit is 4 ('--max-bytes' raises it)")
        let bubblewrap = SandboxError.bubblewrapUnavailable(searched: ["/usr/bin"])
        #expect(!bubblewrap.description.contains("--isolation"))
        #expect(CommandDiagnostics.text(for: bubblewrap).hasSuffix("('--isolation none')"))
    }

    @Test func otherErrorsPrintAsTheyDescribeThemselves() {
        struct Plain: Error, CustomStringConvertible { var description: String { "path: something broke" } }
        #expect(CommandDiagnostics.text(for: Plain()) == "path: something broke")
    }
}

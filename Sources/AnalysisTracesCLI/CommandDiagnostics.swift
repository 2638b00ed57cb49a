import AnalysisTraces

/// How a command prints what went wrong: every error and every data problem as one
/// compiler-style line on stderr (``Diagnostic/format(location:severity:rule:message:)``), with
/// the advice that names this program's options, which the library leaves out.
public enum CommandDiagnostics {
    /// The line for `error`: a ``DiagnosticError`` formatted with its advice; any other error as
    /// it describes itself.
    public static func text(for error: any Error) -> String {
        guard let error = error as? any DiagnosticError else { return "\(error)" }
        return Diagnostic.format(
            location: error.diagnosticLocation, severity: .error, rule: error.diagnosticRule,
            message: error.diagnosticMessage + (advice(for: error) ?? ""))
    }

    /// The line for a problem found in the data.
    public static func text(for diagnostic: Diagnostic) -> String {
        var diagnostic = diagnostic
        diagnostic.message += advice(rule: diagnostic.rule) ?? ""
        return diagnostic.description
    }

    public static func write(_ error: any Error) {
        FileHandleStandardError.write(text(for: error))
    }

    public static func write(_ diagnostic: Diagnostic) {
        FileHandleStandardError.write(text(for: diagnostic))
    }

    /// What to add to an error's message: how to fix it with an option of the command.
    static func advice(for error: any DiagnosticError) -> String? {
        switch error {
        case SandboxError.noInterpreter:
            ", or pass '--python'"
        case SandboxError.bubblewrapUnavailable:
            " ('--isolation none')"
        case SandboxError.zygoteFailed(kind: "seccomp", _):
            " ('--isolation none')"
        case QuestionGenerationError.noLLM:
            "; set 'LLM_BASE_URL' (or '--llm-base-url'), or use '--source template'"
        default:
            advice(rule: error.diagnosticRule)
        }
    }

    /// What to add to a problem of this rule.
    static func advice(rule: String?) -> String? {
        switch rule {
        case "kind": " with '--kind'"
        case "too-large": " ('--max-bytes' raises it)"
        default: nil
        }
    }
}

/// A bad LLM setting: names the environment variable or flag it came from, says what is
/// expected and what was found.
public struct LLMConfigurationError: DiagnosticError, Equatable {
    /// The variable (`LLM_TEMPERATURE`) or flag (`--llm-temperature`) that holds the bad value.
    public var setting: String
    /// What is wrong, in lower case: "must be a number ≥ 0; found 'hot'".
    public var problem: String

    public init(setting: String, problem: String) {
        self.setting = setting
        self.problem = problem
    }

    public var diagnosticLocation: String? { nil }
    public var diagnosticMessage: String { "'\(setting)' \(problem)" }
}

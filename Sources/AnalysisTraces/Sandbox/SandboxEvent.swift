/// A structured message a cell sent with `hook(...)` or `submit(...)`. Events travel inside the
/// result frame, never through stdout, so printing a look-alike cannot forge one.
public enum SandboxEvent: Sendable, Equatable {
    /// `hook(value, code_line, name=None, depends_on=(), description=None)`.
    case hook(name: String?, codeLine: String, value: JSONValue, dependsOn: [String], description: String?)
    /// `submit(answer)`.
    case submit(JSONValue)
}

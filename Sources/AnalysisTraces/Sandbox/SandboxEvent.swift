/// A structured message a cell sent with `hook(...)` or `submit(...)`. Events travel inside the
/// result frame, never through stdout, so printing a look-alike cannot forge one.
public enum SandboxEvent: Sendable, Equatable {
    /// `hook(value, code_line, name=None, depends_on=(), description=None)`.
    case hook(name: String?, codeLine: String, value: JSONValue, dependsOn: [String], description: String?)
    /// `submit(answer)`.
    case submit(JSONValue)
}

extension SandboxEvent {
    /// The event as the protocol writes it: `{"type":"submit","value":...}` or
    /// `{"type":"hook","name":...,"code_line":...,"value":...,"depends_on":[...],"description":...}`.
    public var jsonValue: JSONValue {
        switch self {
        case .submit(let value):
            return .object([("type", .string("submit")), ("value", value)])
        case .hook(let name, let codeLine, let value, let dependsOn, let description):
            return .object([
                ("type", .string("hook")),
                ("name", name.map { .string($0) } ?? .null),
                ("code_line", .string(codeLine)),
                ("value", value),
                ("depends_on", .array(dependsOn.map { .string($0) })),
                ("description", description.map { .string($0) } ?? .null),
            ])
        }
    }
}

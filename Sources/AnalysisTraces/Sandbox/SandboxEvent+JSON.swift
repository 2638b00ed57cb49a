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

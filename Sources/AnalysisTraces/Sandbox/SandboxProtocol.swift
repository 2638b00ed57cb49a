/// The frames of the sandbox protocol (see the DocC article "Sandbox"): requests the host
/// writes and the checks every reply must pass. Replies are untrusted: anything that is not
/// exactly one of the expected shapes is a `FrameChannelError`, and the peer is replaced.
enum SandboxProtocol {
    /// What the zygote says once it has imported the libraries and loaded the table.
    struct ZygoteReady: Sendable {
        var pid: Int
        var versions: [String: String]
        var table: SandboxTable
    }

    /// A worker's `result` frame, before the host adds what it knows (state reset, watchdog).
    struct CellReply: Sendable {
        var execution: Execution
        var events: [SandboxEvent]
        var seconds: Double
        var pssBytes: Int?
    }

    // MARK: Requests

    static func spawn(id: Int, seed: Int) -> [UInt8] {
        object([("id", .int(Int64(id))), ("op", .string("spawn")), ("seed", .int(Int64(seed)))])
    }

    static func kill(id: Int, worker: Int) -> [UInt8] {
        object([("id", .int(Int64(id))), ("op", .string("kill")), ("worker", .int(Int64(worker)))])
    }

    static func simple(id: Int, op: String) -> [UInt8] {
        object([("id", .int(Int64(id))), ("op", .string(op))])
    }

    static func exec(id: Int, code: String, timeoutSeconds: Double) -> [UInt8] {
        object([("id", .int(Int64(id))), ("op", .string("exec")), ("code", .string(code)), ("timeout_s", .double(timeoutSeconds))])
    }

    private static func object(_ members: [(key: String, value: JSONValue)]) -> [UInt8] {
        JSONWriter.bytes(.object(members))
    }

    // MARK: Replies

    /// Parses a frame into a JSON object.
    static func parse(_ frame: ReceivedFrame) throws(FrameChannelError) -> JSONValue {
        let value: JSONValue
        do {
            value = try JSONParser.parse(frame.payload)
        } catch {
            throw .malformed("not JSON (\(error.description))")
        }
        guard case .object = value else { throw .malformed("expected a JSON object, found \(value.typeName)") }
        return value
    }

    /// Checks that `reply` answers request `id` and has one of `types`; returns its type.
    /// An `error` reply to the request is returned as such when `allowError` is set.
    static func replyType(_ reply: JSONValue, id: Int, types: Set<String>, allowError: Bool = false) throws(FrameChannelError) -> String {
        guard let idValue = reply["id"] else { throw .wrongID(expected: id, found: "no id") }
        guard case .int(let found) = idValue, found == Int64(id) else {
            throw .wrongID(expected: id, found: idValue.sandboxShortText)
        }
        let type = try string(reply, "type")
        guard types.contains(type) || (allowError && type == "error") else {
            throw .malformed("expected a reply of type \(types.sorted().map { "'\($0)'" }.joined(separator: " or ")), found '\(type)'")
        }
        return type
    }

    /// The zygote's first frame: ready, or an error that says why it cannot start.
    static func zygoteReady(_ frame: JSONValue) throws(FrameChannelError) -> Result<ZygoteReady, SandboxError> {
        let type = try string(frame, "type")
        if type == "error" {
            let kind = try string(frame, "kind")
            let message = try string(frame, "message")
            return .failure(.zygoteFailed(kind: kind, message: message))
        }
        guard type == "ready" else { throw .malformed("expected the zygote's 'ready' or 'error', found '\(type)'") }
        let pid = try int(frame, "pid")
        guard case .object(let versionMembers)? = frame["versions"] else { throw .malformed("'versions' must be an object") }
        var versions: [String: String] = [:]
        for member in versionMembers {
            guard case .string(let text) = member.value else { throw .malformed("'versions.\(member.key)' must be a string") }
            versions[member.key] = text
        }
        guard let table = frame["table"], case .object = table else { throw .malformed("'table' must be an object") }
        let rows = try int(table, "rows")
        let columns = try strings(table, "columns")
        guard case .object(let dtypeMembers)? = table["dtypes"] else { throw .malformed("'table.dtypes' must be an object") }
        var dtypes: [String: String] = [:]
        for member in dtypeMembers {
            guard case .string(let text) = member.value else { throw .malformed("'table.dtypes.\(member.key)' must be a string") }
            dtypes[member.key] = text
        }
        return .success(ZygoteReady(pid: pid, versions: versions, table: SandboxTable(rows: rows, columns: columns, dtypes: dtypes)))
    }

    /// A worker's first frame: `{"type":"ready","worker":pid}`.
    static func workerReady(_ frame: JSONValue) throws(FrameChannelError) -> Int {
        let type = try string(frame, "type")
        guard type == "ready" else {
            if type == "error", case .string(let message)? = frame["message"] {
                throw .malformed("the worker reported an error instead of 'ready': \(message)")
            }
            throw .malformed("expected the worker's 'ready', found '\(type)'")
        }
        return try int(frame, "worker")
    }

    /// The body of a `result` frame.
    static func cellReply(_ frame: JSONValue) throws(FrameChannelError) -> CellReply {
        let stdout = try string(frame, "stdout")
        let stdoutDropped = try int(frame, "stdout_dropped")
        let stderr = try string(frame, "stderr")
        let stderrDropped = try int(frame, "stderr_dropped")
        let result = try optionalString(frame, "result")
        var error: ExecutionError?
        switch frame["error"] {
        case .null?: error = nil
        case .object?:
            guard let value = frame["error"] else { throw .malformed("'error' is missing") }
            error = ExecutionError(kind: try string(value, "kind"), message: try string(value, "message"), traceback: try string(value, "traceback"))
        default: throw .malformed("'error' must be null or an object")
        }
        guard case .bool(let timedOut)? = frame["timed_out"] else { throw .malformed("'timed_out' must be a boolean") }
        guard case .array(let rawEvents)? = frame["events"] else { throw .malformed("'events' must be an array") }
        var events: [SandboxEvent] = []
        events.reserveCapacity(rawEvents.count)
        for raw in rawEvents { events.append(try event(raw)) }
        let seconds: Double
        switch frame["duration_s"] {
        case .double(let value)?: seconds = value
        case .int(let value)?: seconds = Double(value)
        default: throw .malformed("'duration_s' must be a number")
        }
        var pss: Int?
        switch frame["pss_bytes"] {
        case .null?: pss = nil
        case .int(let value)?: pss = Int(value)
        default: throw .malformed("'pss_bytes' must be an integer or null")
        }
        guard stdoutDropped >= 0, stderrDropped >= 0 else { throw .malformed("dropped byte counts must not be negative") }
        let execution = Execution(
            stdout: stdout, stdoutDropped: stdoutDropped, stderr: stderr, stderrDropped: stderrDropped,
            result: result, error: error, timedOut: timedOut, stateReset: false)
        return CellReply(execution: execution, events: events, seconds: seconds, pssBytes: pss)
    }

    static func event(_ raw: JSONValue) throws(FrameChannelError) -> SandboxEvent {
        guard case .object = raw else { throw .malformed("an event must be an object, found \(raw.typeName)") }
        let type = try string(raw, "type")
        switch type {
        case "submit":
            guard let value = raw["value"] else { throw .malformed("a submit event needs 'value'") }
            return .submit(value)
        case "hook":
            guard let value = raw["value"] else { throw .malformed("a hook event needs 'value'") }
            return .hook(
                name: try optionalString(raw, "name"), codeLine: try string(raw, "code_line"), value: value,
                dependsOn: try strings(raw, "depends_on"), description: try optionalString(raw, "description"))
        default:
            throw .malformed("unknown event type '\(type)'; expected 'hook' or 'submit'")
        }
    }

    // MARK: Field access

    static func string(_ object: JSONValue, _ key: String) throws(FrameChannelError) -> String {
        guard case .string(let text)? = object[key] else { throw .malformed("'\(key)' must be a string, found \(object[key]?.typeName ?? "nothing")") }
        return text
    }

    static func optionalString(_ object: JSONValue, _ key: String) throws(FrameChannelError) -> String? {
        switch object[key] {
        case .string(let text)?: return text
        case .null?: return nil
        default: throw .malformed("'\(key)' must be a string or null, found \(object[key]?.typeName ?? "nothing")")
        }
    }

    static func int(_ object: JSONValue, _ key: String) throws(FrameChannelError) -> Int {
        guard case .int(let value)? = object[key] else { throw .malformed("'\(key)' must be an integer, found \(object[key]?.typeName ?? "nothing")") }
        return Int(value)
    }

    static func strings(_ object: JSONValue, _ key: String) throws(FrameChannelError) -> [String] {
        guard case .array(let elements)? = object[key] else { throw .malformed("'\(key)' must be an array of strings") }
        var texts: [String] = []
        texts.reserveCapacity(elements.count)
        for element in elements {
            guard case .string(let text) = element else { throw .malformed("'\(key)' must be an array of strings") }
            texts.append(text)
        }
        return texts
    }
}

extension JSONValue {
    /// A short rendering for diagnostics (`42`, `"a"`, `object`).
    var sandboxShortText: String {
        switch self {
        case .int(let value): "\(value)"
        case .string(let text): "'\(text.prefix(40))'"
        case .null: "null"
        default: typeName
        }
    }
}

extension CellResult {
    /// One JSON object per cell, as the `sandbox` command prints it:
    /// `{"cell":1,"execution":{...},"events":[...],"seconds":0.0012}` (`cell` counts from 1).
    public func jsonLine(cell: Int) -> [UInt8] {
        var members: [(key: String, value: JSONValue)] = [("cell", .int(Int64(cell)))]
        let execution = (try? RecordEncoder().encodeValue(execution)) ?? .null
        members.append(("execution", execution))
        members.append(("events", .array(events.map(\.jsonValue))))
        members.append(("seconds", .double(seconds)))
        return JSONWriter.bytes(.object(members))
    }

    /// A readable rendering for people: a header line, then the sections that are not empty.
    public func text(cell: Int) -> String {
        var status = "ok"
        if let error = execution.error { status = error.kind }
        if execution.timedOut && execution.error == nil { status = "timeout" }
        var lines = ["── cell \(cell): \(status) in \(Self.format(seconds)) s" + (execution.stateReset ? " (state was reset)" : "")]
        func section(_ title: String, _ body: String) {
            guard !body.isEmpty else { return }
            lines.append("[\(title)]")
            lines.append(body.hasSuffix("\n") ? String(body.dropLast()) : body)
        }
        section("stdout", execution.stdout + (execution.stdoutDropped > 0 ? "… (\(execution.stdoutDropped) more bytes dropped)" : ""))
        section("stderr", execution.stderr + (execution.stderrDropped > 0 ? "… (\(execution.stderrDropped) more bytes dropped)" : ""))
        if let result = execution.result { section("result", result) }
        if let error = execution.error {
            section("error", error.traceback.isEmpty ? "\(error.kind): \(error.message)" : error.traceback)
        }
        for event in events {
            let text = String(decoding: JSONWriter.bytes(event.jsonValue), as: UTF8.self)
            section("event", text)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func format(_ seconds: Double) -> String {
        let milliseconds = (seconds * 1000).rounded()
        return "\(milliseconds / 1000)"
    }
}

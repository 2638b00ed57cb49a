// A trace and its parts read straight from bytes (see ``DirectDecodable``): members in the
// order of each type's `CodingKeys`, which is the order ``RecordEncoder`` writes them in.

extension Trace.Role: DirectDecodable {}
extension Trace.EndReason: DirectDecodable {}

extension Trace: DirectDecodable {
    init(direct reader: inout DirectReader) throws(DirectReader.Mismatch) {
        try reader.beginObject()
        role = try reader.read("role")
        messages = try reader.read("messages")
        turns = try reader.read("turns")
        answer = try reader.read("answer")
        endReason = try reader.read("end_reason")
        error = try reader.read("error")
        usage = try reader.read("usage")
        // The key is present exactly for flawed and self-correcting traces (see `Trace.mistake`).
        if role.isAttempt {
            mistake = nil
        } else {
            mistake = try reader.read("mistake")
        }
        try reader.endObject()
    }
}

extension TraceMistake: DirectDecodable {
    init(direct reader: inout DirectReader) throws(DirectReader.Mismatch) {
        try reader.beginObject()
        id = try reader.read("id")
        version = try reader.read("version")
        step = try reader.read("step")
        checkStep = try reader.read("check_step")
        fixStep = try reader.read("fix_step")
        try reader.endObject()
    }
}

extension Message.Role: DirectDecodable {}

extension Message: DirectDecodable {
    init(direct reader: inout DirectReader) throws(DirectReader.Mismatch) {
        try reader.beginObject()
        role = try reader.read("role")
        content = try reader.read("content")
        reasoning = try reader.read("reasoning")
        try reader.endObject()
    }
}

extension Turn: DirectDecodable {
    init(direct reader: inout DirectReader) throws(DirectReader.Mismatch) {
        try reader.beginObject()
        index = try reader.read("index")
        message = try reader.read("message")
        reasoning = try reader.read("reasoning")
        code = try reader.read("code")
        execution = try reader.read("execution")
        hooks = try reader.read("hooks")
        submission = try reader.read("submission")
        correction = try reader.read("correction")
        try reader.endObject()
    }
}

extension Correction: DirectDecodable {
    init(direct reader: inout DirectReader) throws(DirectReader.Mismatch) {
        try reader.beginObject()
        fixesTurn = try reader.read("fixes_turn")
        errorKind = try reader.read("error_kind")
        try reader.endObject()
    }
}

extension Execution: DirectDecodable {
    init(direct reader: inout DirectReader) throws(DirectReader.Mismatch) {
        try reader.beginObject()
        stdout = try reader.read("stdout")
        stdoutDropped = try reader.read("stdout_dropped")
        stderr = try reader.read("stderr")
        stderrDropped = try reader.read("stderr_dropped")
        result = try reader.read("result")
        error = try reader.read("error")
        timedOut = try reader.read("timed_out")
        stateReset = try reader.read("state_reset")
        try reader.endObject()
    }
}

extension ExecutionError: DirectDecodable {
    init(direct reader: inout DirectReader) throws(DirectReader.Mismatch) {
        try reader.beginObject()
        kind = try reader.read("kind")
        message = try reader.read("message")
        traceback = try reader.read("traceback")
        try reader.endObject()
    }
}

extension Hook: DirectDecodable {
    init(direct reader: inout DirectReader) throws(DirectReader.Mismatch) {
        try reader.beginObject()
        name = try reader.read("name")
        codeLine = try reader.read("code_line")
        value = try reader.read("value")
        valueSummarized = try reader.read("value_summarized")
        valueSHA256 = try reader.read("value_sha256")
        dependsOn = try reader.read("depends_on")
        description = try reader.read("description")
        grounded = try reader.read("grounded")
        try reader.endObject()
    }
}

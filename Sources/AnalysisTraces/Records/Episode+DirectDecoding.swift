// Episode and its parts read straight from bytes (see ``DirectDecodable``): members in the
// order of each type's `CodingKeys`, which is the order ``RecordEncoder`` writes them in.

extension Episode: DirectDecodable {
    init(direct reader: inout DirectReader) throws(DirectReader.Mismatch) {
        try reader.beginObject()
        schemaVersion = try reader.read("schema_version")
        id = try reader.read("id")
        question = try reader.read("question")
        traces = try reader.read("traces")
        verification = try reader.read("verification")
        usage = try reader.read("usage")
        producer = try reader.read("producer")
        try reader.endObject()
    }
}

extension Producer: DirectDecodable {
    init(direct reader: inout DirectReader) throws(DirectReader.Mismatch) {
        try reader.beginObject()
        teacher = try reader.read("teacher")
        promptVersion = try reader.read("prompt_version")
        sandbox = try reader.read("sandbox")
        tool = try reader.read("tool")
        try reader.endObject()
    }
}

extension Usage: DirectDecodable {
    init(direct reader: inout DirectReader) throws(DirectReader.Mismatch) {
        try reader.beginObject()
        calls = try reader.read("calls")
        promptTokens = try reader.read("prompt_tokens")
        completionTokens = try reader.read("completion_tokens")
        reasoningTokens = try reader.read("reasoning_tokens")
        costUSD = try reader.read("cost_usd")
        try reader.endObject()
    }
}

extension Verification.Method: DirectDecodable {}

extension Verification: DirectDecodable {
    init(direct reader: inout DirectReader) throws(DirectReader.Mismatch) {
        try reader.beginObject()
        method = try reader.read("method")
        verified = try reader.read("verified")
        votes = try reader.read("votes")
        agreement = try reader.read("agreement")
        entropy = try reader.read("entropy")
        reason = try reader.read("reason")
        try reader.endObject()
    }
}

extension VoteGroup: DirectDecodable {
    init(direct reader: inout DirectReader) throws(DirectReader.Mismatch) {
        try reader.beginObject()
        answer = try reader.read("answer")
        traces = try reader.read("traces")
        matchesGroundTruth = try reader.read("matches_ground_truth")
        try reader.endObject()
    }
}

import AnalysisTraces

extension ScriptedResponse {
    /// The fixed `created` of every body: no clocks in scripted bodies.
    static let created: Int64 = 1_700_000_000

    /// The HTTP response for this scripted answer to `request`; `sequence` numbers the id.
    func rendered(for request: JSONValue, sequence: Int) -> LoopbackResponse {
        switch self {
        case .completion(let content, let reasoning, let reasoningKey, let finishReason, let usage, let contentAsParts):
            return .json(Self.completionBody(
                request: request, sequence: sequence, content: content, reasoning: reasoning,
                reasoningKey: reasoningKey, finishReason: finishReason, usage: usage, contentAsParts: contentAsParts
            ))
        case .status(let status, let retryAfter, let body):
            var headers: LoopbackHeaders = ["Content-Type": "application/json"]
            if let retryAfter { headers.add(name: "Retry-After", value: retryAfter) }
            return LoopbackResponse(status: status, headers: headers, body: Array((body ?? ScriptedReplies.errorBody(status: status)).utf8))
        case .raw(let status, let headers, let body):
            return LoopbackResponse(status: status, headers: headers, body: Array(body.utf8))
        case .delay(let delay, let then):
            return then.rendered(for: request, sequence: sequence).delayed(by: delay)
        case .dropConnection:
            return .dropConnection
        case .truncatedBody:
            let whole = JSONWriter.bytes(Self.completionBody(
                request: request, sequence: sequence, content: ScriptedReplies.longReply(bytes: 2_000), reasoning: nil,
                reasoningKey: .reasoningContent, finishReason: "stop", usage: nil, contentAsParts: false
            ))
            return .truncated(Array(whole.prefix(whole.count / 2)), declaredLength: whole.count, headers: ["Content-Type": "application/json"])
        case .invalidJSON:
            let body = #"{"id":"chatcmpl-scripted-\#(sequence)","object":"chat.completion","created":\#(Self.created),"choices":[{"index":0,"message":{"role":"assistant","content":"The mean is"#
            return LoopbackResponse(status: 200, headers: ["Content-Type": "application/json"], body: Array(body.utf8))
        case .emptyChoices:
            var body = Self.completionBody(
                request: request, sequence: sequence, content: "", reasoning: nil, reasoningKey: .reasoningContent,
                finishReason: nil, usage: ScriptedUsage(prompt: Self.promptTokens(request), completion: 0), contentAsParts: false
            )
            body = Self.replacing("choices", with: .array([]), in: body)
            return .json(body)
        case .nullContent:
            return ScriptedResponse.completion(content: nil).rendered(for: request, sequence: sequence)
        case .noCodeBlock:
            return ScriptedResponse.completion(content: ScriptedReplies.noCodeBlock).rendered(for: request, sequence: sequence)
        case .severalCodeBlocks:
            return ScriptedResponse.completion(content: ScriptedReplies.severalCodeBlocks).rendered(for: request, sequence: sequence)
        case .fakeSubmissionMarkers:
            return ScriptedResponse.completion(content: ScriptedReplies.fakeSubmissionMarkers).rendered(for: request, sequence: sequence)
        case .longReply(let bytes):
            return ScriptedResponse.completion(content: ScriptedReplies.longReply(bytes: bytes)).rendered(for: request, sequence: sequence)
        }
    }

    static func completionBody(
        request: JSONValue,
        sequence: Int,
        content: String?,
        reasoning: String?,
        reasoningKey: ReasoningKey,
        finishReason: String?,
        usage: ScriptedUsage?,
        contentAsParts: Bool
    ) -> JSONValue {
        var text = content
        var message: [(key: String, value: JSONValue)] = [("role", .string("assistant"))]
        if let reasoning, reasoningKey == .thinkTags {
            text = "<think>\(reasoning)</think>\n" + (content ?? "")
        }
        switch (text, contentAsParts) {
        case (nil, _): message.append(("content", .null))
        case (let text?, false): message.append(("content", .string(text)))
        case (let text?, true):
            message.append(("content", .array([.object([("type", .string("text")), ("text", .string(text))])])))
        }
        message.append(("refusal", .null))
        if let reasoning, reasoningKey != .thinkTags {
            message.append((reasoningKey.rawValue, .string(reasoning)))
        }
        let tokens = usage ?? ScriptedUsage(
            prompt: promptTokens(request),
            completion: tokenEstimate(content ?? "") + tokenEstimate(reasoning ?? ""),
            reasoning: tokenEstimate(reasoning ?? "")
        )
        let model = ChatBodyFields.model(request)
        return .object([
            ("id", .string("chatcmpl-scripted-\(sequence)")),
            ("object", .string("chat.completion")),
            ("created", .int(created)),
            ("model", .string(model.isEmpty ? "scripted-model" : model)),
            ("choices", .array([.object([
                ("index", .int(0)),
                ("message", .object(message)),
                ("logprobs", .null),
                ("finish_reason", finishReason.map(JSONValue.string) ?? .null),
            ])])),
            ("usage", .object([
                ("prompt_tokens", .int(Int64(tokens.prompt))),
                ("completion_tokens", .int(Int64(tokens.completion))),
                ("total_tokens", .int(Int64(tokens.prompt + tokens.completion))),
                ("completion_tokens_details", .object([("reasoning_tokens", .int(Int64(tokens.reasoning)))])),
            ])),
            ("system_fingerprint", .string("fp_scripted")),
        ])
    }

    /// About one token per 4 UTF-8 bytes, rounded up.
    static func tokenEstimate(_ text: String) -> Int {
        (text.utf8.count + 3) / 4
    }

    /// The prompt's tokens: each message's text estimate plus 4 for its framing.
    static func promptTokens(_ request: JSONValue) -> Int {
        ChatBodyFields.messages(request).reduce(0) { $0 + tokenEstimate(ChatBodyFields.text($1)) + 4 }
    }

    private static func replacing(_ key: String, with value: JSONValue, in object: JSONValue) -> JSONValue {
        guard case .object(let members) = object else { return object }
        return .object(members.map { $0.key == key ? (key, value) : $0 })
    }
}

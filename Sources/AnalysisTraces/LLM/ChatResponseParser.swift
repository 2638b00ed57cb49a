/// Reads the body of a chat-completions response, whatever OpenAI-compatible server sent it
/// (OpenAI, OpenRouter, vLLM, llama.cpp server, Ollama, DeepSeek).
///
/// A 200 body becomes a ``ChatCompletion`` (``parse(_:)``):
/// - leading whitespace and a UTF-8 byte order mark are skipped (DeepSeek sends keep-alive
///   newlines before the JSON of a slow non-streaming answer);
/// - `choices[0].message.content` is a string, or an array of parts whose `text` members are
///   joined (parts without text, such as images, are skipped); `null` or a missing content is
///   accepted as `""` only when the message has reasoning or tool calls;
/// - the reasoning is `reasoning_content` (DeepSeek, llama.cpp, older vLLM), else `reasoning`
///   (OpenRouter, Ollama, newer vLLM), else the joined `text` of OpenRouter's
///   `reasoning_details[]` items of type `reasoning.text`; kept verbatim. Thinking left inside
///   `content` (`<think>…</think>` from servers without a reasoning parser) stays in the content;
/// - `finish_reason` is kept as the server said it (no closed set: `error`,
///   `insufficient_system_resource`, ... pass through);
/// - `usage`: `prompt_tokens`, `completion_tokens` and
///   `completion_tokens_details.reasoning_tokens` (each 0 when missing; a missing `usage` is all
///   zeros), `calls` 1, and `costUSD` the server's own `usage.cost` when it sends one
///   (OpenRouter), else nil — the client replaces it with the price table's cost where the model
///   has a price;
/// - `model` as the server named it.
///
/// Errors: a body that is not a usable completion throws ``LLMError/malformedResponse(_:)``
/// naming the field (invalid or truncated JSON, not an object, `choices` missing, not an array
/// or empty, `message` missing, content null with nothing else, a member of the wrong type).
/// An error reported inside a 200 body — a top-level `error` member, or a choice with an `error`
/// (OpenRouter) — throws ``LLMError/http(status:message:attempts:)`` with the error's own code
/// when it is an HTTP status (else 200), so that the client can retry a 429 or 502 that a proxy
/// wrapped in a 200.
public enum ChatResponseParser {
    /// Parses a 200 response body. `cacheHit` is false.
    public static func parse(_ body: [UInt8]) throws(LLMError) -> ChatCompletion {
        let start = contentStart(of: body)
        guard start < body.count else {
            throw .malformedResponse("the body is empty")
        }
        let root: JSONValue
        do {
            root = try body[start...].withUnsafeBytes { buffer throws(JSONParseError) in
                try JSONParser.parse(buffer)
            }
        } catch {
            throw .malformedResponse("the body is not valid JSON (\(error))")
        }
        guard case .object = root else {
            throw .malformedResponse("the body is a JSON \(root.typeName), expected an object")
        }
        if let error = root["error"], error != .null {
            throw embeddedError(error)
        }
        guard let choices = root["choices"], choices != .null else {
            throw .malformedResponse("'choices' is missing")
        }
        guard case .array(let choiceList) = choices else {
            throw .malformedResponse("'choices' must be an array; found a \(choices.typeName)")
        }
        guard let choice = choiceList.first else {
            throw .malformedResponse("'choices' is empty")
        }
        guard case .object = choice else {
            throw .malformedResponse("'choices[0]' must be an object; found a \(choice.typeName)")
        }
        if let error = choice["error"], error != .null {
            throw embeddedError(error)
        }
        guard let message = choice["message"], message != .null else {
            throw .malformedResponse("'choices[0].message' is missing")
        }
        guard case .object = message else {
            throw .malformedResponse("'choices[0].message' must be an object; found a \(message.typeName)")
        }
        let content = try contentText(message["content"])
        let reasoning = try reasoningText(message)
        let hasToolCalls: Bool
        switch message["tool_calls"] {
        case .array(let calls): hasToolCalls = !calls.isEmpty
        default: hasToolCalls = false
        }
        if content == nil && reasoning == nil && !hasToolCalls {
            throw .malformedResponse("'choices[0].message.content' is null and the message has no reasoning and no tool calls")
        }
        let finishReason = try optionalString(choice["finish_reason"], field: "choices[0].finish_reason")
        let usage = try usageBlock(root["usage"])
        let model = try optionalString(root["model"], field: "model")
        return ChatCompletion(
            message: Message(role: .assistant, content: content ?? "", reasoning: reasoning),
            finishReason: finishReason, usage: usage, model: model, cacheHit: false)
    }

    /// A short, single-line message for an error response (any status): the `error.message` of
    /// an OpenAI-style envelope, a string `error` (vLLM's 401), a flat `message` (older vLLM),
    /// otherwise the text of the body with HTML tags removed; at most 300 characters.
    public static func errorMessage(_ body: [UInt8]) -> String {
        let start = contentStart(of: body)
        guard start < body.count else { return "(empty body)" }
        let bytes = Array(body[start...])
        if let value = try? JSONParser.parse(bytes) {
            if let error = value["error"] {
                return shortened(errorText(error))
            }
            if case .string(let message)? = value["message"] {
                return shortened(message)
            }
            if case .string(let detail)? = value["detail"] {
                return shortened(detail)
            }
            return shortened(String(decoding: bytes, as: UTF8.self))
        }
        return shortened(stripTags(String(decoding: bytes, as: UTF8.self)))
    }

    // MARK: - Fields

    private static func contentText(_ value: JSONValue?) throws(LLMError) -> String? {
        switch value {
        case nil, .null?:
            return nil
        case .string(let text)?:
            return text
        case .array(let parts)?:
            var text = ""
            for (index, part) in parts.enumerated() {
                guard case .object = part else {
                    throw .malformedResponse("'choices[0].message.content[\(index)]' must be an object; found a \(part.typeName)")
                }
                switch part["text"] {
                case .string(let piece)?: text += piece
                case nil, .null?: continue
                case let other?:
                    throw .malformedResponse("'choices[0].message.content[\(index)].text' must be a string; found a \(other.typeName)")
                }
            }
            return text
        case let other?:
            throw .malformedResponse("'choices[0].message.content' must be a string or an array of parts; found a \(other.typeName)")
        }
    }

    private static func reasoningText(_ message: JSONValue) throws(LLMError) -> String? {
        for key in ["reasoning_content", "reasoning"] {
            if let text = try optionalString(message[key], field: "choices[0].message.\(key)"), !text.isEmpty {
                return text
            }
        }
        guard case .array(let details)? = message["reasoning_details"] else { return nil }
        var pieces: [String] = []
        for detail in details {
            if case .string("reasoning.text")? = detail["type"], case .string(let text)? = detail["text"] {
                pieces.append(text)
            }
        }
        let joined = pieces.joined()
        return joined.isEmpty ? nil : joined
    }

    private static func usageBlock(_ value: JSONValue?) throws(LLMError) -> Usage {
        switch value {
        case nil, .null?:
            return Usage(calls: 1)
        case .object?:
            break
        case let other?:
            throw .malformedResponse("'usage' must be an object; found a \(other.typeName)")
        }
        let usage = value ?? .null
        let prompt = try count(usage["prompt_tokens"], field: "usage.prompt_tokens")
        let completion = try count(usage["completion_tokens"], field: "usage.completion_tokens")
        var reasoning = 0
        switch usage["completion_tokens_details"] {
        case nil, .null?:
            break
        case .object?:
            reasoning = try count(
                usage["completion_tokens_details"]?["reasoning_tokens"],
                field: "usage.completion_tokens_details.reasoning_tokens")
        case let other?:
            throw .malformedResponse("'usage.completion_tokens_details' must be an object; found a \(other.typeName)")
        }
        var cost: Double?
        switch usage["cost"] {
        case .int(let value)?: cost = Double(value)
        case .double(let value)?: cost = value
        default: cost = nil
        }
        return Usage(calls: 1, promptTokens: prompt, completionTokens: completion, reasoningTokens: reasoning, costUSD: cost)
    }

    private static func count(_ value: JSONValue?, field: String) throws(LLMError) -> Int {
        switch value {
        case nil, .null?:
            return 0
        case .int(let number)? where number >= 0 && number <= Int64(Int32.max):
            return Int(number)
        case .double(let number)? where number >= 0 && number <= Double(Int32.max) && number.rounded() == number:
            return Int(number)
        case let other?:
            throw .malformedResponse("'\(field)' must be a non-negative integer; found \(CanonicalJSON.string(other))")
        }
    }

    private static func optionalString(_ value: JSONValue?, field: String) throws(LLMError) -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let text)?: return text
        case let other?: throw .malformedResponse("'\(field)' must be a string; found a \(other.typeName)")
        }
    }

    // MARK: - Errors

    private static func embeddedError(_ error: JSONValue) -> LLMError {
        var status = 200
        let code = error["code"] ?? error["http_status"]
        if case .int(let number)? = code, (400...599).contains(number) {
            status = Int(number)
        }
        return .http(status: status, message: shortened(errorText(error)), attempts: 1)
    }

    /// The message of an `error` member: a string as is; an object's `message`, with
    /// OpenRouter's `metadata.raw` appended when it is a string.
    private static func errorText(_ error: JSONValue) -> String {
        switch error {
        case .string(let text):
            return text
        case .object:
            var text: String
            if case .string(let message)? = error["message"] {
                text = message
            } else {
                text = CanonicalJSON.string(error)
            }
            if case .string(let raw)? = error["metadata"]?["raw"], !raw.isEmpty {
                text += " (\(raw))"
            }
            return text
        default:
            return CanonicalJSON.string(error)
        }
    }

    // MARK: - Text

    /// The offset of the first byte after leading JSON whitespace and a UTF-8 BOM.
    static func contentStart(of body: [UInt8]) -> Int {
        var index = 0
        if body.count >= 3 && body[0] == 0xEF && body[1] == 0xBB && body[2] == 0xBF { index = 3 }
        while index < body.count, [0x20, 0x09, 0x0A, 0x0D].contains(body[index]) { index += 1 }
        return index
    }

    private static func stripTags(_ text: String) -> String {
        var result = ""
        var inTag = false
        for character in text {
            if character == "<" { inTag = true; result.append(" "); continue }
            if character == ">" && inTag { inTag = false; continue }
            if !inTag { result.append(character) }
        }
        return result
    }

    /// Whitespace runs collapsed to one space, trimmed, at most 300 characters.
    static func shortened(_ text: String) -> String {
        let words = text.split(whereSeparator: { $0.isWhitespace })
        let single = words.joined(separator: " ")
        if single.isEmpty { return "(empty body)" }
        if single.count <= 300 { return single }
        return String(single.prefix(299)) + "…"
    }
}

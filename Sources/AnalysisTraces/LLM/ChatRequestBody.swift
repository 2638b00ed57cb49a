/// The JSON body of `POST {base}/chat/completions` for one ``ChatRequest``: the bytes sent to the
/// server, and the input of the response cache's key (``ResponseCache/key(for:)``).
///
/// Members, in this order: `model`; `messages` (each `role` and `content` only — an assistant
/// message's `reasoning` is never sent back); `temperature`, `top_p`, `max_tokens` when set;
/// `seed` as `seed + sample` when a seed is set; then the members of
/// ``SamplingParameters/extraBody`` verbatim (a member named like one above replaces it in
/// place, others follow in their own order; a non-object `extraBody` is ignored — the
/// configuration rejects one); last `stream: false` (always: the client reads whole bodies, so
/// an extra `stream` member is dropped). The layout is compact ``JSONWriter`` text, so the
/// same request always gives the same bytes.
public enum ChatRequestBody {
    /// The body as a JSON value, members in the order above.
    public static func json(_ request: ChatRequest) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = []
        members.append((key: "model", value: .string(request.model)))
        let messages = request.messages.map { message -> JSONValue in
            .object([
                (key: "role", value: .string(message.role.rawValue)),
                (key: "content", value: .string(message.content)),
            ])
        }
        members.append((key: "messages", value: .array(messages)))
        let sampling = request.sampling
        if let temperature = sampling.temperature { members.append((key: "temperature", value: .double(temperature))) }
        if let topP = sampling.topP { members.append((key: "top_p", value: .double(topP))) }
        if let maxTokens = sampling.maxTokens { members.append((key: "max_tokens", value: .int(Int64(maxTokens)))) }
        if let seed = sampling.seed {
            members.append((key: "seed", value: .int(Int64(seed) &+ Int64(request.sample))))
        }
        if case .object(let extra) = sampling.extraBody {
            for member in extra where member.key != "stream" {
                if let index = members.firstIndex(where: { $0.key == member.key }) {
                    members[index].value = member.value
                } else {
                    members.append(member)
                }
            }
        }
        members.append((key: "stream", value: .bool(false)))
        return .object(members)
    }

    /// The compact UTF-8 bytes of ``json(_:)``: exactly what is sent.
    public static func bytes(_ request: ChatRequest) -> [UInt8] {
        JSONWriter.bytes(json(request))
    }
}

import AnalysisTraces

/// What a ``ScriptedChatServer`` answers: ordered rules, the first that matches a request answers.
///
/// A scripted rule answers with its responses in order, one per matching request; once they are
/// used up, the last one repeats. A dynamic rule (``ChatRule/init(handler:)``) answers whatever
/// its closure returns, or passes when it returns nil. A request no rule answers gets HTTP 400
/// with an OpenAI error body that says so.
public struct ChatScript: Sendable {
    public var rules: [ChatRule]

    public init(_ rules: [ChatRule]) {
        self.rules = rules
    }

    /// One rule answering every request with `responses` in order (the last repeats).
    public static func always(_ responses: ScriptedResponse...) -> ChatScript {
        ChatScript([ChatRule(when: .any, respond: responses)])
    }
}

/// One rule of a ``ChatScript``.
public struct ChatRule: Sendable {
    enum Kind: Sendable {
        case scripted(RequestMatch, [ScriptedResponse])
        case dynamic(@Sendable (JSONValue) -> ScriptedResponse?)
    }

    let kind: Kind

    /// Answers requests that `match` with `responses`, consumed in order; the last repeats. An
    /// empty list never matches.
    public init(when match: RequestMatch = .any, respond responses: [ScriptedResponse]) {
        self.kind = .scripted(match, responses)
    }

    /// Answers requests that `match` with `response`, every time.
    public init(when match: RequestMatch = .any, respond response: ScriptedResponse) {
        self.kind = .scripted(match, [response])
    }

    /// Answers with what `handler` returns for the decoded request body; nil passes the request
    /// on to the next rule. The handler may be called concurrently.
    public init(handler: @escaping @Sendable (JSONValue) -> ScriptedResponse?) {
        self.kind = .dynamic(handler)
    }
}

/// Which requests a scripted rule answers, judged on the decoded request body.
///
/// Message text is a message's `content` string, or the `text` of its content parts joined.
public indirect enum RequestMatch: Sendable {
    /// Every request.
    case any
    /// The last message with role `user` contains the string.
    case lastUserMessageContains(String)
    /// Some message (any role) contains the string.
    case anyMessageContains(String)
    /// The request's `model` is exactly this.
    case model(String)
    /// The request has exactly this many messages.
    case messageCount(Int)
    /// Every one of these matches.
    case all([RequestMatch])
    /// The closure says yes.
    case custom(@Sendable (JSONValue) -> Bool)

    /// Whether a request with this decoded body matches.
    public func matches(_ request: JSONValue) -> Bool {
        switch self {
        case .any:
            return true
        case .lastUserMessageContains(let needle):
            let last = ChatBodyFields.messages(request).last { ChatBodyFields.role($0) == "user" }
            return last.map { ChatBodyFields.text($0).contains(needle) } ?? false
        case .anyMessageContains(let needle):
            return ChatBodyFields.messages(request).contains { ChatBodyFields.text($0).contains(needle) }
        case .model(let name):
            return request["model"] == .string(name)
        case .messageCount(let count):
            return ChatBodyFields.messages(request).count == count
        case .all(let matches):
            return matches.allSatisfy { $0.matches(request) }
        case .custom(let predicate):
            return predicate(request)
        }
    }
}

/// Reading an OpenAI chat-completions request body.
public enum ChatBodyFields {
    /// The `messages` array's elements (empty when missing or not an array).
    public static func messages(_ request: JSONValue) -> [JSONValue] {
        if case .array(let messages)? = request["messages"] { return messages }
        return []
    }

    /// A message's `role`, or "" when missing.
    public static func role(_ message: JSONValue) -> String {
        if case .string(let role)? = message["role"] { return role }
        return ""
    }

    /// A message's text: the `content` string, or its parts' `text` members joined.
    public static func text(_ message: JSONValue) -> String {
        switch message["content"] {
        case .string(let text)?:
            return text
        case .array(let parts)?:
            return parts.compactMap { part -> String? in
                if case .string(let text)? = part["text"] { return text }
                return nil
            }.joined()
        default:
            return ""
        }
    }

    /// The request's `model`, or "" when missing.
    public static func model(_ request: JSONValue) -> String {
        if case .string(let model)? = request["model"] { return model }
        return ""
    }
}

import AnalysisTraces
import Synchronization

/// An OpenAI-compatible chat server on 127.0.0.1 that answers from a ``ChatScript``: for tests
/// of the LLM client and teacher, and for `bench`.
///
/// Serves `POST /v1/chat/completions` (non-streaming) and `GET /v1/models`; any other path gets
/// 404. A body that is not JSON gets 400. Every chat request's decoded body is recorded
/// (``requests()``), with the HTTP requests underneath (``httpRequests()``, for headers).
/// `responseDelay` delays every answer (on top of a scripted ``ScriptedResponse/delay(_:then:)``),
/// which is how `bench` simulates a server that takes 500 ms per call.
public final class ScriptedChatServer: Sendable {
    private let server: LoopbackHTTPServer
    private let core: Core

    /// The port on 127.0.0.1.
    public var port: Int { server.port }
    /// The OpenAI base URL, `http://127.0.0.1:<port>/v1` (what clients append
    /// `/chat/completions` to).
    public var baseURL: String { "\(server.baseURL)/v1" }
    /// `http://127.0.0.1:<port>/v1/chat/completions`.
    public var completionsURL: String { "\(server.baseURL)/v1/chat/completions" }

    private init(server: LoopbackHTTPServer, core: Core) {
        self.server = server
        self.core = core
    }

    /// Starts a server answering from `script`, each answer after `responseDelay` when given;
    /// `GET /v1/models` lists `models`.
    public static func start(
        script: ChatScript,
        responseDelay: Duration? = nil,
        models: [String] = ["scripted-model"]
    ) async throws -> ScriptedChatServer {
        let core = Core(script: script, responseDelay: responseDelay, models: models)
        let server = try await LoopbackHTTPServer.start { request in core.answer(request) }
        return ScriptedChatServer(server: server, core: core)
    }

    /// The decoded bodies of every chat-completions request so far, in arrival order (a body that
    /// was not JSON is recorded as a JSON string of its text).
    public func requests() async -> [JSONValue] {
        core.state.withLock { $0.bodies }
    }

    /// Every HTTP request so far (chat, models and unknown paths), with headers.
    public func httpRequests() async -> [LoopbackRequest] {
        await server.requests()
    }

    /// How many chat-completions requests arrived so far.
    public func requestCount() async -> Int {
        core.state.withLock { $0.bodies.count }
    }

    /// How many chat requests no rule answered (each got HTTP 400).
    public func unmatchedCount() async -> Int {
        core.state.withLock { $0.unmatched }
    }

    /// The most HTTP requests in flight at one time so far.
    public func maxConcurrentRequests() async -> Int {
        await server.maxConcurrentRequests()
    }

    /// How many connections were accepted so far.
    public func connectionCount() async -> Int {
        await server.connectionCount()
    }

    /// Stops the server (see ``LoopbackHTTPServer/shutdown()``).
    public func shutdown() async {
        await server.shutdown()
    }
}

/// Runs `body` with a started ``ScriptedChatServer`` and shuts it down afterwards, also when
/// `body` throws.
@discardableResult
public func withScriptedChatServer<Result: Sendable>(
    script: ChatScript,
    responseDelay: Duration? = nil,
    models: [String] = ["scripted-model"],
    _ body: (ScriptedChatServer) async throws -> Result
) async throws -> Result {
    try await withShutdown(try await ScriptedChatServer.start(script: script, responseDelay: responseDelay, models: models), body)
}

extension ScriptedChatServer: ShutsDown {}

extension ScriptedChatServer {
    struct State: Sendable {
        var bodies: [JSONValue] = []
        /// Responses used so far, per rule.
        var consumed: [Int]
        var sequence = 0
        var unmatched = 0
    }

    final class Core: Sendable {
        let script: ChatScript
        let responseDelay: Duration?
        let models: [String]
        let state: Mutex<State>

        init(script: ChatScript, responseDelay: Duration?, models: [String]) {
            self.script = script
            self.responseDelay = responseDelay
            self.models = models
            self.state = Mutex(State(consumed: Array(repeating: 0, count: script.rules.count)))
        }

        func answer(_ request: LoopbackRequest) -> LoopbackResponse {
            let response = route(request)
            guard let responseDelay, responseDelay > .zero else { return response }
            return response.delayed(by: responseDelay)
        }

        private func route(_ request: LoopbackRequest) -> LoopbackResponse {
            switch (request.method, request.path) {
            case ("POST", "/v1/chat/completions"), ("POST", "/chat/completions"):
                return chat(request)
            case ("GET", "/v1/models"), ("GET", "/models"):
                let data = models.map { model -> JSONValue in
                    .object([("id", .string(model)), ("object", .string("model")), ("created", .int(ScriptedResponse.created)), ("owned_by", .string("scripted"))])
                }
                return .json(.object([("object", .string("list")), ("data", .array(data))]))
            default:
                return LoopbackResponse(
                    status: 404, headers: ["Content-Type": "application/json"],
                    body: Array(#"{"error":{"message":"Unknown path \#(request.method) \#(request.path) (scripted chat server)","type":"invalid_request_error","param":null,"code":"not_found"}}"#.utf8)
                )
            }
        }

        private func chat(_ request: LoopbackRequest) -> LoopbackResponse {
            let body: JSONValue
            do {
                body = try JSONParser.parse(request.body)
            } catch {
                let sequence = state.withLock { state in
                    state.bodies.append(.string(request.bodyText))
                    state.sequence += 1
                    return state.sequence
                }
                _ = sequence
                return ScriptedResponse.status(400, body: Self.errorJSON("The request body is not valid JSON: \(error)"))
                    .rendered(for: .null, sequence: 0)
            }
            state.withLock { $0.bodies.append(body) }
            for (index, rule) in script.rules.enumerated() {
                switch rule.kind {
                case .dynamic(let handler):
                    if let response = handler(body) {
                        return response.rendered(for: body, sequence: nextSequence())
                    }
                case .scripted(let match, let responses):
                    guard !responses.isEmpty, match.matches(body) else { continue }
                    let (position, sequence) = state.withLock { state in
                        let position = min(state.consumed[index], responses.count - 1)
                        state.consumed[index] += 1
                        state.sequence += 1
                        return (position, state.sequence)
                    }
                    return responses[position].rendered(for: body, sequence: sequence)
                }
            }
            state.withLock { $0.unmatched += 1 }
            let messages = ChatBodyFields.messages(body)
            let lastUser = messages.last { ChatBodyFields.role($0) == "user" }.map(ChatBodyFields.text) ?? ""
            let message = "No scripted rule matches this request (\(messages.count) messages; last user message starts '\(lastUser.prefix(80))')."
            return ScriptedResponse.status(400, body: Self.errorJSON(message)).rendered(for: body, sequence: 0)
        }

        private func nextSequence() -> Int {
            state.withLock { state in
                state.sequence += 1
                return state.sequence
            }
        }

        private static func errorJSON(_ message: String) -> String {
            let error: JSONValue = .object([("error", .object([
                ("message", .string(message)), ("type", .string("invalid_request_error")), ("param", .null), ("code", .null),
            ]))])
            return String(decoding: JSONWriter.bytes(error), as: UTF8.self)
        }
    }
}

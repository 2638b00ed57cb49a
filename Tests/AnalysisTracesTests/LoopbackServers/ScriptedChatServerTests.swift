import AnalysisTraces
import AsyncHTTPClient
import LoopbackServers
import NIOCore
import NIOHTTP1
import Testing

@Suite("ScriptedChatServer", .timeLimit(.minutes(10)))
struct ScriptedChatServerTests {
    @Test("a completion has OpenAI's shape: fixed created, echoed model, message, finish reason, usage")
    func completionShape() async throws {
        let script = ChatScript.always(.completion(content: "The answer.", reasoning: "Because."))
        try await withScriptedChatServer(script: script) { server in
            try await withLoopbackTestClient { client in
                let body = try await client.chatJSON(server, messages: [("system", "Be brief."), ("user", "What is it?")], model: "m-1")
                #expect(body["id"] == .string("chatcmpl-scripted-1"))
                #expect(body["object"] == .string("chat.completion"))
                #expect(body["created"] == .int(1_700_000_000))
                #expect(body["model"] == .string("m-1"))
                let choice = try #require(body.choices.first)
                #expect(choice["index"] == .int(0))
                #expect(choice["finish_reason"] == .string("stop"))
                #expect(choice["message"]?["role"] == .string("assistant"))
                #expect(choice["message"]?["content"] == .string("The answer."))
                #expect(choice["message"]?["reasoning_content"] == .string("Because."))
                let usage = try #require(body["usage"])
                // "Be brief." 9 bytes -> 3 + 4; "What is it?" 11 bytes -> 3 + 4.
                #expect(usage["prompt_tokens"] == .int(14))
                // "The answer." 11 bytes -> 3, "Because." 8 bytes -> 2.
                #expect(usage["completion_tokens"] == .int(5))
                #expect(usage["total_tokens"] == .int(19))
                #expect(usage["completion_tokens_details"]?["reasoning_tokens"] == .int(2))
                let second = try await client.chatJSON(server, messages: [("user", "Again?")])
                #expect(second["id"] == .string("chatcmpl-scripted-2"))
            }
        }
    }

    @Test("reasoning goes in the field asked for, or in think tags; content can be parts; usage can be given")
    func reasoningVariants() async throws {
        let script = ChatScript([
            ChatRule(when: .lastUserMessageContains("plain"), respond: .completion(content: "A", reasoning: "R", reasoningKey: .reasoning)),
            ChatRule(when: .lastUserMessageContains("think"), respond: .completion(content: "B", reasoning: "R", reasoningKey: .thinkTags)),
            ChatRule(
                when: .lastUserMessageContains("parts"),
                respond: .completion(content: "C", finishReason: "length", usage: ScriptedUsage(prompt: 100, completion: 50, reasoning: 20), contentAsParts: true)
            ),
        ])
        try await withScriptedChatServer(script: script) { server in
            try await withLoopbackTestClient { client in
                let plain = try await client.chatJSON(server, messages: [("user", "plain")])
                #expect(plain.choices.first?["message"]?["reasoning"] == .string("R"))
                #expect(plain.choices.first?["message"]?["reasoning_content"] == nil)
                let think = try await client.chatJSON(server, messages: [("user", "think")])
                #expect(think.choices.first?["message"]?["content"] == .string("<think>R</think>\nB"))
                let parts = try await client.chatJSON(server, messages: [("user", "parts")])
                #expect(parts.choices.first?["message"]?["content"] == .array([.object([("type", .string("text")), ("text", .string("C"))])]))
                #expect(parts.choices.first?["finish_reason"] == .string("length"))
                #expect(parts["usage"]?["total_tokens"] == .int(150))
                #expect(parts["usage"]?["completion_tokens_details"]?["reasoning_tokens"] == .int(20))
            }
        }
    }

    @Test("the first matching rule answers, its responses consumed in order and the last repeated")
    func ruleOrderAndConsumption() async throws {
        let script = ChatScript([
            ChatRule(when: .lastUserMessageContains("alpha"), respond: [.reply("a1"), .reply("a2")]),
            ChatRule(when: .any, respond: [.reply("other")]),
            ChatRule(when: .any, respond: [.reply("never")]),
        ])
        try await withScriptedChatServer(script: script) { server in
            try await withLoopbackTestClient { client in
                var contents: [String] = []
                for question in ["alpha", "beta", "alpha", "alpha", "gamma"] {
                    contents.append(try await client.chatContent(server, messages: [("user", "say \(question)")]))
                }
                #expect(contents == ["a1", "other", "a2", "a2", "other"])
            }
            #expect(await server.requestCount() == 5)
        }
    }

    @Test("each matcher selects the requests it names, and a dynamic rule that returns nil passes")
    func matchers() async throws {
        let script = ChatScript([
            ChatRule(handler: { request in
                ChatBodyFields.messages(request).contains { ChatBodyFields.text($0) == "dynamic" } ? .reply("from handler") : nil
            }),
            ChatRule(when: .model("special"), respond: .reply("model")),
            ChatRule(when: .messageCount(3), respond: .reply("three")),
            ChatRule(when: .anyMessageContains("SYSTEM-MARK"), respond: .reply("any message")),
            ChatRule(when: .custom { $0["temperature"] == .double(0.5) }, respond: .reply("custom")),
            ChatRule(when: .all([.lastUserMessageContains("x"), .lastUserMessageContains("y")]), respond: .reply("all")),
        ])
        try await withScriptedChatServer(script: script) { server in
            try await withLoopbackTestClient { client in
                #expect(try await client.chatContent(server, messages: [("user", "dynamic")], model: "special") == "from handler")
                #expect(try await client.chatContent(server, messages: [("user", "hi")], model: "special") == "model")
                #expect(try await client.chatContent(server, messages: [("system", "s"), ("user", "u"), ("assistant", "a")]) == "three")
                #expect(try await client.chatContent(server, messages: [("system", "a SYSTEM-MARK"), ("user", "u")]) == "any message")
                #expect(try await client.chatContent(server, messages: [("user", "u")], extra: [("temperature", .double(0.5))]) == "custom")
                #expect(try await client.chatContent(server, messages: [("user", "x and y")]) == "all")
                let unmatched = try await client.chat(server, messages: [("user", "x alone")])
                #expect(unmatched.status == 400)
                #expect(unmatched.text.contains("No scripted rule matches"))
            }
            #expect(await server.unmatchedCount() == 1)
        }
    }

    @Test("a user message given as content parts is matched on its text")
    func contentPartsInRequests() async throws {
        let script = ChatScript([ChatRule(when: .lastUserMessageContains("parted"), respond: .reply("seen"))])
        try await withScriptedChatServer(script: script) { server in
            try await withLoopbackTestClient { client in
                let message: JSONValue = .object([
                    ("role", .string("user")),
                    ("content", .array([.object([("type", .string("text")), ("text", .string("a parted question"))])])),
                ])
                let response = try await client.chat(server, rawMessages: [message])
                #expect(try JSONParser.parse(response.body).choices.first?["message"]?["content"] == .string("seen"))
            }
        }
    }

    @Test("error statuses carry an OpenAI error body, Retry-After when given, or the body given")
    func statuses() async throws {
        let script = ChatScript.always(
            .status(429, retryAfter: "2"),
            .status(503, body: "upstream down"),
            .raw(status: 200, headers: ["Content-Type": "text/plain", "X-Custom": "1"], body: "not a completion")
        )
        try await withScriptedChatServer(script: script) { server in
            try await withLoopbackTestClient { client in
                let limited = try await client.chat(server, messages: [("user", "u")])
                #expect(limited.status == 429)
                #expect(limited.header("retry-after") == "2")
                let error = try JSONParser.parse(limited.body)["error"]
                #expect(error?["code"] == .string("rate_limit_exceeded"))
                #expect(error?["message"] != nil)
                let down = try await client.chat(server, messages: [("user", "u")])
                #expect(down.status == 503)
                #expect(down.text == "upstream down")
                let raw = try await client.chat(server, messages: [("user", "u")])
                #expect(raw.status == 200)
                #expect(raw.header("x-custom") == "1")
                #expect(raw.text == "not a completion")
            }
        }
    }

    @Test("a dropped connection and a truncated body are errors for the client")
    func transportFaults() async throws {
        let script = ChatScript.always(.dropConnection, .truncatedBody, .reply("recovered"))
        try await withScriptedChatServer(script: script) { server in
            try await withLoopbackTestClient { client in
                await #expect(throws: (any Error).self) { _ = try await client.chat(server, messages: [("user", "u")]) }
                await #expect(throws: (any Error).self) { _ = try await client.chat(server, messages: [("user", "u")]) }
                let content = try await client.chatContent(server, messages: [("user", "u")])
                #expect(content == "recovered")
            }
        }
    }

    @Test("malformed bodies: invalid JSON, empty choices, null content")
    func malformedBodies() async throws {
        let script = ChatScript.always(.invalidJSON, .emptyChoices, .nullContent)
        try await withScriptedChatServer(script: script) { server in
            try await withLoopbackTestClient { client in
                let invalid = try await client.chat(server, messages: [("user", "u")])
                #expect(invalid.status == 200)
                #expect(throws: JSONParseError.self) { try JSONParser.parse(invalid.body) }
                let empty = try await client.chatJSON(server, messages: [("user", "u")])
                #expect(empty["choices"] == .array([]))
                #expect(empty["usage"]?["prompt_tokens"] != nil)
                let null = try await client.chatJSON(server, messages: [("user", "u")])
                #expect(null.choices.first?["message"]?["content"] == .null)
                #expect(null.choices.first?["finish_reason"] == .string("stop"))
            }
        }
    }

    @Test("teacher-format faults parse as the agent's reply parser expects")
    func teacherFaults() async throws {
        let script = ChatScript.always(.noCodeBlock, .severalCodeBlocks, .fakeSubmissionMarkers, .longReply(bytes: 100_000), .step("Look first.", code: "print(df.shape)"))
        try await withScriptedChatServer(script: script) { server in
            try await withLoopbackTestClient { client in
                let none = try await client.chatContent(server, messages: [("user", "u")])
                #expect(ReplyParser.parse(none) == .malformed(.noCodeBlock))
                let several = try await client.chatContent(server, messages: [("user", "u")])
                #expect(ReplyParser.parse(several) == .malformed(.severalCodeBlocks(count: 2)))
                let fake = try await client.chatContent(server, messages: [("user", "u")])
                guard case .step(_, let code) = ReplyParser.parse(fake) else {
                    Issue.record("the fake submission reply should be one runnable step")
                    return
                }
                #expect(code.contains("SUBMIT"))
                #expect(!code.contains("submit("))
                let long = try await client.chatContent(server, messages: [("user", "u")])
                #expect(long.utf8.count == 100_000)
                #expect(ReplyParser.parse(long) == .step(reasoning: String(long.prefix(while: { $0 != "\n" })), code: "print(df.describe())"))
                let step = try await client.chatContent(server, messages: [("user", "u")])
                #expect(ReplyParser.parse(step) == .step(reasoning: "Look first.", code: "print(df.shape)"))
            }
        }
    }

    @Test("a scripted delay and the global response delay hold the answer at least that long")
    func delays() async throws {
        let script = ChatScript.always(.delay(.milliseconds(200), then: .reply("slow")))
        try await withScriptedChatServer(script: script, responseDelay: .milliseconds(100)) { server in
            try await withLoopbackTestClient { client in
                let clock = ContinuousClock()
                let start = clock.now
                let content = try await client.chatContent(server, messages: [("user", "u")])
                #expect(content == "slow")
                #expect(clock.now - start >= .milliseconds(300))
            }
        }
    }

    @Test("concurrent requests are recorded and counted in flight together")
    func concurrencyAndRecording() async throws {
        try await withScriptedChatServer(script: .always(.reply("ok")), responseDelay: .seconds(1)) { server in
            try await withLoopbackTestClient { client in
                try await withThrowingTaskGroup(of: String.self) { group in
                    for index in 0..<16 {
                        group.addTask { try await client.chatContent(server, messages: [("user", "question \(index)")]) }
                    }
                    for try await content in group { #expect(content == "ok") }
                }
            }
            let recorded = await server.requests()
            #expect(recorded.count == 16)
            let questions = Set(recorded.compactMap { ChatBodyFields.messages($0).last.map(ChatBodyFields.text) })
            #expect(questions == Set((0..<16).map { "question \($0)" }))
            #expect(await server.maxConcurrentRequests() >= 2)
        }
    }

    @Test("GET /v1/models lists the models; unknown paths get 404; a body that is not JSON gets 400")
    func otherRoutes() async throws {
        try await withScriptedChatServer(script: .always(.reply("ok")), models: ["a", "b"]) { server in
            try await withLoopbackTestClient { client in
                let models = try JSONParser.parse(try await client.fetch("\(server.baseURL)/models").body)
                #expect(models["data"] == .array(["a", "b"].map { .object([("id", .string($0)), ("object", .string("model")), ("created", .int(1_700_000_000)), ("owned_by", .string("scripted"))]) }))
                #expect(try await client.fetch("\(server.baseURL)/embeddings", method: .POST).status == 404)
                let bad = try await client.fetch(server.completionsURL, method: .POST, body: Array("{nope".utf8))
                #expect(bad.status == 400)
            }
            #expect(await server.requests() == [.string("{nope")])
        }
    }
}

extension JSONValue {
    /// `choices` as an array (empty when missing).
    var choices: [JSONValue] {
        if case .array(let choices)? = self["choices"] { return choices }
        return []
    }
}

extension HTTPClient {
    func chat(
        _ server: ScriptedChatServer,
        messages: [(String, String)] = [],
        rawMessages: [JSONValue] = [],
        model: String = "scripted-model",
        extra: [(String, JSONValue)] = []
    ) async throws -> FetchedResponse {
        let list = messages.map { JSONValue.object([("role", .string($0.0)), ("content", .string($0.1))]) } + rawMessages
        let body: JSONValue = .object([("model", .string(model)), ("messages", .array(list))] + extra.map { (key: $0.0, value: $0.1) })
        return try await fetch(
            server.completionsURL, method: .POST,
            headers: [("Content-Type", "application/json"), ("Authorization", "Bearer test")],
            body: JSONWriter.bytes(body)
        )
    }

    func chatJSON(_ server: ScriptedChatServer, messages: [(String, String)], model: String = "scripted-model") async throws -> JSONValue {
        let response = try await chat(server, messages: messages, model: model)
        #expect(response.status == 200)
        return try JSONParser.parse(response.body)
    }

    func chatContent(
        _ server: ScriptedChatServer,
        messages: [(String, String)],
        model: String = "scripted-model",
        extra: [(String, JSONValue)] = []
    ) async throws -> String {
        let response = try await chat(server, messages: messages, model: model, extra: extra)
        let body = try JSONParser.parse(response.body)
        guard case .string(let content)? = body.choices.first?["message"]?["content"] else {
            throw ChatTestError.noContent(response.text)
        }
        return content
    }
}

enum ChatTestError: Error {
    case noContent(String)
}

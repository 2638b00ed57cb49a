import AnalysisTraces
import AsyncHTTPClient
import LoopbackServers
import NIOCore
import NIOHTTP1
import Testing

@Suite("LoopbackHTTPServer", .timeLimit(.minutes(10)))
struct LoopbackHTTPServerTests {
    @Test("records each request's method, path, query, headers and body")
    func recordsRequests() async throws {
        try await withLoopbackHTTPServer(handler: { _ in .text("ok") }) { server in
            try await withLoopbackTestClient { client in
                let response = try await client.fetch(
                    "\(server.baseURL)/api/v1/items?page=2&search=a%20b+c&flag",
                    method: .POST,
                    headers: [("X-Token", "secret"), ("Range", "bytes=5-")],
                    body: Array("hello".utf8)
                )
                #expect(response.status == 200)
                #expect(response.text == "ok")
                #expect(response.header("content-length") == "2")
            }
            let requests = await server.requests()
            #expect(requests.count == 1)
            let request = try #require(requests.first)
            #expect(request.method == "POST")
            #expect(request.path == "/api/v1/items")
            #expect(request.query == ["page": "2", "search": "a b c", "flag": ""])
            #expect(request.headers["x-token"] == "secret")
            #expect(request.headers["RANGE"] == "bytes=5-")
            #expect(request.bodyText == "hello")
        }
    }

    @Test("sends the handler's status and headers")
    func statusAndHeaders() async throws {
        try await withLoopbackHTTPServer(handler: { _ in
            .json(.object([("code", .int(429)), ("message", .string("Too many requests"))]), status: 429, headers: ["Retry-After": "1"])
        }) { server in
            try await withLoopbackTestClient { client in
                let response = try await client.fetch("\(server.baseURL)/x")
                #expect(response.status == 429)
                #expect(response.header("retry-after") == "1")
                #expect(response.header("content-type") == "application/json")
                #expect(response.text == #"{"code":429,"message":"Too many requests"}"#)
            }
        }
    }

    @Test("a redirect is a 302 with Location, which a following client follows")
    func redirects() async throws {
        try await withLoopbackHTTPServer(handler: { request in
            request.path == "/start" ? .redirect(to: "/final?x=1") : .text("arrived at \(request.uri)")
        }) { server in
            try await withLoopbackTestClient { client in
                let response = try await client.fetch("\(server.baseURL)/start")
                #expect(response.status == 302)
                #expect(response.header("location") == "/final?x=1")
            }
            try await withLoopbackTestClient(followRedirects: true) { client in
                let response = try await client.fetch("\(server.baseURL)/start")
                #expect(response.status == 200)
                #expect(response.text == "arrived at /final?x=1")
            }
        }
    }

    @Test("a chunked body of several megabytes arrives whole, without Content-Length")
    func chunkedBody() async throws {
        let body = (0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try await withLoopbackHTTPServer(handler: { _ in .chunked(body, chunkSize: 50_000) }) { server in
            try await withLoopbackTestClient { client in
                let response = try await client.fetch("\(server.baseURL)/big")
                #expect(response.status == 200)
                #expect(response.header("transfer-encoding")?.lowercased() == "chunked")
                #expect(response.header("content-length") == nil)
                #expect(response.body == body)
            }
        }
    }

    @Test("a request body of several megabytes is recorded whole")
    func largeRequestBody() async throws {
        let upload = (0..<(4 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        try await withLoopbackHTTPServer(handler: { request in .text(String(request.body.count)) }) { server in
            try await withLoopbackTestClient { client in
                let response = try await client.fetch("\(server.baseURL)/upload", method: .PUT, body: upload)
                #expect(response.text == String(upload.count))
            }
            let recorded = await server.requests()
            #expect(recorded.first?.body == upload)
        }
    }

    @Test("a dropped connection is an error for the client, and the server keeps serving")
    func droppedConnection() async throws {
        try await withLoopbackHTTPServer(handler: { request in
            request.path == "/drop" ? .dropConnection : .text("fine")
        }) { server in
            try await withLoopbackTestClient { client in
                await #expect(throws: (any Error).self) {
                    _ = try await client.fetch("\(server.baseURL)/drop")
                }
                let after = try await client.fetch("\(server.baseURL)/next")
                #expect(after.text == "fine")
            }
            #expect(await server.requestCount() == 2)
        }
    }

    @Test("a body shorter than its Content-Length is detected as an error")
    func truncatedBody() async throws {
        try await withLoopbackHTTPServer(handler: { _ in
            .truncated(Array(repeating: UInt8(ascii: "a"), count: 1000), declaredLength: 5000)
        }) { server in
            try await withLoopbackTestClient { client in
                await #expect(throws: (any Error).self) {
                    _ = try await client.fetch("\(server.baseURL)/file")
                }
            }
        }
    }

    @Test("a delayed response arrives no earlier than its delay, counted in flight meanwhile")
    func delayedResponse() async throws {
        try await withLoopbackHTTPServer(handler: { _ in LoopbackResponse.text("late").delayed(by: .milliseconds(300)) }) { server in
            try await withLoopbackTestClient { client in
                let clock = ContinuousClock()
                let start = clock.now
                let response = try await client.fetch("\(server.baseURL)/slow")
                #expect(clock.now - start >= .milliseconds(300))
                #expect(response.text == "late")
            }
            #expect(await server.maxConcurrentRequests() == 1)
            #expect(await server.requestsInFlight() == 0)
        }
    }

    @Test("a throttled body arrives whole, paced by its interval")
    func throttledBody() async throws {
        let body = Array(repeating: UInt8(ascii: "z"), count: 1000)
        try await withLoopbackHTTPServer(handler: { _ in
            LoopbackResponse(body: body).throttled(bytes: 250, every: .milliseconds(50))
        }) { server in
            try await withLoopbackTestClient { client in
                let clock = ContinuousClock()
                let start = clock.now
                let response = try await client.fetch("\(server.baseURL)/trickle")
                #expect(clock.now - start >= .milliseconds(150))
                #expect(response.body == body)
                #expect(response.header("content-length") == "1000")
            }
        }
    }

    @Test("sequential requests reuse one keep-alive connection")
    func keepAlive() async throws {
        try await withLoopbackHTTPServer(handler: { request in .text(request.path) }) { server in
            try await withLoopbackTestClient { client in
                for index in 0..<5 {
                    let response = try await client.fetch("\(server.baseURL)/r\(index)")
                    #expect(response.text == "/r\(index)")
                }
            }
            #expect(await server.connectionCount() == 1)
            let connections = Set(await server.requests().map(\.connection))
            #expect(connections == [1])
        }
    }

    @Test("64 concurrent requests are all in flight at once")
    func concurrency() async throws {
        let gate = Gate(expected: 64)
        try await withLoopbackHTTPServer(handler: { request in
            await gate.arriveAndWait()
            return .text(request.path)
        }) { server in
            try await withLoopbackTestClient { client in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for index in 0..<64 {
                        group.addTask {
                            let response = try await client.fetch("\(server.baseURL)/c\(index)")
                            #expect(response.text == "/c\(index)")
                        }
                    }
                    try await group.waitForAll()
                }
            }
            #expect(await server.requestCount() == 64)
            #expect(await server.maxConcurrentRequests() == 64)
        }
    }

    @Test("file responses honour Range and If-Range")
    func ranges() async throws {
        let content = Array("0123456789".utf8)
        try await withLoopbackHTTPServer(handler: { request in
            .file(content, for: request, etag: "\"v1\"", lastModified: "Mon, 27 May 2024 13:13:07 GMT")
        }) { server in
            try await withLoopbackTestClient { client in
                let whole = try await client.fetch("\(server.baseURL)/f")
                #expect(whole.status == 200)
                #expect(whole.header("accept-ranges") == "bytes")
                #expect(whole.text == "0123456789")
                let tail = try await client.fetch("\(server.baseURL)/f", headers: [("Range", "bytes=4-"), ("If-Range", "\"v1\"")])
                #expect(tail.status == 206)
                #expect(tail.header("content-range") == "bytes 4-9/10")
                #expect(tail.text == "456789")
                let middle = try await client.fetch("\(server.baseURL)/f", headers: [("Range", "bytes=2-3")])
                #expect(middle.text == "23")
                let stale = try await client.fetch("\(server.baseURL)/f", headers: [("Range", "bytes=4-"), ("If-Range", "\"v0\"")])
                #expect(stale.status == 200)
                #expect(stale.text == "0123456789")
                let beyond = try await client.fetch("\(server.baseURL)/f", headers: [("Range", "bytes=10-")])
                #expect(beyond.status == 416)
                #expect(beyond.header("content-range") == "bytes */10")
            }
        }
    }

    @Test("shutdown ends a server with an open keep-alive connection and a running delay")
    func shutdownWithOpenConnections() async throws {
        let server = try await LoopbackHTTPServer.start { request in
            request.path == "/hang" ? LoopbackResponse.text("never").delayed(by: .seconds(600)) : .text("ok")
        }
        try await withLoopbackTestClient { client in
            _ = try await client.fetch("\(server.baseURL)/first")
            async let hanging: FetchedResponse? = try? client.fetch("\(server.baseURL)/hang")
            while await server.requestsInFlight() == 0 { try await Task.sleep(for: .milliseconds(10)) }
            await server.shutdown()
            #expect(await hanging == nil)
        }
    }
}

/// Holds arrivals until `expected` have arrived, then lets all go (or after 30 s, so a failing
/// test ends).
actor Gate {
    private let expected: Int
    private var arrived = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(expected: Int) {
        self.expected = expected
    }

    func arriveAndWait() async {
        arrived += 1
        if arrived >= expected {
            for continuation in waiting { continuation.resume() }
            waiting.removeAll()
            return
        }
        let deadline = Task { [weak self] in
            try? await Task.sleep(for: .seconds(30))
            await self?.releaseAll()
        }
        await withCheckedContinuation { waiting.append($0) }
        deadline.cancel()
    }

    private func releaseAll() {
        for continuation in waiting { continuation.resume() }
        waiting.removeAll()
    }
}

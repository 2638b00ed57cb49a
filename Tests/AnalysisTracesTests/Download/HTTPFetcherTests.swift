import AnalysisTraces
import Foundation
import Logging
import LoopbackServers
import Testing

/// The fetcher against a loopback server answering like plain web servers.
@Suite("HTTP fetcher against a loopback web server", .timeLimit(.minutes(10)))
struct HTTPFetcherTests {
    static let table = Array((["a,b"] + (1...200).map { "\($0),\($0 * 2)" }).joined(separator: "\n").utf8)

    static func policy(maxBytes: Int = 1 << 20, attempts: Int = 4) -> HTTPFetchPolicy {
        HTTPFetchPolicy(maxBytes: maxBytes, maxAttempts: attempts, maxRedirects: 3,
                        retry: RetryPolicy(base: .milliseconds(10), cap: .milliseconds(50), maxRetryAfter: .seconds(2)),
                        connectTimeout: .seconds(5), readTimeout: .seconds(20))
    }

    /// Runs `body` with a server, a fetcher and a scratch file path; cleans up on every path.
    /// The fetcher waits between attempts on `clock`, which never sleeps.
    static func withFetcher(
        policy: HTTPFetchPolicy = policy(), clock: VirtualClock = VirtualClock(), handler: @escaping LoopbackHTTPServer.Handler,
        _ body: (LoopbackHTTPServer, HTTPFetcher, String) async throws -> Void
    ) async throws {
        let fetcher = HTTPFetcher(policy: policy, clock: clock.clock, logger: Logger(label: "test"))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fetch-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            try await withLoopbackHTTPServer(handler: handler) { server in try await body(server, fetcher, path) }
        } catch {
            await fetcher.shutdown()
            throw error
        }
        await fetcher.shutdown()
    }

    static func contents(_ path: String) -> [UInt8] { [UInt8](FileManager.default.contents(atPath: path) ?? Data()) }

    @Test("redirects are followed to the file, and the final URL is reported")
    func redirects() async throws {
        try await Self.withFetcher(handler: { request in
            switch request.path {
            case "/old": .redirect(to: "/moved", status: 301)
            case "/moved": .redirect(to: "/t.csv")
            default: LoopbackResponse(headers: ["Content-Type": "text/csv"], body: Self.table)
            }
        }) { server, fetcher, path in
            let file = try await fetcher.download(HTTPFetchRequest(url: server.baseURL + "/old"), to: path)
            #expect(Self.contents(path) == Self.table)
            #expect(file.finalURL.hasSuffix("/t.csv"))
            #expect(file.attempts == 1)
        }
    }

    @Test("a redirect loop or too many redirects is a redirect error")
    func redirectLimits() async throws {
        try await Self.withFetcher(handler: { request in
            request.path == "/loop" ? .redirect(to: "/loop") : .redirect(to: "/r\((Int(request.path.dropFirst(2)) ?? 0) + 1)")
        }) { server, fetcher, path in
            await #expect(throws: DownloadError.self) { _ = try await fetcher.download(HTTPFetchRequest(url: server.baseURL + "/loop"), to: path) }
            do {
                _ = try await fetcher.download(HTTPFetchRequest(url: server.baseURL + "/r1"), to: path)
                Issue.record("expected a redirect error")
            } catch let error as DownloadError {
                #expect(error.kind == .redirect)
            }
        }
    }

    @Test("a chunked body without Content-Length is read whole")
    func chunked() async throws {
        try await Self.withFetcher(handler: { _ in .chunked(Self.table, chunkSize: 100) }) { server, fetcher, path in
            let file = try await fetcher.download(HTTPFetchRequest(url: server.baseURL + "/t.csv"), to: path)
            #expect(file.bytes == Self.table.count)
            #expect(Self.contents(path) == Self.table)
        }
    }

    @Test("a truncated transfer is resumed with Range and If-Range where the server allows it")
    func resume() async throws {
        try await Self.withFetcher(handler: { request in
            if request.headers["range"] == nil {
                return .truncated(Array(Self.table.prefix(500)), declaredLength: Self.table.count,
                                  headers: ["Accept-Ranges": "bytes", "ETag": "\"v1\"", "Content-Type": "text/csv"])
            }
            return .file(Self.table, for: request, contentType: "text/csv", etag: "\"v1\"")
        }) { server, fetcher, path in
            let file = try await fetcher.download(HTTPFetchRequest(url: server.baseURL + "/t.csv"), to: path)
            #expect(Self.contents(path) == Self.table)
            #expect(file.resumes == 1)
            let requests = await server.requests()
            #expect(requests.count == 2)
            #expect(requests[1].headers["range"] == "bytes=500-")
            #expect(requests[1].headers["if-range"] == "\"v1\"")
        }
    }

    @Test("a truncated transfer from a server without ranges is restarted from the beginning")
    func restart() async throws {
        let calls = Counter()
        try await Self.withFetcher(handler: { _ in
            await calls.next() == 1 ? .truncated(Array(Self.table.prefix(300)), declaredLength: Self.table.count) : LoopbackResponse(body: Self.table)
        }) { server, fetcher, path in
            let file = try await fetcher.download(HTTPFetchRequest(url: server.baseURL + "/t.csv"), to: path)
            #expect(Self.contents(path) == Self.table)
            #expect(file.attempts == 2 && file.resumes == 0)
            #expect(await server.requests().allSatisfy { $0.headers["range"] == nil })
        }
    }

    @Test("a body truncated on every attempt fails as truncated after the bounded attempts")
    func truncatedForever() async throws {
        try await Self.withFetcher(policy: Self.policy(attempts: 3), handler: { _ in
            .truncated(Array(Self.table.prefix(300)), declaredLength: Self.table.count)
        }) { server, fetcher, path in
            do {
                _ = try await fetcher.download(HTTPFetchRequest(url: server.baseURL + "/t.csv"), to: path)
                Issue.record("expected truncation")
            } catch let error as DownloadError {
                #expect(error.kind == .truncated)
                #expect(error.message.contains("3 attempts"))
            }
            #expect(await server.requestCount() == 3)
        }
    }

    @Test("429 and 503 are retried after Retry-After, then the file arrives")
    func backoff() async throws {
        let calls = Counter()
        let clock = VirtualClock()
        try await Self.withFetcher(clock: clock, handler: { _ in
            switch await calls.next() {
            case 1: LoopbackResponse(status: 429, headers: ["Retry-After": "1"], body: Array("slow down".utf8))
            case 2: LoopbackResponse(status: 503)
            default: LoopbackResponse(body: Self.table)
            }
        }) { server, fetcher, path in
            let file = try await fetcher.download(HTTPFetchRequest(url: server.baseURL + "/t.csv"), to: path)
            #expect(file.attempts == 3)
            #expect(Self.contents(path) == Self.table)
        }
        let sleeps = clock.sleeps
        #expect(sleeps.count == 2)
        #expect(sleeps.first == .seconds(1), "the server's Retry-After")
        #expect(sleeps.last.map { $0 <= .milliseconds(20) } == true, "the backoff after the second attempt")
    }

    @Test("a dropped connection is retried")
    func dropped() async throws {
        let calls = Counter()
        try await Self.withFetcher(handler: { _ in await calls.next() == 1 ? .dropConnection : LoopbackResponse(body: Self.table) }) { server, fetcher, path in
            let file = try await fetcher.download(HTTPFetchRequest(url: server.baseURL + "/t.csv"), to: path)
            #expect(file.attempts == 2)
        }
    }

    @Test("404, 403 and 401 fail at once with their kind", arguments: [(404, DownloadError.Kind.notFound), (403, .forbidden), (401, .unauthorized), (400, .http)])
    func statusErrors(_ status: Int, _ kind: DownloadError.Kind) async throws {
        try await Self.withFetcher(handler: { _ in .text("no", status: status) }) { server, fetcher, path in
            do {
                _ = try await fetcher.download(HTTPFetchRequest(url: server.baseURL + "/t.csv"), to: path)
                Issue.record("expected \(kind)")
            } catch let error as DownloadError {
                #expect(error.kind == kind)
            }
            #expect(await server.requestCount() == 1)
        }
    }

    @Test("an HTML page instead of a CSV is refused, by Content-Type or by its first bytes")
    func html() async throws {
        let page = Array("<!DOCTYPE html><html><body>Sign in</body></html>".utf8)
        try await Self.withFetcher(handler: { request in
            request.path == "/typed" ? LoopbackResponse(headers: ["Content-Type": "text/html; charset=utf-8"], body: page)
                : LoopbackResponse(headers: ["Content-Type": "text/csv"], body: page)
        }) { server, fetcher, path in
            for route in ["/typed", "/sniffed"] {
                do {
                    _ = try await fetcher.download(HTTPFetchRequest(url: server.baseURL + route), to: path)
                    Issue.record("expected html for \(route)")
                } catch let error as DownloadError {
                    #expect(error.kind == .html)
                }
            }
        }
    }

    @Test("the size limit is checked against Content-Length before, and counted during, the download")
    func sizeLimit() async throws {
        let big = [UInt8](repeating: 0x41, count: 5000)
        try await Self.withFetcher(policy: Self.policy(maxBytes: 4096), handler: { request in
            request.path == "/declared" ? LoopbackResponse(body: big) : .chunked(big, chunkSize: 1000)
        }) { server, fetcher, path in
            for route in ["/declared", "/chunked"] {
                do {
                    _ = try await fetcher.download(HTTPFetchRequest(url: server.baseURL + route), to: path)
                    Issue.record("expected too-large for \(route)")
                } catch let error as DownloadError {
                    #expect(error.kind == .tooLarge)
                }
            }
            #expect(await server.requestCount() == 2)
        }
    }
}

/// A counter handlers share across requests.
actor Counter {
    private var value = 0
    func next() -> Int {
        value += 1
        return value
    }
}

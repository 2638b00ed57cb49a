import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// An AsyncHTTPClient for the loopback server tests: up to 128 connections per host, redirects
/// not followed unless asked, shut down on every path. Its timeouts are generous: the server
/// reads bodies on the cooperative pool, which the rest of the suite keeps busy in the same
/// pass, and the suites' time limits catch a hang.
@discardableResult
func withLoopbackTestClient<Result: Sendable>(
    followRedirects: Bool = false,
    _ body: (HTTPClient) async throws -> Result
) async throws -> Result {
    let configuration = HTTPClient.Configuration(
        redirectConfiguration: followRedirects ? .follow(max: 5, allowCycles: false) : .disallow,
        timeout: .init(connect: .seconds(60), read: .seconds(300)),
        connectionPool: .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: 128)
    )
    let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    do {
        let result = try await body(client)
        try await client.shutdown()
        return result
    } catch {
        try? await client.shutdown()
        throw error
    }
}

/// A fetched response: status, headers and the whole body.
struct FetchedResponse: Sendable {
    var status: Int
    var headers: [(String, String)]
    var body: [UInt8]

    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    var text: String { String(decoding: body, as: UTF8.self) }
}

extension HTTPClient {
    /// Sends one request and reads the whole body (at most 64 MiB); throws on transport errors,
    /// a dropped connection or a truncated body included.
    func fetch(
        _ url: String,
        method: HTTPMethod = .GET,
        headers: [(String, String)] = [],
        body: [UInt8]? = nil
    ) async throws -> FetchedResponse {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await execute(request, timeout: .seconds(300))
        let collected = try await response.body.collect(upTo: 64 << 20)
        return FetchedResponse(
            status: Int(response.status.code),
            headers: response.headers.map { ($0.name, $0.value) },
            body: Array(collected.readableBytesView)
        )
    }
}

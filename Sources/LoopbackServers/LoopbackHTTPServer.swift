import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// An HTTP/1.1 server on 127.0.0.1 for tests and `bench`: every request goes to one async
/// handler, whose ``LoopbackResponse`` can also inject faults (dropped connections, truncated or
/// slow bodies, delays).
///
/// It binds an ephemeral port (``port``), keeps connections alive between requests, serves many
/// connections at once (each on its own child task), records every request (``requests()``) and
/// the most requests in flight at one time (``maxConcurrentRequests()``). A request is in flight
/// from the moment its body is complete until its response is written or dropped.
///
/// Start it with ``start(handler:)`` and end it with ``shutdown()``, or scope it with
/// ``withLoopbackHTTPServer(handler:_:)``. Shutdown closes open connections and waits for the
/// connection tasks to end; a handler still running is cancelled.
public final class LoopbackHTTPServer: Sendable {
    /// Answers one request. Called concurrently for requests on different connections.
    public typealias Handler = @Sendable (LoopbackRequest) async -> LoopbackResponse

    /// The port the server listens on, on 127.0.0.1.
    public let port: Int
    private let core: Core
    private let serverChannel: Channel
    private let runTask: Task<Void, Never>

    /// `http://127.0.0.1:<port>`, without a trailing slash.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    private init(port: Int, core: Core, serverChannel: Channel, runTask: Task<Void, Never>) {
        self.port = port
        self.core = core
        self.serverChannel = serverChannel
        self.runTask = runTask
    }

    /// Binds 127.0.0.1 on a free port and starts serving with `handler`.
    public static func start(handler: @escaping Handler) async throws -> LoopbackHTTPServer {
        let core = Core(handler: handler)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 512)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(wrappingChannelSynchronously: channel)
                }
            }
        guard let port = channel.channel.localAddress?.port else {
            try? await channel.channel.close()
            throw LoopbackServerError.noPort
        }
        let serverChannel = channel.channel
        let task = Task { await core.run(channel) }
        return LoopbackHTTPServer(port: port, core: core, serverChannel: serverChannel, runTask: task)
    }

    /// Every request received so far, in the order their bodies completed.
    public func requests() async -> [LoopbackRequest] {
        core.state.withLock { $0.requests }
    }

    /// How many requests were received so far.
    public func requestCount() async -> Int {
        core.state.withLock { $0.requests.count }
    }

    /// The most requests that were in flight at one time so far.
    public func maxConcurrentRequests() async -> Int {
        core.state.withLock { $0.maxInFlight }
    }

    /// How many requests are in flight now.
    public func requestsInFlight() async -> Int {
        core.state.withLock { $0.inFlight }
    }

    /// How many connections the server accepted so far (fewer than requests when clients reuse
    /// connections).
    public func connectionCount() async -> Int {
        core.state.withLock { $0.connectionsAccepted }
    }

    /// Stops listening, closes every open connection, cancels running handlers and waits until
    /// every connection task has ended. Calling it again does nothing.
    public func shutdown() async {
        let open = core.state.withLock { state -> [Channel] in
            state.closing = true
            return Array(state.open.values)
        }
        try? await serverChannel.close()
        for channel in open { channel.close(promise: nil) }
        runTask.cancel()
        await runTask.value
    }
}

/// Runs `body` with a started ``LoopbackHTTPServer`` and shuts the server down afterwards, also
/// when `body` throws.
@discardableResult
public func withLoopbackHTTPServer<Result: Sendable>(
    handler: @escaping LoopbackHTTPServer.Handler,
    _ body: (LoopbackHTTPServer) async throws -> Result
) async throws -> Result {
    try await withShutdown(try await LoopbackHTTPServer.start(handler: handler), body)
}

/// A server that a scoped run shuts down at its end.
protocol ShutsDown: Sendable {
    func shutdown() async
}

extension LoopbackHTTPServer: ShutsDown {}

/// Runs `body` with a started `server` and shuts it down afterwards, also when `body` throws.
func withShutdown<Server: ShutsDown, Result: Sendable>(
    _ server: Server, _ body: (Server) async throws -> Result
) async throws -> Result {
    do {
        let result = try await body(server)
        await server.shutdown()
        return result
    } catch {
        await server.shutdown()
        throw error
    }
}

/// Why a loopback server could not start.
public enum LoopbackServerError: Error, Sendable, CustomStringConvertible {
    case noPort

    public var description: String {
        switch self {
        case .noPort: "the loopback server's socket reports no local port"
        }
    }
}

extension LoopbackHTTPServer {
    typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>

    struct State: Sendable {
        var requests: [LoopbackRequest] = []
        var inFlight = 0
        var maxInFlight = 0
        var connectionsAccepted = 0
        var closing = false
        var open: [ObjectIdentifier: Channel] = [:]
    }

    /// The state and the serving loop, shared by the server object and its task.
    final class Core: Sendable {
        let handler: Handler
        let state = Mutex(State())

        init(handler: @escaping Handler) {
            self.handler = handler
        }

        func run(_ serverChannel: NIOAsyncChannel<Connection, Never>) async {
            do {
                try await withThrowingDiscardingTaskGroup { group in
                    try await serverChannel.executeThenClose { inbound in
                        for try await connection in inbound {
                            group.addTask { await self.serve(connection) }
                        }
                    }
                }
            } catch {
                // The listening socket was closed by shutdown(); connection tasks have ended.
            }
        }

        private func serve(_ connection: Connection) async {
            let channel = connection.channel
            let id = ObjectIdentifier(channel)
            let number = state.withLock { state -> Int? in
                guard !state.closing else { return nil }
                state.connectionsAccepted += 1
                state.open[id] = channel
                return state.connectionsAccepted
            }
            guard let number else {
                channel.close(promise: nil)
                return
            }
            defer { _ = state.withLock { $0.open.removeValue(forKey: id) } }
            do {
                try await connection.executeThenClose { inbound, _ in
                    var head: HTTPRequestHead?
                    var body = ByteBuffer()
                    for try await part in inbound {
                        switch part {
                        case .head(let received):
                            head = received
                            body.clear()
                        case .body(var bytes):
                            body.writeBuffer(&bytes)
                        case .end:
                            guard let received = head else { continue }
                            head = nil
                            let request = LoopbackRequest(
                                method: received.method.rawValue,
                                uri: received.uri,
                                headers: LoopbackHeaders(received.headers.map { LoopbackHeaders.Field(name: $0.name, value: $0.value) }),
                                body: Array(body.readableBytesView),
                                connection: number
                            )
                            let keepOpen = await answer(request, keepAlive: received.isKeepAlive, on: channel)
                            if !keepOpen { return }
                        }
                    }
                }
            } catch {
                // The peer went away or shutdown closed the connection.
            }
        }

        /// Runs the handler and writes its response; returns whether the connection stays open.
        private func answer(_ request: LoopbackRequest, keepAlive: Bool, on channel: Channel) async -> Bool {
            state.withLock { state in
                state.requests.append(request)
                state.inFlight += 1
                state.maxInFlight = max(state.maxInFlight, state.inFlight)
            }
            let response = await handler(request)
            let keepOpen: Bool
            do {
                keepOpen = try await ResponseWriter.write(response, for: request, keepAlive: keepAlive, on: channel)
            } catch {
                keepOpen = false
            }
            state.withLock { $0.inFlight -= 1 }
            if !keepOpen { channel.close(promise: nil) }
            return keepOpen
        }
    }
}

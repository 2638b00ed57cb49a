import AnalysisTraces

/// What a ``LoopbackHTTPServer`` sends back for one request: a status, headers and a body, and
/// how the body travels — whole with `Content-Length`, in chunks, cut short, slowly, after a
/// delay, or not at all (the connection is dropped).
///
/// The server adds `Content-Length` (or `Transfer-Encoding: chunked`) itself; a handler's own
/// `Content-Length` is replaced. Redirects are ordinary responses: ``redirect(to:status:)``.
public struct LoopbackResponse: Sendable {
    /// How the body is framed on the wire.
    public enum Framing: Sendable, Hashable {
        /// `Content-Length` equal to the body's size, then the body.
        case contentLength
        /// `Transfer-Encoding: chunked`, no `Content-Length`; the body goes in chunks of at most
        /// `chunkSize` bytes (each write is one HTTP chunk).
        case chunked(chunkSize: Int)
        /// `Content-Length: declaredLength` (more than the body's size), then the body, then the
        /// connection closes: a truncated transfer.
        case truncated(declaredLength: Int)
        /// The connection closes after the request is read, without any response byte.
        case dropConnection
    }

    /// A slow body: at most `bytes` bytes are written, then the server waits `interval`, and so on.
    public struct Throttle: Sendable, Hashable {
        public var bytes: Int
        public var interval: Duration

        public init(bytes: Int, every interval: Duration) {
            self.bytes = max(1, bytes)
            self.interval = interval
        }
    }

    public var status: Int
    /// Header fields to send, in order (the server sets the framing fields).
    public var headers: LoopbackHeaders
    public var body: [UInt8]
    public var framing: Framing
    /// A wait before the response head is written (the request counts as in flight meanwhile).
    public var delay: Duration?
    /// Paces the body; nil writes it at once.
    public var throttle: Throttle?
    /// Sends `Connection: close` and closes the connection after the response.
    public var closeConnection: Bool

    public init(
        status: Int = 200,
        headers: LoopbackHeaders = [:],
        body: [UInt8] = [],
        framing: Framing = .contentLength,
        delay: Duration? = nil,
        throttle: Throttle? = nil,
        closeConnection: Bool = false
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.framing = framing
        self.delay = delay
        self.throttle = throttle
        self.closeConnection = closeConnection
    }
}

extension LoopbackResponse {
    /// A response with a UTF-8 text body (`Content-Type: text/plain; charset=utf-8` unless
    /// `headers` names one).
    public static func text(_ text: String, status: Int = 200, headers: LoopbackHeaders = [:]) -> LoopbackResponse {
        var headers = headers
        if !headers.contains("content-type") { headers.add(name: "Content-Type", value: "text/plain; charset=utf-8") }
        return LoopbackResponse(status: status, headers: headers, body: Array(text.utf8))
    }

    /// A response with a JSON body written by ``JSONWriter`` (`Content-Type: application/json`
    /// unless `headers` names one).
    public static func json(_ value: JSONValue, status: Int = 200, headers: LoopbackHeaders = [:]) -> LoopbackResponse {
        var headers = headers
        if !headers.contains("content-type") { headers.add(name: "Content-Type", value: "application/json") }
        return LoopbackResponse(status: status, headers: headers, body: JSONWriter.bytes(value))
    }

    /// A redirect: `status` (302 by default) with `Location: location` and an empty body.
    public static func redirect(to location: String, status: Int = 302) -> LoopbackResponse {
        LoopbackResponse(status: status, headers: ["Location": location])
    }

    /// Closes the connection without sending any response.
    public static var dropConnection: LoopbackResponse {
        LoopbackResponse(framing: .dropConnection)
    }

    /// `body` sent with `Transfer-Encoding: chunked` in chunks of at most `chunkSize` bytes.
    public static func chunked(_ body: [UInt8], chunkSize: Int = 16_384, status: Int = 200, headers: LoopbackHeaders = [:]) -> LoopbackResponse {
        LoopbackResponse(status: status, headers: headers, body: body, framing: .chunked(chunkSize: max(1, chunkSize)))
    }

    /// A truncated transfer: declares `Content-Length: declaredLength`, sends only `body`, closes.
    public static func truncated(_ body: [UInt8], declaredLength: Int, status: Int = 200, headers: LoopbackHeaders = [:]) -> LoopbackResponse {
        LoopbackResponse(status: status, headers: headers, body: body, framing: .truncated(declaredLength: declaredLength))
    }

    /// This response, sent after waiting `delay` (added to any delay it had).
    public func delayed(by delay: Duration) -> LoopbackResponse {
        var copy = self
        copy.delay = (self.delay ?? .zero) + delay
        return copy
    }

    /// This response with its body paced: `bytes` bytes, then a wait of `interval`, and so on.
    public func throttled(bytes: Int, every interval: Duration) -> LoopbackResponse {
        var copy = self
        copy.throttle = Throttle(bytes: bytes, every: interval)
        return copy
    }

    /// This response with one more header field.
    public func adding(header name: String, value: String) -> LoopbackResponse {
        var copy = self
        copy.headers.add(name: name, value: value)
        return copy
    }
}

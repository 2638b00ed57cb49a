import NIOCore
import NIOHTTP1

/// Writes a ``LoopbackResponse`` onto a server channel, honouring its framing, delay and pacing.
enum ResponseWriter {
    /// Writes `response`; returns whether the connection may serve another request. Throws when
    /// the channel fails or the task is cancelled.
    static func write(_ response: LoopbackResponse, for request: LoopbackRequest, keepAlive: Bool, on channel: Channel) async throws -> Bool {
        if let delay = response.delay, delay > .zero {
            try await Task.sleep(for: delay)
        }
        var headers = HTTPHeaders(response.headers.fields.map { ($0.name, $0.value) })
        headers.remove(name: "content-length")
        headers.remove(name: "transfer-encoding")
        let sendsBody = request.method != "HEAD"
        var closeAfter = response.closeConnection || !keepAlive
        switch response.framing {
        case .dropConnection:
            try? await channel.close()
            return false
        case .contentLength:
            headers.add(name: "Content-Length", value: String(response.body.count))
        case .chunked:
            headers.add(name: "Transfer-Encoding", value: "chunked")
        case .truncated(let declared):
            headers.add(name: "Content-Length", value: String(max(declared, response.body.count + 1)))
            closeAfter = true
        }
        if closeAfter {
            headers.replaceOrAdd(name: "Connection", value: "close")
        }
        let head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: response.status), headers: headers)
        try await channel.writeAndFlush(HTTPServerResponsePart.head(head)).get()

        if sendsBody && !response.body.isEmpty {
            let pieceSize: Int
            switch (response.framing, response.throttle) {
            case (.chunked(let chunkSize), let throttle?): pieceSize = min(chunkSize, throttle.bytes)
            case (.chunked(let chunkSize), nil): pieceSize = chunkSize
            case (_, let throttle?): pieceSize = throttle.bytes
            default: pieceSize = 1 << 20
            }
            var offset = 0
            while offset < response.body.count {
                let end = min(offset + pieceSize, response.body.count)
                let buffer = channel.allocator.buffer(bytes: response.body[offset..<end])
                if let throttle = response.throttle {
                    try await channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(buffer))).get()
                    if end < response.body.count { try await Task.sleep(for: throttle.interval) }
                } else {
                    channel.write(HTTPServerResponsePart.body(.byteBuffer(buffer)), promise: nil)
                }
                offset = end
            }
        }
        if case .truncated = response.framing {
            // Everything written must reach the socket before the close, which would fail it.
            try await channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer()))).get()
            try? await channel.close()
            return false
        }
        try await channel.writeAndFlush(HTTPServerResponsePart.end(nil)).get()
        return !closeAfter
    }
}

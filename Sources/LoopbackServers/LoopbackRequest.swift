import Foundation

/// One HTTP request as a ``LoopbackHTTPServer`` received it, body complete.
public struct LoopbackRequest: Sendable, Hashable {
    /// `GET`, `POST`, ... as sent.
    public var method: String
    /// The request target as sent, query included (`/v1/models?x=1`).
    public var uri: String
    /// The target's path, percent-decoding not applied (`/v1/models`).
    public var path: String
    /// The query's parameters, percent-decoded (`+` is a space); for a repeated name the last
    /// value wins; a name without `=` maps to "".
    public var query: [String: String]
    /// The header fields as sent; look them up with any case: `headers["range"]`.
    public var headers: LoopbackHeaders
    /// The body bytes (empty when there was none).
    public var body: [UInt8]
    /// Which connection carried the request: 1 for the server's first accepted connection, and so
    /// on. Requests that share a number reused one keep-alive connection.
    public var connection: Int

    public init(method: String, uri: String, headers: LoopbackHeaders = [:], body: [UInt8] = [], connection: Int = 0) {
        self.method = method
        self.uri = uri
        let (path, query) = Self.split(uri)
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.connection = connection
    }

    /// The body read as UTF-8 (invalid sequences repaired).
    public var bodyText: String {
        String(decoding: body, as: UTF8.self)
    }

    static func split(_ uri: String) -> (path: String, query: [String: String]) {
        guard let mark = uri.firstIndex(of: "?") else { return (uri, [:]) }
        var query: [String: String] = [:]
        for item in uri[uri.index(after: mark)...].split(separator: "&", omittingEmptySubsequences: true) {
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = decode(parts[0])
            query[name] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return (String(uri[..<mark]), query)
    }

    private static func decode(_ component: Substring) -> String {
        let spaced = component.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}

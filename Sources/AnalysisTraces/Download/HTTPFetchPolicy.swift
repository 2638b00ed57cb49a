/// The limits and retry behaviour of `HTTPFetcher`.
public struct HTTPFetchPolicy: Sendable {
    /// The most bytes one download may have; checked against `Content-Length` before the body
    /// is read and counted while it streams (a download past it is aborted).
    public var maxBytes: Int
    /// When a request is tried again and after how long: a retryable answer (``RetryPolicy``),
    /// a dropped connection or a truncated body is retried (resumed where the server allows)
    /// until `retry.maxAttempts` requests are spent.
    public var retry: RetryPolicy
    /// Redirects followed per request (a loop is an error at once).
    public var maxRedirects: Int
    public var connectTimeout: Duration
    /// The longest silence while reading a response.
    public var readTimeout: Duration

    /// The defaults of `download`: 5 attempts, backoff from 1 s up to 60 s, `Retry-After`
    /// honoured up to 5 minutes; `maxAttempts` sets `retry.maxAttempts`.
    public init(
        maxBytes: Int = 512 << 20, maxAttempts: Int = 5, maxRedirects: Int = 5,
        retry: RetryPolicy = RetryPolicy(base: .seconds(1), cap: .seconds(60), maxRetryAfter: .seconds(300)),
        connectTimeout: Duration = .seconds(30), readTimeout: Duration = .seconds(120)
    ) {
        self.maxBytes = maxBytes
        self.retry = retry
        self.retry.maxAttempts = maxAttempts
        self.maxRedirects = maxRedirects
        self.connectTimeout = connectTimeout
        self.readTimeout = readTimeout
    }
}

/// One HTTP request `HTTPFetcher` makes (and repeats on retry).
public struct HTTPFetchRequest: Sendable {
    public enum Method: String, Sendable { case get = "GET", post = "POST" }

    public var url: String
    public var method: Method
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]?
    /// Read a JSON body carrying `{"code": >= 400, "message": ...}` as that error whatever the
    /// HTTP status (Kaggle's API answers some errors with 200).
    public var apiErrors: Bool

    public init(url: String, method: Method = .get, headers: [(name: String, value: String)] = [], body: [UInt8]? = nil, apiErrors: Bool = false) {
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
        self.apiErrors = apiErrors
    }
}

/// A body `HTTPFetcher.download(_:to:)` wrote to disk, and how it got there.
public struct FetchedFile: Sendable, Equatable {
    public var path: String
    public var bytes: Int
    /// The URL the body came from, after redirects (a signed storage URL for Kaggle).
    public var finalURL: String
    public var contentType: String?
    /// Requests made, the first included.
    public var attempts: Int
    /// Attempts that continued a partial body with a `Range` request.
    public var resumes: Int
}

import Foundation

/// When and how long to wait before trying a failed request again.
///
/// Retried: HTTP 408, 429 (except OpenAI's `insufficient_quota`, which waiting never fixes), 500,
/// 502, 503 and 504; a timeout; a connection that failed or dropped, including a body cut short
/// by a dropped connection. Not retried: any other status, and a complete 200 body that is not a
/// usable completion (the server would answer the same again). The wait before attempt `n + 1`
/// is the server's `Retry-After` (seconds or an HTTP date; `retry-after-ms` too), capped at
/// ``maxRetryAfter``, else exponential backoff with full jitter: a uniform draw from
/// `[0, min(cap, base × 2^(n−1))]`.
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts in all, the first included (`LLM_MAX_ATTEMPTS`, default 6).
    public var maxAttempts: Int
    public var base: Duration
    public var cap: Duration
    /// The longest wait a `Retry-After` header can ask for.
    public var maxRetryAfter: Duration

    public init(maxAttempts: Int = 6, base: Duration = .milliseconds(500), cap: Duration = .seconds(30), maxRetryAfter: Duration = .seconds(120)) {
        self.maxAttempts = maxAttempts
        self.base = base
        self.cap = cap
        self.maxRetryAfter = maxRetryAfter
    }

    /// Whether a response with `status` (and this error message) is worth another attempt.
    public static func isRetryable(status: Int, message: String = "") -> Bool {
        switch status {
        case 429: !message.contains("insufficient_quota") && !message.contains("exceeded your current quota")
        case 408, 500, 502, 503, 504: true
        default: false
        }
    }

    /// The full-jitter backoff after failed attempt `attempt` (1-based); `random` is uniform in [0, 1).
    public func backoff(afterAttempt attempt: Int, random: Double) -> Duration {
        let exponent = min(max(attempt - 1, 0), 30)
        let ceiling = min(cap, base * (1 << exponent))
        return ceiling * min(max(random, 0), 1)
    }

    /// The wait a response's headers ask for (`retry-after-ms`, then `Retry-After` as seconds or
    /// an HTTP date relative to `now`), capped at ``maxRetryAfter``; nil when there is none or it
    /// cannot be read.
    public func retryAfter(milliseconds: String?, header: String?, now: Date) -> Duration? {
        if let text = milliseconds?.trimmingCharacters(in: .whitespaces), let ms = Double(text), ms.isFinite, ms >= 0 {
            return min(.milliseconds(Int64(ms.rounded())), maxRetryAfter)
        }
        guard let text = header?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        if let seconds = Double(text), seconds.isFinite {
            return min(.milliseconds(Int64((max(seconds, 0) * 1000).rounded())), maxRetryAfter)
        }
        guard let date = Self.httpDate(text) else { return nil }
        let seconds = max(date.timeIntervalSince(now), 0)
        return min(.milliseconds(Int64((seconds * 1000).rounded())), maxRetryAfter)
    }

    /// Parses an HTTP date (IMF-fixdate, `Sun, 06 Nov 1994 08:49:37 GMT`, and the obsolete
    /// RFC 850 and asctime forms).
    static func httpDate(_ text: String) -> Date? {
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }
}
